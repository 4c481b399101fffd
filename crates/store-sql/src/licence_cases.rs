//! Cases by the licence they are about (migration 0010): the open one on a licence, found by
//! the partial unique index that keeps it the only one, and the recently closed ones, found by
//! `cases_closed_changed` like the notification catch-up's.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_store::{CaseId, CaseRecord, LicenceCaseStore, StoreError};
// Dynamic SQL here only splices the cases column list and a number; values are bound.
use sqlx::AssertSqlSafe;

use crate::cases::COLUMNS;
use crate::{SqlStore, db_error};

#[async_trait]
impl LicenceCaseStore for SqlStore {
    async fn open_case_on_licence(
        &self,
        licence_number: &str,
    ) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar(
            "SELECT number FROM cases WHERE licence_number = $1 AND is_open = 1 \
             ORDER BY id LIMIT 1",
        )
        .bind(licence_number.to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error("case"))
    }

    async fn closed_licence_cases_since(
        &self,
        since: Timestamp,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        // Timestamps are RFC 3339 text in UTC: their order is time order, and the caller asks
        // from well before the instant it needs.
        let sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE is_open = 0 AND updated_at >= $1 AND id > $2 \
             AND licence_number IS NOT NULL ORDER BY id LIMIT {limit}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(since.to_string())
            .bind(after.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("cases"))?;
        rows.iter().map(crate::cases::record).collect()
    }
}
