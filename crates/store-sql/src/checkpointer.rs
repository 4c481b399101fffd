//! Checkpoints on SQLite, in the background. No connection of the store checkpoints at its
//! commit (`wal_autocheckpoint = 0` among the pragmas): SQLite's default has whichever commit
//! crosses 1,000 pages of log copy the whole log into the database file and sync it before it
//! returns — a request, or a batch of the case writer, that happens to cross it waits for the
//! copy. Here a thread of its own does it: when a writer tells it (`after_write`), and once a
//! second whatever happens (the pool's writes do not tell it).
//!
//! A bulk write (the recompute after a calendar import, 10,000 cases a transaction) has it copy
//! after each page at once (`after_bulk_write`), so the copy of one page overlaps the writing
//! of the next. Deferring the copy to the end of a bulk write was tried: the million-case
//! recompute then writes a quarter of the bytes (1.1 GB against 3.5 GB) but was no faster
//! (19.0 s against 15.9–18.6 s on a shared machine), as every page read looks through a log
//! of a gigabyte.
//!
//! Checkpoints are passive: they never wait for, nor block, readers and writers; what one
//! cannot copy yet (a reader still needs it) the next one copies.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::native::open_connection;

/// How often the thread checkpoints without being told.
const TICK: Duration = Duration::from_secs(1);
/// The least time between two checkpoints a writer asks for: each one syncs the database file,
/// and a writer committing a thousand times a second must not make it sync a thousand times.
const GAP: Duration = Duration::from_millis(250);
/// The handle the store's clones share; the thread ends when the last is dropped.
#[derive(Clone)]
pub(crate) struct Checkpointer {
    poke: SyncSender<()>,
    /// A bulk write asked: copy at once, whatever the gap since the last copy.
    urgent: Arc<AtomicBool>,
    /// A copy is running.
    running: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Starts the thread for the database file at `path`.
    pub(crate) fn start(path: PathBuf) -> std::io::Result<Checkpointer> {
        // One poke waiting is enough: it means "soon", however many writers said it.
        let (poke, pokes) = sync_channel(1);
        let checkpointer = Checkpointer {
            poke,
            urgent: Arc::default(),
            running: Arc::default(),
        };
        let (urgent, running) = (
            Arc::clone(&checkpointer.urgent),
            Arc::clone(&checkpointer.running),
        );
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || run(&path, &pokes, &urgent, &running))?;
        Ok(checkpointer)
    }

    /// A writer committed: copy the log soon (once [`GAP`] has passed since the last copy).
    pub(crate) fn after_write(&self) {
        match self.poke.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
        }
    }

    /// A bulk write committed a page: copy it now, while the next page is written, unless a
    /// copy is running (the next page then asks again). Every page read looks through the log
    /// first, so a log left to grow makes them slower; copies asked for back to back take the
    /// disk from the writes.
    pub(crate) fn after_bulk_write(&self) {
        if self.running.load(Ordering::Acquire) {
            return;
        }
        self.urgent.store(true, Ordering::Release);
        self.after_write();
    }
}

fn run(path: &Path, pokes: &Receiver<()>, urgent: &AtomicBool, running: &AtomicBool) {
    let mut conn: Option<Connection> = None;
    let mut last: Option<Instant> = None;
    let mut wait = TICK;
    loop {
        match pokes.recv_timeout(wait) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            // The store was dropped.
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let since = last.map_or(GAP, |t| t.elapsed());
        if !urgent.swap(false, Ordering::AcqRel) && since < GAP {
            // Told too soon after the last copy: come back when the gap is over.
            wait = GAP - since;
            continue;
        }
        wait = TICK;
        last = Some(Instant::now());
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

    /// Writes about 6 MB (1,500 pages: past SQLite's default of 1,000 for a checkpoint at commit)
    /// into the log of a new file, none of it checkpointed; answers the file.
    fn logged_writes(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("ow.db");
        let conn = open_connection(&path).expect("opens");
        conn.execute_batch("CREATE TABLE t (body TEXT NOT NULL)")
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

    /// Waits up to `limit` for the database file (not its log) to hold the writes.
    fn copied_within(path: &std::path::Path, limit: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < limit {
            if file_len(path) > 5_000_000 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn commits_leave_the_log_to_the_background_thread_which_copies_it_into_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = logged_writes(dir.path());
        assert!(
            file_len(&path) < 100_000,
            "no commit checkpointed by itself: {} bytes in the file",
            file_len(&path)
        );
        let checkpointer = Checkpointer::start(path.clone()).expect("starts");
        checkpointer.after_write();
        assert!(copied_within(&path, Duration::from_secs(10)), "copied");
    }

    #[test]
    fn the_log_is_copied_even_when_no_writer_tells_it() {
        let dir = tempfile::tempdir().expect("dir");
        let path = logged_writes(dir.path());
        // The pool's writes do not tell it: the thread's own round comes once a second.
        let _checkpointer = Checkpointer::start(path.clone()).expect("starts");
        assert!(copied_within(&path, Duration::from_secs(15)), "copied");
    }
}
