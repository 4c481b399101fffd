//! Named settings, and the health check.

use async_trait::async_trait;
use onewindow_store::{SettingsStore, StoreError};

use crate::{SqlStore, db_error};

#[async_trait]
impl SettingsStore for SqlStore {
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
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
