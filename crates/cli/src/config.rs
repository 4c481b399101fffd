//! Configuration in layers: built-in defaults, then the config file (`--config`, or
//! `$ONEWINDOW_CONFIG`, or `./onewindow.toml` when present), then `ONEWINDOW_*` environment
//! variables, then command-line flags. Unknown keys are warned about; a bad value stops start-up
//! with a message saying which layer set it and how to fix it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The commented example printed by `onewindow config example`.
pub const EXAMPLE: &str = r#"# onewindow configuration. Every key is optional; shown are the defaults.
# Precedence: defaults < this file < ONEWINDOW_* environment variables < command-line flags.

# Address and port the web server listens on (env ONEWINDOW_LISTEN, flag --listen).
# Keep 127.0.0.1 behind a reverse proxy; use 0.0.0.0 to listen on every interface.
listen = "127.0.0.1:8080"

# Folder for the embedded database and uploaded files (env ONEWINDOW_DATA_DIR, flag --data-dir).
data_dir = "./onewindow-data"

# Folder for uploaded materials and document PDFs (env ONEWINDOW_FILES_DIR). Empty:
# <data_dir>/files. Each file is synced before the request that gave it is answered; on a file
# system of its own (its own journal and disk) those syncs no longer wait for the database's
# writes, which is most of a submission's latency under load (docs/PERFORMANCE.md, session 8).
# Instances sharing one database must share this folder too.
files_dir = ""

# Database URL (env ONEWINDOW_DB, flag --db). Empty: SQLite at <data_dir>/onewindow.db.
# PostgreSQL: "postgres://USER:PASSWORD@HOST:5432/DATABASE" (the password is never logged).
database_url = ""

# Connections in the database pool (env ONEWINDOW_MAX_CONNECTIONS), 1–512.
max_connections = 8

# Requests handled at once (env ONEWINDOW_MAX_REQUESTS_IN_FLIGHT), 1–100000. Past it a request
# is answered at once with 503 and Retry-After: 1 instead of queueing: under overload the
# requests taken keep their latency and the server its memory. /healthz and /metrics are never
# turned away.
max_requests_in_flight = 256

# Seconds between two runs of the deadline sweeper (env ONEWINDOW_SWEEP_SECONDS), 5–86400: deemed
# acceptance (art. 32), yellow/red/overdue warnings, due dates moved by a calendar import. It also
# runs at start-up. Several instances on one PostgreSQL may all run it: each change happens once.
sweep_seconds = 60
# The site's public address (env ONEWINDOW_PUBLIC_URL), e.g. "https://zw.example.gov.cn". The QR
# code of every document links to <public_url>/verify/…; empty: http://<listen>, right only for
# trying onewindow out on one machine.
public_url = ""

# When the written documents of case events (acceptance voucher, notices, decisions,
# certificates) are typeset (env ONEWINDOW_DOCUMENTS): "background" answers a move as soon as
# its events are stored and leaves the ~20 ms per PDF to one worker behind a queue of 10,000
# jobs; "inline" makes them inside the request. Either way the sweeper makes what is missing.
documents = "background"

# E-mail copies of notifications (env ONEWINDOW_SMTP_HOST, _PORT, _FROM, _USER, _PASSWORD, _TLS,
# _CA_FILE). Empty smtp_host: no e-mail, notifications stay in-app. smtp_tls: "starttls" (the
# default; the relay must offer it, nothing is sent in clear otherwise), "tls" (TLS from the
# first byte, usually port 465) or "none" (plain SMTP, the default only for a relay on this host;
# a login is then refused for any other host). The relay's certificate must chain to the system's
# trust store, or to the PEM certificates in smtp_ca_file (a bureau's own CA).
smtp_host = ""
smtp_port = 25
smtp_from = ""

# Log filter in tracing's syntax (env ONEWINDOW_LOG or RUST_LOG), e.g. "info" or "onewindow=debug".
log = "info"
"#;

