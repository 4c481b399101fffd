//! Named settings, the generation counters kept among them, and the health check.

use async_trait::async_trait;
use onewindow_store::{SettingsStore, StoreError};
use sqlx::{Any, AnyPool, Transaction};

use rusqlite::OptionalExtension;

use crate::native::{error, sql};
use crate::{SqlStore, db_error};

/// One setting's value.
const SETTING: &str = "SELECT value FROM settings WHERE key = $1";

/// The settings key of the calendar's generation.
pub(crate) const CALENDAR_VERSION: &str = "calendar_version";
/// The settings key of the catalogue's generation.
pub(crate) const CATALOGUE_VERSION: &str = "catalogue_version";

/// Bumps a generation counter inside the transaction of the change it counts, so a reader sees
/// the new rows and the new number together or neither.
pub(crate) async fn bump_counter(
    tx: &mut Transaction<'_, Any>,
    key: &'static str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)",
    )
    .bind(key.to_owned())
    .execute(&mut **tx)
    .await
    .map_err(db_error(key))?;
    Ok(())
}

/// A generation counter (0 before its first change).
pub(crate) async fn counter(pool: &AnyPool, key: &'static str) -> Result<i64, StoreError> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key.to_owned())
        .fetch_optional(pool)
        .await
        .map_err(db_error(key))?;
    Ok(parse_counter(value))
}

/// A counter's stored text as a number (absent: 0).
pub(crate) fn parse_counter(value: Option<String>) -> i64 {
    value.and_then(|v| v.parse().ok()).unwrap_or(0)
}

#[async_trait]
impl SettingsStore for SqlStore {
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        if let Some(native) = &self.native {
            // Read on the request's thread (crate::case_for_change says why): the licence
            // policy is read on every issue step.
            return native.run_here(|conn| {
                conn.prepare_cached(&sql(SETTING))
                    .and_then(|mut s| s.query_row([key], |row| row.get(0)).optional())
                    .map_err(error("setting"))
            });
        }
        sqlx::query_scalar(SETTING)
            .bind(key.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("setting"))
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let _gate = self.pass_write_gate().await;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key.to_owned())
        .bind(value.to_owned())
        .execute(&self.pool)
        .await
        .map_err(db_error("setting"))?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_error("ping"))?;
        Ok(())
    }
}
