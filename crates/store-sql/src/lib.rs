//! The SQL store: one body of code serving SQLite (embedded default) and PostgreSQL through
//! sqlx's `Any` driver (docs/adr/0001-one-store-two-databases.md). Each backend has its own
//! migrations with the same names; the SQL in the code is the portable subset both accept
//! (`$n` placeholders, `ON CONFLICT`, `RETURNING`), and dates and times travel as text or integers.

mod accounts;
mod calendar;
mod cases;
mod catalogue;
mod connect;
mod documents;
mod enterprises;
mod licences;
mod processes;
mod record_json;
mod settings;
mod tokens;

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

/// Records an audit entry inside the transaction of the change it describes.
pub(crate) async fn insert_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    audit: &onewindow_store::AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO catalogue_audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)")
        .bind(audit.at.to_string())
        .bind(audit.actor.clone())
        .bind(audit.action.clone())
        .bind(audit.detail.clone())
        .execute(&mut **tx)
        .await
        .map_err(db_error("audit entry"))?;
    Ok(())
}
