//! Case appends per second through the store, with SQLite at synchronous=FULL: group commit
//! (the default) against one transaction per append (the baseline) in the same run, beside the
//! raw floor (one 100-byte row per transaction through sqlx on the same disk). With PostgreSQL
//! installed, the same workload on a throwaway cluster with fsync switched back on.
//!
//! ```text
//! cargo bench -p onewindow-store-sql --bench appends
//! cargo bench -p onewindow-store-sql --bench appends -- --cases 2000 --appends 10 --tasks 64 \
//!     --rate 5000 --rounds 3
//! ```
//! Workload: N cases are created, then C tasks append K events to each case in turn (one event
//! of ~400 bytes and its projection per append, each under its version check): as fast as the
//! answers come, with one task (C=1, latency at low load), and at a rate offered (`--rate`,
//! default 5,000/s, latency counted from each append's scheduled time). Each round runs
//! every mode once on a fresh database; the table shows the median of the rounds. `--no-postgres`
//! (or ONEWINDOW_SKIP_POSTGRES=1) skips PostgreSQL; `--only TEXT` runs the modes whose name
//! contains TEXT. The databases go in the system temp dir (TMPDIR): on tmpfs the figures show
//! the CPU cost alone, without the disk's sync.

use std::process::Command;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use onewindow_store::{CaseId, CaseProjection, CaseStore, NewCase, StoredEvent};
use onewindow_store_sql::{CaseCommits, SqlStore};
use onewindow_testkit::{PgCluster, TestDatabase, postgres_bin_dir, psql};
use sqlx::{Connection, Executor};

#[derive(Clone, Copy)]
struct Workload {
    cases: usize,
    appends: i64,
    tasks: usize,
    /// Appends per second offered, spread over the tasks (`None`: as fast as answers come).
    /// Latency then counts from each append's scheduled time, so a writer that falls behind
    /// shows it (no coordinated omission).
    rate: Option<u32>,
}

/// One measured run of a mode.
#[derive(Clone, Copy, Default)]
struct Figures {
    per_second: f64,
    p50: Duration,
    p95: Duration,
    p99: Duration,
    /// Writes per commit (group commit only).
    per_commit: Option<f64>,
    /// CPU time of the whole process (store, driver threads and the load itself) per write.
    cpu_per_write: Duration,
}

/// User plus system CPU time of this process so far, from /proc (Linux).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after_name
        .split(' ')
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    // Clock ticks of 1/100 s: the Linux default (USER_HZ).
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
}

/// What one row of the table measures.
#[derive(Clone, Copy)]
enum Mode {
    Floor,
    Sqlite(CaseCommits, Workload),
    Postgres(CaseCommits, Workload),
}

fn label(commits: CaseCommits) -> &'static str {
    match commits {
        CaseCommits::OneEach => "one transaction per append",
        CaseCommits::Grouped => "group commit",
    }
}

impl Mode {
    fn name(self) -> String {
        match self {
            Mode::Floor => FLOOR.into(),
            Mode::Sqlite(c, w) => match w.rate {
                Some(rate) => format!("SQLite, {}, C={}, {rate}/s offered", label(c), w.tasks),
                None => format!("SQLite, {}, C={}", label(c), w.tasks),
            },
            Mode::Postgres(c, w) => format!("PostgreSQL, {}, C={}", label(c), w.tasks),
        }
    }
}

const FLOOR: &str = "SQLite floor: 100-byte row per commit";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let number = |flag: &str, default: usize| {
        value(flag).map_or(default, |v| v.parse().expect("a number after the flag"))
    };
    let workload = Workload {
        cases: number("--cases", 2_000),
        appends: i64::try_from(number("--appends", 10)).expect("small"),
        tasks: number("--tasks", 64),
        rate: None,
    };
    let single = Workload {
        tasks: 1,
        cases: 200,
        ..workload
    };
    let paced = Workload {
        rate: Some(u32::try_from(number("--rate", 5_000)).expect("a rate")),
        ..workload
    };
    let postgres = !args.iter().any(|a| a == "--no-postgres")
        && std::env::var("ONEWINDOW_SKIP_POSTGRES").as_deref() != Ok("1");
    let mut modes = vec![Mode::Floor];
    for commits in [CaseCommits::OneEach, CaseCommits::Grouped] {
        modes.push(Mode::Sqlite(commits, workload));
        modes.push(Mode::Sqlite(commits, paced));
        modes.push(Mode::Sqlite(commits, single));
    }
    if postgres {
        for commits in [CaseCommits::OneEach, CaseCommits::Grouped] {
            modes.push(Mode::Postgres(commits, workload));
        }
    }
    // `--only TEXT`: the modes whose name contains TEXT (e.g. "group commit, C=64").
    if let Some(only) = value("--only") {
        modes.retain(|m| m.name().contains(only.as_str()));
    }
    let rounds = number("--rounds", 3);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(workload, &modes, rounds));
}

