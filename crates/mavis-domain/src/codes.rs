//! Small validated identifiers: organisation codes, school URNs, batch
//! numbers, record UUIDs and email addresses.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::newtype::text_newtype;

/// An organisation's ODS code (Organisation Data Service), e.g. `R1L`.
///
/// Three to ten ASCII letters and digits, kept in upper case. Mavis compares
/// the `ORGANISATION_CODE` of an offline row with the team's code exactly, so
/// the validator compares the text as typed; this type holds the team's own.
///
/// # Examples
///
/// ```
/// use mavis_domain::OdsCode;
///
/// assert_eq!(OdsCode::parse(" r1l ")?.as_str(), "R1L");
/// assert!(OdsCode::parse("R1").is_err());
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

impl OdsCode {
    /// Parse an ODS code, trimming it and upper-casing its letters.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::OdsCode`] unless the text is 3 to 10 ASCII letters and
    /// digits.
    pub fn parse(text: &str) -> Result<OdsCode> {
        let t = text.trim();
        if (3..=10).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(OdsCode(t.to_ascii_uppercase()))
        } else {
            Err(ErrorKind::OdsCode {
                value: text.to_owned(),
            }
            .into())
        }
    }

    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
text_newtype!(OdsCode);

/// A school's unique reference number (URN): six digits.
///
/// Two URNs are special: [`SchoolUrn::UNKNOWN`] (`888888`, the child's school
/// is not known) and [`SchoolUrn::HOME_EDUCATED`] (`999999`).
///
/// # Examples
///
/// ```
/// use mavis_domain::SchoolUrn;
///
/// let urn = SchoolUrn::parse("141234")?;
/// assert!(!urn.is_special());
/// assert!(SchoolUrn::parse("999999")?.is_home_educated());
/// assert!(SchoolUrn::parse("14123").is_err());
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SchoolUrn([u8; 6]);

impl SchoolUrn {
    /// `888888`: the school is not known.
    pub const UNKNOWN: SchoolUrn = SchoolUrn(*b"888888");
    /// `999999`: the child is home-educated.
    pub const HOME_EDUCATED: SchoolUrn = SchoolUrn(*b"999999");

    /// Parse a URN: six ASCII digits, surrounding spaces ignored.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SchoolUrn`] unless the text is six digits.
    pub fn parse(text: &str) -> Result<SchoolUrn> {
        let t = text.trim().as_bytes();
        match <[u8; 6]>::try_from(t) {
            Ok(digits) if digits.iter().all(u8::is_ascii_digit) => Ok(SchoolUrn(digits)),
            _ => Err(ErrorKind::SchoolUrn {
                value: text.to_owned(),
            }
            .into()),
        }
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }

    /// Whether this is [`SchoolUrn::UNKNOWN`].
    pub fn is_unknown(&self) -> bool {
        *self == SchoolUrn::UNKNOWN
    }

    /// Whether this is [`SchoolUrn::HOME_EDUCATED`].
    pub fn is_home_educated(&self) -> bool {
        *self == SchoolUrn::HOME_EDUCATED
    }

    /// Whether this is one of the two special URNs rather than a school.
    pub fn is_special(&self) -> bool {
        self.is_unknown() || self.is_home_educated()
    }
}
text_newtype!(SchoolUrn);

/// A vaccine batch number: 2 to 100 ASCII letters and digits.
///
/// Checked after surrounding whitespace is trimmed, as the importer does; a
/// space inside (`AB 123`) is not allowed.
///
/// # Examples
///
/// ```
/// use mavis_domain::BatchNumber;
///
/// assert_eq!(BatchNumber::parse(" FL2281A ")?.as_str(), "FL2281A");
/// assert!(BatchNumber::parse("AB 123").is_err());
/// assert!(BatchNumber::parse("A").is_err());
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BatchNumber(String);

impl BatchNumber {
    /// Parse a batch number.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::BatchNumber`] when the trimmed text is shorter than 2 or
    /// longer than 100 characters, or holds anything but ASCII letters and
    /// digits.
    pub fn parse(text: &str) -> Result<BatchNumber> {
        let t = text.trim();
        match BatchNumber::problem(t) {
            None => Ok(BatchNumber(t.to_owned())),
            Some(problem) => Err(ErrorKind::BatchNumber {
                value: text.to_owned(),
                problem: problem.explanation(),
            }
            .into()),
        }
    }