/// Requests handled at once unless configured: far above what two cores finish in a second's
/// latency, far below what fills the memory (each waiting request holds its body).
const DEFAULT_MAX_REQUESTS_IN_FLIGHT: usize = 256;

const KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "files_dir",
    "database_url",
    "max_connections",
    "max_requests_in_flight",
    "sweep_seconds",
    "public_url",
    "documents",
    "smtp_host",
    "smtp_port",
    "smtp_from",
    "smtp_user",
    "smtp_password",
    "smtp_tls",
    "smtp_ca_file",
    "log",
];

/// Values a layer may set; `None` leaves the layer below in force.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Layer {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub files_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub max_connections: Option<u32>,
    pub max_requests_in_flight: Option<usize>,
    pub sweep_seconds: Option<u64>,
    pub public_url: Option<String>,
    pub documents: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_from: Option<String>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_tls: Option<String>,
    pub smtp_ca_file: Option<PathBuf>,
    pub log: Option<String>,
}

impl Layer {
    fn over(self, below: Layer) -> Layer {
        Layer {
            listen: self.listen.or(below.listen),
            data_dir: self.data_dir.or(below.data_dir),
            files_dir: self
                .files_dir
                .filter(|p| !p.as_os_str().is_empty())
                .or(below.files_dir),
            database_url: self
                .database_url
                .filter(|s| !s.is_empty())
                .or(below.database_url),
            max_connections: self.max_connections.or(below.max_connections),
            max_requests_in_flight: self.max_requests_in_flight.or(below.max_requests_in_flight),
            sweep_seconds: self.sweep_seconds.or(below.sweep_seconds),
            public_url: self
                .public_url
                .filter(|s| !s.is_empty())
                .or(below.public_url),
            documents: self.documents.or(below.documents),
            smtp_host: self.smtp_host.or(below.smtp_host),
            smtp_port: self.smtp_port.or(below.smtp_port),
            smtp_from: self.smtp_from.or(below.smtp_from),
            smtp_user: self.smtp_user.or(below.smtp_user),
            smtp_password: self.smtp_password.or(below.smtp_password),
            smtp_tls: self.smtp_tls.or(below.smtp_tls),
            smtp_ca_file: self.smtp_ca_file.or(below.smtp_ca_file),
            log: self.log.or(below.log),
        }
    }
}

/// The configuration in force, every value checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Uploaded materials and document PDFs (`files_dir`, else `<data_dir>/files`).
    pub files_dir: PathBuf,
    pub database_url: String,
    pub max_connections: u32,
    pub max_requests_in_flight: usize,
    pub sweep_seconds: u64,
    /// Where verification links in documents point, without a trailing `/`.
    pub public_url: String,
    pub documents: Documents,
    /// Where e-mail copies of notifications go; `None`: in-app only.
    pub smtp: Option<onewindow_app::notifications::SmtpSettings>,
    pub log: String,
}

/// When case documents are typeset (the `documents` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Documents {
    /// Inside the request that stored the event.
    Inline,
    /// By one worker behind a bounded queue.
    Background,
}

/// Reads the config file, warning about keys it does not know.
pub fn file_layer(path: &Path) -> Result<Layer, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{} is not valid TOML: {e}", path.display()))?;
    for key in table.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        eprintln!(
            "warning: {}: unknown key \"{key}\" is ignored (known: {})",
            path.display(),
            KEYS.join(", ")
        );
    }
    let known: toml::Table = table
        .into_iter()
        .filter(|(k, _)| KEYS.contains(&k.as_str()))
        .collect();
    known
        .try_into()
        .map_err(|e| format!("{}: {e} (see `onewindow config example`)", path.display()))
}

