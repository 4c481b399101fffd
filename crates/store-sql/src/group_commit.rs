//! Group commit for case writes (docs/adr/0003-group-commit.md). One writer task owns one
//! connection and is fed by a channel. It takes every write already waiting (up to
//! [`MAX_BATCH`], never waiting for more, so a lone write still costs one commit), runs them in
//! one transaction, commits once, and only then answers each write with its own outcome. A
//! write whose version is stale gets its own error and the others commit; a write that fails
//! part-way (a taken key, a broken event) is rolled back alone by running the batch again with
//! each write inside its own savepoint. If the transaction or its commit fails, every write of
//! the batch gets the error and nothing of the batch is kept.
//!
//! It owns neither the SQL of the writes (crate::case_writes) nor reads, which stay on the pool.
//!
//! On SQLite the writer is a thread of its own driving its connection directly
//! (`group_commit::direct`, crate::native): through sqlx every statement of a batch was a
//! hand-off to the connection's thread and back. On PostgreSQL (when grouping is asked) it is
//! the task below, on sqlx. Both take their writes from the same channel and answer the same
//! way.

use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use onewindow_store::{Backend, StoreError};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, Connection};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::case_writes::{CaseWrite, EventRow, Written, apply_in_savepoint, insert_event_rows};
use crate::connect::open_connection;
use crate::native::NativeSqlite;

mod direct;

/// Most writes one commit carries. Large enough that a saturated writer spends little per write
/// on the commit itself; small enough that a batch (a few milliseconds) does not hold the write
/// lock long against the pool's writes.
pub(crate) const MAX_BATCH: usize = 256;
/// Writes that may wait for the writer before callers wait to enqueue (back-pressure).
const QUEUE_CAPACITY: usize = 4 * MAX_BATCH;

type Answer = Result<Written, StoreError>;

struct Request {
    write: CaseWrite,
    answer: oneshot::Sender<Answer>,
}

#[expect(
    clippy::large_enum_variant,
    reason = "nearly every message is a write; boxing would cost each write an allocation"
)]
enum Message {
    Write(Request),
    /// Stop: finish the batch in hand, refuse what still waits, close the connection, then
    /// acknowledge.
    Close(oneshot::Sender<()>),
}

/// How many commits the writer made and how many writes they carried (for benchmarks and
/// metrics: writes per commit is the gain of grouping).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCommitStats {
    /// Batches committed (failed ones not counted).
    pub commits: u64,
    /// Writes answered from those commits, whether they succeeded or were refused on their own.
    pub writes: u64,
    /// Batches run a second time, with a savepoint per write, because a write failed part-way.
    pub reruns: u64,
}

#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
    reruns: AtomicU64,
}

/// The handle every clone of the store shares: a sender to the writer task. When the last one
/// is dropped the writer closes its connection and ends.
#[derive(Clone)]
pub(crate) struct CaseWriter {
    sender: mpsc::Sender<Message>,
    counters: Arc<Counters>,
}

impl CaseWriter {
    /// Starts the writer task on the current Tokio runtime, owning `conn`; `options` reopen the
    /// connection after a failed batch.
    pub(crate) fn start(
        conn: AnyConnection,
        options: AnyConnectOptions,
        backend: Backend,
        gate: Option<Arc<Mutex<()>>>,
    ) -> CaseWriter {
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let counters = Arc::new(Counters::default());
        let writer = Writer {
            conn: Some(conn),
            options,
            backend,
            gate,
            counters: counters.clone(),
        };
        tokio::spawn(writer.run(receiver));
        CaseWriter { sender, counters }
    }

    /// Starts the writer on a thread of its own, writing through a SQLite connection driven
    /// directly (`group_commit::direct`; SQLite only). Its connection is opened for the first
    /// batch and reopened after a failed one.
    pub(crate) fn start_direct(
        native: NativeSqlite,
        gate: Option<Arc<Mutex<()>>>,
    ) -> std::io::Result<CaseWriter> {
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let counters = Arc::new(Counters::default());
        let writer = direct::Writer::new(native, gate, counters.clone());
        std::thread::Builder::new()
            .name("onewindow-case-writer".into())
            .spawn(move || writer.run(receiver))?;
        Ok(CaseWriter { sender, counters })
    }

