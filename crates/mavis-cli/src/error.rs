//! The CLI's one error type.

use std::path::PathBuf;

/// What stopped a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be written.
    #[error("{}: could not write the file: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be read.
    #[error("{}: could not read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A session JSON file is not valid JSON of the session document's shape.
    #[error(
        "{}: this is not a session document: {source}; see `mavis-offline demo-session` for \
         the shape",
        path.display()
    )]
    SessionJson {
        /// The file.
        path: PathBuf,
        /// What serde said, with line and column.
        source: serde_json::Error,
    },
    /// A session document whose parts do not fit together.
    #[error("{}: the session document does not fit together:\n  {}", path.display(), problems.join("\n  "))]
    Session {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<String>,
    },
    /// A spreadsheet could not be read (the message names the file). An
    /// encrypted workbook without a password is told how the command line
    /// takes one; the library's own message names no flag.
    #[error("{}", spreadsheet_message(.0))]
    Spreadsheet(#[from] mavis_sheet::Error),
    /// A workbook could not be written (the message names the file: the
    /// one written, or the one read that is not a workbook).
    #[error("{}", sheet_message(path, source))]
    Sheet {
        /// The workbook.
        path: PathBuf,
        /// What went wrong.
        source: mavis_sheet::Error,
    },
    /// The copies cannot be merged.
    #[error(transparent)]
    Merge(#[from] mavis_merge::Error),
    /// Standard output could not be written (a closed pipe, a full disk).
    #[error("could not write to standard output: {0}")]
    Stdout(std::io::Error),
    /// The workbook password cannot be had (an empty password file, say).
    #[error("{0}")]
    Password(String),
    /// An argument that clap accepted but the command cannot use.
    #[error("{0}")]
    Usage(String),
    /// The domain model refused a value.
    #[error(transparent)]
    Domain(#[from] mavis_domain::Error),
    /// A document could not be serialised.
    #[error("could not write the session JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The message of a spreadsheet error, as the command line says it.
fn spreadsheet_message(e: &mavis_sheet::Error) -> String {
    match e.kind() {
        mavis_sheet::ErrorKind::Encrypted { file } => format!(
            "{file}: this workbook is protected with a password; give it with --password-file \
             or {}",
            crate::commands::PASSWORD_ENV
        ),
        _ => e.to_string(),
    }
}

/// The message of a workbook that could not be written to `path`: the
/// library's own when it names the workbook it read.
fn sheet_message(path: &std::path::Path, e: &mavis_sheet::Error) -> String {
    match e.kind() {
        mavis_sheet::ErrorKind::NotAWorkbook { .. } => e.to_string(),
        _ => format!("{}: {e}", path.display()),
    }
}

/// A `Result` with the CLI's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
