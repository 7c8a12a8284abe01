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
    /// Standard output could not be written (a closed pipe, a full disk).
    #[error("could not write to standard output: {0}")]
    Stdout(std::io::Error),
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

/// A `Result` with the CLI's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