    pub(crate) fn stats(&self) -> GroupCommitStats {
        GroupCommitStats {
            commits: self.counters.commits.load(Ordering::Relaxed),
            writes: self.counters.writes.load(Ordering::Relaxed),
            reruns: self.counters.reruns.load(Ordering::Relaxed),
        }
    }

    /// Queues a write and waits for its answer, which comes only after its batch committed.
    pub(crate) async fn submit(&self, write: CaseWrite) -> Answer {
        let (answer, answered) = oneshot::channel();
        let request = Request { write, answer };
        if self.sender.send(Message::Write(request)).await.is_err() {
            return Err(closed());
        }
        answered.await.unwrap_or_else(|_| {
            Err(StoreError::Database(
                "the case writer stopped before answering (the process is shutting down); the \
                 write may or may not have been committed: reload the case"
                    .into(),
            ))
        })
    }

    /// Stops the writer (see [`Message::Close`]) and waits until it has.
    pub(crate) async fn close(&self) {
        let (ack, acked) = oneshot::channel();
        if self.sender.send(Message::Close(ack)).await.is_ok() {
            let _ = acked.await;
        }
    }
}

fn closed() -> StoreError {
    StoreError::Database("the store is closed; the case write was not made".into())
}

struct Writer {
    /// `None` after a failed batch: reopened before the next one.
    conn: Option<AnyConnection>,
    options: AnyConnectOptions,
    backend: Backend,
    gate: Option<Arc<Mutex<()>>>,
    counters: Arc<Counters>,
}

impl Writer {
    async fn run(mut self, mut receiver: mpsc::Receiver<Message>) {
        let mut inbox = Vec::with_capacity(MAX_BATCH);
        // `recv_many` waits for one message, then takes whatever else is already queued.
        while receiver.recv_many(&mut inbox, MAX_BATCH).await > 0 {
            let (batch, mut closing) = sort_inbox(&mut inbox);
            if !batch.is_empty() {
                self.commit(batch).await;
            }
            if !closing.is_empty() {
                // No new message gets in; the ones already queued are refused, not dropped.
                receiver.close();
                while let Some(message) = receiver.recv().await {
                    match message {
                        Message::Write(request) => refuse(request),
                        Message::Close(ack) => closing.push(ack),
                    }
                }
                self.close_connection().await;
                for ack in closing {
                    let _ = ack.send(());
                }
                return;
            }
        }
        // Every sender is gone: the store was dropped.
        self.close_connection().await;
    }

    async fn close_connection(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close().await;
        }
    }

    /// Commits one batch and answers every write in it.
    async fn commit(&mut self, batch: Vec<Request>) {
        let gate = self.gate.clone();
        let _turn = match &gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        };
        let writes: Vec<&CaseWrite> = batch.iter().map(|r| &r.write).collect();
        let backend = self.backend;
        let outcome = match self.connection().await {
            Ok(conn) => commit_batch(conn, backend, &writes).await,
            Err(error) => Err(error),
        };
        if outcome.is_err() {
            // The transaction may be left open or the connection broken: start afresh.
            self.close_connection().await;
        }
        answer_batch(&self.counters, batch, outcome);
    }

    async fn connection(&mut self) -> Result<&mut AnyConnection, sqlx::Error> {
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => open_connection(&self.options, self.backend).await?,
        };
        Ok(self.conn.insert(conn))
    }
}

fn refuse(request: Request) {
    let _ = request.answer.send(Err(closed()));
}

/// Splits what the writer took from its channel into the writes to commit and the closes
/// asked; a write queued behind a close is refused at once.
fn sort_inbox(inbox: &mut Vec<Message>) -> (Vec<Request>, Vec<oneshot::Sender<()>>) {
    let mut batch = Vec::with_capacity(inbox.len());
    let mut closing = Vec::new();
    for message in inbox.drain(..) {
        match message {
            Message::Write(request) if closing.is_empty() => batch.push(request),
            Message::Write(request) => refuse(request),
            Message::Close(ack) => closing.push(ack),
        }
    }
    (batch, closing)
}

