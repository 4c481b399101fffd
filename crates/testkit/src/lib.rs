//! Test helpers for onewindow: throwaway PostgreSQL clusters and databases.
//!
//! # PostgreSQL in tests
//!
//! ```no_run
//! # fn main() {
//! let Some(db) = onewindow_testkit::postgres_database() else {
//!     return; // ONEWINDOW_SKIP_POSTGRES=1: a note "skipped" was printed
//! };
//! // db.url is e.g. postgres://postgres@127.0.0.1:54321/owt_123_0_456789
//! # let _ = db;
//! # }
//! ```
//! (or `let db = onewindow_testkit::require_postgres!();`)
//!
//! Environment contract:
//!
//! * `ONEWINDOW_TEST_PG_URL`: admin URL of a running cluster
//!   (`postgres://postgres@127.0.0.1:PORT/postgres`). Each [`postgres_database`] creates a fresh,
//!   uniquely named database in it and drops it (`WITH (FORCE)`) when the guard is dropped.
//!   `scripts/test` starts one cluster and sets this, so the tests share it.
//! * unset: each [`postgres_database`] starts a private cluster (a few seconds) that its guard
//!   stops and removes.
//! * `ONEWINDOW_SKIP_POSTGRES=1`: [`postgres_database`] returns `None` (the test should print
//!   "skipped" and pass). Conflicts with `ONEWINDOW_REQUIRE_EXTERNAL=1`, which makes it panic.
//! * `ONEWINDOW_PG_BIN`: directory holding `initdb` and `pg_ctl`, if not the Debian default
//!   (`/usr/lib/postgresql/15/bin`).
//!
//! The server binaries are run as the `postgres` user (through `runuser`) when the tests run as
//! root, since PostgreSQL refuses to run as root. A private cluster also gets a small watchdog
//! process that stops it and removes its directory if the test process dies without dropping it
//! (killed by a timeout, `abort`, a guard kept in a `static`).

use std::env;
use std::error::Error;
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Admin URL of a running cluster to create test databases in.
pub const ENV_PG_URL: &str = "ONEWINDOW_TEST_PG_URL";
/// `1`: tests that need PostgreSQL skip.
pub const ENV_SKIP_POSTGRES: &str = "ONEWINDOW_SKIP_POSTGRES";
/// `1`: tests must not skip for lack of an external resource.
pub const ENV_REQUIRE_EXTERNAL: &str = "ONEWINDOW_REQUIRE_EXTERNAL";
/// Directory with the PostgreSQL server binaries (`initdb`, `pg_ctl`).
pub const ENV_PG_BIN: &str = "ONEWINDOW_PG_BIN";

/// Marker file that identifies a directory made by [`PgCluster`], so that `stop` never removes
/// a directory it did not create.
const MARKER: &str = ".onewindow-pg-cluster";
const DEFAULT_BIN_DIR: &str = "/usr/lib/postgresql/15/bin";
const INSTALL_HINT: &str = "install them with `apt-get install -y postgresql-15` (Debian), or set \
     ONEWINDOW_PG_BIN to the directory holding initdb and pg_ctl, or set ONEWINDOW_TEST_PG_URL to \
     the admin URL of a running server, or set ONEWINDOW_SKIP_POSTGRES=1 to skip the PostgreSQL \
     tests";
/// How many times to retry a start that lost its port to another process.
const START_ATTEMPTS: usize = 5;

/// What can go wrong while setting up PostgreSQL for a test.
#[derive(Debug)]
pub enum TestkitError {
    /// No `initdb`/`pg_ctl` were found.
    PostgresNotInstalled { searched: Vec<PathBuf> },
    /// Running as root, but there is no `postgres` account to run the server as.
    NoPostgresUser,
    /// A file-system or process operation failed.
    Io { context: String, source: io::Error },
    /// A command ran but failed.
    Command {
        what: String,
        status: String,
        output: String,
    },
    /// Bad input (a directory that is not empty, not ours, …).
    Invalid(String),
}

impl TestkitError {
    fn io(context: impl Into<String>, source: io::Error) -> Self {
        TestkitError::Io {
            context: context.into(),
            source,
        }
    }
}

