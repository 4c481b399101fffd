//! SQLite driven directly (rusqlite), for the paths where sqlx's driver
//! costs more than SQLite's own work. sqlx runs every statement on its connection's thread (a
//! hand-off and a wake-up each way) and binds a value by scanning the statement's placeholder
//! names, so a statement's binding grows with the square of its values. Measured on the
//! recompute's page read and write (100,000 cases, docs/PERFORMANCE.md): 1.4 µs and 7.1 µs a
//! case here, against ≈ 38 µs a case through sqlx.
//!
//! It opens the same file with the same settings as the pool, through the same bundled SQLite
//! library (the build holds one `libsqlite3-sys`, shared with sqlx), so SQLite's locks see
//! one another; a write still waits its turn at the store's write gate first. The bulk
//! connection's writes are copied into the file by the checkpointer (crate::checkpointer); the
//! others checkpoint at their commits as SQLite does by default.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use onewindow_store::StoreError;
use rusqlite::{Connection, ErrorCode};

use crate::checkpointer::Checkpointer;
use crate::connect::SQLITE_PRAGMAS;

/// Connections kept open between calls of `run_here` (more are opened when calls overlap; at
/// most this many are kept).
const KEPT: usize = 4;

/// A SQLite file's direct connections; cloning shares them.
#[derive(Clone)]
pub(crate) struct NativeSqlite {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
    checkpointer: Checkpointer,
    /// The one connection of [`NativeSqlite::run_bulk`] (`None` until first used, or after a
    /// failed call).
    bulk: Arc<Mutex<Option<Connection>>>,
}

impl NativeSqlite {
    /// The file's direct connections, and its background checkpointer started.
    pub(crate) fn new(path: PathBuf) -> std::io::Result<NativeSqlite> {
        Ok(NativeSqlite {
            checkpointer: Checkpointer::start(path.clone())?,
            path: Arc::new(path),
            idle: Arc::default(),
            bulk: Arc::default(),
        })
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
                None => {
                    let conn = this.open()?;
                    // Its pages are copied behind it by the checkpointer, not at its commits.
                    conn.execute_batch("PRAGMA wal_autocheckpoint = 0")
                        .map_err(error("database"))?;
                    conn
                }
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

    /// The store's background checkpointer (crate::checkpointer).
    pub(crate) fn checkpointer(&self) -> &Checkpointer {
        &self.checkpointer
    }

    /// Runs `work` here, on the caller's thread, with one of the kept connections: for a
    /// point read of tens of microseconds, where handing it to a blocking thread and back
    /// would cost more than the read. Kept for the next call unless `work` failed.
    pub(crate) fn run_here<R>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let mut conn = match self.take_idle() {
            Some(conn) => conn,
            None => self.open()?,
        };
        let outcome = work(&mut conn);
        if outcome.is_ok() {
            self.keep(conn);
        }
        outcome
    }

    /// The rows the portable `sql` selects with `values` bound in order, each decoded by
    /// `decode`, read with [`NativeSqlite::run_here`].
    pub(crate) fn rows<T>(
        &self,
        portable: &str,
        values: &[&str],
        what: &str,
        decode: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.run_here(|conn| {
            query_rows(
                conn,
                portable,
                rusqlite::params_from_iter(values),
                what,
                decode,
            )
        })
    }

    /// A connection of its own, outside the kept ones (the group-commit writer's).
    pub(crate) fn connection(&self) -> Result<Connection, StoreError> {
        self.open()
    }

    /// Closes the kept connections and the bulk one (the store is closing); a later call
    /// opens another.
    pub(crate) fn close_kept(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
        if let Ok(mut bulk) = self.bulk.lock() {
            *bulk = None;
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
        open_connection(&self.path)
    }
}

/// The rows the portable `sql` selects on `conn` (a connection, or a transaction on one) with
/// `params` bound, each decoded by `decode`.
pub(crate) fn query_rows<T>(
    conn: &Connection,
    portable: &str,
    params: impl rusqlite::Params,
    what: &str,
    decode: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare_cached(&sql(portable)).map_err(error(what))?;
    let mut rows = statement.query(params).map_err(error(what))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(error(what))? {
        found.push(decode(row)?);
    }
    Ok(found)
}

/// A connection to the file at `path` with the store's settings.
pub(crate) fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(error("database"))?;
    conn.execute_batch(SQLITE_PRAGMAS)
        .map_err(error("database"))?;
    Ok(conn)
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
