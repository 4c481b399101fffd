//! The bench's report: a table per run, the medians of several runs, the peers and the ratios
//! the issue asks for — or all of it as one JSON document (`--json`).

use std::time::Duration;

use serde_json::{Value, json};

use super::load::Counts;
use super::peers::{self, Peers};
use super::stats::{Summary, round1, round2};

/// One run's figures.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub backend: &'static str,
    /// "closed loop, 32 clients" or "open loop, 5000 transitions/s".
    pub load: String,
    /// Until the started server answered (the demo seed included); none for `--url`.
    pub server_start: Option<Duration>,
    pub setup: Duration,
    pub counts: Counts,
    pub summary: Summary,
    pub peak_rss_kib: Option<u64>,
    /// The started server's CPU during the load (none for `--url`).
    pub server_cpu: Option<ServerCpu>,
    pub database_bytes: Option<u64>,
    pub files_bytes: Option<u64>,
    /// Documents the server's full queue deferred to the sweeper (from its log).
    pub documents_deferred: Option<u64>,
}

/// CPU seconds (user + system, all cores) the server used while the load ran: the measure that
/// holds on a shared machine, where throughput moves with the neighbours' load. Typesetting
/// runs at the lowest priority on its own thread and is counted apart.
#[derive(Debug, Clone, Copy)]
pub struct ServerCpu {
    pub total_s: f64,
    pub typesetting_s: f64,
}

impl ServerCpu {
    /// Microseconds of CPU per acknowledged transition: (all, requests without typesetting).
    fn per_transition_us(&self, transitions: u64) -> Option<(f64, f64)> {
        let n = transitions as f64;
        (transitions > 0).then(|| {
            (
                self.total_s * 1e6 / n,
                (self.total_s - self.typesetting_s) * 1e6 / n,
            )
        })
    }
}

/// Cores of this machine, for the ceiling a CPU cost per transition sets.
fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
}

fn mib(bytes: u64) -> f64 {
    round1(bytes as f64 / 1_048_576.0)
}

impl RunReport {
    pub fn json(&self) -> Value {
        let s = &self.summary;
        let kinds: serde_json::Map<String, Value> = s
            .kinds
            .iter()
            .map(|(k, l)| (k.key().to_owned(), l.json()))
            .collect();
        let failures: Vec<Value> = s
            .failures
            .iter()
            .map(|((kind, what), f)| {
                json!({"kind": kind.key(), "what": what, "count": f.count, "example": f.example})
            })
            .collect();
        json!({
            "backend": self.backend,
            "load": self.load,
            "server_start_s": self.server_start.map(|d| round2(d.as_secs_f64())),
            "setup_s": round2(self.setup.as_secs_f64()),
            "wall_s": round2(self.counts.wall.as_secs_f64()),
            "cases_started": self.counts.cases_started,
            "cases_finished": self.counts.cases_finished,
            "cases_failed": self.counts.cases_failed,
            "not_sent": self.counts.not_sent,
            "transitions": s.transitions.json(),
            "transitions_per_s": round1(s.transitions.per_second),
            "sustained_transitions_per_s": round1(s.sustained),
            "per_second": s.per_second,
            "requests": kinds,
            "errors": failures,
            "server_peak_rss_mib": self.peak_rss_kib.map(|k| round1(k as f64 / 1024.0)),
            "server_cpu_s": self.server_cpu.map(|c| round2(c.total_s)),
            "typesetting_cpu_s": self.server_cpu.map(|c| round2(c.typesetting_s)),
            "server_cpu_us_per_transition": self.cpu_per_transition().map(|(all, _)| round1(all)),
            "request_cpu_us_per_transition": self.cpu_per_transition().map(|(_, req)| round1(req)),
            "database_mib": self.database_bytes.map(mib),
            "files_mib": self.files_bytes.map(mib),
            "documents_deferred": self.documents_deferred,
        })
    }

    fn cpu_per_transition(&self) -> Option<(f64, f64)> {
        self.server_cpu?
            .per_transition_us(self.summary.transitions.count)
    }