impl fmt::Display for TestkitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestkitError::PostgresNotInstalled { searched } => {
                let searched: Vec<String> =
                    searched.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "PostgreSQL server binaries (initdb, pg_ctl) not found (looked in: {}); {}",
                    searched.join(", "),
                    INSTALL_HINT
                )
            }
            TestkitError::NoPostgresUser => write!(
                f,
                "running as root but there is no `postgres` user to run PostgreSQL as \
                 (PostgreSQL refuses to run as root); install the postgresql-15 package, which \
                 creates it, or run the tests as a normal user"
            ),
            TestkitError::Io { context, source } => write!(f, "{context}: {source}"),
            TestkitError::Command {
                what,
                status,
                output,
            } => {
                write!(f, "{what} failed ({status})")?;
                if !output.trim().is_empty() {
                    write!(f, ":\n{}", output.trim_end())?;
                }
                Ok(())
            }
            TestkitError::Invalid(msg) => f.write_str(msg),
        }
    }
}

impl Error for TestkitError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            TestkitError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A free TCP port on 127.0.0.1 (bound to port 0, then released).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0 to find a free port")
}

/// The directory holding `initdb` and `pg_ctl`: `$ONEWINDOW_PG_BIN`, else
/// `/usr/lib/postgresql/15/bin`, else what `dpkg -L postgresql-15` lists, else the newest
/// `/usr/lib/postgresql/*/bin`, else `initdb` on `PATH`.
pub fn postgres_bin_dir() -> Result<PathBuf, TestkitError> {
    let has_server = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = env::var_os(ENV_PG_BIN).filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        return if has_server(&dir) {
            Ok(dir)
        } else {
            Err(TestkitError::PostgresNotInstalled {
                searched: vec![dir],
            })
        };
    }
    let mut searched = vec![PathBuf::from(DEFAULT_BIN_DIR)];
    if has_server(&searched[0]) {
        return Ok(searched.swap_remove(0));
    }
    if let Ok(out) = Command::new("dpkg").args(["-L", "postgresql-15"]).output() {
        let listing = String::from_utf8_lossy(&out.stdout);
        for line in listing.lines() {
            if let Some(dir) = line.strip_suffix("/bin/initdb") {
                let dir = PathBuf::from(dir).join("bin");
                if has_server(&dir) {
                    return Ok(dir);
                }
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.0));
    for (_, dir) in versions {
        if has_server(&dir) {
            return Ok(dir);
        }
        searched.push(dir);
    }
    for dir in env::split_paths(&env::var_os("PATH").unwrap_or_default()) {
        if has_server(&dir) {
            return Ok(dir);
        }
    }
    searched.push(PathBuf::from("$PATH"));
    Err(TestkitError::PostgresNotInstalled { searched })
}

/// The `psql` client: `/usr/bin/psql`, else the one beside the server binaries, else `psql` on
/// `PATH`.
fn psql_program() -> PathBuf {
    let debian = Path::new("/usr/bin/psql");
    if debian.is_file() {
        return debian.to_path_buf();
    }
    if let Ok(dir) = postgres_bin_dir()
        && dir.join("psql").is_file()
    {
        return dir.join("psql");
    }
    PathBuf::from("psql")
}

/// The effective uid, from /proc/self/status (std has no geteuid).
fn effective_uid() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

fn is_root() -> bool {
    match effective_uid() {
        Some(uid) => uid == 0,
        None => Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false),
    }
}

/// (uid, gid) of the `postgres` account.
fn postgres_account() -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != "postgres" {
            return None;
        }
        let _password = fields.next()?;
        let uid = fields.next()?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        Some((uid, gid))
    })
}

/// Whether every ancestor of `path` lets other users through (o+x), as the `postgres` user
/// needs to reach a directory that root made.
fn reachable_by_others(path: &Path) -> bool {
    path.ancestors().skip(1).all(|dir| {
        fs::metadata(dir)
            .map(|m| m.permissions().mode() & 0o001 != 0)
            .unwrap_or(false)
    })
}

