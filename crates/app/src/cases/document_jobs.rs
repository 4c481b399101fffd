//! When a case's documents are made (issue 6; ADR 0004): inline, in the request that stored the
//! event (the default, and what tests see), or by one background worker fed by a bounded queue,
//! so a move answers as soon as its events are durable and the ~20 ms of typesetting per
//! document is not on the request's path. The events are the record; a document is made from
//! them, idempotently per event, whenever that happens. A job the full queue cannot take is
//! logged as deferred; a job lost in a crash is simply gone — for both the sweeper checks every
//! open case changed since the start of the last pass that completed (recorded in the store, so
//! a restart need not check every open case again; every open case when no pass ever completed)
//! and makes what is missing. A case closed by the event whose document was lost (a
//! denial, an issued licence) is not looked at again: docs/PERFORMANCE.md says how to catch up.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use onewindow_domain::cases::EventKind;
use tokio::sync::mpsc;

use super::Loaded;
use crate::App;
use crate::documents::Typesetter;

/// The setting holding the start of the last sweep pass that completed (an instant).
pub const DOCUMENTS_CHECKED_BEFORE: &str = "sweep.documents_checked_before";

/// Jobs the background queue holds before new ones are deferred to the sweeper.
pub const DOCUMENT_QUEUE_CAPACITY: usize = 10_000;

/// A deferred job is logged once, then once per this many more (a flood of warnings would cost
/// the CPU the queue is full for lack of).
const DEFERRED_LOG_EVERY: u64 = 1_000;

/// The documents a case's events from `from_seq` on call for.
#[derive(Debug)]
struct Job {
    number: String,
    from_seq: u64,
}

/// The background queue, if any, and what the sweeper remembers between passes.
#[derive(Debug, Default)]
pub(crate) struct DocumentJobs {
    queue: Option<mpsc::Sender<Job>>,
    deferred: AtomicU64,
    /// When the last sweep that completed started: cases changed before it were checked then.
    last_sweep: Mutex<Option<Timestamp>>,
    /// The worker's low-priority typesetting thread (the worker's own app holds it).
    typesetter: Option<Typesetter>,
}

impl DocumentJobs {
    /// Where this app's documents are typeset: `None` for tokio's blocking pool.
    pub(crate) fn typesetter(&self) -> Option<&Typesetter> {
        self.typesetter.as_ref()
    }
}

impl App {
    /// Makes case documents on one background worker fed by a queue of
    /// [`DOCUMENT_QUEUE_CAPACITY`] jobs instead of inside the request, typeset on a thread of
    /// the lowest CPU priority (`documents/typesetter.rs`). Call inside a tokio runtime, after
    /// [`App::with_public_url`] (the worker keeps the app as it is now).
    pub fn with_background_documents(self) -> Self {
        self.with_background_documents_queue(DOCUMENT_QUEUE_CAPACITY)
    }

    /// [`App::with_background_documents`] with a queue of `capacity` jobs (at least 1).
    pub fn with_background_documents_queue(mut self, capacity: usize) -> Self {
        let (sender, receiver) = mpsc::channel(capacity.max(1));
        // The worker's own app makes documents inline: it holds no sender, so the queue closes
        // (and the worker ends) when the last app that can enqueue is dropped.
        let mut worker = self.clone();
        match Typesetter::start() {
            Ok(typesetter) => {
                worker.document_jobs = std::sync::Arc::new(DocumentJobs {
                    typesetter: Some(typesetter),
                    ..DocumentJobs::default()
                });
            }
            Err(e) => tracing::warn!(
                error = %e,
                "no typesetting thread: background documents are typeset on the blocking pool"
            ),
        }
        tokio::spawn(run_worker(worker, receiver));
        self.document_jobs = std::sync::Arc::new(DocumentJobs {
            queue: Some(sender),
            ..DocumentJobs::default()
        });
        self
    }

    /// Whether documents are made by the background worker.
    pub fn documents_in_background(&self) -> bool {
        self.document_jobs.queue.is_some()
    }

