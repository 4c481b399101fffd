//! `onewindow bench million`: the issue 6 targets with a seeded data folder — start-up to the
//! first `/healthz` (median of several starts), then, as the demo's signed-in staff (API tokens
//! on their accounts), the workbench queue pages, the overview figures and the licence register
//! searches over HTTP (p50/p99 of many requests each), the enterprise search in process (it has
//! no HTTP route yet), and the server's peak RSS. The server's start-up sweep runs over every
//! open case in the background; its CPU time is reported and the pages are measured after it
//! settles (and once while it runs).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::bench::http::{Call, Connection};
use crate::bench::server::{Server, cpu_seconds_of as cpu_seconds};
use crate::config::Config;

#[derive(clap::Args)]
pub struct MillionArgs {
    /// Requests per measured page or search.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Server starts timed (the median is reported).
    #[arg(long, default_value_t = 3)]
    starts: usize,
}

/// What the registers are searched for, in turn (holder names, numbers, products, codes).
const LICENCE_QUERIES: &[&str] = &[
    "泵",
    "大连第12",
    "机械",
    "XK06",
    "91210200H00001",
    "大连第4567机械",
    "辽XK",
    "有限公司",
];
const ENTERPRISE_QUERIES: &[&str] = &[
    "91210200H000",
    "91210200H0001234",
    "大连第1",
    "大连第98765",
    "9121",
];

pub async fn run(args: &MillionArgs, config: &Config) -> Result<ExitCode, String> {
    if !config.data_dir.join("onewindow.db").exists() {
        return Err(format!(
            "{} holds no database: run `onewindow bench seed --data-dir …` first",
            config.data_dir.display()
        ));
    }
    println!(
        "data folder {}: database {:.0} MB",
        config.data_dir.display(),
        super::database_bytes(&config.data_dir) as f64 / 1e6
    );
    let mut server = Server::on_folder(&config.data_dir)?;
    let mut starts = Vec::new();
    for n in 0..args.starts.max(1) {
        let took = server.launch().await?;
        println!("start {}: first /healthz after {:.0} ms", n + 1, ms(took));
        starts.push(took);
        if n + 1 < args.starts {
            server.stop();
        }
    }
    starts.sort();
    println!(
        "start-up (median of {}): {:.0} ms  [target < 2000 ms]",
        starts.len(),
        ms(starts[starts.len() / 2])
    );
    let app = crate::open_app(config).await?;
    let clerk = token(&app, "clerk").await?;
    let reviewer = token(&app, "reviewer").await?;
    let addr = server.addr;
    let pid = server.pid().ok_or("the server is not running")?;
    // While the start-up sweep runs.
    measure(
        addr,
        "workbench, clerk (start-up sweep running)",
        args.requests / 4,
        |_| ("/workbench".to_owned(), clerk.clone()),
    )
    .await?;
    let sweep = settle(pid).await;
    println!(
        "start-up sweep: the server used {:.1} s of CPU before it went idle ({:.1} s after start)",
        sweep.0, sweep.1
    );
    let pages: [(&str, &str); 3] = [
        ("workbench page 1, clerk", "/workbench"),
        ("workbench page 20, clerk", "/workbench?page=20"),
        ("overview figures", "/overview"),
    ];
    for (name, path) in pages {
        measure(addr, name, args.requests, |_| {
            (path.to_owned(), clerk.clone())
        })
        .await?;
    }
    measure(addr, "workbench, reviewer", args.requests, |_| {
        ("/workbench".to_owned(), reviewer.clone())
    })
    .await?;
    measure(
        addr,
        "licence register page /licences?q=",
        args.requests,
        |i| {
            let q = LICENCE_QUERIES[i % LICENCE_QUERIES.len()];
            (format!("/licences?q={}", encode(q)), clerk.clone())
        },
    )
    .await?;
    measure(
        addr,
        "licence API /api/v1/licences?q=",
        args.requests,
        |i| {
            let q = LICENCE_QUERIES[i % LICENCE_QUERIES.len()];
            (format!("/api/v1/licences?q={}", encode(q)), clerk.clone())
        },
    )
    .await?;
    let username = onewindow_domain::access::Username::parse("clerk").map_err(|e| e.to_string())?;
    let staff = app
        .store
        .user_by_name(&username)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo's clerk is missing")?;
    let mut times = Vec::new();
    for i in 0..args.requests {
        let q = ENTERPRISE_QUERIES[i % ENTERPRISE_QUERIES.len()];
        let started = Instant::now();
        app.search_enterprises(
            &staff,
            q,
            onewindow_app::catalogue::PageRequest {
                number: 1,
                size: 20,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        times.push(started.elapsed());
    }
    report(
        "enterprise search (in process, App::search_enterprises)",
        times,
    );
    let rss = server.peak_rss_kib();
    server.stop();
    println!(
        "server peak RSS (VmHWM): {:.0} MiB  [target < 300 MB]",
        rss as f64 / 1024.0
    );
    Ok(ExitCode::SUCCESS)
}

async fn token(app: &onewindow_app::App, user: &str) -> Result<String, String> {
    app.create_api_token_from_command_line(user, "onewindow bench million")
        .await
        .map(|issued| issued.token)
        .map_err(|e| format!("a token for {user}: {e} (is the folder seeded?)"))
}

/// `requests` GETs one after another on one connection; prints p50/p99 and the statuses seen.
async fn measure(
    addr: std::net::SocketAddr,
    name: &str,
    requests: usize,
    call: impl Fn(usize) -> (String, String),
) -> Result<(), String> {
    let mut connection = Connection::new(addr);
    let mut times = Vec::with_capacity(requests);
    for i in 0..requests.max(1) {
        let (path, token) = call(i);
        let started = Instant::now();
        let reply = connection
            .send(Call::get(&path, &token))
            .await
            .map_err(|e| format!("{name}: {path}: {}", e.0))?;
        times.push(started.elapsed());
        if reply.status != 200 {
            return Err(format!(
                "{name}: {path} answered {}: {}",
                reply.status,
                reply.text()
            ));
        }
    }
    report(name, times);
    Ok(())
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| ms(times[((times.len() as f64 - 1.0) * q).round() as usize]);
    println!(
        "{name}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} requests)",
        at(0.5),
        at(0.99),
        at(1.0),
        times.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Waits until the process has used under 5% of a core for 2 s; its CPU seconds by then and
/// the seconds waited.
async fn settle(pid: u32) -> (f64, f64) {
    let started = Instant::now();
    let mut quiet = 0;
    let mut last = cpu_seconds(pid);
    while quiet < 4 && started.elapsed() < Duration::from_secs(1800) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = cpu_seconds(pid);
        quiet = if now - last < 0.025 { quiet + 1 } else { 0 };
        last = now;
    }
    (last, started.elapsed().as_secs_f64())
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
