//! The cases tables: the projection row and the event log, written together in one transaction
//! with the version check.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::dates::parse_date;
use onewindow_store::{
    CaseFilter, CaseId, CaseProjection, CaseRecord, CaseStore, Created, NewCase, StoreError,
    StoredEvent,
};
use sqlx::any::{AnyArguments, AnyRow};
// Dynamic SQL here only splices this file's own column lists; values are bound.
use sqlx::{Any, Arguments, AssertSqlSafe, Row, Transaction};

use crate::{SqlStore, db_error};

const COLUMNS: &str = "id, number, item_code, definition_code, definition_version, handling_org, \
    applicant, version, status, step, acting_org, statutory_due, promised_due, due_provisional, \
    clock_status, is_open, created_at, updated_at, step_since";

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "case".into(),
        detail: detail.to_string(),
    }
}

fn date_column(row: &AnyRow, i: usize) -> Result<Option<jiff::civil::Date>, StoreError> {
    let text: Option<String> = row.try_get(i).map_err(db_error("case"))?;
    text.map(|t| parse_date(&t).map_err(corrupt)).transpose()
}

fn record(row: &AnyRow) -> Result<CaseRecord, StoreError> {
    let s = |i: usize| row.try_get::<String, _>(i).map_err(db_error("case"));
    let n = |i: usize| row.try_get::<i64, _>(i).map_err(db_error("case"));
    let ts = |i: usize| s(i)?.parse::<Timestamp>().map_err(corrupt);
    Ok(CaseRecord {
        id: CaseId(n(0)?),
        number: s(1)?,
        item_code: s(2)?,
        definition_code: s(3)?,
        definition_version: n(4)?,
        handling_org: s(5)?,
        applicant: s(6)?,
        version: n(7)?,
        projection: CaseProjection {
            status: s(8)?,
            step: row.try_get(9).map_err(db_error("case"))?,
            acting_org: s(10)?,
            statutory_due: date_column(row, 11)?,
            promised_due: date_column(row, 12)?,
            due_provisional: n(13)? != 0,
            clock_status: s(14)?,
            open: n(15)? != 0,
            step_since: row
                .try_get::<Option<String>, _>(18)
                .map_err(db_error("case"))?
                .map(|t| t.parse::<Timestamp>().map_err(corrupt))
                .transpose()?,
        },
        created_at: ts(16)?,
        updated_at: ts(17)?,
    })
}

async fn insert_events(
    tx: &mut Transaction<'_, Any>,
    id: CaseId,
    events: &[StoredEvent],
) -> Result<(), StoreError> {
    for e in events {
        sqlx::query("INSERT INTO case_events (case_id, seq, at, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id.0)
            .bind(e.seq)
            .bind(e.at.to_string())
            .bind(e.kind.clone())
            .bind(e.body.clone())
            .bind(e.prev_hash.clone())
            .bind(e.hash.clone())
            .execute(&mut **tx)
            .await
            .map_err(db_error("case event"))?;
    }
    Ok(())
}

fn date_text(date: Option<jiff::civil::Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

impl SqlStore {
    async fn existing_by_key(
        tx: &mut Transaction<'_, Any>,
        key: &str,
    ) -> Result<Option<CaseId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE idempotency_key = $1")
            .bind(key.to_owned())
            .fetch_optional(&mut **tx)
            .await
            .map_err(db_error("case"))?;
        Ok(id.map(CaseId))
    }

    async fn insert_case(&self, case: &NewCase, year: i32) -> Result<Created, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_error("case"))?;
        if let Some(key) = &case.idempotency_key
            && let Some(id) = Self::existing_by_key(&mut tx, key).await?
        {
            return Ok(Created { id, existing: true });
        }
        let serial: i64 = sqlx::query_scalar(
            "INSERT INTO case_counters (year, next) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET next = case_counters.next + 1 RETURNING next",
        )
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error("case number"))?;
        let p = &case.projection;
        let version = case.events.last().map_or(0, |e| e.seq);
        let now = case.created_at.to_string();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (number, item_code, definition_code, definition_version, handling_org, applicant, \
             idempotency_key, version, status, step, acting_org, statutory_due, promised_due, due_provisional, \
             clock_status, is_open, created_at, updated_at, step_since) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        )
        .bind(format!("{year}-{serial:06}"))
        .bind(case.item_code.clone())
        .bind(case.definition_code.clone())
        .bind(case.definition_version)
        .bind(case.handling_org.clone())
        .bind(case.applicant.clone())
        .bind(case.idempotency_key.clone())
        .bind(version)
        .bind(p.status.clone())
        .bind(p.step.clone())
        .bind(p.acting_org.clone())
        .bind(date_text(p.statutory_due))
        .bind(date_text(p.promised_due))
        .bind(i64::from(p.due_provisional))
        .bind(p.clock_status.clone())
        .bind(i64::from(p.open))
        .bind(now.clone())
        .bind(now)
        .bind(p.step_since.map(|t| t.to_string()))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error("case"))?;
        insert_events(&mut tx, CaseId(id), &case.events).await?;
        tx.commit().await.map_err(db_error("case"))?;
        Ok(Created {
            id: CaseId(id),
            existing: false,
        })
    }
}

