//! The server a bench run starts for itself: this same binary, `serve --demo`, on a free port of
//! 127.0.0.1 with a fresh temporary data folder, on SQLite or on a throwaway PostgreSQL cluster
//! (crates/testkit). It is always stopped (and its folder removed) when the run ends, also on
//! an error or a panic; it can be killed with SIGKILL and started again on the same data.

use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use onewindow_testkit::PgCluster;

use super::http::{Call, Connection};

/// How long a start (a demo seed on a debug build included) may take.
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// Which database the started server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn key(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A running `onewindow serve` child process and the data it owns.
pub struct Server {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    log: PathBuf,
    config: PathBuf,
    /// Highest VmHWM seen over every process of this server (restarts included), KiB.
    peak_rss_kib: u64,
    // Dropped after the child is stopped (see Drop): the cluster, then the folder.
    cluster: Option<PgCluster>,
    dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts a fresh server with the demo bureau and waits until it answers.
    pub async fn start(backend: Backend) -> Result<Server, String> {
        let dir = tempfile::Builder::new()
            .prefix("onewindow-bench-")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary data folder: {e}"))?;
        let data_dir = dir.path().join("data");
        let (cluster, database_url) = match backend {
            Backend::Sqlite => (
                None,
                format!("sqlite://{}", data_dir.join("onewindow.db").display()),
            ),
            Backend::Postgres => {
                let cluster = tokio::task::spawn_blocking(PgCluster::start_durable)
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| format!("cannot start a PostgreSQL cluster: {e}"))?;
                let url = cluster.admin_url();
                (Some(cluster), url)
            }
        };
        // An empty config file, so a ./onewindow.toml where the bench runs is not read; the
        // ONEWINDOW_* variables still apply (e.g. ONEWINDOW_DOCUMENTS=inline).
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, "")
            .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
        let mut server = Server {
            child: None,
            addr: SocketAddr::from(([127, 0, 0, 1], onewindow_testkit::free_port())),
            log: dir.path().join("server.log"),
            data_dir,
            database_url,
            config,
            peak_rss_kib: 0,
            cluster,
            dir: Some(dir),
        };
        server.launch().await?;
        Ok(server)
    }

    /// A server on an existing SQLite data folder (a `bench seed`), which is kept; only the
    /// config file and the log live in a temporary folder. Not started yet: call `launch`.
    pub fn on_folder(data_dir: &Path) -> Result<Server, String> {
        let dir = tempfile::Builder::new()
            .prefix("onewindow-bench-")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary folder: {e}"))?;
        let config = dir.path().join("bench.toml");
        std::fs::write(&config, "")
            .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
        Ok(Server {
            child: None,
            addr: SocketAddr::from(([127, 0, 0, 1], onewindow_testkit::free_port())),
            log: dir.path().join("server.log"),
            data_dir: data_dir.to_owned(),
            database_url: format!("sqlite://{}", data_dir.join("onewindow.db").display()),
            config,
            peak_rss_kib: 0,
            cluster: None,
            dir: Some(dir),
        })
    }

    /// Starts the process (again) on the same data and port and waits until it answers.
    pub async fn launch(&mut self) -> Result<Duration, String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| format!("cannot open {}: {e}", self.log.display()))?;
        let err = log
            .try_clone()
            .map_err(|e| format!("cannot open {}: {e}", self.log.display()))?;
        let started = Instant::now();
        let mut command = self.command()?;
        // SAFETY: prctl(2) in the child between fork and exec touches no memory of ours; it
        // makes the kernel kill the server if the bench dies (killed by a test harness's
        // timeout, say), so no server outlives the run that started it.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = command
            .args(["serve", "--demo", "--listen", &self.addr.to_string()])
            .env(
                "ONEWINDOW_LOG",
                std::env::var("ONEWINDOW_LOG").unwrap_or("warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        self.child = Some(child);
        self.wait_until_ready(started).await?;
        Ok(started.elapsed())
    }

    async fn wait_until_ready(&mut self, started: Instant) -> Result<(), String> {
        let mut connection = Connection::new(self.addr);
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                return Err(format!(
                    "the server stopped while starting ({status}):\n{}",
                    self.log_tail()
                ));
            }
            if let Ok(reply) = connection.send(Call::get("/healthz", "")).await
                && reply.status == 200
            {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "the server did not answer within {START_TIMEOUT:?}:\n{}",
                    self.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Keeps the data folder and the server's log after the run; returns where they are.
    pub fn keep_files(&mut self) -> Option<PathBuf> {
        self.dir.take().map(tempfile::TempDir::keep)
    }

    /// This program with the server's configuration, data folder and database, for a
    /// subcommand to follow (`serve`, `audit verify` …).
    pub fn command(&self) -> Result<Command, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        let mut command = Command::new(exe);
        command
            .arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .arg("--db")
            .arg(&self.database_url);
        Ok(command)
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The server's peak resident memory so far (VmHWM, KiB), over every start.
    pub fn peak_rss_kib(&mut self) -> u64 {
        if let Some(kib) = self.pid().and_then(peak_rss_of) {
            self.peak_rss_kib = self.peak_rss_kib.max(kib);
        }
        self.peak_rss_kib
    }

    /// SIGKILL: no shutdown, no flush — what a power cut leaves is what the disk has.
    pub fn kill(&mut self) {
        self.peak_rss_kib();
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM and wait for the graceful shutdown (SIGKILL after 30 s).
    pub fn stop(&mut self) {
        self.peak_rss_kib();
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) with a pid of our own child process has no memory effects.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// The last lines the server logged (for error messages).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Documents the server's full queue deferred to the sweeper (it says how many when it
    /// stops).
    pub fn documents_deferred(&self) -> u64 {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let plain = strip_colours(&log);
        plain
            .lines()
            .filter(|l| l.contains(DEFERRED_AT_STOP))
            .filter_map(|l| {
                let after = l.split("deferred=").nth(1)?;
                after
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse()
                    .ok()
            })
            .max()
            .unwrap_or(0)
    }

    /// The database's size on disk, bytes (SQLite: the file with its WAL).
    pub fn database_bytes(&self) -> Option<u64> {
        database_bytes(&self.database_url)
    }

    /// The uploaded materials and documents, bytes.
    pub fn files_bytes(&self) -> u64 {
        folder_bytes(&self.data_dir.join("files"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(cluster) = self.cluster.take() {
            cluster.stop();
        }
    }
}

/// What `serve` logs on stopping when its document queue deferred jobs (serve.rs).
const DEFERRED_AT_STOP: &str = "documents deferred to the sweeper since start-up";

/// The log without its terminal colour codes (`ESC [ … m`).
fn strip_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// User and system CPU seconds a process has used (/proc/PID/stat; 0 when it cannot be read).
pub fn cpu_seconds_of(pid: u32) -> f64 {
    stat_cpu_seconds(&format!("/proc/{pid}/stat"))
}

/// CPU seconds a process has used, and the part its typesetting thread (named
/// `onewindow-types…` in /proc) used: documents are made at the lowest priority beside the
/// requests, so the two are reported apart.
pub fn cpu_split_of(pid: u32) -> (f64, f64) {
    let typesetting = std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.starts_with("onewindow-types"))
        })
        .map(|task| stat_cpu_seconds(&task.path().join("stat").to_string_lossy()))
        .sum();
    (cpu_seconds_of(pid), typesetting)
}

/// utime + stime of a /proc stat file, in seconds (clock ticks of 1/100 s).
fn stat_cpu_seconds(path: &str) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name and state.
    (ticks(11) + ticks(12)) / 100.0
}

/// VmHWM of a process, KiB.
pub fn peak_rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The size of the database behind `url`: the SQLite file and its WAL, or PostgreSQL's
/// `pg_database_size`.
pub fn database_bytes(url: &str) -> Option<u64> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        let size = |suffix: &str| {
            std::fs::metadata(format!("{path}{suffix}"))
                .map(|m| m.len())
                .unwrap_or(0)
        };
        let total = size("") + size("-wal");
        return (total > 0).then_some(total);
    }
    onewindow_testkit::psql(url, "SELECT pg_database_size(current_database())")
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn folder_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => folder_bytes(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}
