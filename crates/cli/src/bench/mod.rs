//! `onewindow bench` (issue 6): a load generator for the whole case flow over HTTP. It starts a
//! server of its own (this binary, `serve --demo`, a fresh data folder, SQLite — or a
//! throwaway PostgreSQL cluster with `--db postgres`) or drives a running one (`--url`),
//! registers enterprises, makes API tokens, and drives cases through the industrial licence
//! journey (`flow.rs`) with C clients (closed loop) or at a fixed rate (open loop). It reports
//! transitions a second, latency percentiles per request kind, errors, the server's peak RSS and
//! its database size; `--peers` measures the peer engines and the SQLite floor right after;
//! `--kill-test` checks that no acknowledged transition is lost to SIGKILL (`kill.rs`). The
//! server it started is always stopped.

mod flow;
mod http;
mod kill;
mod load;
mod peers;
mod report;
mod scale;
mod server;
mod setup;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use onewindow_app::Random;

use crate::config::Config;
use load::Plan;
use report::{RunReport, ServerCpu};
pub use server::Backend;
use server::Server;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    /// The national-size benchmarks on a data folder (seed, million, recompute).
    #[command(subcommand)]
    pub scale: Option<scale::ScaleCommand>,
    /// Cases driven through the whole journey (7 transitions each; 6 for the tenth, denied).
    #[arg(long, default_value_t = 2_000)]
    pub cases: u64,
    /// Clients acting at once (closed loop; the kill test's clients too).
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    /// Enterprises registered; case i is applied for by enterprise i mod N.
    #[arg(long, default_value_t = 50)]
    pub enterprises: usize,
    /// Stop offering load after this many seconds even if cases remain (open loop: default 30).
    #[arg(long)]
    pub duration: Option<u64>,
    /// Open loop: offer this many transitions a second, on schedule, and count each latency
    /// from when the request was due (e.g. --rate 5000 for the p99 target).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Repeat the whole run (a fresh server each time) and report the medians.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Drive a running server (http://HOST:PORT, with the demo bureau) instead of starting
    /// one; its database (--db / --data-dir / the config file) must be reachable from here for
    /// the bench's API tokens.
    #[arg(long)]
    pub url: Option<String>,
    /// Also measure the peer engines and the SQLite floor on the same number of cases.
    #[arg(long)]
    pub peers: bool,
    /// The shared bench folder holding run-peers.sh and floor/.
    #[arg(long, default_value = "../shared/bench")]
    pub peers_dir: PathBuf,
    /// Keep the started server's data folder and log (printed) instead of removing them.
    #[arg(long)]
    pub keep: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Moves ask for the number and new version only (`Prefer: return=minimal`), as an
    /// integration that does not show the case would; the default asks for the whole case.
    #[arg(long)]
    pub minimal_answers: bool,
    /// Kill the server with SIGKILL during the load, restart it, and check that every
    /// acknowledged transition is there and `audit verify` passes.
    #[arg(long)]
    pub kill_test: bool,
    /// SIGKILLs in the kill test.
    #[arg(long, default_value_t = 10)]
    pub kills: u32,
    /// Seed for the kill test's random moments (printed; default: random).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Runs the bench on `backend` (ignored with `--url`, whose database the configuration names).
pub async fn run(args: &BenchArgs, config: &Config, backend: Backend) -> Result<ExitCode, String> {
    if let Some(command) = &args.scale {
        return scale::run(command, config).await;
    }
    if args.cases == 0 || args.runs == 0 {
        return Err("--cases and --runs must be at least 1".into());
    }
    if args.rate.is_some_and(|r| !(r > 0.0 && r.is_finite())) {
        return Err("--rate must be a positive number of transitions a second".into());
    }
    if args.kill_test {
        if args.url.is_some() {
            return Err("--kill-test starts (and kills) its own server; leave out --url".into());
        }
        return kill::run(args, config, backend).await;
    }
    let mut runs = Vec::new();
    for n in 1..=args.runs {
        if args.runs > 1 && !args.json {
            eprintln!("run {n} of {} …", args.runs);
        }
        runs.push(one_run(args, config, backend).await?);
    }
    let peers = match args.peers {
        true => Some(peers::run(&args.peers_dir, args.cases)?),
        false => None,
    };
    report::print_all(&runs, peers.as_ref(), args.json);
    Ok(ExitCode::SUCCESS)
}

