//! The SQL store: one body of code serving SQLite (embedded default) and PostgreSQL through
//! sqlx's `Any` driver (docs/adr/0001-one-store-two-databases.md). Each backend has its own
//! migrations with the same names; the SQL in the code is the portable subset both accept
//! (`$n` placeholders, `ON CONFLICT`, `RETURNING`), and dates and times travel as text or integers.

mod accounts;
mod catalogue;
mod connect;
mod record_json;
mod settings;

pub use connect::{ConnectError, redact_url};

use onewindow_store::{Backend, Store, StoreError};
use sqlx::AnyPool;

/// A store on one SQLite file or one PostgreSQL database.
#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }
}

impl SqlStore {
    /// Closes the pool, waiting for connections to finish (graceful shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Maps a driver error to the store's error, recognising unique-key violations.
pub(crate) fn db_error(what: &str) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |err| match err.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::Duplicate(what.to_owned()),
        _ => StoreError::Database(err.to_string()),
    }
}