/// The `ONEWINDOW_*` variables (read through `get`, so tests need not touch the process).
pub fn env_layer(get: impl Fn(&str) -> Option<String>) -> Result<Layer, String> {
    let max_connections = match get("ONEWINDOW_MAX_CONNECTIONS") {
        Some(v) => Some(v.parse().map_err(|_| {
            format!("ONEWINDOW_MAX_CONNECTIONS=\"{v}\" is not a whole number; set it to e.g. 8")
        })?),
        None => None,
    };
    let max_requests_in_flight = match get("ONEWINDOW_MAX_REQUESTS_IN_FLIGHT") {
        Some(v) => Some(v.parse().map_err(|_| {
            format!(
                "ONEWINDOW_MAX_REQUESTS_IN_FLIGHT=\"{v}\" is not a whole number; set it to e.g. 512"
            )
        })?),
        None => None,
    };
    let sweep_seconds = match get("ONEWINDOW_SWEEP_SECONDS") {
        Some(v) => Some(v.parse().map_err(|_| {
            format!("ONEWINDOW_SWEEP_SECONDS=\"{v}\" is not a whole number; set it to e.g. 60")
        })?),
        None => None,
    };
    let smtp_port = match get("ONEWINDOW_SMTP_PORT") {
        Some(v) => Some(v.parse().map_err(|_| {
            format!("ONEWINDOW_SMTP_PORT=\"{v}\" is not a port number; set it to e.g. 25")
        })?),
        None => None,
    };
    Ok(Layer {
        sweep_seconds,
        smtp_host: get("ONEWINDOW_SMTP_HOST"),
        smtp_port,
        smtp_from: get("ONEWINDOW_SMTP_FROM"),
        smtp_user: get("ONEWINDOW_SMTP_USER"),
        smtp_password: get("ONEWINDOW_SMTP_PASSWORD"),
        smtp_tls: get("ONEWINDOW_SMTP_TLS"),
        smtp_ca_file: get("ONEWINDOW_SMTP_CA_FILE").map(PathBuf::from),
        listen: get("ONEWINDOW_LISTEN"),
        data_dir: get("ONEWINDOW_DATA_DIR").map(PathBuf::from),
        files_dir: get("ONEWINDOW_FILES_DIR").map(PathBuf::from),
        database_url: get("ONEWINDOW_DB"),
        max_connections,
        max_requests_in_flight,
        public_url: get("ONEWINDOW_PUBLIC_URL"),
        documents: get("ONEWINDOW_DOCUMENTS"),
        log: get("ONEWINDOW_LOG").or_else(|| get("RUST_LOG")),
    })
}

fn defaults() -> Layer {
    Layer {
        listen: Some("127.0.0.1:8080".into()),
        data_dir: Some(PathBuf::from("./onewindow-data")),
        database_url: None,
        max_connections: Some(8),
        max_requests_in_flight: Some(DEFAULT_MAX_REQUESTS_IN_FLIGHT),
        sweep_seconds: Some(60),
        public_url: None,
        documents: Some("background".into()),
        log: Some("info".into()),
        ..Layer::default()
    }
}

/// Which config file applies: the one named, or `./onewindow.toml` when it exists.
pub fn config_path(
    named: Option<PathBuf>,
    env: impl Fn(&str) -> Option<String>,
) -> Option<PathBuf> {
    named
        .or_else(|| env("ONEWINDOW_CONFIG").map(PathBuf::from))
        .or_else(|| Some(PathBuf::from("onewindow.toml")).filter(|p| p.exists()))
}

