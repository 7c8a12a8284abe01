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
    /// A copy that has none of the base's children: the wrong file.
    #[error(
        "{file}: this copy has none of the children in {base} ({}); it is not a copy of that \
         workbook: merge only the copies of one session's workbook",
        sessions(copy_session, base_session)
    )]
    NoSharedChild {
        /// The copy.
        file: String,
        /// The base.
        base: String,
        /// The copy's session, as its rows say (empty when they say none).
        copy_session: String,
        /// The base's session.
        base_session: String,
    },
}

/// The sessions of a copy and its base, as a message names them.
fn sessions(copy: &str, base: &str) -> String {
    if copy.is_empty() || copy == base {
        format!("session {base}, as the copy")
    } else {
        format!("session {base}; the copy is session {copy}")
    }
}
