//! The peers measured in the same run (issue 6): two BPMN engines a bureau might pick instead,
//! persisting their state to SQLite after every user step (`run-peers.sh` in the shared bench
//! folder installs them from PyPI and npm into a work folder kept between runs), and the SQLite
//! floor — the C program committing one 100-byte row per transaction, the most commits a
//! second this disk gives one writer.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// What the peers and the floor did.
#[derive(Debug, Clone)]
pub struct Peers {
    /// One object per engine run (`engine`, `sync`, `steps_per_s`, `peak_rss_kib` …).
    pub engines: Vec<Value>,
    /// The floor runs (`sync`, `txns_per_s` …), FULL first.
    pub floor: Vec<Value>,
    /// How the floor was measured (C, or Python when there is no C compiler).
    pub floor_note: String,
}

impl Peers {
    /// The faster engine's user steps a second with `synchronous = sync`.
    pub fn fastest(&self, sync: &str) -> Option<&Value> {
        self.engines
            .iter()
            .filter(|e| e["sync"] == sync)
            .max_by(|a, b| steps(a).total_cmp(&steps(b)))
    }

    pub fn floor(&self, sync: &str) -> Option<f64> {
        self.floor
            .iter()
            .find(|f| f["sync"] == sync)
            .and_then(|f| f["txns_per_s"].as_f64())
    }

    pub fn json(&self) -> Value {
        json!({"engines": self.engines, "floor": self.floor, "floor_note": self.floor_note})
    }
}

pub fn steps(engine: &Value) -> f64 {
    engine["steps_per_s"].as_f64().unwrap_or(0.0)
}

/// Runs `run-peers.sh CASES WORK` from `dir` and the floor programs.
pub fn run(dir: &Path, cases: u64) -> Result<Peers, String> {
    let script = dir.join("run-peers.sh");
    if !script.is_file() {
        return Err(format!(
            "{} not found; give the shared bench folder with --peers-dir",
            script.display()
        ));
    }
    let work = std::env::temp_dir().join("onewindow-bench-peers");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    eprintln!(
        "running the peers on {cases} cases in {} (the first run installs them) …",
        work.display()
    );
    let out = Command::new("bash")
        .arg(&script)
        .arg(cases.to_string())
        .arg(&work)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}):\n{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut engines = json_lines(&out.stdout);
    // /usr/bin/time writes each run's peak RSS on stderr, in the same order.
    let rss: Vec<Value> = json_lines(&out.stderr)
        .into_iter()
        .filter(|v| v.get("peak_rss_kib").is_some())
        .collect();
    for (engine, rss) in engines.iter_mut().zip(rss) {
        engine["peak_rss_kib"] = rss["peak_rss_kib"].clone();
    }
    let (floor, floor_note) = floor(dir, &work)?;
    Ok(Peers {
        engines,
        floor,
        floor_note,
    })
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// One 100-byte row per transaction: 20,000 commits with FULL, 200,000 with NORMAL.
fn floor(dir: &Path, work: &Path) -> Result<(Vec<Value>, String), String> {
    let source = dir.join("floor").join("sqlite_floor.c");
    let binary = work.join("sqlite_floor");
    let compiled = Command::new("gcc")
        .args(["-O2", "-o"])
        .arg(&binary)
        .arg(&source)
        .arg("-lsqlite3")
        .output();
    let (program, note): (Vec<PathBuf>, String) = match compiled {
        Ok(out) if out.status.success() => (vec![binary], "C (gcc -O2, system SQLite)".into()),
        _ => (
            vec![
                PathBuf::from("python3"),
                dir.join("floor").join("sqlite_floor.py"),
            ],
            "Python sqlite3 (no working gcc here)".into(),
        ),
    };
    let db = work.join("floor.db");
    let mut runs = Vec::new();
    for (sync, total) in [("FULL", "20000"), ("NORMAL", "200000")] {
        let mut command = Command::new(&program[0]);
        command
            .args(&program[1..])
            .arg(&db)
            .args([sync, "1", total, "100"]);
        let out = command
            .output()
            .map_err(|e| format!("cannot run the SQLite floor: {e}"))?;
        let line = json_lines(&out.stdout).into_iter().next().ok_or_else(|| {
            format!(
                "the SQLite floor printed nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
        runs.push(line);
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    Ok((runs, note))
}
