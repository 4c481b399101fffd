//! The group-commit writer on SQLite: a thread of its own that owns a connection driven directly
//! (crate::native) and is fed by the writer's channel. Everything of ADR 0003 holds as in the
//! task beside it (crate::group_commit): the batch is what is already waiting (never waiting for
//! more), `BEGIN IMMEDIATE` under the write gate, one commit, answers only after it; a stale
//! version fails cleanly, a write failing part-way sends the batch round again with a savepoint
//! per write, and a failed transaction or commit answers every write with the error and drops
//! the connection (the next batch opens another).
//!
//! Why a thread: through sqlx each statement of a batch went from the writer task to the
//! connection's own thread and back (a channel and two wake-ups); here the statements run where
//! the batch is decided, and the thread blocks on the channel only between batches.

use std::sync::Arc;

use onewindow_store::StoreError;
use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::{Mutex, mpsc};

use super::{
    Answer, Batch, Counters, MAX_BATCH, Message, Request, answer_batch, refuse, sort_inbox,
};
use crate::case_writes::CaseWrite;
use crate::native::NativeSqlite;

pub(super) struct Writer {
    /// `None` before the first batch and after a failed one: opened for the next.
    conn: Option<Connection>,
    native: NativeSqlite,
    gate: Option<Arc<Mutex<()>>>,
    counters: Arc<Counters>,
}

impl Writer {
    pub(super) fn new(
        native: NativeSqlite,
        gate: Option<Arc<Mutex<()>>>,
        counters: Arc<Counters>,
    ) -> Writer {
        Writer {
            conn: None,
            native,
            gate,
            counters,
        }
    }

    /// The writer's loop, until a close or until every sender is gone (the store was dropped).
    /// Blocks: runs on its own thread, never on the runtime's.
    pub(super) fn run(mut self, mut receiver: mpsc::Receiver<Message>) {
        let mut inbox = Vec::with_capacity(MAX_BATCH);
        // Waits for one message, then takes whatever else is already queued.
        while receiver.blocking_recv_many(&mut inbox, MAX_BATCH) > 0 {
            let (batch, mut closing) = sort_inbox(&mut inbox);
            if !batch.is_empty() {
                self.commit(batch);
            }
            if !closing.is_empty() {
                // No new message gets in; the ones already queued are refused, not dropped.
                receiver.close();
                while let Some(message) = receiver.blocking_recv() {
                    match message {
                        Message::Write(request) => refuse(request),
                        Message::Close(ack) => closing.push(ack),
                    }
                }
                self.conn = None;
                for ack in closing {
                    let _ = ack.send(());
                }
                return;
            }
        }
        self.conn = None;
    }

    /// Commits one batch and answers every write in it.
    pub(super) fn commit(&mut self, batch: Vec<Request>) {
        let gate = self.gate.clone();
        let _turn = gate.as_ref().map(|gate| gate.blocking_lock());
        let writes: Vec<&CaseWrite> = batch.iter().map(|r| &r.write).collect();
        let outcome = match self.connection() {
            Ok(conn) => {
                commit_batch(conn, &writes).map_err(|e| StoreError::Database(e.to_string()))
            }
            Err(error) => Err(error),
        };
        if outcome.is_err() {
            // The transaction may be left open or the connection broken: start afresh.
            self.conn = None;
        }
        answer_batch(&self.counters, batch, outcome);
    }

    fn connection(&mut self) -> Result<&mut Connection, StoreError> {
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.native.connection()?,
        };
        Ok(self.conn.insert(conn))
    }
}

/// One transaction for `writes`; the answers, in order, once the commit has returned. First
/// without savepoints (exact while every write succeeds or fails before writing anything, as a
/// stale version does); a write failing part-way rolls everything back and the batch runs
/// again with a savepoint around each write (crate::group_commit::commit_batch).
pub(super) fn commit_batch(
    conn: &mut Connection,
    writes: &[&CaseWrite],
) -> Result<Batch, rusqlite::Error> {
    if let Some(answers) = commit_without_savepoints(conn, writes)? {
        return Ok(Batch {
            answers,
            rerun: false,
        });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut answers = Vec::with_capacity(writes.len());
    for write in writes {
        answers.push(apply_in_savepoint(&tx, write)?);
    }
    tx.commit()?;
    Ok(Batch {
        answers,
        rerun: true,
    })
}

/// The answers, or `None` (and nothing written) when a write failed part-way.
fn commit_without_savepoints(
    conn: &mut Connection,
    writes: &[&CaseWrite],
) -> Result<Option<Vec<Answer>>, rusqlite::Error> {
    // Immediate: the write lock before the first read, so no other connection commits between
    // a write's check and its change.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut answers = Vec::with_capacity(writes.len());
    for write in writes {
        match write.apply_direct(&tx) {
            Ok(written) => answers.push(Ok(written)),
            Err(error) if CaseWrite::fails_cleanly(&error) => answers.push(Err(error)),
            Err(_) => {
                tx.rollback()?;
                return Ok(None);
            }
        }
    }
    tx.commit()?;
    Ok(Some(answers))
}

/// Runs `write` inside a savepoint: its failure takes back only its own statements. The outer
/// `Err` means the transaction can no longer be trusted (the savepoint could not be opened,
/// released or rolled back) and must be abandoned.
fn apply_in_savepoint(conn: &Connection, write: &CaseWrite) -> Result<Answer, rusqlite::Error> {
    conn.execute_batch("SAVEPOINT case_write")?;
    match write.apply_direct(conn) {
        Ok(written) => {
            conn.execute_batch("RELEASE case_write")?;
            Ok(Ok(written))
        }
        Err(error) => {
            conn.execute_batch("ROLLBACK TO case_write; RELEASE case_write")?;
            Ok(write.recover_direct(conn, error))
        }
    }
}

#[cfg(test)]
mod tests;