async fn one_run(args: &BenchArgs, config: &Config, backend: Backend) -> Result<RunReport, String> {
    let seed = random_seed();
    let started = Instant::now();
    let (mut server, addr, db) = match &args.url {
        Some(url) => (None, http::resolve(url).await?, config.clone()),
        None => {
            let server = Server::start(backend).await?;
            let (addr, db) = (server.addr, config_for(config, &server));
            (Some(server), addr, db)
        }
    };
    let server_start = server.as_ref().map(|_| started.elapsed());
    let users = setup::register_enterprises(addr, seed, args.enterprises.max(1)).await?;
    let tokens = Arc::new(setup::make_tokens(&db, &users).await?);
    let setup = started.elapsed() - server_start.unwrap_or_default();
    let plan = Plan {
        cases: args.cases,
        concurrency: args.concurrency,
        duration: args.duration.map(Duration::from_secs),
        run: format!("{seed:x}"),
        minimal_answers: args.minimal_answers,
    };
    let pid = server.as_ref().and_then(Server::pid);
    let cpu_before = pid.map(server::cpu_split_of);
    let answers = match plan.minimal_answers {
        true => ", minimal answers",
        false => "",
    };
    let (recorder, counts, load) = match args.rate {
        Some(rate) => {
            let (r, c) = load::open_loop(addr, tokens, &plan, rate).await;
            (r, c, format!("open loop, {rate} transitions/s{answers}"))
        }
        None => {
            let (r, c) = load::closed_loop(addr, tokens, &plan).await;
            let clients = plan.concurrency;
            (r, c, format!("closed loop, {clients} clients{answers}"))
        }
    };
    let server_cpu = pid.zip(cpu_before).map(|(pid, (total, typesetting))| {
        let (total_now, typesetting_now) = server::cpu_split_of(pid);
        ServerCpu {
            total_s: total_now - total,
            typesetting_s: typesetting_now - typesetting,
        }
    });
    let summary = recorder.summarise(counts.wall);
    let backend_key = match &args.url {
        Some(_) if db.database_url.starts_with("sqlite:") => "sqlite (running server)",
        Some(_) => "postgres (running server)",
        None => backend.key(),
    };
    let mut report = RunReport {
        backend: backend_key,
        load,
        server_start,
        setup,
        counts,
        summary,
        peak_rss_kib: None,
        server_cpu,
        database_bytes: server::database_bytes(&db.database_url),
        files_bytes: None,
        documents_deferred: None,
    };
    if let Some(server) = server.as_mut() {
        report.peak_rss_kib = Some(server.peak_rss_kib());
        server.stop();
        report.database_bytes = server.database_bytes();
        report.files_bytes = Some(server.files_bytes());
        report.documents_deferred = Some(server.documents_deferred());
        if args.keep
            && let Some(dir) = server.keep_files()
        {
            eprintln!("kept the data folder and server.log in {}", dir.display());
        }
    }
    Ok(report)
}

/// The configuration that reaches a started server's database.
fn config_for(base: &Config, server: &Server) -> Config {
    Config {
        database_url: server.database_url.clone(),
        data_dir: server.data_dir.clone(),
        files_dir: server.data_dir.join("files"),
        max_connections: 2,
        ..base.clone()
    }
}

/// A fresh seed for this run's names and keys.
fn random_seed() -> u64 {
    let bytes = onewindow_app::SystemRandom.bytes32();
    u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default()) >> 32
}