async fn run(workload: Workload, modes: &[Mode], rounds: usize) {
    describe_machine(workload, rounds);
    let cluster = modes
        .iter()
        .any(|m| matches!(m, Mode::Postgres(..)))
        .then(durable_cluster);
    let mut rows: Vec<(String, Vec<Figures>)> = modes.iter().map(|m| (m.name(), vec![])).collect();
    for round in 1..=rounds {
        eprintln!("round {round} of {rounds}");
        for (mode, row) in modes.iter().zip(&mut rows) {
            let figures = match *mode {
                Mode::Floor => sqlite_floor(5_000).await,
                Mode::Sqlite(commits, workload) => {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                    appends(&url, commits, workload).await
                }
                Mode::Postgres(commits, workload) => {
                    let admin = cluster.as_ref().expect("started above").admin_url();
                    let db = TestDatabase::create_in(&admin).expect("database");
                    appends(&db.url, commits, workload).await
                }
            };
            row.1.push(figures);
        }
    }
    report(&rows);
}

fn describe_machine(workload: Workload, rounds: usize) {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("?", |m| m.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let Workload {
        cases,
        appends,
        tasks,
        ..
    } = workload;
    println!(
        "machine: {cores} cores, {model}; load average at start: {}",
        load.trim()
    );
    println!(
        "workload: {cases} cases x {appends} appends, {tasks} tasks; median of {rounds} rounds"
    );
}

/// A private cluster with fsync on, so that a PostgreSQL commit costs a real WAL flush as
/// SQLite's FULL commit does. The test kit starts its clusters with `-c fsync=off` on the
/// command line (for fast tests), which no configuration file overrides: restart it with the
/// same port and fsync on.
fn durable_cluster() -> PgCluster {
    let cluster = PgCluster::start().expect("start a PostgreSQL cluster");
    let pg_ctl = postgres_bin_dir()
        .expect("PostgreSQL binaries")
        .join("pg_ctl");
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut restart = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&pg_ctl);
        c
    } else {
        Command::new(&pg_ctl)
    };
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {} -k '' -c fsync=on -c max_connections=200",
        cluster.port()
    );
    let status = restart
        .current_dir("/")
        .arg("-D")
        .arg(cluster.dir().join("data"))
        .arg("-l")
        .arg(cluster.log_path())
        .args(["-w", "-m", "fast", "-o", &options, "restart"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run pg_ctl restart");
    assert!(status.success(), "pg_ctl restart with fsync on failed");
    let fsync = psql(&cluster.admin_url(), "SHOW fsync").expect("show fsync");
    assert_eq!(
        fsync.trim(),
        "on",
        "PostgreSQL must flush its WAL for a fair comparison"
    );
    cluster
}

/// One 100-byte row per transaction on one connection, WAL and synchronous=FULL, as
/// ../shared/bench/floor/sqlite_floor.c does in C.
async fn sqlite_floor(rows: usize) -> Figures {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("floor.db").display()
    );
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("open");
    conn.execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         CREATE TABLE floor (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);",
    )
    .await
    .expect("set up");
    let payload = "x".repeat(100);
    let mut latencies = Vec::with_capacity(rows);
    let (started, cpu) = (Instant::now(), cpu_time());
    for _ in 0..rows {
        let one = Instant::now();
        sqlx::query("INSERT INTO floor (payload) VALUES ($1)")
            .bind(payload.clone())
            .execute(&mut conn)
            .await
            .expect("insert");
        latencies.push(one.elapsed());
    }
    figures(started.elapsed(), cpu_time() - cpu, latencies, None)
}

fn figures(
    elapsed: Duration,
    cpu: Duration,
    mut latencies: Vec<Duration>,
    per_commit: Option<f64>,
) -> Figures {
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Figures {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        per_commit,
        cpu_per_write: cpu / u32::try_from(latencies.len()).unwrap_or(u32::MAX),
    }
}

async fn appends(url: &str, commits: CaseCommits, workload: Workload) -> Figures {
    let store = SqlStore::connect_with(url, 8, Some(commits))
        .await
        .expect("connect");
    let ids = create_cases(&store, workload).await;
    let before = store.group_commit_stats().unwrap_or_default();
    let (started, cpu) = (Instant::now(), cpu_time());
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..workload.tasks {
        let mine: Vec<CaseId> = ids
            .iter()
            .skip(task)
            .step_by(workload.tasks)
            .copied()
            .collect();
        let store = store.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut turn = task;
            for version in 1..=workload.appends {
                for &id in &mine {
                    let one = match workload.rate {
                        Some(rate) => {
                            let due =
                                started + Duration::from_secs_f64(turn as f64 / f64::from(rate));
                            tokio::time::sleep_until(due.into()).await;
                            due
                        }
                        None => Instant::now(),
                    };
                    turn += workload.tasks;
                    let next = version + 1;
                    store
                        .append_events(id, version, &[event(next)], &projection(next), at(next))
                        .await
                        .expect("append");
                    latencies.push(one.elapsed());
                }
            }
            latencies
        });
    }
    let latencies: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    let (elapsed, cpu) = (started.elapsed(), cpu_time() - cpu);
    let per_commit = store.group_commit_stats().map(|after| {
        (after.writes - before.writes) as f64 / (after.commits - before.commits).max(1) as f64
    });
    store.close().await;
    figures(elapsed, cpu, latencies, per_commit)
}

