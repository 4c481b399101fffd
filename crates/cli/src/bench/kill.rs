//! `onewindow bench --kill-test`: nothing acknowledged is lost (issue 6). Clients drive cases
//! through the journey and write down every transition the server acknowledged (case, kind,
//! resulting version); the server is killed with SIGKILL at random moments, started again on
//! the same data, and after every restart each acknowledged transition must be there (the
//! case's version at least the acknowledged one, the transition's event in its timeline), no
//! case may be half-written (its version is its number of events), and the interrupted cases
//! carry on from where the server has them — a submission whose answer was lost is sent again
//! with its idempotency key. After the last round every case must be finished and `onewindow
//! audit verify` must pass on the data folder.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::flow::{CaseRun, Kind, Outcome, Tokens};
use super::http::{Call, Connection};
use super::server::{Backend, Server};
use super::{BenchArgs, setup};
use crate::config::Config;

/// What the client saw acknowledged for one case.
#[derive(Debug, Clone, Default)]
struct Acknowledged {
    number: Option<String>,
    version: i64,
    events: Vec<&'static str>,
}

/// Shared between the clients of one round.
struct Round {
    pending: Mutex<VecDeque<CaseRun>>,
    interrupted: Mutex<Vec<CaseRun>>,
    ledger: Mutex<BTreeMap<u64, Acknowledged>>,
    acknowledged: Mutex<u64>,
    /// Answers that were not 2xx and not a lost connection: the server refused something.
    refusals: Mutex<Vec<String>>,
    /// Server failures (5xx) sent again.
    retried: Mutex<u64>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A small generator for the kill moments, seeded so a failing run can be repeated.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

pub async fn run(args: &BenchArgs, config: &Config, backend: Backend) -> Result<ExitCode, String> {
    let seed = args.seed.unwrap_or_else(super::random_seed);
    let mut rng = XorShift(seed | 1);
    let mut server = Server::start(backend).await?;
    let db = super::config_for(config, &server);
    let users =
        setup::register_enterprises(server.addr, seed, args.enterprises.clamp(1, 20)).await?;
    let tokens = Arc::new(setup::make_tokens(&db, &users).await?);
    let run = format!("{seed:x}");
    let round = Arc::new(Round {
        pending: Mutex::new((0..args.cases).map(CaseRun::new).collect()),
        interrupted: Mutex::new(Vec::new()),
        ledger: Mutex::new(BTreeMap::new()),
        acknowledged: Mutex::new(0),
        refusals: Mutex::new(Vec::new()),
        retried: Mutex::new(0),
    });
    let mut rounds = Vec::new();
    let mut violations = Vec::new();
    let mut idle_kills = 0;
    let started = Instant::now();
    for n in 0..=args.kills {
        let last = n == args.kills;
        let before = *lock(&round.acknowledged);
        let clients = spawn_clients(&round, &tokens, &run, server.addr, args.concurrency);
        if !last {
            // A random moment in the middle of the load: after a random number of
            // acknowledgements (at least one, so every round shows the cases carry on), then a
            // random few milliseconds more.
            let target = before + 1 + rng.below(4 * args.concurrency as u64);
            while *lock(&round.acknowledged) < target && !clients.iter().all(|c| c.is_finished()) {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            tokio::time::sleep(Duration::from_millis(rng.below(40))).await;
            if clients.iter().all(|c| c.is_finished()) {
                idle_kills += 1;
            }
            server.kill();
        }
        for client in clients {
            let _ = client.await;
        }
        let made = *lock(&round.acknowledged) - before;
        let restart = if last {
            Duration::ZERO
        } else {
            server.launch().await?
        };
        violations.extend(check(&round, &tokens, server.addr).await);
        resume(&round, &tokens, server.addr).await?;
        rounds.push(json!({"acknowledged": made, "restart_ms": restart.as_millis() as u64}));
    }
    let unfinished = lock(&round.pending).len() + lock(&round.interrupted).len();
    if unfinished > 0 {
        violations.push(format!(
            "{unfinished} case(s) did not finish after the restarts"
        ));
    }
    violations.extend(lock(&round.refusals).iter().cloned());
    match cases_made(&tokens, server.addr).await {
        Ok(made) if made == args.cases => {}
        Ok(made) => violations.push(format!(
            "{made} cases exist for {} applications: a submission whose answer was lost made a second case",
            args.cases
        )),
        Err(e) => violations.push(e),
    }
    server.stop();
    let audit = audit_verify(&server)?;
    if !audit.0 {
        violations.push(format!("onewindow audit verify failed:\n{}", audit.1));
    }
    let report = json!({
        "mode": "kill-test",
        "backend": backend.key(),
        "seed": seed,
        "kills": args.kills,
        "kills_with_no_load": idle_kills,
        "cases": args.cases,
        "acknowledged_transitions": *lock(&round.acknowledged),
        "cases_checked": lock(&round.ledger).len(),
        "server_failures_retried": *lock(&round.retried),
        "rounds": rounds,
        "audit_verify": if audit.0 { "passed" } else { "failed" },
        "violations": violations,
        "seconds": started.elapsed().as_secs_f64(),
    });
    if args.json {
        println!("{report}");
    } else {
        println!(
            "kill test ({}; seed {seed}): {} SIGKILLs, {} acknowledged transitions on {} cases, audit verify {}",
            backend.key(),
            args.kills,
            report["acknowledged_transitions"],
            args.cases,
            report["audit_verify"]
        );
        for v in &violations {
            println!("  VIOLATION: {v}");
        }
        if violations.is_empty() {
            println!("  nothing acknowledged was lost; nothing was half-done; every case finished");
        }
    }
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn spawn_clients(
    round: &Arc<Round>,
    tokens: &Arc<Tokens>,
    run: &str,
    addr: SocketAddr,
    concurrency: usize,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..concurrency.max(1))
        .map(|_| {
            let (round, tokens, run) = (round.clone(), tokens.clone(), run.to_owned());
            tokio::spawn(async move {
                let mut connection = Connection::new(addr);
                loop {
                    // The lock is released before the case is driven.
                    let next = lock(&round.pending).pop_front();
                    let Some(mut case) = next else { break };
                    drive(&round, &tokens, &run, &mut connection, &mut case).await;
                }
            })
        })
        .collect()
}

/// Steps one case until it finishes or the server stops answering.
async fn drive(
    round: &Round,
    tokens: &Tokens,
    run: &str,
    connection: &mut Connection,
    case: &mut CaseRun,
) {
    loop {
        match case.step(tokens, run, connection).await {
            Outcome::Done => return,
            Outcome::Moved(kind) => {
                if let Some(event) = kind.event() {
                    let mut ledger = lock(&round.ledger);
                    let ack = ledger.entry(case.index).or_default();
                    ack.number.clone_from(&case.number);
                    // A report answered 204 has no version; the read after it brings it.
                    ack.version = ack.version.max(case.version);
                    ack.events.push(event);
                    *lock(&round.acknowledged) += 1;
                } else if kind == Kind::Read {
                    let mut ledger = lock(&round.ledger);
                    let ack = ledger.entry(case.index).or_default();
                    ack.version = ack.version.max(case.version);
                }
            }
            Outcome::Failed(_, failure) if failure.what == "unanswered" => {
                lock(&round.interrupted).push(case.clone());
                return;
            }
            Outcome::Failed(kind, mut failure) => {
                if let Some(pause) = case.retry(&mut failure) {
                    *lock(&round.retried) += 1;
                    tokio::time::sleep(pause).await;
                    continue;
                }
                lock(&round.refusals).push(format!(
                    "case {}: {} answered {}: {}",
                    case.index,
                    kind.key(),
                    failure.what,
                    failure.detail
                ));
                return;
            }
        }
    }
}

/// The case as its applicant sees it: version and the types of its events.
async fn read_case(
    connection: &mut Connection,
    token: &str,
    number: &str,
) -> Result<(i64, Vec<String>), String> {
    let path = format!("/api/v1/cases/{number}");
    let reply = connection
        .send(Call::get(&path, token))
        .await
        .map_err(|e| format!("case {number}: {}", e.0))?;
    if reply.status != 200 {
        return Err(format!("case {number}: {} {}", reply.status, reply.text()));
    }
    let case: Value = serde_json::from_slice(&reply.body).map_err(|e| e.to_string())?;
    let events = case["timeline"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter_map(|e| e["type"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok((case["version"].as_i64().unwrap_or(-1), events))
}

/// Every acknowledged transition is in the store; no case is half-written.
async fn check(round: &Round, tokens: &Tokens, addr: SocketAddr) -> Vec<String> {
    let ledger = lock(&round.ledger).clone();
    let mut connection = Connection::new(addr);
    let mut violations = Vec::new();
    for (index, ack) in ledger {
        let Some(number) = &ack.number else { continue };
        let token = CaseRun::new(index).applicant(tokens).to_owned();
        match read_case(&mut connection, &token, number).await {
            Ok((version, events)) => {
                if version < ack.version {
                    violations.push(format!(
                        "case {number}: version {version} after a restart, {} was acknowledged",
                        ack.version
                    ));
                }
                for event in &ack.events {
                    if !events.iter().any(|e| e == event) {
                        violations.push(format!("case {number}: acknowledged {event} is missing"));
                    }
                }
                if version != events.len() as i64 {
                    violations.push(format!(
                        "case {number}: version {version} but {} events (half-written)",
                        events.len()
                    ));
                }
            }
            Err(e) => violations.push(e),
        }
    }
    violations
}

/// How many cases the bench's enterprises have (each sees its own), closed ones included.
async fn cases_made(tokens: &Tokens, addr: SocketAddr) -> Result<u64, String> {
    let mut connection = Connection::new(addr);
    let mut total = 0;
    for token in &tokens.enterprises {
        let reply = connection
            .send(Call::get(
                "/api/v1/cases?include_closed=true&per_page=1",
                token,
            ))
            .await
            .map_err(|e| format!("the enterprise's cases: {}", e.0))?;
        let page: Value = serde_json::from_slice(&reply.body).map_err(|e| e.to_string())?;
        total += page["total"]
            .as_u64()
            .ok_or_else(|| format!("the enterprise's cases: {} {}", reply.status, reply.text()))?;
    }
    Ok(total)
}

/// Puts the interrupted cases back, each picked up where the server has it.
async fn resume(round: &Round, tokens: &Tokens, addr: SocketAddr) -> Result<(), String> {
    let interrupted = std::mem::take(&mut *lock(&round.interrupted));
    let mut connection = Connection::new(addr);
    for mut case in interrupted {
        // A submission without an answer is sent again with the same idempotency key.
        if let Some(number) = case.number.clone() {
            let token = case.applicant(tokens).to_owned();
            let (version, events) = read_case(&mut connection, &token, &number).await?;
            case.resume_from(version, &events);
        }
        lock(&round.pending).push_back(case);
    }
    Ok(())
}

/// `onewindow audit verify` on the server's data, as an operator would run it.
fn audit_verify(server: &Server) -> Result<(bool, String), String> {
    let out = server
        .command()?
        .args(["audit", "verify"])
        .output()
        .map_err(|e| format!("cannot run audit verify: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok((out.status.success(), text))
}