    /// What is wrong with `text` (already trimmed) as a batch number, in
    /// the order Mavis checks: its length (2 to 100 characters), then that
    /// it is only ASCII letters and digits. The one statement of the rule:
    /// [`BatchNumber::parse`] and the upload validator both call it.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::{BatchNumber, BatchNumberProblem};
    ///
    /// assert_eq!(BatchNumber::problem("FL2281A"), None);
    /// assert_eq!(BatchNumber::problem("A"), Some(BatchNumberProblem::TooShort));
    /// assert_eq!(BatchNumber::problem("AB-1"), Some(BatchNumberProblem::NotAlphanumeric));
    /// ```
    pub fn problem(text: &str) -> Option<BatchNumberProblem> {
        let chars = text.chars().count();
        if chars > 100 {
            Some(BatchNumberProblem::TooLong)
        } else if chars < 2 {
            Some(BatchNumberProblem::TooShort)
        } else if !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Some(BatchNumberProblem::NotAlphanumeric)
        } else {
            None
        }
    }

    /// The batch number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
text_newtype!(BatchNumber);

/// Why a text is not a batch number ([`BatchNumber::problem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchNumberProblem {
    /// Longer than 100 characters.
    TooLong,
    /// Shorter than 2 characters.
    TooShort,
    /// Something other than ASCII letters and digits.
    NotAlphanumeric,
}

impl BatchNumberProblem {
    /// Mavis's message for the problem, after the column's name.
    pub fn mavis_text(self) -> &'static str {
        match self {
            BatchNumberProblem::TooLong => "must be at most 100 characters long",
            BatchNumberProblem::TooShort => "must be at least 2 characters long",
            BatchNumberProblem::NotAlphanumeric => "must be only letters and numbers",
        }
    }

    /// The problem, said to whoever wrote the batch number.
    pub fn explanation(self) -> &'static str {
        match self {
            BatchNumberProblem::TooLong => "it must be at most 100 characters long",
            BatchNumberProblem::TooShort => "it must be at least 2 characters long",
            BatchNumberProblem::NotAlphanumeric => {
                "use only letters and digits, with no spaces or punctuation"
            }
        }
    }
}

/// The UUID of an existing vaccination record: lower-case, hyphenated
/// (`8-4-4-4-12` hexadecimal digits), as Mavis writes it in the `UUID` column.
///
/// # Examples
///
/// ```
/// use mavis_domain::RecordUuid;
///
/// let id = RecordUuid::parse("9F1C2B3A-0D4E-4F6A-8B7C-1D2E3F4A5B6C")?;
/// assert_eq!(id.as_str(), "9f1c2b3a-0d4e-4f6a-8b7c-1d2e3f4a5b6c");
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordUuid([u8; 36]);

impl RecordUuid {
    /// Parse a UUID as PostgreSQL's `uuid` type reads it, so as Mavis finds
    /// a record by it (issue 17, item 7): 32 hexadecimal digits in any
    /// case, hyphenated 8-4-4-4-12, with some or all hyphens left out, or
    /// a hyphen after any group of four digits, the whole optionally in
    /// braces. It is kept in the standard form, lower case.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Uuid`] when the trimmed text is none of those.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::RecordUuid;
    ///
    /// let uuid = RecordUuid::parse("0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d")?;
    /// for spelling in [
    ///     "0B3D1C2A-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
    ///     "{0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d}",
    ///     "0b3d1c2a4e5f4a6b8c7d9e0f1a2b3c4d",
    ///     "0b3d-1c2a-4e5f-4a6b-8c7d-9e0f-1a2b-3c4d",
    /// ] {
    ///     assert_eq!(RecordUuid::parse(spelling)?, uuid);
    /// }
    /// for wrong in ["0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4", "-0b3d1c2a4e5f4a6b8c7d9e0f1a2b3c4d",
    ///               "0b3d1c2a--4e5f4a6b8c7d9e0f1a2b3c4d", "{0b3d1c2a4e5f4a6b8c7d9e0f1a2b3c4d"] {
    ///     assert!(RecordUuid::parse(wrong).is_err(), "{wrong}");
    /// }
    /// # Ok::<(), mavis_domain::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<RecordUuid> {
        let fail = || -> Error {
            ErrorKind::Uuid {
                value: text.to_owned(),
            }
            .into()
        };
        let t = text.trim();
        let inner = match t.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}').ok_or_else(fail)?,
            None => t,
        };
        let mut digits = [0u8; 32];
        let mut n = 0usize;
        let mut after_hyphen = false;
        for b in inner.bytes() {
            if b == b'-' {
                // Only after a group of four digits, never two in a row.
                if n == 0 || !n.is_multiple_of(4) || after_hyphen {
                    return Err(fail());
                }
                after_hyphen = true;
            } else if b.is_ascii_hexdigit() && n < 32 {
                digits[n] = b.to_ascii_lowercase();
                n += 1;
                after_hyphen = false;
            } else {
                return Err(fail());
            }
        }
        if n != 32 || after_hyphen {
            return Err(fail());
        }
        let mut out = [b'-'; 36];
        let mut d = digits.iter();
        for (i, o) in out.iter_mut().enumerate() {
            if !matches!(i, 8 | 13 | 18 | 23) {
                *o = *d.next().unwrap_or(&b'0');
            }
        }
        Ok(RecordUuid(out))
    }

    /// Build a version-4 (random) UUID from 16 bytes, setting its version and
    /// variant bits; the demo generator feeds it deterministic bytes.
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> RecordUuid {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 36];
        let mut i = 0;
        for (n, b) in bytes.iter().enumerate() {
            if matches!(n, 4 | 6 | 8 | 10) {
                out[i] = b'-';
                i += 1;
            }
            out[i] = HEX[usize::from(b >> 4)];
            out[i + 1] = HEX[usize::from(b & 0x0f)];
            i += 2;
        }
        RecordUuid(out)
    }

    /// The UUID, lower case and hyphenated.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII")
    }
}
text_newtype!(RecordUuid);