    /// Issues (inline) or enqueues (background) what a change's new events call for. Never
    /// fails: the events are stored, and whatever is not made now the sweeper makes later.
    pub(crate) async fn issue_documents_after(&self, number: &str, from_seq: u64) {
        let Some(queue) = &self.document_jobs.queue else {
            return self.issue_documents_now(number, from_seq).await;
        };
        let job = Job {
            number: number.to_owned(),
            from_seq,
        };
        if let Err(e) = queue.try_send(job) {
            let deferred = self.document_jobs.deferred.fetch_add(1, Ordering::Relaxed) + 1;
            if deferred % DEFERRED_LOG_EVERY == 1 {
                tracing::warn!(
                    case = number,
                    deferred,
                    reason = %e,
                    "document queue full: documents deferred to the sweeper"
                );
            }
        }
    }

    /// Jobs the full queue could not take since start-up.
    pub fn documents_deferred(&self) -> u64 {
        self.document_jobs.deferred.load(Ordering::Relaxed)
    }

    /// Starts a sweep: the instant before which changed cases need no document check, and this
    /// pass's start. That instant is the start of the last pass that completed — this
    /// instance's, or after a restart the one any instance recorded ([`DOCUMENTS_CHECKED_BEFORE`]):
    /// by induction from a first pass that checked every open case, each completed pass leaves
    /// every change made before it started checked. `None` when no pass ever completed: every
    /// open case is checked (a crash may have lost queued jobs).
    pub(crate) async fn begin_document_sweep(
        &self,
    ) -> Result<(Option<Timestamp>, Timestamp), crate::AppError> {
        let started = self.clock.now();
        let kept = *self
            .document_jobs
            .last_sweep
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let since = match kept {
            Some(since) => Some(since),
            None => self
                .store
                .setting(DOCUMENTS_CHECKED_BEFORE)
                .await?
                .and_then(|text| text.parse::<Timestamp>().ok()),
        };
        Ok((since, started))
    }

    /// Records that the pass which started at `started` completed: every change before then has
    /// had its documents checked (here, and for an instance starting later).
    pub(crate) async fn finish_document_sweep(
        &self,
        started: Timestamp,
    ) -> Result<(), crate::AppError> {
        self.document_jobs
            .last_sweep
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .replace(started);
        self.store
            .set_setting(DOCUMENTS_CHECKED_BEFORE, &started.to_string())
            .await?;
        Ok(())
    }

    /// Makes the documents an open case's events call for and are missing. One indexed query
    /// when nothing is missing; returns how many documents it made.
    pub(crate) async fn catch_up_documents(&self, case: &Loaded) -> Result<u64, crate::AppError> {
        let calling: Vec<u64> = case
            .events
            .iter()
            .filter(|e| calls_for_documents(&e.kind))
            .map(|e| e.seq)
            .collect();
        if calling.is_empty() {
            return Ok(0);
        }
        let made: BTreeSet<u64> = self
            .store
            .documents_for_case(&case.record.number)
            .await?
            .iter()
            .filter_map(|d| event_seq(&d.document.idempotency_key))
            .collect();
        let Some(first_missing) = calling.into_iter().find(|seq| !made.contains(seq)) else {
            return Ok(0);
        };
        let issued = self
            .issue_case_documents(case, &case.events, first_missing)
            .await?;
        Ok(issued.iter().filter(|d| !d.existing).count() as u64)
    }
}

async fn run_worker(app: App, mut jobs: mpsc::Receiver<Job>) {
    while let Some(job) = jobs.recv().await {
        app.issue_documents_now(&job.number, job.from_seq).await;
    }
}

/// Whether an event of this kind calls for a written document (`documents::requests_for` and
/// the certificate on issuance say which).
fn calls_for_documents(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Accepted
            | EventKind::DeemedAccepted { .. }
            | EventKind::Refused { .. }
            | EventKind::SupplementRequested { .. }
            | EventKind::PauseStarted { .. }
            | EventKind::Extended { .. }
            | EventKind::Granted
            | EventKind::Denied { .. }
            | EventKind::LicenceIssued { .. }
    )
}

/// The event a case document was made for: its idempotency key ends in `event-<seq>`.
fn event_seq(idempotency_key: &str) -> Option<u64> {
    idempotency_key.rsplit_once("/event-")?.1.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::event_seq;

    #[test]
    fn a_document_key_names_its_event() {
        assert_eq!(event_seq("acceptance/case:2026-000001/event-3"), Some(3));
        assert_eq!(
            event_seq("licence-original/case:2026-000001/event-12"),
            Some(12)
        );
        assert_eq!(event_seq("licence-original/licence:X/rerender-4"), None);
    }
}
