//! The cases tables: the projection row and the event log. Reads run on the pool; the writes
//! (crate::case_writes) go through the group-commit writer or a transaction of their own.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::dates::parse_date;
use onewindow_store::{
    CaseFilter, CaseForChange, CaseId, CaseProjection, CaseRecord, CaseStore, Created, LogHeadRow,
    NewCase, NewNotification, StoreError, StoredEvent,
};
use sqlx::any::{AnyArguments, AnyRow};
// Dynamic SQL here only splices this file's own column lists; values are bound.
use sqlx::{Arguments, AssertSqlSafe};

use crate::case_writes::{CaseWrite, Written};
use crate::cells::{Cells, optional, required};
use crate::{SqlStore, db_error};

pub(crate) const COLUMNS: &str = "id, number, item_code, definition_code, definition_version, handling_org, \
    applicant, version, status, step, acting_org, statutory_due, promised_due, due_provisional, \
    clock_status, is_open, created_at, updated_at, step_since, clock_basis, head_hash, head_on";

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "case".into(),
        detail: detail.to_string(),
    }
}

fn date_column(row: &impl Cells, i: usize) -> Result<Option<jiff::civil::Date>, StoreError> {
    let text = optional(row.text(i), "case")?;
    text.map(|t| parse_date(&t).map_err(corrupt)).transpose()
}

fn stored_event(row: &AnyRow) -> Result<StoredEvent, StoreError> {
    stored_event_at(row, 0)
}

/// An event row whose `seq, at, kind, body, prev_hash, hash` start at column `first`.
pub(crate) fn stored_event_at(row: &impl Cells, first: usize) -> Result<StoredEvent, StoreError> {
    let s = |i: usize| required(row.text(first + i), "case event", first + i);
    Ok(StoredEvent {
        seq: required(row.int(first), "case event", first)?,
        at: s(1)?.parse().map_err(corrupt)?,
        kind: s(2)?,
        body: s(3)?,
        prev_hash: s(4)?,
        hash: s(5)?,
    })
}

/// The log head kept in columns `at` (hash) and `at + 1` (day): both or neither.
fn log_head(row: &impl Cells, at: usize) -> Result<Option<LogHeadRow>, StoreError> {
    let hash = optional(row.text(at), "case")?;
    match (hash, date_column(row, at + 1)?) {
        (Some(hash), Some(on)) => Ok(Some(LogHeadRow { hash, on })),
        (None, None) => Ok(None),
        _ => Err(corrupt(
            "its log head has a hash without a day, or a day without a hash",
        )),
    }
}

/// A case row read with [`COLUMNS`] first.
pub(crate) fn record(row: &impl Cells) -> Result<CaseRecord, StoreError> {
    let s = |i: usize| required(row.text(i), "case", i);
    let n = |i: usize| required(row.int(i), "case", i);
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
            step: optional(row.text(9), "case")?,
            acting_org: s(10)?,
            statutory_due: date_column(row, 11)?,
            promised_due: date_column(row, 12)?,
            due_provisional: n(13)? != 0,
            clock_status: s(14)?,
            open: n(15)? != 0,
            step_since: optional(row.text(18), "case")?
                .map(|t| t.parse::<Timestamp>().map_err(corrupt))
                .transpose()?,
            clock_basis: optional(row.text(19), "case")?,
            head: log_head(row, 20)?,
        },
        created_at: ts(16)?,
        updated_at: ts(17)?,
    })
}

#[async_trait]
impl CaseStore for SqlStore {
    async fn create_case(&self, case: &NewCase, year: i32) -> Result<Created, StoreError> {
        let write = CaseWrite::Create {
            case: case.clone(),
            year,
        };
        match self.write_case(write).await? {
            Written::Created(created) => Ok(created),
            other => Err(crate::case_writes::unexpected_answer("a create", &other)),
        }
    }

    async fn generations(&self) -> Result<onewindow_store::Generations, StoreError> {
        match &self.native {
            Some(native) => crate::case_for_change::generations_direct(native),
            None => crate::case_for_change::generations(&self.pool).await,
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
            .map(stored_event)
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

    async fn case_for_change_after(
        &self,
        number: &str,
        after_seq: i64,
    ) -> Result<Option<CaseForChange>, StoreError> {
        match &self.native {
            Some(native) => crate::case_for_change::read_direct(native, number, after_seq),
            None => crate::case_for_change::read(&self.pool, number, after_seq).await,
        }
    }

    async fn append_events(
        &self,
        id: CaseId,
        expected_version: i64,
        events: &[StoredEvent],
        projection: &CaseProjection,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.append_events_notifying(id, expected_version, events, projection, at, &[])
            .await
    }

    async fn append_events_notifying(
        &self,
        id: CaseId,
        expected_version: i64,
        events: &[StoredEvent],
        projection: &CaseProjection,
        at: Timestamp,
        notifications: &[NewNotification],
    ) -> Result<(), StoreError> {
        let write = CaseWrite::Append {
            id,
            expected_version,
            events: events.to_vec(),
            projection: projection.clone(),
            at,
            notifications: notifications.to_vec(),
        };
        self.write_case(write).await.map(|_| ())
    }

    async fn cases(
        &self,
        filter: &CaseFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<CaseRecord>, u64), StoreError> {
        let (where_sql, values) = filter_clause(filter);
        let args = || {
            let mut args = AnyArguments::default();
            for v in &values {
                // Adding a String to AnyArguments cannot fail.
                let _ = args.add(v.clone());
            }
            args
        };
        // Index-only for a staff queue (index `cases_queue_count`, migration 0012; tested below).
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

    async fn cases_with_logs_after(
        &self,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<(CaseRecord, Vec<StoredEvent>)>, StoreError> {
        crate::audit_reads::cases_with_logs_after(self, after, limit).await
    }
}

/// The `WHERE` clause of a case list (empty without conditions) and the values its numbered
/// placeholders take, in order.
fn filter_clause(filter: &CaseFilter) -> (String, Vec<String>) {
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
    let values = equal.into_iter().map(|(_, v)| v).collect();
    (where_sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// A staff queue's count (issue 6: the workbench under 100 ms with 1,000,000 cases) reads
    /// index entries only — the org's open cases at its steps — never the case rows.
    #[tokio::test]
    async fn a_staff_queue_is_counted_from_the_index_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("queue.db").display());
        let store = SqlStore::connect(&url, 2).await.expect("connect");
        let queue = CaseFilter {
            visible_to_org: Some("210200".into()),
            steps: vec!["acceptance".into(), "certificate".into()],
            open: Some(true),
            ..CaseFilter::default()
        };
        let (where_sql, values) = filter_clause(&queue);
        let sql = format!("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM cases{where_sql}");
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in values {
            query = query.bind(value);
        }
        let rows = query.fetch_all(&store.pool).await.expect("plan");
        let plan: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>(3).expect("detail"))
            .collect();
        assert!(
            plan.iter()
                .any(|step| step.contains("COVERING INDEX cases_queue_count")),
            "{plan:?}"
        );
        store.close().await;
    }
}
