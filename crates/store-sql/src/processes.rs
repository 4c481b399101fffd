//! Saved process definitions and the item → definition map.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_store::{ProcessStore, SavedDefinition, StoreError};
use sqlx::Row;

use crate::settings::{CATALOGUE_VERSION, bump_counter};
use crate::{SqlStore, db_error};

#[async_trait]
impl ProcessStore for SqlStore {
    async fn save_definition(&self, d: &SavedDefinition) -> Result<(), StoreError> {
        // A new version is what new cases of its code follow: a catalogue change, so instances
        // drop the "latest" they cached under the catalogue's generation (issue 6).
        let (_gate, mut tx) = self.begin_write("process definition").await?;
        sqlx::query(
            "INSERT INTO process_definitions (code, version, source, saved_by, saved_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(d.code.clone())
        .bind(d.version)
        .bind(d.source.clone())
        .bind(d.saved_by.clone())
        .bind(d.saved_at.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error("process definition version"))?;
        bump_counter(&mut tx, CATALOGUE_VERSION).await?;
        tx.commit().await.map_err(db_error("process definition"))
    }

    async fn definitions(&self) -> Result<Vec<SavedDefinition>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, version, source, saved_by, saved_at FROM process_definitions \
             ORDER BY code, version",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("process definitions"))?;
        rows.iter()
            .map(|row| {
                let get = |i: usize| row.try_get::<String, _>(i).map_err(db_error("definition"));
                Ok(SavedDefinition {
                    code: get(0)?,
                    version: row.try_get(1).map_err(db_error("definition"))?,
                    source: get(2)?,
                    saved_by: get(3)?,
                    saved_at: get(4)?
                        .parse::<Timestamp>()
                        .map_err(|e| StoreError::Corrupt {
                            what: "process definition".into(),
                            detail: e.to_string(),
                        })?,
                })
            })
            .collect()
    }

    async fn set_item_process(
        &self,
        item_code: &str,
        definition_code: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // In the catalogue's generation: instances cache the choice under it (issue 6).
        let (_gate, mut tx) = self.begin_write("item process").await?;
        sqlx::query(
            "INSERT INTO item_processes (item_code, definition_code, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (item_code) DO UPDATE SET \
             definition_code = excluded.definition_code, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(item_code.to_owned())
        .bind(definition_code.to_owned())
        .bind(by.to_owned())
        .bind(at.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error("item process"))?;
        bump_counter(&mut tx, CATALOGUE_VERSION).await?;
        tx.commit().await.map_err(db_error("item process"))
    }

    async fn item_processes(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows =
            sqlx::query("SELECT item_code, definition_code FROM item_processes ORDER BY item_code")
                .fetch_all(&self.pool)
                .await
                .map_err(db_error("item processes"))?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get(0).map_err(db_error("item process"))?,
                    row.try_get(1).map_err(db_error("item process"))?,
                ))
            })
            .collect()
    }
}
