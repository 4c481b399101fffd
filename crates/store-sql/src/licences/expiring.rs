//! Licences in force whose validity ends in a window of days, for the renewal reminders
//! (Administrative Licensing Law art. 50; 条例 第二十四条): an index range scan on `valid_until`
//! (ISO dates compare as text on both databases), paged by id.

use jiff::civil::Date;
use onewindow_domain::licences::Licence;
use onewindow_store::StoreError;
use sqlx::AssertSqlSafe;

use super::COLUMNS;
use crate::{SqlStore, db_error};

impl SqlStore {
    pub(super) async fn expiring_licences(
        &self,
        from: Date,
        through: Date,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, Licence)>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM licences WHERE recorded_status = 'valid' \
             AND valid_until >= $1 AND valid_until <= $2 AND id > $3 ORDER BY id LIMIT $4"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(from.to_string())
            .bind(through.to_string())
            .bind(after_id)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("licences"))?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| sqlx::Row::try_get::<i64, _>(r, 0).map_err(db_error("licence")))
            .collect::<Result<_, _>>()?;
        let licences = self.with_events(&rows).await?;
        Ok(ids.into_iter().zip(licences).collect())
    }
}
