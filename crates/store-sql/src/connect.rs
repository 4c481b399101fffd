//! Opening a database from its URL: the scheme picks the backend, the backend's migrations run,
//! SQLite gets the settings that make it durable and concurrent (WAL, synchronous=FULL), and case
//! writes get their commit mode (docs/adr/0003-group-commit.md).

use std::str::FromStr;
use std::sync::Arc;

use onewindow_store::Backend;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Executor};

use crate::SqlStore;
use crate::group_commit::CaseWriter;
use crate::native::NativeSqlite;

/// WAL lets readers run beside the writer; FULL makes every acknowledged commit survive a power
/// loss; the busy timeout lets a second process (or a pool write) wait for the write lock.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// How case writes (`create_case`, `append_events`) reach the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseCommits {
    /// One transaction, and so one commit, per write, on the connection pool.
    OneEach,
    /// One writer task batches the writes already waiting into one transaction, each write in
    /// its own savepoint, and answers them after the shared commit (ADR 0003).
    Grouped,
}

impl CaseCommits {
    /// What [`SqlStore::connect`] picks: grouped on SQLite, where every commit is a sync of one
    /// file and only one writer runs at a time; one each on PostgreSQL, whose connections commit
    /// in parallel and whose server groups the WAL flushes of concurrent commits itself.
    pub fn default_for(backend: Backend) -> CaseCommits {
        match backend {
            Backend::Sqlite => CaseCommits::Grouped,
            Backend::Postgres => CaseCommits::OneEach,
        }
    }
}

/// Opens one connection outside the pool (the case writer's), with the pool's settings.
pub(crate) async fn open_connection(
    options: &AnyConnectOptions,
    backend: Backend,
) -> Result<AnyConnection, sqlx::Error> {
    let mut conn = AnyConnection::connect_with(options).await?;
    if backend == Backend::Sqlite {
        conn.execute(SQLITE_PRAGMAS).await?;
    }
    Ok(conn)
}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL \"{0}\": use sqlite://PATH or postgres://USER@HOST:PORT/DB")]
    Scheme(String),
    #[error(
        "\"{0}\" is an in-memory SQLite database, which each connection would see empty: use a \
         file, sqlite://PATH"
    )]
    InMemory(String),
    #[error("cannot open {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot migrate {url}: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// The URL with its password replaced by `***`, for logs and messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl SqlStore {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`, with case
    /// writes committed as [`CaseCommits::default_for`] the backend says.
    pub async fn connect(url: &str, max_connections: u32) -> Result<SqlStore, ConnectError> {
        Self::connect_with(url, max_connections, None).await
    }

    /// [`connect`](SqlStore::connect) with the case commit mode chosen (`None`: the backend's
    /// default). Benchmarks and tests use it to compare the modes on one machine.
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        case_commits: Option<CaseCommits>,
    ) -> Result<SqlStore, ConnectError> {
        sqlx::any::install_default_drivers();
        let shown = redact_url(url);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(ConnectError::Scheme(shown));
        };
        // The pool and the case writer are separate connections: they must share a file.
        if backend == Backend::Sqlite && (url.contains(":memory:") || url.contains("mode=memory")) {
            return Err(ConnectError::InMemory(shown));
        }
        let open = |source| ConnectError::Open {
            url: shown.clone(),
            source,
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(open)?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            // A pooled PostgreSQL connection can die with the server or the network, so it is
            // checked before use. A SQLite connection is a file handle in this process that
            // cannot go stale, and the check is one more round trip to its worker thread and
            // back on every query (≈ 1 % of the server's CPU under load, issue 6).
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await
            .map_err(open)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|source| ConnectError::Migrate {
                url: shown.clone(),
                source,
            })?;
        // One process writes a SQLite file at a time: the pool's write transactions and the
        // case writer's batches queue fairly on this gate instead of polling the file lock.
        let write_gate = (backend == Backend::Sqlite).then(Arc::default);
        let native = match backend {
            Backend::Sqlite => {
                let file = SqliteConnectOptions::from_str(&url).map_err(open)?;
                let native = NativeSqlite::new(file.get_filename().to_owned());
                Some(native.map_err(|e| open(sqlx::Error::Io(e)))?)
            }
            Backend::Postgres => None,
        };
        let case_writer = match case_commits.unwrap_or(CaseCommits::default_for(backend)) {
            CaseCommits::OneEach => None,
            // SQLite: the writer drives its connection directly, on a thread of its own.
            CaseCommits::Grouped if let Some(native) = &native => Some(
                CaseWriter::start_direct(native.clone(), write_gate.clone())
                    .map_err(|e| open(sqlx::Error::Io(e)))?,
            ),
            CaseCommits::Grouped => {
                let conn = open_connection(&options, backend).await.map_err(open)?;
                Some(CaseWriter::start(
                    conn,
                    options,
                    backend,
                    write_gate.clone(),
                ))
            }
        };
        Ok(SqlStore {
            pool,
            backend,
            write_gate,
            case_writer,
            native,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[tokio::test]
    async fn an_in_memory_sqlite_database_is_refused_with_a_way_out() {
        for url in ["sqlite::memory:", "sqlite://ow.db?mode=memory"] {
            let error = crate::SqlStore::connect(url, 1)
                .await
                .err()
                .expect("refused");
            assert!(error.to_string().contains("sqlite://PATH"), "{error}");
        }
    }

    #[test]
    fn a_password_in_a_database_url_is_never_shown() {
        assert_eq!(
            redact_url("postgres://ow:secret@db:5432/onewindow"),
            "postgres://ow:***@db:5432/onewindow"
        );
        assert_eq!(redact_url("postgres://ow@db/x"), "postgres://ow@db/x");
        assert_eq!(redact_url("sqlite://data/ow.db"), "sqlite://data/ow.db");
    }
}
