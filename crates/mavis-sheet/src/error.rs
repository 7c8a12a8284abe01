//! The one error type of `mavis-sheet`.

use mavis_domain::Location;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// A workbook could not be written or read.
///
/// The message says where (file, sheet, row, column, header when known),
/// what is wrong, and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    kind: Box<ErrorKind>,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong, when known.
    pub fn location(&self) -> Option<&Location> {
        match &*self.kind {
            ErrorKind::Cell { at, .. } => Some(at),
            _ => None,
        }
    }

    #[allow(clippy::needless_pass_by_value)] // used as `map_err(Error::xlsx)`
    pub(crate) fn xlsx(err: rust_xlsxwriter::XlsxError) -> Error {
        ErrorKind::Xlsx(err.to_string()).into()
    }

    pub(crate) fn xlsx_msg(msg: &str) -> Error {
        ErrorKind::Xlsx(msg.to_owned()).into()
    }

    pub(crate) fn document(err: mavis_domain::Error) -> Error {
        ErrorKind::Document(err).into()
    }

    pub(crate) fn too_many_rows(rows: usize) -> Error {
        ErrorKind::Xlsx(format!(
            "{rows} rows do not fit in a worksheet; split the session"
        ))
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error {
            kind: Box::new(kind),
        }
    }
}

/// The kinds of [`Error`].
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// The session document does not fit together.
    #[error("the session document cannot be exported: {0}")]
    Document(mavis_domain::Error),
    /// The workbook library refused to build or write the workbook.
    #[error("could not write the workbook: {0}")]
    Xlsx(String),
    /// The bytes are not an `.xlsx` package (not a zip, or parts missing or
    /// broken), or lack what a patch needs (the sheet it patches).
    #[error("{file}: {message}")]
    NotAWorkbook {
        /// The file's name.
        file: String,
        /// What is wrong and what to do: `this is not an Excel workbook
        /// (.xlsx) that can be read (no xl/styles.xml); save it again…`.
        message: String,
    },
    /// A file that cannot be read at all.
    #[error("{file}: cannot be read: {message}")]
    Unreadable {
        /// The file's name.
        file: String,
        /// Why, and what to do.
        message: String,
    },
    /// The file could not be opened or read from disk.
    #[error("{file}: could not read the file: {message}")]
    Io {
        /// The file.
        file: String,
        /// The system's reason.
        message: String,
    },
    /// The file goes over one of the [`ReadLimits`](crate::ReadLimits).
    #[error("{file}: {}", crate::limit::too_large_message(*what, at, *limit, *found))]
    TooLarge {
        /// The file's name.
        file: String,
        /// Which limit.
        what: crate::limit::Limit,
        /// Where in the file, when it says more: `part xl/sharedStrings.xml`,
        /// `line 12`, `row 3, column B`; empty otherwise.
        at: String,
        /// The limit.
        limit: u64,
        /// What the file has (at least).
        found: u64,
    },
    /// The workbook is encrypted with a password and none was given.
    #[error("{file}: this workbook is protected with a password; give its password to open it")]
    Encrypted {
        /// The file's name.
        file: String,
    },
    /// The password given does not open the encrypted workbook.
    #[error(
        "{file}: the password does not open this workbook; check it (capitals count) and try again"
    )]
    WrongPassword {
        /// The file's name.
        file: String,
    },
    /// An empty password was given to encrypt with.
    #[error("an empty password protects nothing; give a password that is not empty")]
    EmptyPassword,
    /// The encryption library failed to encrypt the workbook.
    #[error("could not encrypt the workbook: {0}")]
    Encryption(String),
    /// A cell holds something that cannot be read.
    #[error("{at}: {message}")]
    Cell {
        /// Where.
        at: Location,
        /// What is wrong and what to do.
        message: String,
    },
}