#[async_trait]
impl CaseStore for SqlStore {
    async fn create_case(&self, case: &NewCase, year: i32) -> Result<Created, StoreError> {
        match self.insert_case(case, year).await {
            // Two submissions with one key raced: the loser finds the winner's case.
            Err(StoreError::Duplicate(_)) if case.idempotency_key.is_some() => {
                let mut tx = self.pool.begin().await.map_err(db_error("case"))?;
                let key = case.idempotency_key.as_deref().unwrap_or_default();
                let id = Self::existing_by_key(&mut tx, key)
                    .await?
                    .ok_or_else(|| StoreError::Duplicate("case".into()))?;
                Ok(Created { id, existing: true })
            }
            other => other,
        }
    }

    async fn case(&self, id: CaseId) -> Result<Option<(CaseRecord, Vec<StoredEvent>)>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM cases WHERE id = $1"
        )))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error("case"))?;
        let Some(row) = row else { return Ok(None) };
        let rows = sqlx::query("SELECT seq, at, kind, body, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("case events"))?;
        let events = rows
            .iter()
            .map(|r| {
                let s = |i: usize| r.try_get::<String, _>(i).map_err(db_error("case event"));
                Ok(StoredEvent {
                    seq: r.try_get(0).map_err(db_error("case event"))?,
                    at: s(1)?.parse().map_err(corrupt)?,
                    kind: s(2)?,
                    body: s(3)?,
                    prev_hash: s(4)?,
                    hash: s(5)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some((record(&row)?, events)))
    }

    async fn case_by_number(&self, number: &str) -> Result<Option<CaseId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE number = $1")
            .bind(number.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("case"))?;
        Ok(id.map(CaseId))
    }

    async fn append_events(
        &self,
        id: CaseId,
        expected_version: i64,
        events: &[StoredEvent],
        p: &CaseProjection,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_error("case"))?;
        let new_version = events.last().map_or(expected_version, |e| e.seq);
        let updated = sqlx::query(
            "UPDATE cases SET version = $3, status = $4, step = $5, acting_org = $6, statutory_due = $7, \
             promised_due = $8, due_provisional = $9, clock_status = $10, is_open = $11, updated_at = $12, \
             step_since = $13 WHERE id = $1 AND version = $2",
        )
        .bind(id.0)
        .bind(expected_version)
        .bind(new_version)
        .bind(p.status.clone())
        .bind(p.step.clone())
        .bind(p.acting_org.clone())
        .bind(date_text(p.statutory_due))
        .bind(date_text(p.promised_due))
        .bind(i64::from(p.due_provisional))
        .bind(p.clock_status.clone())
        .bind(i64::from(p.open))
        .bind(at.to_string())
        .bind(p.step_since.map(|t| t.to_string()))
        .execute(&mut *tx)
        .await
        .map_err(db_error("case"))?;
        if updated.rows_affected() != 1 {
            let found: Option<i64> = sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error("case"))?;
            return Err(StoreError::Conflict {
                what: format!("case {}", id.0),
                expected: expected_version,
                found: found.unwrap_or(0),
            });
        }
        insert_events(&mut tx, id, events).await?;
        tx.commit().await.map_err(db_error("case"))
    }

    async fn cases(
        &self,
        filter: &CaseFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<CaseRecord>, u64), StoreError> {
        let equal: Vec<(&str, String)> = [
            ("acting_org", &filter.acting_org),
            ("handling_org", &filter.handling_org),
            ("applicant", &filter.applicant),
            ("status", &filter.status),
            ("clock_status", &filter.clock_status),
        ]
        .into_iter()
        .filter_map(|(column, value)| value.clone().map(|v| (column, v)))
        .collect();
        let mut equal = equal;
        let mut conditions: Vec<String> = equal
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ${}", i + 1))
            .collect();
        if let Some(org) = &filter.visible_to_org {
            let n = equal.len() + 1;
            conditions.push(format!("(handling_org = ${n} OR acting_org = ${n})"));
            equal.push(("visible_to_org", org.clone()));
        }
        if !filter.steps.is_empty() {
            let first = equal.len() + 1;
            let places: Vec<String> = (first..first + filter.steps.len())
                .map(|n| format!("${n}"))
                .collect();
            conditions.push(format!("step IN ({})", places.join(", ")));
            equal.extend(filter.steps.iter().map(|s| ("step", s.clone())));
        }
        if let Some(open) = filter.open {
            conditions.push(format!("is_open = {}", i64::from(open)));
        }
        let where_sql = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let args = || {
            let mut args = AnyArguments::default();
            for (_, v) in &equal {
                // Adding a String to AnyArguments cannot fail.
                let _ = args.add(v.clone());
            }
            args
        };
        let total: i64 = sqlx::query_scalar_with(
            AssertSqlSafe(format!("SELECT COUNT(*) FROM cases{where_sql}")),
            args(),
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_error("cases"))?;
        let sql = format!(
            "SELECT {COLUMNS} FROM cases{where_sql} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query_with(AssertSqlSafe(sql), args())
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("cases"))?;
        let records = rows.iter().map(record).collect::<Result<Vec<_>, _>>()?;
        Ok((records, u64::try_from(total).unwrap_or(0)))
    }

    async fn open_cases_after(
        &self,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE is_open = 1 AND id > $1 ORDER BY id LIMIT {limit}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(after.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("cases"))?;
        rows.iter().map(record).collect()
    }

    async fn case_ids_after(&self, after: CaseId, limit: u32) -> Result<Vec<CaseId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT {limit}"
        )))
        .bind(after.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("cases"))?;
        Ok(ids.into_iter().map(CaseId).collect())
    }
}