/// Who runs the server binaries.
#[derive(Clone, Debug)]
enum RunAs {
    Me,
    /// We are root: run as `postgres` through runuser.
    Postgres {
        uid: u32,
        gid: u32,
    },
}

impl RunAs {
    fn detect() -> Result<RunAs, TestkitError> {
        if !is_root() {
            return Ok(RunAs::Me);
        }
        let (uid, gid) = postgres_account().ok_or(TestkitError::NoPostgresUser)?;
        Ok(RunAs::Postgres { uid, gid })
    }

    /// argv prefix (program first) to run `program` as the right user.
    fn argv(&self, program: &Path) -> Vec<OsString> {
        match self {
            RunAs::Me => vec![program.into()],
            RunAs::Postgres { .. } => vec![
                "runuser".into(),
                "-u".into(),
                "postgres".into(),
                "--".into(),
                program.into(),
            ],
        }
    }

    fn command(&self, program: &Path) -> Command {
        let argv = self.argv(program);
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]);
        // The server user may not be able to enter the caller's cwd (e.g. /root).
        cmd.current_dir("/");
        for var in [
            "PGDATA",
            "PGPORT",
            "PGHOST",
            "PGUSER",
            "PGDATABASE",
            "PGOPTIONS",
        ] {
            cmd.env_remove(var);
        }
        cmd
    }

    fn give(&self, path: &Path) -> Result<(), TestkitError> {
        if let RunAs::Postgres { uid, gid } = self {
            std::os::unix::fs::chown(path, Some(*uid), Some(*gid))
                .map_err(|e| TestkitError::io(format!("chown {} postgres", path.display()), e))?;
        }
        Ok(())
    }
}

fn run(mut cmd: Command, what: &str) -> Result<Output, TestkitError> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| TestkitError::io(format!("cannot run {what}"), e))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(TestkitError::Command {
            what: what.to_string(),
            status: out.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }
}