/// Stacks the layers and checks every value.
pub fn resolve(file: Layer, env: Layer, flags: Layer) -> Result<Config, String> {
    let l = flags.over(env.over(file.over(defaults())));
    let smtp = crate::smtp_config::resolve(&l)?;
    let listen_text = l.listen.unwrap_or_default();
    let listen = listen_text.parse::<SocketAddr>().map_err(|_| {
        format!(
            "listen = \"{listen_text}\" is not an address and port; write it like 127.0.0.1:8080"
        )
    })?;
    let data_dir = l.data_dir.unwrap_or_default();
    let files_dir = l.files_dir.unwrap_or_else(|| data_dir.join("files"));
    let max_connections = l.max_connections.unwrap_or(8);
    if !(1..=512).contains(&max_connections) {
        return Err(format!(
            "max_connections = {max_connections} is out of range; use 1–512"
        ));
    }
    let max_requests_in_flight = l
        .max_requests_in_flight
        .unwrap_or(DEFAULT_MAX_REQUESTS_IN_FLIGHT);
    if !(1..=100_000).contains(&max_requests_in_flight) {
        return Err(format!(
            "max_requests_in_flight = {max_requests_in_flight} is out of range; use 1–100000"
        ));
    }
    let sweep_seconds = l.sweep_seconds.unwrap_or(60);
    if !(5..=86_400).contains(&sweep_seconds) {
        return Err(format!(
            "sweep_seconds = {sweep_seconds} is out of range; use 5–86400"
        ));
    }
    let database_url = match l.database_url {
        Some(url)
            if url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://") =>
        {
            url
        }
        Some(url) => {
            return Err(format!(
                "database_url \"{}\" is not understood; use sqlite://PATH or postgres://USER@HOST:PORT/DB",
                onewindow_store_sql::redact_url(&url)
            ));
        }
        None => format!("sqlite://{}", data_dir.join("onewindow.db").display()),
    };
    let public_url = match l.public_url {
        Some(url) => check_public_url(&url)?,
        None => format!("http://{listen}"),
    };
    let documents = match l.documents.as_deref() {
        None | Some("background") => Documents::Background,
        Some("inline") => Documents::Inline,
        Some(other) => {
            return Err(format!(
                "documents = \"{other}\" is not understood; use \"background\" or \"inline\""
            ));
        }
    };
    Ok(Config {
        listen,
        data_dir,
        files_dir,
        database_url,
        max_connections,
        max_requests_in_flight,
        sweep_seconds,
        public_url,
        documents,
        smtp,
        log: l.log.unwrap_or_else(|| "info".into()),
    })
}

