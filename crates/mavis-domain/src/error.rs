//! The one error type of `mavis-domain`.

use std::fmt;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Something in a value or a session document is not what the model allows.
///
/// The message (its `Display`) says in plain English what is wrong and what
/// would be right, with the offending value quoted. [`Error::kind`] gives the
/// details to a program.
///
/// # Examples
///
/// ```
/// use mavis_domain::{NhsNumber, ErrorKind};
///
/// let err = NhsNumber::parse("943 476 5918").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NhsNumber { .. }));
/// assert_eq!(
///     err.to_string(),
///     "\"943 476 5918\" is not a valid NHS number: its check digit is wrong; \
///      check it against the child's record",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consume the error, keeping what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        self.kind
    }

    pub(crate) fn unknown(what: &'static str, value: &str, expected: impl Into<String>) -> Self {
        ErrorKind::Unknown {
            what,
            value: value.to_owned(),
            expected: expected.into(),
        }
        .into()
    }

    pub(crate) fn inconsistent(message: impl Into<String>) -> Self {
        ErrorKind::Inconsistent {
            message: message.into(),
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error { kind }
    }
}

/// The kinds of [`Error`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// A text that should be an NHS number is not one.
    #[error("{value:?} is not a valid NHS number: {problem}")]
    NhsNumber {
        /// The text as given.
        value: String,
        /// Why it is not an NHS number.
        problem: NhsNumberProblem,
    },
    /// A text that should be a UK postcode is not one.
    #[error("{value:?} is not a valid UK postcode; write it like \"SW1A 1AA\"")]
    Postcode {
        /// The text as given.
        value: String,
    },
    /// A text that should be an organisation (ODS) code is not one.
    #[error(
        "{value:?} is not a valid organisation (ODS) code; it should be 3 to 10 letters and \
         digits, like \"R1L\""
    )]
    OdsCode {
        /// The text as given.
        value: String,
    },
    /// A text that should be a school URN is not one.
    #[error(
        "{value:?} is not a valid school URN; it should be 6 digits, or 888888 (school unknown) \
         or 999999 (home-educated)"
    )]
    SchoolUrn {
        /// The text as given.
        value: String,
    },
    /// A text that should be a batch number is not one.
    #[error("{value:?} is not a valid batch number: {problem}")]
    BatchNumber {
        /// The text as given.
        value: String,
        /// Why it is not a batch number.
        problem: &'static str,
    },
    /// A dose sequence that the programme does not have.
    #[error("{value:?} is not a dose sequence of the {programme} programme; {expected}")]
    DoseSequence {
        /// The text as given.
        value: String,
        /// The programme's display name.
        programme: &'static str,
        /// What would be right.
        expected: String,
    },
    /// A text that should be a record UUID is not one.
    #[error(
        "{value:?} is not a valid record UUID; it should be 32 hexadecimal digits in the \
         groups 8-4-4-4-12, like \"9f1c2b3a-0d4e-4f6a-8b7c-1d2e3f4a5b6c\""
    )]
    Uuid {
        /// The text as given.
        value: String,
    },
    /// A text that should be an email address is not one.
    #[error("{value:?} is not an email address; write it like \"jane.smith@example.nhs.uk\"")]
    Email {
        /// The text as given.
        value: String,
    },
    /// A name from a fixed vocabulary (a programme, vaccine, site, reason,
    /// gender…) that the vocabulary does not have.
    #[error("{value:?} is not a known {what}; use one of: {expected}")]
    Unknown {
        /// What kind of name was expected, e.g. "programme".
        what: &'static str,
        /// The text as given.
        value: String,
        /// The accepted names.
        expected: String,
    },
    /// A session document whose parts do not fit together (a child refers to
    /// a programme the session does not have, a batch to an unknown vaccine…).
    #[error("{message}")]
    Inconsistent {
        /// What does not fit, and what to do.
        message: String,
    },
}

/// Why a text is not an NHS number.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NhsNumberProblem {
    /// Not 10 characters once spaces are removed.
    Length(usize),
    /// Something other than a digit or a space.
    NotDigits,
    /// The tenth digit is not the modulus 11 check digit of the first nine.
    CheckDigit,
}

impl fmt::Display for NhsNumberProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NhsNumberProblem::Length(n) => write!(
                f,
                "it has {n} characters without spaces; an NHS number has exactly 10 digits"
            ),
            NhsNumberProblem::NotDigits => {
                f.write_str("it holds something other than digits and spaces")
            }
            NhsNumberProblem::CheckDigit => {
                f.write_str("its check digit is wrong; check it against the child's record")
            }
        }
    }
}