/// An email address, kept trimmed and lower-cased: Mavis looks users up by
/// email after lower-casing and trimming.
///
/// Only the shape is checked (one `@` with text on both sides and no spaces);
/// whether a user has the address is for the reference data to say.
///
/// # Examples
///
/// ```
/// use mavis_domain::Email;
///
/// assert_eq!(Email::parse(" Jane.Smith@Example.NHS.uk ")?.as_str(), "jane.smith@example.nhs.uk");
/// assert!(Email::parse("jane smith").is_err());
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parse an email address.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Email`] unless the trimmed text has one `@` with text
    /// before and after it and no whitespace.
    pub fn parse(text: &str) -> Result<Email> {
        let t = text.trim();
        if Email::is_valid(t) {
            Ok(Email(if t.is_ascii() {
                t.to_ascii_lowercase()
            } else {
                t.to_lowercase()
            }))
        } else {
            Err(Error::from(ErrorKind::Email {
                value: text.to_owned(),
            }))
        }
    }

    /// Whether `text` (already trimmed) is an email address: one `@` with
    /// text before and after it, and no whitespace.
    ///
    /// ```
    /// use mavis_domain::Email;
    ///
    /// assert!(Email::is_valid("Jane.Smith@example.nhs.uk"));
    /// assert!(!Email::is_valid("jane@smith@example"));
    /// ```
    pub fn is_valid(text: &str) -> bool {
        match text.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !has_whitespace(text)
            }
            None => false,
        }
    }

    /// The address, lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `text` has a whitespace character (Unicode's White_Space),
/// looking at bytes when it is ASCII.
fn has_whitespace(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| matches!(b, b' ' | b'\t'..=b'\r'))
    } else {
        text.chars().any(char::is_whitespace)
    }
}

/// Emails look up by their text in maps keyed by [`Email`].
impl std::borrow::Borrow<str> for Email {
    fn borrow(&self) -> &str {
        &self.0
    }
}
text_newtype!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_as_unicode_has_it() {
        for c in (0u8..=0x7F)
            .map(char::from)
            .chain(['\u{85}', '\u{a0}', '\u{2003}', 'é'])
        {
            let text = format!("a{c}b");
            assert_eq!(has_whitespace(&text), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn ods_codes() {
        assert_eq!(OdsCode::parse("RYJ01").unwrap().as_str(), "RYJ01");
        for bad in ["", "R1", "R-1L", "R1L R", "ABCDEFGHIJK"] {
            assert!(OdsCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn urns() {
        assert!(SchoolUrn::parse("888888").unwrap().is_unknown());
        assert!(SchoolUrn::parse("888888").unwrap().is_special());
        for bad in ["", "12345", "1234567", "12345A", "145678A", "１２３４５６"] {
            assert!(SchoolUrn::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            SchoolUrn::parse("12345").unwrap_err().to_string(),
            "\"12345\" is not a valid school URN; it should be 6 digits, or 888888 (school \
             unknown) or 999999 (home-educated)"
        );
    }

    #[test]
    fn batch_numbers() {
        assert!(BatchNumber::parse("AB").is_ok());
        assert!(BatchNumber::parse(&"A".repeat(100)).is_ok());
        let long = "A".repeat(101);
        assert!(BatchNumber::parse(&long).is_err());
        assert_eq!(
            BatchNumber::parse("AB-12").unwrap_err().to_string(),
            "\"AB-12\" is not a valid batch number: use only letters and digits, with no \
             spaces or punctuation"
        );
        assert!(BatchNumber::parse("ÄB12").is_err());
        assert!(BatchNumber::parse("").is_err());
    }

    #[test]
    fn uuids() {
        let id = RecordUuid::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(RecordUuid::parse(id.as_str()).unwrap(), id);
        for bad in [
            "",
            "ffffffff-ffff-4fff-bfff-fffffffffff",
            "ffffffffffff-4fff-bfff-ffffffffffff-",
            "gfffffff-ffff-4fff-bfff-ffffffffffff",
        ] {
            assert!(RecordUuid::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn emails() {
        for bad in ["", "@x", "x@", "a@b@c", "a b@c", "EMAIL"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }
}
