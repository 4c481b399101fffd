//! The checkpoints of bulk writes on SQLite, in the background. SQLite's default has the commit
//! that crosses 1,000 pages of log copy the whole log into the database file and sync it before
//! it returns. A bulk write (the recompute after a calendar import, 10,000 cases a transaction)
//! crosses it at every page and then waits for the copy; its connection does not checkpoint
//! (`NativeSqlite::run_bulk`) and tells this thread after each page instead
//! (`after_bulk_write`), so the copy of one page overlaps the writing of the next. The store's
//! other connections checkpoint at their commits as SQLite does by default: a thread copying
//! behind a writer that commits every few milliseconds never finds the log fully copied when
//! the writer starts again, so the log would never start over and would grow under load.
//!
//! Deferring the copy to the end of a bulk write was tried: the million-case recompute then
//! writes a quarter of the bytes (1.1 GB against 3.5 GB) but was no faster (19.0 s against
//! 15.9–18.6 s on a shared machine), as every page read looks through a log of a gigabyte.
//!
//! Checkpoints are passive: they never wait for, nor block, readers and writers; what one
//! cannot copy yet (a reader still needs it) the next one copies.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use rusqlite::Connection;

use crate::native::open_connection;

/// The handle the store's clones share; the thread ends when the last is dropped.
#[derive(Clone)]
pub(crate) struct Checkpointer {
    poke: SyncSender<()>,
    /// A copy is running.
    running: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Starts the thread for the database file at `path`.
    pub(crate) fn start(path: PathBuf) -> std::io::Result<Checkpointer> {
        // One poke waiting is enough: it means "copy", however many pages asked.
        let (poke, pokes) = sync_channel(1);
        let running = Arc::new(AtomicBool::new(false));
        let theirs = Arc::clone(&running);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || run(&path, &pokes, &theirs))?;
        Ok(Checkpointer { poke, running })
    }

    /// A bulk write committed a page: copy it now, while the next page is written, unless a
    /// copy is running (the next page then asks again): copies back to back would take the
    /// disk from the writes.
    pub(crate) fn after_bulk_write(&self) {
        if self.running.load(Ordering::Acquire) {
            return;
        }
        match self.poke.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
        }
    }
}

fn run(path: &Path, pokes: &Receiver<()>, running: &AtomicBool) {
    let mut conn: Option<Connection> = None;
    // Ends when the store is dropped.
    while pokes.recv().is_ok() {
        running.store(true, Ordering::Release);
        let connection = match conn.take() {
            Some(open) => Ok(open),
            None => open_connection(path),
        };
        match connection {
            Ok(open) => match open.execute_batch("PRAGMA wal_checkpoint(PASSIVE)") {
                Ok(()) => conn = Some(open),
                // Dropped: the next round opens another.
                Err(error) => tracing::warn!(%error, "a background checkpoint failed"),
            },
            Err(error) => tracing::warn!(%error, "no connection for a background checkpoint"),
        }
        running.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::Checkpointer;
    use crate::native::open_connection;

    /// Writes about 6 MB (1,500 pages: past SQLite's default of 1,000 for a checkpoint at
    /// commit) into the log of a new file from a connection that does not checkpoint, as the
    /// bulk one; answers the file.
    fn logged_writes(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("ow.db");
        let conn = open_connection(&path).expect("opens");
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (body TEXT NOT NULL)")
            .expect("table");
        let body = "x".repeat(1_000);
        for _ in 0..6_000 {
            conn.execute("INSERT INTO t (body) VALUES (?1)", [&body])
                .expect("insert");
        }
        // Kept open: the last connection to close would checkpoint the log itself.
        std::mem::forget(conn);
        path
    }

    fn file_len(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).map_or(0, |m| m.len())
    }

    #[test]
    fn a_bulk_write_leaves_its_log_to_the_thread_which_copies_it_into_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = logged_writes(dir.path());
        assert!(
            file_len(&path) < 100_000,
            "nothing copied before it is asked: {} bytes in the file",
            file_len(&path)
        );
        let checkpointer = Checkpointer::start(path.clone()).expect("starts");
        checkpointer.after_bulk_write();
        let started = Instant::now();
        while file_len(&path) < 5_000_000 && started.elapsed() < Duration::from_secs(15) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(file_len(&path) >= 5_000_000, "copied: {}", file_len(&path));
    }
}
