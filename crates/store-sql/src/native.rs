//! SQLite driven directly (rusqlite) on blocking threads, for the paths where sqlx's driver
//! costs more than SQLite's own work. sqlx runs every statement on its connection's thread (a
//! hand-off and a wake-up each way) and binds a value by scanning the statement's placeholder
//! names, so a statement's binding grows with the square of its values. Measured on the
//! recompute's page read and write (100,000 cases, docs/PERFORMANCE.md): 1.4 µs and 7.1 µs a
//! case here, against ≈ 38 µs a case through sqlx.
//!
//! It opens the same file with the same settings as the pool, through the same bundled SQLite
//! library (the build holds one `libsqlite3-sys`, shared with sqlx), so SQLite's locks see
//! one another; a write still waits its turn at the store's write gate first. These connections
//! do not checkpoint at their commits: a writer starts a passive checkpoint behind itself on a
//! thread of its own (`checkpoint_behind`), so copying the log into the file and syncing it
//! overlap its next batch instead of delaying it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use onewindow_store::StoreError;
use rusqlite::{Connection, ErrorCode};

use crate::connect::SQLITE_PRAGMAS;

/// Connections kept open between calls besides the bulk one (more are opened when calls
/// overlap; at most this many are kept).
const KEPT: usize = 4;

/// A SQLite file's direct connections; cloning shares them.
#[derive(Clone)]
pub(crate) struct NativeSqlite {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
    /// Whether a checkpoint started by [`NativeSqlite::checkpoint_behind`] is running.
    checkpointing: Arc<AtomicBool>,
    /// The one connection of [`NativeSqlite::run_bulk`] (`None` until first used, or after a
    /// failed call).
    bulk: Arc<Mutex<Option<Connection>>>,
}

impl NativeSqlite {
    pub(crate) fn new(path: PathBuf) -> NativeSqlite {
        NativeSqlite {
            path: Arc::new(path),
            idle: Arc::default(),
            checkpointing: Arc::default(),
            bulk: Arc::default(),
        }
    }

    /// Runs `work` on a blocking thread with the one bulk connection, once no other bulk call
    /// holds it. The recompute reads its next page and writes its last one through it (pages
    /// of different cases, so either may go first): one thread at a time works the file,
    /// without two connections fetching the same pages, while the page between is decided on
    /// the other core.
    pub(crate) async fn run_bulk<R, F>(&self, work: F) -> Result<R, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
        R: Send + 'static,
    {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut bulk = this
                .bulk
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let conn = match bulk.take() {
                Some(conn) => conn,
                None => this.open()?,
            };
            let conn = bulk.insert(conn);
            let outcome = work(conn);
            if outcome.is_err() {
                *bulk = None;
            }
            outcome
        })
        .await
        .map_err(|e| StoreError::Database(format!("a database thread failed: {e}")))?
    }

    /// Copies the log's committed pages into the database file on a thread of its own, unless
    /// such a copy is already running. A bulk write that has just committed calls it instead
    /// of checkpointing at its commit (these connections do not checkpoint by themselves): the
    /// copy and its sync of the file then overlap the next batch instead of delaying it. A
    /// passive checkpoint never waits for, nor blocks, readers and writers; what it cannot copy
    /// yet is copied by the next one.
    pub(crate) fn checkpoint_behind(&self) {
        if self.checkpointing.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = self.clone();
        // A thread, not the runtime's blocking pool: the group-commit writer, a thread of its
        // own, calls this too. At most one runs at a time.
        let spawned = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                match this.take_idle().map_or_else(|| this.open(), Ok) {
                    Ok(conn) => {
                        if let Err(error) = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)") {
                            tracing::warn!(%error, "a checkpoint behind a write failed");
                        }
                        this.keep(conn);
                    }
                    Err(error) => tracing::warn!(%error, "no connection for a checkpoint"),
                }
                this.checkpointing.store(false, Ordering::Release);
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "no thread for a checkpoint; the next write tries again");
            self.checkpointing.store(false, Ordering::Release);
        }
    }

    fn take_idle(&self) -> Option<Connection> {
        self.idle.lock().ok()?.pop()
    }

    fn keep(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEPT
        {
            idle.push(conn);
        }
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(self.path.as_path()).map_err(error("database"))?;
        conn.execute_batch(SQLITE_PRAGMAS)
            .map_err(error("database"))?;
        // Bulk writes checkpoint behind themselves (`checkpoint_behind`); the pool's
        // connections still checkpoint at their commits as SQLite does by default.
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0")
            .map_err(error("database"))?;
        Ok(conn)
    }
}

/// The portable SQL of this crate (`$n` placeholders, which sqlx's `Any` driver takes on both
/// databases) with SQLite's numbered placeholders (`?n`). SQLite numbers `$n` parameters by
/// their first appearance, not by `n`, so they cannot be bound by position as written.
pub(crate) fn sql(portable: &str) -> String {
    let mut out = String::with_capacity(portable.len());
    let mut chars = portable.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// Maps a rusqlite error to the store's, recognising unique-key violations (as `db_error`).
pub(crate) fn error(what: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |err| match err.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation)
            if matches!(
                err.sqlite_error().map(|e| e.extended_code),
                Some(
                    rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                        | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                )
            ) =>
        {
            StoreError::Duplicate(what.to_owned())
        }
        _ => StoreError::Database(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::sql;

    #[test]
    fn numbered_placeholders_keep_their_numbers_whatever_their_order() {
        assert_eq!(
            sql("UPDATE cases SET version = $3 WHERE id = $1 AND version = $12 AND note = '$'"),
            "UPDATE cases SET version = ?3 WHERE id = ?1 AND version = ?12 AND note = '$'"
        );
    }
}
