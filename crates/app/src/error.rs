//! The application's one error type. `web` maps it to HTTP once; `cli` prints it.

use onewindow_domain::catalogue::Problems;
use onewindow_interchange::Problem;
use onewindow_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing by that name: `what` says which kind and code.
    #[error("{0} not found")]
    NotFound(String),
    /// A record's fields are wrong; every problem is named by field.
    #[error("invalid {what}: {problems}")]
    Invalid { what: String, problems: Problems },
    /// A file could not be imported; nothing was changed.
    #[error("the file was not imported; nothing was changed ({} problems)", .0.len())]
    Import(Vec<Problem>),
    /// Someone else changed it first.
    #[error("{0}")]
    Conflict(String),
    /// Not signed in, or the sign-in failed.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, but this person may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Not possible in the state the thing is in now (a move not open at the case's current
    /// step, a second extension): the message names the rule.
    #[error("{0}")]
    NotOpen(String),
    /// Too many attempts (sign-in); try again later.
    #[error("{0}")]
    RateLimited(String),
    /// Refused for a reason that is not a field of a record.
    #[error("{0}")]
    Refused(String),
    /// A part of the installation this needs is missing or broken (e.g. the CJK font, a document
    /// template); the message says how to fix it.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict { .. } => AppError::Conflict(err.to_string()),
            StoreError::Exhausted(message) => AppError::Refused(message),
            other => AppError::Store(other),
        }
    }
}