async fn create_cases(store: &SqlStore, workload: Workload) -> Vec<CaseId> {
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..workload.tasks {
        let store = store.clone();
        let count = (task..workload.cases).step_by(workload.tasks).count();
        tasks.spawn(async move {
            let mut ids = Vec::with_capacity(count);
            for _ in 0..count {
                let created = store.create_case(&new_case(), 2026).await.expect("create");
                ids.push(created.id);
            }
            ids
        });
    }
    tasks.join_all().await.into_iter().flatten().collect()
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_764_000_000 + second * 60).expect("valid")
}

fn hash(seq: i64) -> String {
    format!("{seq:064x}")
}

/// An event about the size of a real one (a decision with its reasons and the actor).
fn event(seq: i64) -> StoredEvent {
    StoredEvent {
        seq,
        at: at(seq),
        kind: "step_completed".into(),
        body: format!(
            "{{\"type\":\"step_completed\",\"step\":\"document_review\",\"outcome\":\"pass\",\
             \"actor\":{{\"user\":\"reviewer.li\",\"role\":\"reviewer\",\"org\":\"210200\"}},\
             \"at\":\"{}\",\"note\":\"材料齐全，符合法定形式，同意进入现场核查。{}\"}}",
            at(seq),
            "x".repeat(200)
        ),
        prev_hash: hash(seq - 1),
        hash: hash(seq),
    }
}

fn projection(seq: i64) -> CaseProjection {
    CaseProjection {
        status: "in_review".into(),
        step: Some(format!("step-{seq}")),
        acting_org: "210200".into(),
        statutory_due: Some("2026-12-10".parse().expect("date")),
        promised_due: Some("2026-11-20".parse().expect("date")),
        due_provisional: false,
        clock_status: "green".into(),
        open: true,
        step_since: Some(at(seq)),
        clock_basis: None,
        head: None,
    }
}

fn new_case() -> NewCase {
    NewCase {
        item_code: "XK06-014".into(),
        definition_code: "industrial-licence".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: None,
        licence_number: None,
        projection: projection(1),
        events: vec![event(1)],
        created_at: at(0),
    }
}

fn report(rows: &[(String, Vec<Figures>)]) {
    let median = |figures: &[Figures], pick: fn(&Figures) -> f64| {
        let mut values: Vec<f64> = figures.iter().map(pick).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1_000.0
    }
    let rate_of = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .map(|r| median(&r.1, |f| f.per_second))
    };
    println!();
    println!(
        "| mode | writes/s | p50 ms | p95 ms | p99 ms | writes per commit | CPU µs per write | \
         each round, writes/s |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, figures) in rows {
        let rounds: Vec<String> = figures
            .iter()
            .map(|f| format!("{:.0}", f.per_second))
            .collect();
        let per_commit = if figures.iter().any(|f| f.per_commit.is_some()) {
            format!("{:.1}", median(figures, |f| f.per_commit.unwrap_or(1.0)))
        } else {
            "1".into()
        };
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {:.2} | {per_commit} | {:.0} | {} |",
            median(figures, |f| f.per_second),
            median(figures, |f| ms(f.p50)),
            median(figures, |f| ms(f.p95)),
            median(figures, |f| ms(f.p99)),
            median(figures, |f| f.cpu_per_write.as_secs_f64() * 1e6),
            rounds.join(", ")
        );
    }
    println!();
    let floor = rate_of(FLOOR);
    let p99_of = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .map(|r| median(&r.1, |f| ms(f.p99)))
    };
    for (name, _) in rows.iter().filter(|r| r.0.contains("group commit")) {
        let baseline = name.replace("group commit", "one transaction per append");
        if name.contains("offered") {
            // Both keep up with the rate or fall behind: compare the waits.
            if let (Some(grouped), Some(each)) = (p99_of(name), p99_of(&baseline)) {
                println!("{name}: p99 {grouped:.2} ms against {each:.2} ms one per commit");
            }
        } else if let (Some(grouped), Some(each)) = (rate_of(name), rate_of(&baseline)) {
            print!("{name}: {:.2}x the baseline", grouped / each);
            if let (Some(floor), true) = (floor, name.starts_with("SQLite")) {
                print!(", {:.2}x the floor", grouped / floor);
            }
            println!();
        }
    }
}
