//! The crate's error type: what stops a validation from running at all.
//!
//! A file that breaks the upload rules is not an error here: the validator
//! returns a [`crate::Report`] saying so. An [`Error`] means the input could
//! not be read (an I/O failure) or the reference data does not fit together.

use std::io;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Why a validation could not run.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The kind, by value.
    pub fn into_kind(self) -> ErrorKind {
        self.kind
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error { kind }
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        ErrorKind::Io { source }.into()
    }
}

/// The kinds of [`Error`].
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// Reading the input failed.
    #[error("the file could not be read: {source}")]
    Io {
        /// The underlying failure.
        source: io::Error,
    },
    /// The reference data handed to the validator does not fit together.
    #[error("the reference data is inconsistent: {message}")]
    Reference {
        /// What does not fit, and what to do.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let e = Error::from(io::Error::new(io::ErrorKind::NotFound, "no such file"));
        assert_eq!(e.to_string(), "the file could not be read: no such file");
        assert!(matches!(e.kind(), ErrorKind::Io { .. }));
        let e = Error::from(ErrorKind::Reference {
            message: "session 7 is listed twice".into(),
        });
        assert!(matches!(e.into_kind(), ErrorKind::Reference { .. }));
    }
}