    pub fn print(&self, n: usize, of: usize) {
        let s = &self.summary;
        let c = &self.counts;
        println!("run {n} of {of}: {}, {}", self.backend, self.load);
        if let Some(start) = self.server_start {
            println!(
                "  server start (demo seed included) {:.2} s",
                start.as_secs_f64()
            );
        }
        println!(
            "  setup (enterprises, tokens) {:.2} s; load {:.2} s",
            self.setup.as_secs_f64(),
            c.wall.as_secs_f64()
        );
        println!(
            "  {} transitions acknowledged: {:.0}/s over the load, {:.0}/s sustained (median second)",
            s.transitions.count, s.transitions.per_second, s.sustained
        );
        println!(
            "  cases: {} started, {} finished, {} failed{}",
            c.cases_started,
            c.cases_finished,
            c.cases_failed,
            match c.not_sent {
                0 => String::new(),
                n => format!("; {n} due requests not sent (no case ready or too many waiting)"),
            }
        );
        println!(
            "  {:<18} {:>8} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8}",
            "request", "count", "errors", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"
        );
        let row = |name: &str, l: &super::stats::Latencies| {
            println!(
                "  {:<18} {:>8} {:>7} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
                name, l.count, l.errors, l.per_second, l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms
            );
        };
        for (kind, l) in &s.kinds {
            row(kind.key(), l);
        }
        row("all transitions", &s.transitions);
        let mut server = Vec::new();
        if let Some(k) = self.peak_rss_kib {
            server.push(format!("peak RSS {:.1} MiB", k as f64 / 1024.0));
        }
        if let Some(b) = self.database_bytes {
            server.push(format!("database {:.1} MiB", mib(b)));
        }
        if let Some(b) = self.files_bytes {
            server.push(format!("files {:.1} MiB", mib(b)));
        }
        if let Some(d) = self.documents_deferred {
            server.push(format!("documents deferred to the sweeper {d}"));
        }
        if !server.is_empty() {
            println!("  server: {}", server.join(", "));
        }
        if let (Some(cpu), Some((all, requests))) = (self.server_cpu, self.cpu_per_transition()) {
            println!(
                "  server CPU during the load: {:.2} s ({:.2} s typesetting) = {all:.0} µs per transition, {requests:.0} µs without typesetting (at that cost {:.0} cores carry at most {:.0} transitions/s)",
                cpu.total_s,
                cpu.typesetting_s,
                cores(),
                cores() * 1e6 / requests.max(1.0)
            );
        }
        for ((kind, what), f) in &s.failures {
            println!("  error: {} {what} ×{}: {}", kind.key(), f.count, f.example);
        }
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

/// The medians over the runs of the figures the targets name.
fn medians(runs: &[RunReport]) -> Value {
    let of = |f: &dyn Fn(&RunReport) -> Option<f64>| median(runs.iter().filter_map(f).collect());
    json!({
        "runs": runs.len(),
        "transitions_per_s": of(&|r| Some(r.summary.transitions.per_second)).map(round1),
        "sustained_transitions_per_s": of(&|r| Some(r.summary.sustained)).map(round1),
        "p50_ms": of(&|r| Some(r.summary.transitions.p50_ms)).map(round2),
        "p95_ms": of(&|r| Some(r.summary.transitions.p95_ms)).map(round2),
        "p99_ms": of(&|r| Some(r.summary.transitions.p99_ms)).map(round2),
        "server_peak_rss_mib": of(&|r| r.peak_rss_kib.map(|k| k as f64 / 1024.0)).map(round1),
        "database_mib": of(&|r| r.database_bytes.map(mib)),
        "server_start_s": of(&|r| r.server_start.map(|d| d.as_secs_f64())).map(round2),
        "request_cpu_us_per_transition": of(&|r| r.cpu_per_transition().map(|(_, req)| req)).map(round1),
    })
}

/// onewindow's sustained rate against the faster peer and the floor, both with FULL sync.
fn ratios(runs: &[RunReport], peers: &Peers) -> Value {
    let ours = median(runs.iter().map(|r| r.summary.sustained).collect()).unwrap_or(0.0);
    let fastest = peers.fastest("FULL");
    let peer_rate = fastest.map(peers::steps).unwrap_or(0.0);
    let floor = peers.floor("FULL").unwrap_or(0.0);
    json!({
        "onewindow_transitions_per_s": round1(ours),
        "faster_peer": fastest.map(|e| e["engine"].clone()),
        "faster_peer_steps_per_s": round1(peer_rate),
        "vs_faster_peer": (peer_rate > 0.0).then(|| round2(ours / peer_rate)),
        "sqlite_floor_full_commits_per_s": round1(floor),
        "vs_sqlite_floor": (floor > 0.0).then(|| round2(ours / floor)),
    })
}

pub fn print_all(runs: &[RunReport], peers: Option<&Peers>, as_json: bool) {
    if as_json {
        let mut out = json!({
            "runs": runs.iter().map(RunReport::json).collect::<Vec<_>>(),
            "median": medians(runs),
        });
        if let Some(p) = peers {
            out["peers"] = p.json();
            out["ratios"] = ratios(runs, p);
        }
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return;
    }
    for (i, run) in runs.iter().enumerate() {
        run.print(i + 1, runs.len());
    }
    if runs.len() > 1 {
        let m = medians(runs);
        println!(
            "median of {} runs: {} transitions/s sustained ({} over the load), p50 {} ms, p95 {} ms, p99 {} ms, peak RSS {} MiB, database {} MiB, request CPU {} µs per transition",
            runs.len(),
            m["sustained_transitions_per_s"],
            m["transitions_per_s"],
            m["p50_ms"],
            m["p95_ms"],
            m["p99_ms"],
            m["server_peak_rss_mib"],
            m["database_mib"],
            m["request_cpu_us_per_transition"]
        );
    }
    let Some(p) = peers else { return };
    println!(
        "peers, same machine, right after ({} cases each):",
        runs.first().map_or(0, |r| r.counts.cases_started)
    );
    for e in &p.engines {
        println!(
            "  {} {} sync={}: {} user steps/s, peak RSS {} MiB",
            e["engine"].as_str().unwrap_or("?"),
            e["version"].as_str().unwrap_or(""),
            e["sync"].as_str().unwrap_or("-"),
            e["steps_per_s"],
            e["peak_rss_kib"]
                .as_f64()
                .map_or("?".into(), |k| format!("{:.0}", k / 1024.0))
        );
    }
    for f in &p.floor {
        println!(
            "  SQLite floor, {}, one 100-byte row per commit, sync={}: {} commits/s",
            p.floor_note,
            f["sync"].as_str().unwrap_or("?"),
            f["txns_per_s"]
        );
    }
    let r = ratios(runs, p);
    println!(
        "  onewindow {} transitions/s = {}× the faster peer ({}, FULL) and {}× the SQLite floor (FULL)",
        r["onewindow_transitions_per_s"],
        r["vs_faster_peer"],
        r["faster_peer"],
        r["vs_sqlite_floor"]
    );
}
