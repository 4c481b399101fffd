//! Opening a database from its URL: the scheme picks the backend, the backend's migrations run,
//! and SQLite gets the settings that make it durable and concurrent (WAL, synchronous=FULL).

use std::str::FromStr;

use onewindow_store::Backend;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{ConnectOptions, Executor};

use crate::SqlStore;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL \"{0}\": use sqlite://PATH or postgres://USER@HOST:PORT/DB")]
    Scheme(String),
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
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<SqlStore, ConnectError> {
        sqlx::any::install_default_drivers();
        let shown = redact_url(url);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(ConnectError::Scheme(shown));
        };
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
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes every
                        // acknowledged commit survive a power loss (the performance issue).
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
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
        Ok(SqlStore { pool, backend })
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

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