/// An http(s) address with nothing after the host and path: it is printed in every document's QR
/// code, so a mistake would be on paper for years.
fn check_public_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !url.contains(['?', '#', ' ']) => {
            Ok(url.trim_end_matches('/').to_owned())
        }
        _ => Err(format!(
            "public_url = \"{url}\" is not a web address; write it like https://zw.example.gov.cn"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_give_sqlite_in_the_data_dir_on_localhost() {
        let c = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://./onewindow-data/onewindow.db");
        assert_eq!(c.files_dir, PathBuf::from("./onewindow-data/files"));
    }

    #[test]
    fn the_files_can_have_a_folder_of_their_own_and_an_empty_one_means_the_default() {
        let file = Layer {
            data_dir: Some(PathBuf::from("/srv/onewindow")),
            files_dir: Some(PathBuf::from("")),
            ..Default::default()
        };
        let c = resolve(file.clone(), Layer::default(), Layer::default()).unwrap();
        assert_eq!(c.files_dir, PathBuf::from("/srv/onewindow/files"));
        let env =
            env_layer(|k| (k == "ONEWINDOW_FILES_DIR").then(|| "/mnt/files".to_owned())).unwrap();
        let c = resolve(file, env, Layer::default()).unwrap();
        assert_eq!(c.files_dir, PathBuf::from("/mnt/files"));
        assert_eq!(c.database_url, "sqlite:///srv/onewindow/onewindow.db");
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        let file = Layer {
            listen: Some("127.0.0.1:1".into()),
            max_connections: Some(3),
            ..Default::default()
        };
        let env =
            env_layer(|k| (k == "ONEWINDOW_LISTEN").then(|| "127.0.0.1:2".to_owned())).unwrap();
        let flags = Layer {
            listen: Some("127.0.0.1:3".into()),
            ..Default::default()
        };
        let c = resolve(file.clone(), env.clone(), flags).unwrap();
        assert_eq!(c.listen.port(), 3);
        assert_eq!(
            c.max_connections, 3,
            "the file's value stands where nothing overrides it"
        );
        assert_eq!(
            resolve(file, env, Layer::default()).unwrap().listen.port(),
            2
        );
    }

    #[test]
    fn a_bad_value_says_how_to_fix_it() {
        let flags = Layer {
            listen: Some("localhost".into()),
            ..Default::default()
        };
        let err = resolve(Layer::default(), Layer::default(), flags).unwrap_err();
        assert!(err.contains("127.0.0.1:8080"), "{err}");
        let err = env_layer(|k| (k == "ONEWINDOW_MAX_CONNECTIONS").then(|| "many".to_owned()))
            .unwrap_err();
        assert!(err.contains("ONEWINDOW_MAX_CONNECTIONS"), "{err}");
        let flags = Layer {
            database_url: Some("mysql://u:secret@h/db".into()),
            ..Default::default()
        };
        let err = resolve(Layer::default(), Layer::default(), flags).unwrap_err();
        assert!(!err.contains("secret"), "the password is redacted: {err}");
    }

    #[test]
    fn requests_in_flight_default_to_256_and_must_be_in_range() {
        let c = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
        assert_eq!(c.max_requests_in_flight, 256);
        let env = env_layer(|k| (k == "ONEWINDOW_MAX_REQUESTS_IN_FLIGHT").then(|| "64".to_owned()))
            .unwrap();
        let c = resolve(Layer::default(), env, Layer::default()).unwrap();
        assert_eq!(c.max_requests_in_flight, 64);
        let zero = Layer {
            max_requests_in_flight: Some(0),
            ..Default::default()
        };
        let err = resolve(zero, Layer::default(), Layer::default()).unwrap_err();
        assert!(
            err.contains("max_requests_in_flight = 0") && err.contains("1–100000"),
            "{err}"
        );
        let err =
            env_layer(|k| (k == "ONEWINDOW_MAX_REQUESTS_IN_FLIGHT").then(|| "lots".to_owned()))
                .unwrap_err();
        assert!(err.contains("ONEWINDOW_MAX_REQUESTS_IN_FLIGHT"), "{err}");
    }

    #[test]
    fn the_public_url_defaults_to_the_listen_address_and_must_be_a_web_address() {
        let c = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        let env = env_layer(|k| {
            (k == "ONEWINDOW_PUBLIC_URL").then(|| "https://zw.example.gov.cn/".to_owned())
        })
        .unwrap();
        let c = resolve(Layer::default(), env, Layer::default()).unwrap();
        assert_eq!(c.public_url, "https://zw.example.gov.cn");
        let file = Layer {
            public_url: Some("zw.example.gov.cn".into()),
            ..Default::default()
        };
        let err = resolve(file, Layer::default(), Layer::default()).unwrap_err();
        assert!(err.contains("https://"), "{err}");
    }

    #[test]
    fn documents_are_made_in_the_background_unless_set_inline() {
        let c = resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
        assert_eq!(c.documents, Documents::Background);
        let env = env_layer(|k| (k == "ONEWINDOW_DOCUMENTS").then(|| "inline".to_owned())).unwrap();
        let c = resolve(Layer::default(), env, Layer::default()).unwrap();
        assert_eq!(c.documents, Documents::Inline);
        let file = Layer {
            documents: Some("later".into()),
            ..Default::default()
        };
        let err = resolve(file, Layer::default(), Layer::default()).unwrap_err();
        assert!(err.contains("documents") && err.contains("inline"), "{err}");
    }

    #[test]
    fn the_example_file_parses_to_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("onewindow.toml");
        std::fs::write(&path, EXAMPLE).unwrap();
        let file = file_layer(&path).unwrap();
        let c = resolve(file, env_layer(none).unwrap(), Layer::default()).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.max_connections, 8);
        assert_eq!(c.documents, Documents::Background);
    }

    #[test]
    fn a_file_with_a_wrong_type_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "max_connections = \"eight\"\nunknown = 1\n").unwrap();
        let err = file_layer(&path).unwrap_err();
        assert!(err.contains("bad.toml"), "{err}");
    }
}
