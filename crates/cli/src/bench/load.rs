//! The two ways the bench offers load. Closed loop: C clients, each driving one case at a time
//! through the whole journey, the next request as soon as the last is answered — the most the
//! server carries. Open loop (`--rate R`): R transitions a second on a fixed schedule whatever
//! the answers take, each latency counted from when the request was due (so a slow server
//! cannot hide its queue by slowing the client: no coordinated omission).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::flow::{CaseRun, Kind, Outcome, Tokens};
use super::http::Connection;
use super::stats::Recorder;

/// Requests the open loop lets wait at once before it counts due requests as not sent.
const MAX_IN_FLIGHT: usize = 4_096;
/// How long the load waits for answers still out after it stopped offering more.
const DRAIN: Duration = Duration::from_secs(60);

/// What to offer.
#[derive(Debug, Clone)]
pub struct Plan {
    pub cases: u64,
    pub concurrency: usize,
    pub duration: Option<Duration>,
    /// Distinguishes this run's idempotency keys.
    pub run: String,
    /// Moves ask for the number and version only (`--minimal-answers`).
    pub minimal_answers: bool,
}

/// What the load did besides the latencies.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub wall: Duration,
    pub cases_started: u64,
    /// Issued or denied.
    pub cases_finished: u64,
    /// Given up after a failed request.
    pub cases_failed: u64,
    /// Open loop: due requests not sent because no case was ready or too many were waiting.
    pub not_sent: u64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// C clients, each a case at a time, until every case is done or the time is up.
pub async fn closed_loop(addr: SocketAddr, tokens: Arc<Tokens>, plan: &Plan) -> (Recorder, Counts) {
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = plan.duration.map(|d| start + d);
    let mut workers = Vec::new();
    for _ in 0..plan.concurrency.max(1) {
        let (next, tokens, run, cases) =
            (next.clone(), tokens.clone(), plan.run.clone(), plan.cases);
        let minimal = plan.minimal_answers;
        workers.push(tokio::spawn(async move {
            let mut connection = Connection::new(addr);
            let mut recorder = Recorder::default();
            let mut counts = Counts::default();
            'cases: loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= cases || deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                counts.cases_started += 1;
                let mut case = CaseRun::new(index).answered(minimal);
                loop {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        break 'cases;
                    }
                    let sent = Instant::now();
                    match case.step(&tokens, &run, &mut connection).await {
                        Outcome::Done => {
                            counts.cases_finished += 1;
                            break;
                        }
                        Outcome::Moved(kind) => {
                            recorder.answered(kind, sent - start, sent.elapsed());
                        }
                        Outcome::Failed(kind, mut failure) => {
                            let retry = case.retry(&mut failure);
                            recorder.failed(kind, failure);
                            match retry {
                                Some(pause) => tokio::time::sleep(pause).await,
                                None => {
                                    counts.cases_failed += 1;
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            (recorder, counts)
        }));
    }
    let mut recorder = Recorder::default();
    let mut counts = Counts::default();
    for worker in workers {
        if let Ok((r, c)) = worker.await {
            recorder.merge(r);
            counts.add(&c);
        }
    }
    counts.wall = start.elapsed();
    (recorder, counts)
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.cases_started += other.cases_started;
        self.cases_finished += other.cases_finished;
        self.cases_failed += other.cases_failed;
        self.not_sent += other.not_sent;
    }
}

/// The open loop's shared state.
struct Open {
    addr: SocketAddr,
    ready: Mutex<VecDeque<CaseRun>>,
    connections: Mutex<Vec<Connection>>,
    recorder: Mutex<Recorder>,
    in_flight: AtomicUsize,
    finished: AtomicU64,
    failed: AtomicU64,
}

/// `rate` transitions a second for the plan's duration (default 30 s), cases started as
/// needed up to the plan's count.
pub async fn open_loop(
    addr: SocketAddr,
    tokens: Arc<Tokens>,
    plan: &Plan,
    rate: f64,
) -> (Recorder, Counts) {
    let duration = plan.duration.unwrap_or(Duration::from_secs(30));
    let shared = Arc::new(Open {
        addr,
        ready: Mutex::new(VecDeque::new()),
        connections: Mutex::new(Vec::new()),
        recorder: Mutex::new(Recorder::default()),
        in_flight: AtomicUsize::new(0),
        finished: AtomicU64::new(0),
        failed: AtomicU64::new(0),
    });
    let mut counts = Counts::default();
    let start = Instant::now();
    let mut issued: u64 = 0;
    let mut next_case: u64 = 0;
    while start.elapsed() < duration {
        let due = (start.elapsed().as_secs_f64() * rate) as u64;
        while issued < due {
            let scheduled = start + Duration::from_secs_f64(issued as f64 / rate);
            issued += 1;
            let case = match lock(&shared.ready).pop_front() {
                Some(case) => case,
                None if next_case < plan.cases => {
                    next_case += 1;
                    counts.cases_started += 1;
                    CaseRun::new(next_case - 1).answered(plan.minimal_answers)
                }
                None => {
                    counts.not_sent += 1;
                    continue;
                }
            };
            if shared.in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
                lock(&shared.ready).push_front(case);
                counts.not_sent += 1;
                continue;
            }
            shared.in_flight.fetch_add(1, Ordering::Relaxed);
            let (shared, tokens, run) = (shared.clone(), tokens.clone(), plan.run.clone());
            tokio::spawn(async move {
                transition(&shared, &tokens, &run, case, scheduled, start).await;
                shared.in_flight.fetch_sub(1, Ordering::Relaxed);
            });
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let stopped = Instant::now();
    while shared.in_flight.load(Ordering::Relaxed) > 0 && stopped.elapsed() < DRAIN {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    counts.wall = duration;
    counts.cases_finished = shared.finished.load(Ordering::Relaxed);
    counts.cases_failed = shared.failed.load(Ordering::Relaxed);
    let recorder = std::mem::take(&mut *lock(&shared.recorder));
    (recorder, counts)
}

/// One due transition of `case` (and, after the institute's report, the signatory's read of
/// the case, which is not a transition); the case goes back to the ready queue.
async fn transition(
    shared: &Open,
    tokens: &Tokens,
    run: &str,
    mut case: CaseRun,
    scheduled: Instant,
    start: Instant,
) {
    let mut connection = lock(&shared.connections)
        .pop()
        .unwrap_or_else(|| Connection::new(shared.addr));
    let mut due = scheduled;
    loop {
        let outcome = case.step(tokens, run, &mut connection).await;
        let now = Instant::now();
        match outcome {
            Outcome::Done => {
                shared.finished.fetch_add(1, Ordering::Relaxed);
                break;
            }
            Outcome::Moved(kind) => {
                lock(&shared.recorder).answered(kind, now - start, now - due);
                if case.next.is_none() {
                    shared.finished.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                if case.next == Some(Kind::Read) {
                    due = now;
                    continue;
                }
                lock(&shared.ready).push_back(case);
                break;
            }
            Outcome::Failed(kind, mut failure) => {
                let retry = case.retry(&mut failure);
                lock(&shared.recorder).failed(kind, failure);
                match retry {
                    Some(pause) => {
                        tokio::time::sleep(pause).await;
                        lock(&shared.ready).push_back(case);
                    }
                    None => {
                        shared.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                break;
            }
        }
    }
    lock(&shared.connections).push(connection);
}
