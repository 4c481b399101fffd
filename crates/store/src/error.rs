//! The store's one error type. No HTTP words here: `web` maps these once.

/// What can go wrong when reading or writing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record was changed by someone else since it was read (optimistic concurrency).
    #[error(
        "{what} was changed by someone else (expected version {expected}, found {found}); reload and try again"
    )]
    Conflict {
        what: String,
        expected: i64,
        found: i64,
    },
    /// A unique key is already taken.
    #[error("{0} already exists")]
    Duplicate(String),
    /// A stored record no longer parses: the database was edited by hand or by a newer version.
    #[error("stored {what} is corrupt: {detail}")]
    Corrupt { what: String, detail: String },
    /// A counter has no value left (a licence number series is full); the message says how to
    /// make room.
    #[error("{0}")]
    Exhausted(String),
    /// The database could not be reached or failed.
    #[error("database error: {0}")]
    Database(String),
}
