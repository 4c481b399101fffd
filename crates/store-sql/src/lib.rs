//! The SQL store: one body of code serving SQLite (embedded default) and PostgreSQL through
//! sqlx's `Any` driver (docs/adr/0001-one-store-two-databases.md). Each backend has its own
//! migrations with the same names; the SQL in the code is the portable subset both accept
//! (`$n` placeholders, `ON CONFLICT`, `RETURNING`), and dates and times travel as text or integers.

mod accounts;
mod audit_reads;
mod bulk;
mod calendar;
mod case_for_change;
mod case_writes;
mod cases;
mod catalogue;
mod cells;
mod checkpointer;
mod connect;
mod documents;
mod enterprises;
mod group_commit;
mod licence_cases;
mod licences;
mod mail_outbox;
mod native;
mod notifications;
mod processes;
mod recipients;
mod record_json;
mod settings;
mod sweep;
mod tokens;

pub use connect::{CaseCommits, ConnectError, redact_url};
pub use group_commit::GroupCommitStats;

use std::sync::Arc;

use onewindow_store::{Backend, Store, StoreError};
use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::group_commit::CaseWriter;
use crate::native::NativeSqlite;

/// A store on one SQLite file or one PostgreSQL database. Cloning is cheap (a pool handle, a
/// channel sender and an `Arc`); every clone shares the pool and the case writer.
#[derive(Clone)]
pub struct SqlStore {
    /// Reads, and the writes that are not case writes.
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: held by whoever writes, so that writers in this process queue in order
    /// instead of polling the file lock (ADR 0003).
    write_gate: Option<Arc<Mutex<()>>>,
    /// The group-commit writer, when case writes are grouped.
    case_writer: Option<CaseWriter>,
    /// SQLite only: the same file driven directly, for the bulk paths (crate::native).
    native: Option<NativeSqlite>,
}

impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }
}

impl SqlStore {
    /// Closes the store (graceful shutdown): the case writer finishes the batch it is committing,
    /// answers every case write still queued with an error, and closes its connection; the
    /// kept direct connections (crate::native) close; then the pool closes, waiting for its
    /// connections to finish. Writes after this fail.
    pub async fn close(&self) {
        if let Some(writer) = &self.case_writer {
            writer.close().await;
        }
        if let Some(native) = &self.native {
            native.close_kept();
        }
        self.pool.close().await;
    }

    /// How this store commits case writes.
    pub fn case_commits(&self) -> CaseCommits {
        match self.case_writer {
            Some(_) => CaseCommits::Grouped,
            None => CaseCommits::OneEach,
        }
    }

    /// Commits and writes of the group-commit writer so far (`None` when case writes are not
    /// grouped).
    pub fn group_commit_stats(&self) -> Option<GroupCommitStats> {
        self.case_writer.as_ref().map(CaseWriter::stats)
    }

    /// Begins a write transaction on the pool. On SQLite it first waits its turn at the write
    /// gate, then takes the write lock at once (`BEGIN IMMEDIATE`): a transaction that reads
    /// before it writes would otherwise fail with `SQLITE_BUSY` whenever another writer commits
    /// between its read and its first write (WAL cannot upgrade a stale snapshot). Keep the
    /// returned gate guard alive until the transaction has committed.
    pub(crate) async fn begin_write(
        &self,
        what: &str,
    ) -> Result<(Option<OwnedMutexGuard<()>>, Transaction<'static, Any>), StoreError> {
        let gate = self.pass_write_gate().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(db_error(what))?;
        Ok((gate, tx))
    }

    /// Waits for this process's turn to write (SQLite; nothing to wait for on PostgreSQL). A
    /// single-statement write on the pool holds the guard while it runs.
    pub(crate) async fn pass_write_gate(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        }
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
    insert_audit_on(tx, audit).await
}

/// An audit entry (`$1` at, `$2` actor, `$3` action, `$4` detail).
pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO catalogue_audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)";

/// [`insert_audit`] on a connection inside a transaction its caller opened.
pub(crate) async fn insert_audit_on(
    conn: &mut sqlx::AnyConnection,
    audit: &onewindow_store::AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query(INSERT_AUDIT)
        .bind(audit.at.to_string())
        .bind(audit.actor.clone())
        .bind(audit.action.clone())
        .bind(audit.detail.clone())
        .execute(&mut *conn)
        .await
        .map_err(db_error("audit entry"))?;
    Ok(())
}
