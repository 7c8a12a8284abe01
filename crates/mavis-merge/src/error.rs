//! The one error type of `mavis-merge`.

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Why copies cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A sheet lacks a column that says which row is which.
    #[error(
        "{file}: the sheet has no {missing} column, so its rows cannot be matched with the \
         base's; use the copy downloaded from Mavis without deleting columns"
    )]
    MissingColumns {
        /// The file.
        file: String,
        /// The missing headers, joined.
        missing: String,
    },
    /// A copy that belongs to another session.
    #[error(
        "{file}: this copy is for session {copy_session}, but the base is session \
         {base_session}; merge only the copies of one session"
    )]
    OtherSession {
        /// The copy.
        file: String,
        /// Its session.
        copy_session: String,
        /// The base's session.
        base_session: String,
    },
}