/// Answers every write of a batch once its commit has returned, and counts the batch. A batch
/// that failed (its transaction or commit; the writer has dropped its connection) answers
/// every write with the error: none of it was kept.
fn answer_batch(counters: &Counters, batch: Vec<Request>, outcome: Result<Batch, impl Display>) {
    match outcome {
        Ok(Batch { answers, rerun }) => {
            counters.commits.fetch_add(1, Ordering::Relaxed);
            let writes = u64::try_from(answers.len()).unwrap_or(u64::MAX);
            counters.writes.fetch_add(writes, Ordering::Relaxed);
            counters
                .reruns
                .fetch_add(u64::from(rerun), Ordering::Relaxed);
            for (request, answer) in batch.into_iter().zip(answers) {
                // The caller may have gone (a dropped request): its write stands.
                let _ = request.answer.send(answer);
            }
        }
        Err(error) => {
            tracing::error!(%error, writes = batch.len(), "a batch of case writes failed");
            for request in batch {
                let _ = request.answer.send(Err(StoreError::Database(format!(
                    "the case write was not saved: its batch failed to commit ({error})"
                ))));
            }
        }
    }
}

/// One transaction for `writes`; the answers, in order, once the commit has returned.
///
/// Savepoints cost two statements per write, more than an append itself, so the batch first
/// runs without them. That is exact as long as every write either succeeds or fails before
/// writing anything (a stale version: [`CaseWrite::fails_cleanly`]). A write that fails part-way
/// leaves its first statements mixed with the others': the whole transaction is rolled back
/// and the batch runs again with a savepoint around each write, which takes back only the
/// failed one.
async fn commit_batch(
    conn: &mut AnyConnection,
    backend: Backend,
    writes: &[&CaseWrite],
) -> Result<Batch, sqlx::Error> {
    if let Some(answers) = commit_without_savepoints(conn, backend, writes).await? {
        return Ok(Batch {
            answers,
            rerun: false,
        });
    }
    let mut tx = begin(conn, backend).await?;
    let mut answers = Vec::with_capacity(writes.len());
    for write in writes {
        answers.push(apply_in_savepoint(&mut tx, write).await?);
    }
    tx.commit().await?;
    Ok(Batch {
        answers,
        rerun: true,
    })
}

/// A committed batch: the answers, and whether it had to run again with savepoints.
struct Batch {
    answers: Vec<Answer>,
    rerun: bool,
}

/// SQLite's `BEGIN IMMEDIATE` takes the write lock before the first read, so no other
/// connection can commit between a write's check and its change.
async fn begin(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<sqlx::Transaction<'_, sqlx::Any>, sqlx::Error> {
    match backend {
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => conn.begin().await,
    }
}

/// The answers, or `None` (and nothing written) when a write failed part-way. The event rows
/// of all the writes go in together at the end, many per statement: no statement of a case
/// write reads `case_events`, so deferring them changes no answer.
async fn commit_without_savepoints(
    conn: &mut AnyConnection,
    backend: Backend,
    writes: &[&CaseWrite],
) -> Result<Option<Vec<Answer>>, sqlx::Error> {
    let mut tx = begin(conn, backend).await?;
    let mut answers = Vec::with_capacity(writes.len());
    let mut event_rows: Vec<EventRow<'_>> = Vec::with_capacity(writes.len());
    for write in writes {
        match write.apply_without_events(&mut tx).await {
            Ok((written, events_of)) => {
                if let Some(id) = events_of {
                    event_rows.extend(write.events().iter().map(|e| (id, e)));
                }
                answers.push(Ok(written));
            }
            Err(error) if CaseWrite::fails_cleanly(&error) => answers.push(Err(error)),
            Err(_) => {
                tx.rollback().await?;
                return Ok(None);
            }
        }
    }
    if insert_event_rows(&mut tx, &event_rows).await.is_err() {
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(answers))
}

#[cfg(test)]
mod tests;
