//! Which text encoding a file's rows are decoded with (`import-csv.md`
//! §3.1).

use std::io::{self, Read};

use crate::source::{Source, CHUNK};

/// The text encoding the rows are decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark (also UTF-16 and UTF-32
    /// files, which are transcoded to UTF-8 as they are read).
    Utf8,
    /// Windows-1252: what Excel's plain "CSV (Comma delimited)" writes on
    /// UK Windows, and how any file that is not UTF-8 is read.
    Windows1252,
}

impl Encoding {
    /// The encoding a file in memory is read with: UTF-8 when its bytes
    /// (after a UTF-8 byte order mark) are UTF-8 or it starts with a UTF-16
    /// or UTF-32 byte order mark, Windows-1252 otherwise. It is the one
    /// [`crate::Reader::from_bytes`] reads the file with.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_csv::Encoding;
    ///
    /// assert_eq!(Encoding::of_bytes("Zo\u{eb}".as_bytes()), Encoding::Utf8);
    /// assert_eq!(Encoding::of_bytes(b"Zo\xEB"), Encoding::Windows1252);
    /// ```
    pub fn of_bytes(bytes: &[u8]) -> Encoding {
        // The one decision, as for a file read from a stream (a UTF-8 byte
        // order mark is itself UTF-8); reading memory does not fail.
        detect_encoding(&mut &bytes[..]).unwrap_or(Encoding::Windows1252)
    }
}

/// UTF-8 when the bytes are valid UTF-8 (or start with a UTF-16 or UTF-32
/// byte order mark, and are transcoded to UTF-8), Windows-1252 otherwise.
pub(crate) fn detect_encoding<I: Read>(input: &mut I) -> io::Result<Encoding> {
    let mut buf = vec![0u8; CHUNK];
    let mut carry = 0usize;
    let mut first = true;
    loop {
        let n = input.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(if carry == 0 {
                Encoding::Utf8
            } else {
                Encoding::Windows1252
            });
        }
        let len = carry + n;
        if first {
            first = false;
            if Source::<&[u8]>::is_transcoded(&buf[..len]) {
                return Ok(Encoding::Utf8);
            }
        }
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                // An incomplete character at the end: keep it for the next read.
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(Encoding::Windows1252),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let detect = |b: &[u8]| detect_encoding(&mut &b[..]).unwrap();
        assert_eq!(detect(b""), Encoding::Utf8);
        assert_eq!(detect("Zo\u{eb}".as_bytes()), Encoding::Utf8);
        assert_eq!(detect(b"Zo\xEB"), Encoding::Windows1252);
        assert_eq!(detect(b"\xFF\xFEa\0"), Encoding::Utf8);
        // A character cut off at the end is not UTF-8.
        assert_eq!(detect(b"Zo\xC3"), Encoding::Windows1252);
    }
}