/// Last `n` lines of a file, for error messages.
fn tail(path: &Path, n: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A private PostgreSQL cluster in a temporary directory, listening on 127.0.0.1.
///
/// Dropping it stops the server (`pg_ctl -m immediate`) and removes the directory; [`stop`]
/// does the same with a clean (`fast`) shutdown.
///
/// [`stop`]: PgCluster::stop
#[derive(Debug)]
pub struct PgCluster {
    dir: PathBuf,
    port: u16,
    bin_dir: PathBuf,
    run_as: RunAs,
    /// Stops the cluster if this process dies without dropping it: it waits for EOF on its
    /// stdin, whose write end only this process holds.
    watchdog: Option<Child>,
    finished: bool,
}

impl PgCluster {
    /// Start a cluster in a fresh temporary directory on a free port. It runs with
    /// `fsync=off`: tests need no durability, and it makes them fast.
    pub fn start() -> Result<PgCluster, TestkitError> {
        Self::start_in_temp(false)
    }

    /// [`start`](PgCluster::start) with PostgreSQL's durable defaults (`fsync=on`): every
    /// acknowledged commit is on disk, as in production (the load benchmark).
    pub fn start_durable() -> Result<PgCluster, TestkitError> {
        Self::start_in_temp(true)
    }

    fn start_in_temp(durable: bool) -> Result<PgCluster, TestkitError> {
        let bin_dir = postgres_bin_dir()?;
        let run_as = RunAs::detect()?;
        let mut base = env::temp_dir();
        if matches!(run_as, RunAs::Postgres { .. }) && !reachable_by_others(&base.join("x")) {
            base = PathBuf::from("/tmp");
        }
        let dir = tempfile::Builder::new()
            .prefix("owpg-")
            .tempdir_in(&base)
            .map_err(|e| TestkitError::io(format!("create a temp dir in {}", base.display()), e))?
            .keep();
        match Self::start_with(&dir, bin_dir, run_as, durable) {
            Ok(cluster) => Ok(cluster),
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }

    /// Start a cluster in `dir` (created if missing; must be empty). `dir` holds `data/`, `log`
    /// and the Unix socket. Dropping the result stops the cluster and removes `dir`, unless
    /// [`detach`](PgCluster::detach) is called.
    pub fn start_in(dir: &Path) -> Result<PgCluster, TestkitError> {
        let bin_dir = postgres_bin_dir()?;
        let run_as = RunAs::detect()?;
        fs::create_dir_all(dir)
            .map_err(|e| TestkitError::io(format!("create {}", dir.display()), e))?;
        let dir = dir
            .canonicalize()
            .map_err(|e| TestkitError::io(format!("resolve {}", dir.display()), e))?;
        let not_empty = fs::read_dir(&dir)
            .map_err(|e| TestkitError::io(format!("read {}", dir.display()), e))?
            .next()
            .is_some();
        if not_empty {
            return Err(TestkitError::Invalid(format!(
                "{} is not empty (a cluster left running? `pg-cluster stop {0}` stops and removes it)",
                dir.display()
            )));
        }
        if matches!(run_as, RunAs::Postgres { .. }) && !reachable_by_others(&dir) {
            return Err(TestkitError::Invalid(format!(
                "the postgres user cannot reach {} (a parent directory lacks o+x); use a \
                 directory under /tmp",
                dir.display()
            )));
        }
        match Self::start_with(&dir, bin_dir, run_as, false) {
            Ok(cluster) => Ok(cluster),
            Err(e) => {
                // Leave the directory itself (the caller made it), but not our files.
                if dir.join(MARKER).exists() {
                    let _ = fs::remove_dir_all(&dir);
                    let _ = fs::create_dir_all(&dir);
                }
                Err(e)
            }
        }
    }

    fn start_with(
        dir: &Path,
        bin_dir: PathBuf,
        run_as: RunAs,
        durable: bool,
    ) -> Result<PgCluster, TestkitError> {
        fs::write(dir.join(MARKER), "onewindow-testkit PostgreSQL cluster\n")
            .map_err(|e| TestkitError::io(format!("write in {}", dir.display()), e))?;
        run_as.give(dir)?;
        let data = dir.join("data");
        let mut initdb = run_as.command(&bin_dir.join("initdb"));
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync", "--no-instructions"]);
        run(initdb, "initdb")?;

        let mut cluster = PgCluster {
            dir: dir.to_path_buf(),
            port: 0,
            bin_dir,
            run_as,
            watchdog: None,
            finished: false,
        };
        cluster.spawn_watchdog();

        let log = cluster.log_path();
        // A Unix socket path is limited to 107 bytes; without room, listen on TCP only.
        let socket_dir = if dir.as_os_str().len() + "/.s.PGSQL.65535".len() < 100 {
            dir.to_string_lossy().into_owned()
        } else {
            String::new()
        };
        let mut last_error = None;
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let fsync = if durable { "on" } else { "off" };
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync={fsync} -c max_connections=200",
                shell_quote(&socket_dir)
            );
            let mut pg_ctl = cluster.run_as.command(&cluster.bin_dir.join("pg_ctl"));
            pg_ctl
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &options, "start"]);
            match run(pg_ctl, "pg_ctl start") {
                Ok(_) => {
                    cluster.port = port;
                    return Ok(cluster);
                }
                Err(TestkitError::Command {
                    what,
                    status,
                    output,
                }) => {
                    let log_tail = tail(&log, 20);
                    let port_taken = log_tail.contains("could not bind")
                        || log_tail.contains("could not create any TCP/IP sockets")
                        || log_tail.contains("already in use");
                    last_error = Some(TestkitError::Command {
                        what,
                        status,
                        output: format!("{output}\n--- {} (tail) ---\n{log_tail}", log.display()),
                    });
                    if !port_taken {
                        break;
                    }
                }
                Err(e) => {
                    last_error = Some(e);
                    break;
                }
            }
        }
        // Dropping `cluster` stops whatever may have started and removes the directory.
        Err(last_error.expect("at least one start attempt"))
    }

    fn pg_ctl_stop_argv(&self, mode: &str) -> Vec<OsString> {
        let mut argv = self.run_as.argv(&self.bin_dir.join("pg_ctl"));
        argv.extend(
            [
                "-D".into(),
                self.dir.join("data").into_os_string(),
                "-m".into(),
                mode.into(),
            ]
            .into_iter()
            .chain(["-w", "-t", "30", "stop"].map(OsString::from)),
        );
        argv
    }

    fn spawn_watchdog(&mut self) {
        // `read` returns at EOF, i.e. when every holder of the write end (only this process:
        // Rust's pipes are close-on-exec) is gone. Own process group and ignored signals, so a
        // Ctrl-C or a test runner killing the test's process group does not take it along.
        let script = r#"trap '' INT TERM HUP QUIT; read -r _ || :; "$@" >/dev/null 2>&1; rm -rf -- "$OW_PG_DIR""#;
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("onewindow-pg-watchdog")
            .args(self.pg_ctl_stop_argv("immediate"))
            .env("OW_PG_DIR", &self.dir)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn();
        // Without a watchdog everything still works; only a crash would leak the cluster.
        self.watchdog = child.ok();
    }

    fn kill_watchdog(&mut self) {
        if let Some(mut child) = self.watchdog.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn stop_server(&self, mode: &str) -> Result<(), TestkitError> {
        if !self.dir.join("data").join("postmaster.pid").exists() {
            return Ok(());
        }
        let argv = self.pg_ctl_stop_argv(mode);
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).current_dir("/");
        run(cmd, "pg_ctl stop").map(|_| ())
    }

    fn finish(&mut self, mode: &str) -> Result<(), TestkitError> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.kill_watchdog();
        let stopped = self.stop_server(mode).or_else(|e| {
            if mode == "immediate" {
                Err(e)
            } else {
                self.stop_server("immediate")
            }
        });
        let removed = fs::remove_dir_all(&self.dir)
            .map_err(|e| TestkitError::io(format!("remove {}", self.dir.display()), e));
        stopped.and(removed)
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, no password).
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// URL of database `name` in this cluster.
    pub fn url_for(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory holding `data/`, `log` and the socket.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server log.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("log")
    }

    /// Stop with a clean shutdown and remove the directory.
    pub fn stop(mut self) {
        if let Err(e) = self.finish("fast") {
            eprintln!(
                "onewindow-testkit: stopping PostgreSQL in {}: {e}",
                self.dir.display()
            );
        }
    }

    /// Like [`stop`](PgCluster::stop), reporting failure.
    pub fn try_stop(mut self) -> Result<(), TestkitError> {
        self.finish("fast")
    }

    /// Leave the cluster running after this value (and this process) is gone; returns its
    /// directory. Stop it later with [`PgCluster::stop_dir`].
    pub fn detach(mut self) -> PathBuf {
        self.kill_watchdog();
        self.finished = true;
        self.dir.clone()
    }

    /// Stop a cluster started by [`start_in`](PgCluster::start_in) (e.g. by `pg-cluster
    /// start DIR`) and remove `dir`. A missing `dir` is fine; a directory without the marker
    /// file that [`start_in`](PgCluster::start_in) writes is refused.
    pub fn stop_dir(dir: &Path) -> Result<(), TestkitError> {
        if !dir.exists() {
            return Ok(());
        }
        if !dir.join(MARKER).exists() {
            return Err(TestkitError::Invalid(format!(
                "{} was not made by pg-cluster (no {MARKER} in it); not removing it",
                dir.display()
            )));
        }
        let mut cluster = PgCluster {
            dir: dir.to_path_buf(),
            port: 0,
            bin_dir: postgres_bin_dir()?,
            run_as: RunAs::detect()?,
            watchdog: None,
            finished: false,
        };
        cluster.finish("fast")
    }

    /// Port of the running cluster in `dir`, from `data/postmaster.pid`.
    pub fn running_port(dir: &Path) -> Result<u16, TestkitError> {
        let pid_file = dir.join("data").join("postmaster.pid");
        let text = fs::read_to_string(&pid_file)
            .map_err(|e| TestkitError::io(format!("read {}", pid_file.display()), e))?;
        text.lines()
            .nth(3)
            .and_then(|l| l.trim().parse().ok())
            .ok_or_else(|| TestkitError::Invalid(format!("no port in {}", pid_file.display())))
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Err(e) = self.finish("immediate") {
            eprintln!(
                "onewindow-testkit: stopping PostgreSQL in {}: {e}",
                self.dir.display()
            );
        }
    }
}

