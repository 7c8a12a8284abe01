//! The crate's error: why a file could not be read as CSV.

use std::io;

/// Why a file is malformed: Mavis refuses it whole with "Choose a CSV file
/// in the correct format"; this says where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct Malformed {
    /// The line (1-based, counting every line of the file) where it shows.
    pub line: u64,
    /// What is wrong, lower case, no full stop.
    pub what: &'static str,
}

/// A failure while reading rows.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read.
    #[error("the file could not be read: {0}")]
    Io(#[from] io::Error),
    /// The file breaks the CSV syntax.
    #[error("the file is not CSV that Mavis can read: {0}")]
    Malformed(#[from] Malformed),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let e = Error::from(Malformed {
            line: 3,
            what: "a quoted field is never closed",
        });
        assert_eq!(
            e.to_string(),
            "the file is not CSV that Mavis can read: line 3: a quoted field is never closed"
        );
    }
}