/// Run one SQL command with `psql` against `url`; returns its unaligned, tuples-only output.
pub fn psql(url: &str, sql: &str) -> Result<String, TestkitError> {
    let mut cmd = Command::new(psql_program());
    cmd.args([
        "-X",
        "-q",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        url,
        "-c",
        sql,
    ])
    .env("PGCONNECT_TIMEOUT", "10")
    .current_dir("/");
    let out = run(cmd, &format!("psql -c {sql:?}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `url` with its database replaced by `database`, keeping any `?query`.
pub fn url_with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    format!("{root}/{database}{query}")
}

fn env_flag(name: &str) -> bool {
    env::var(name)
        .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
        .unwrap_or(false)
}

static DB_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A unique, valid, lower-case database name (≤ 63 bytes) with a hint of the current test.
// Test infrastructure: the wall clock only makes names unique, it decides nothing.
#[allow(clippy::disallowed_methods)]
fn unique_database_name() -> String {
    let n = DB_COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut name = format!("owt_{}_{n}_{:06}", std::process::id(), nanos / 1000);
    let thread = std::thread::current();
    if let Some(test) = thread.name().filter(|t| *t != "main") {
        let hint: String = test
            .rsplit("::")
            .next()
            .unwrap_or(test)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        name.push('_');
        name.push_str(&hint);
    }
    name.truncate(63);
    name
}

/// A database for one test. Dropping it drops the database (or, when it lives in a private
/// cluster, stops and removes the cluster).
#[derive(Debug)]
pub struct TestDatabase {
    /// `postgres://postgres@127.0.0.1:PORT/NAME`
    pub url: String,
    /// The database name.
    pub name: String,
    admin_url: String,
    /// The private cluster this database lives in, if any (dropped after the database).
    cluster: Option<PgCluster>,
}

impl TestDatabase {
    /// Create a fresh database in the cluster that `admin_url` points to.
    pub fn create_in(admin_url: &str) -> Result<TestDatabase, TestkitError> {
        let name = unique_database_name();
        let create = format!("CREATE DATABASE \"{name}\"");
        let mut result = psql(admin_url, &create);
        for _ in 0..2 {
            // Concurrent CREATE DATABASE can trip over another session in template1.
            let Err(TestkitError::Command { output, .. }) = &result else {
                break;
            };
            if !output.contains("is being accessed by other users") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
            result = psql(admin_url, &create);
        }
        result?;
        Ok(TestDatabase {
            url: url_with_database(admin_url, &name),
            name,
            admin_url: admin_url.to_string(),
            cluster: None,
        })
    }

    /// Start a private cluster and create a database in it; both go when this is dropped.
    pub fn create_private() -> Result<TestDatabase, TestkitError> {
        let cluster = PgCluster::start()?;
        let mut db = TestDatabase::create_in(&cluster.admin_url())?;
        db.cluster = Some(cluster);
        Ok(db)
    }

    /// Admin URL (database `postgres`) of the cluster this database lives in.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The private cluster this database lives in (None when it is in `ONEWINDOW_TEST_PG_URL`).
    pub fn cluster(&self) -> Option<&PgCluster> {
        self.cluster.as_ref()
    }

    /// Run SQL in this database with `psql`; returns the unaligned, tuples-only output.
    pub fn psql(&self, sql: &str) -> Result<String, TestkitError> {
        psql(&self.url, sql)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.cluster.is_some() {
            return; // the whole cluster goes
        }
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(e) = psql(&self.admin_url, &drop) {
            eprintln!(
                "onewindow-testkit: could not drop test database {}: {e}",
                self.name
            );
        }
    }
}

/// A fresh PostgreSQL database for one test.
///
/// * `ONEWINDOW_SKIP_POSTGRES=1`: returns `None` after printing a "skipped" note (panics if
///   `ONEWINDOW_REQUIRE_EXTERNAL=1` too).
/// * `ONEWINDOW_TEST_PG_URL` set: a new database in that cluster, dropped with the guard.
/// * otherwise: a database in a private cluster, which goes with the guard.
///
/// Panics, saying how to fix it, when PostgreSQL cannot be had (e.g. not installed).
pub fn postgres_database() -> Option<TestDatabase> {
    if env_flag(ENV_SKIP_POSTGRES) {
        if env_flag(ENV_REQUIRE_EXTERNAL) {
            panic!(
                "{ENV_SKIP_POSTGRES}=1 and {ENV_REQUIRE_EXTERNAL}=1 both set: this run requires \
                 the PostgreSQL tests to run"
            );
        }
        eprintln!("skipped: {ENV_SKIP_POSTGRES}=1, this test needs PostgreSQL");
        return None;
    }
    let shared = env::var(ENV_PG_URL).ok().filter(|u| !u.trim().is_empty());
    let db = match shared {
        Some(admin_url) => TestDatabase::create_in(admin_url.trim()).unwrap_or_else(|e| {
            panic!("cannot create a test database in {ENV_PG_URL}={admin_url}: {e}")
        }),
        None => TestDatabase::create_private().unwrap_or_else(|e| match e {
            TestkitError::PostgresNotInstalled { .. } => panic!("{e}"),
            e => panic!("cannot start a private PostgreSQL cluster for this test: {e}"),
        }),
    };
    Some(db)
}

/// `let db = require_postgres!();` — a [`TestDatabase`], or return from the test (it passes,
/// with a "skipped" note) when `ONEWINDOW_SKIP_POSTGRES=1`. In a test returning a value, give
/// it: `require_postgres!(Ok(()))`.
#[macro_export]
macro_rules! require_postgres {
    () => {
        match $crate::postgres_database() {
            Some(db) => db,
            None => return,
        }
    };
    ($ret:expr) => {
        match $crate::postgres_database() {
            Some(db) => db,
            None => return $ret,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::time::{Duration, Instant};

    const CRASH_HELPER_ENV: &str = "ONEWINDOW_TESTKIT_CRASH_HELPER";

    fn skip() -> bool {
        if env_flag(ENV_SKIP_POSTGRES) && !env_flag(ENV_REQUIRE_EXTERNAL) {
            eprintln!("skipped: {ENV_SKIP_POSTGRES}=1");
            return true;
        }
        false
    }

    fn port_open(port: u16) -> bool {
        std::net::TcpStream::connect_timeout(
            &(Ipv4Addr::LOCALHOST, port).into(),
            Duration::from_millis(500),
        )
        .is_ok()
    }

    fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if f() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        f()
    }

    #[test]
    fn free_port_can_be_bound() {
        let port = free_port();
        assert_ne!(port, 0);
        TcpListener::bind((Ipv4Addr::LOCALHOST, port)).expect("free port is bindable");
    }

    #[test]
    fn url_database_is_replaced() {
        let f = url_with_database;
        assert_eq!(
            f("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(f("postgres://u@h:1", "x"), "postgres://u@h:1/x");
        assert_eq!(f("postgres://u@h:1/", "x"), "postgres://u@h:1/x");
        assert_eq!(
            f("postgresql://u@h/db?sslmode=disable", "x"),
            "postgresql://u@h/x?sslmode=disable"
        );
    }

    #[test]
    fn database_names_are_unique_and_valid() {
        let a = unique_database_name();
        let b = unique_database_name();
        assert_ne!(a, b);
        for name in [a, b] {
            assert!(name.len() <= 63, "{name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
        }
    }

    /// Start a cluster, create and use a database in it, drop it, stop: the directory goes.
    #[test]
    fn cluster_database_lifecycle() {
        if skip() {
            return;
        }
        let cluster = PgCluster::start().expect("start PostgreSQL");
        let dir = cluster.dir().to_path_buf();
        assert!(dir.join("data").join("PG_VERSION").is_file());
        assert_eq!(PgCluster::running_port(&dir).unwrap(), cluster.port());
        assert_eq!(psql(&cluster.admin_url(), "select 1").unwrap().trim(), "1");

        let db = TestDatabase::create_in(&cluster.admin_url()).expect("create database");
        assert!(db.url.ends_with(&format!("/{}", db.name)));
        assert_eq!(
            db.psql("select current_database()").unwrap().trim(),
            db.name
        );
        assert_eq!(db.psql("show server_encoding").unwrap().trim(), "UTF8");
        db.psql("create table t (s text); insert into t values ('电热毯')")
            .unwrap();
        assert_eq!(db.psql("select s from t").unwrap().trim(), "电热毯");
        let name = db.name.clone();
        drop(db);
        let count = psql(
            &cluster.admin_url(),
            &format!("select count(*) from pg_database where datname = '{name}'"),
        )
        .unwrap();
        assert_eq!(count.trim(), "0", "database dropped with its guard");

        let port = cluster.port();
        cluster.stop();
        assert!(!dir.exists(), "cluster directory removed");
        assert!(!port_open(port), "server stopped");
    }

    /// `postgres_database()` as the tests use it: in ONEWINDOW_TEST_PG_URL if set, else in a
    /// private cluster; everything it made goes with the guard.
    #[test]
    fn postgres_database_select_1() {
        let Some(db) = postgres_database() else {
            return;
        };
        let out = Command::new(psql_program())
            .args(["-X", "-A", "-t", "-d", &db.url, "-c", "select 1"])
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");

        let admin = db.admin_url().to_string();
        let name = db.name.clone();
        let private_dir = db.cluster().map(|c| c.dir().to_path_buf());
        drop(db);
        match private_dir {
            Some(dir) => assert!(!dir.exists(), "private cluster directory removed"),
            None => {
                let count = psql(
                    &admin,
                    &format!("select count(*) from pg_database where datname = '{name}'"),
                )
                .unwrap();
                assert_eq!(count.trim(), "0", "database dropped with its guard");
            }
        }
    }

    #[test]
    fn start_in_refuses_non_empty_and_stop_dir_refuses_foreign() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious"), "x").unwrap();
        if postgres_bin_dir().is_ok() {
            let err = PgCluster::start_in(dir.path()).unwrap_err();
            assert!(err.to_string().contains("not empty"), "{err}");
            let err = PgCluster::stop_dir(dir.path()).unwrap_err();
            assert!(err.to_string().contains("not made by pg-cluster"), "{err}");
        }
        assert!(dir.path().join("precious").exists());
        PgCluster::stop_dir(&dir.path().join("missing")).expect("missing dir is fine");
    }

    /// Run only as a child of `watchdog_cleans_up_after_a_crash`.
    #[test]
    #[ignore = "helper process for watchdog_cleans_up_after_a_crash"]
    fn crash_helper() {
        if env::var_os(CRASH_HELPER_ENV).is_none() {
            return;
        }
        let cluster = PgCluster::start().expect("start PostgreSQL");
        println!("CLUSTER {} {}", cluster.port(), cluster.dir().display());
        std::process::abort();
    }

    /// A test process that dies without dropping its cluster leaves nothing behind.
    #[test]
    fn watchdog_cleans_up_after_a_crash() {
        if skip() {
            return;
        }
        let mut child = Command::new(env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::crash_helper",
                "--include-ignored",
                "--nocapture",
            ])
            .env(CRASH_HELPER_ENV, "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn helper");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let line = stdout
            .lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("CLUSTER "))
            .expect("helper printed its cluster");
        let _ = child.wait();
        let mut parts = line.splitn(3, ' ').skip(1);
        let port: u16 = parts.next().unwrap().parse().unwrap();
        let dir = PathBuf::from(parts.next().unwrap());
        assert!(
            wait_until(Duration::from_secs(30), || !dir.exists()
                && !port_open(port)),
            "watchdog stopped the server on port {port} and removed {}",
            dir.display()
        );
    }
}
