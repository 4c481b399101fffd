//! The sweeper's and the due-date recompute's reads and writes (`onewindow_store::SweepStore`):
//! a page of open cases with their logs in two queries, or of provisional cases' rows (which
//! keep their logs' heads) in one, a batch of version-checked appends in a few statements (one
//! `UPDATE … FROM (VALUES …) … RETURNING id` per 64 cases, then the event rows of the
//! cases it updated), and one `UPDATE` settling the dates that became exact.
//! Both SQLite (3.35+: `UPDATE FROM`, `RETURNING`) and PostgreSQL run the same text; a
//! `VALUES` list's columns are `column1`, `column2`, … in both.

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_store::{
    BatchAppend, CaseId, CaseRecord, OpenCases, StoreError, StoredEvent, SweepStore,
};
// Dynamic SQL here only splices this crate's column lists and numbered placeholders; values
// are bound.
use sqlx::{AssertSqlSafe, Row};

use crate::case_writes::{EventRow, insert_event_rows};
use crate::case_writes::{date_text, head_values};
use crate::cases::{COLUMNS, record, stored_event_at};
use crate::cells::{Value, bind_all};
use crate::{SqlStore, db_error};

mod direct;

/// Values bound per case in the batch update.
const PER_CASE: usize = 10;

#[async_trait]
impl SweepStore for SqlStore {
    async fn open_cases_with_logs(
        &self,
        after: CaseId,
        which: OpenCases,
        limit: u32,
    ) -> Result<Vec<(CaseRecord, Option<Vec<StoredEvent>>)>, StoreError> {
        // Dates are ISO text, so text order is date order. Indexes cases_open and
        // cases_provisional.
        let (filter, reaching) = match which {
            OpenCases::All => ("", None),
            OpenCases::Provisional { reaching: None } => (" AND due_provisional = 1", None),
            OpenCases::Provisional {
                reaching: Some(date),
            } => (
                " AND due_provisional = 1 AND (statutory_due >= $2 OR promised_due >= $2)",
                Some(date.to_string()),
            ),
        };
        let page = format!(
            "SELECT {{}} FROM cases WHERE is_open = 1{filter} AND id > $1 ORDER BY id LIMIT {limit}"
        );
        let bind = |sql: String| {
            let query = sqlx::query(AssertSqlSafe(sql)).bind(after.0);
            match &reaching {
                Some(date) => query.bind(date.clone()),
                None => query,
            }
        };
        let rows = bind(page.replace("{}", COLUMNS))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("case"))?;
        let mut cases = rows
            .iter()
            .map(|row| Ok((record(row)?, Vec::new())))
            .collect::<Result<Vec<(CaseRecord, Vec<StoredEvent>)>, StoreError>>()?;
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let events = format!(
            "SELECT case_id, seq, at, kind, body, prev_hash, hash FROM case_events \
             WHERE case_id IN ({}) ORDER BY case_id, seq",
            page.replace("{}", "id")
        );
        let rows = bind(events)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("case events"))?;
        let mut at = 0;
        for row in &rows {
            let case_id: i64 = row.try_get(0).map_err(db_error("case event"))?;
            // Both lists are in id order.
            while at < cases.len() && cases[at].0.id.0 < case_id {
                at += 1;
            }
            let seq: i64 = row.try_get(1).map_err(db_error("case event"))?;
            if let Some((record, log)) = cases.get_mut(at)
                && record.id.0 == case_id
                // Events appended after the row was read are not part of its version.
                && seq <= record.version
            {
                log.push(stored_event_at(row, 1)?);
            }
        }
        Ok(cases
            .into_iter()
            .map(|(record, log)| {
                let whole = log.len() as i64 == record.version;
                (record, whole.then_some(log))
            })
            .collect())
    }

    async fn open_case_rows(
        &self,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        // Index cases_open.
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM cases WHERE is_open = 1 AND id > $1 ORDER BY id LIMIT {limit}"
        )))
        .bind(after.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("case"))?;
        rows.iter().map(record).collect()
    }

    async fn logs_at(
        &self,
        cases: &[(CaseId, i64)],
    ) -> Result<Vec<Option<Vec<StoredEvent>>>, StoreError> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        // The ids are this store's integers, spliced as numbers.
        let ids: Vec<String> = cases.iter().map(|(id, _)| id.0.to_string()).collect();
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT case_id, seq, at, kind, body, prev_hash, hash FROM case_events \
             WHERE case_id IN ({}) ORDER BY case_id, seq",
            ids.join(", ")
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("case events"))?;
        let mut logs: std::collections::HashMap<i64, Vec<StoredEvent>> =
            std::collections::HashMap::with_capacity(cases.len());
        for row in &rows {
            let case_id: i64 = row.try_get(0).map_err(db_error("case event"))?;
            logs.entry(case_id)
                .or_default()
                .push(stored_event_at(row, 1)?);
        }
        Ok(cases
            .iter()
            .map(|(id, version)| {
                let mut log = logs.remove(&id.0).unwrap_or_default();
                // Events appended after the version asked for are not part of it.
                log.retain(|e| e.seq <= *version);
                (log.len() as i64 == *version).then_some(log)
            })
            .collect())
    }

    async fn provisional_case_rows(
        &self,
        after: CaseId,
        reaching: Option<Date>,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        if let Some(native) = &self.native {
            return direct::provisional_case_rows(native, after, reaching, limit).await;
        }
        let sql = provisional_rows_sql(reaching.is_some(), limit);
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(after.0);
        if let Some(date) = reaching {
            query = query.bind(date.to_string());
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("case"))?;
        rows.iter().map(record).collect()
    }

    async fn append_batch(
        &self,
        appends: Vec<BatchAppend>,
        at: Timestamp,
    ) -> Result<Vec<CaseId>, StoreError> {
        if appends.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(native) = &self.native {
            let _gate = self.pass_write_gate().await;
            return direct::append_batch(native, appends, at).await;
        }
        let (_gate, mut tx) = self.begin_write("case").await?;
        let mut written = Vec::with_capacity(appends.len());
        let mut rest = appends.as_slice();
        while !rest.is_empty() {
            // Not more: binding a value looks its placeholder up by a linear scan of the
            // statement's (in SQLite, through sqlx), so a statement's binding grows with the
            // square of its values (1,024 cases, 13,313 values: a third of the recompute's CPU).
            let size = [64, 16, 4, 1]
                .into_iter()
                .find(|&n| n <= rest.len())
                .unwrap_or(1);
            let (chunk, after) = rest.split_at(size);
            let mut query = sqlx::query(AssertSqlSafe(update_sql(size))).bind(at.to_string());
            for a in chunk {
                query = bind_all(query, clock_values(a).into());
            }
            let rows = query.fetch_all(&mut *tx).await.map_err(db_error("case"))?;
            let ids = rows
                .iter()
                .map(|row| row.try_get::<i64, _>(0))
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_error("case"))?;
            written.extend(ids.into_iter().map(CaseId));
            rest = after;
        }
        written.sort();
        let rows: Vec<EventRow<'_>> = appends
            .iter()
            .filter(|a| written.binary_search(&a.id).is_ok())
            .flat_map(|a| a.events.iter().map(move |e| (a.id, e)))
            .collect();
        insert_event_rows(&mut tx, &rows).await?;
        tx.commit().await.map_err(db_error("case"))?;
        Ok(written)
    }

    async fn settle_provisional_due_dates(
        &self,
        before: Date,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        let _gate = self.pass_write_gate().await;
        let done = sqlx::query(
            "UPDATE cases SET due_provisional = 0, updated_at = $2 \
             WHERE is_open = 1 AND due_provisional = 1 AND statutory_due < $1 \
             AND (promised_due IS NULL OR promised_due < $1)",
        )
        .bind(before.to_string())
        .bind(at.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_error("case"))?;
        Ok(done.rows_affected())
    }
}

/// The rows of the open cases with provisional due dates after `$1` (reaching `$2` when
/// `reaching`): index cases_provisional.
fn provisional_rows_sql(reaching: bool, limit: u32) -> String {
    let reaching_sql = match reaching {
        true => " AND (statutory_due >= $2 OR promised_due >= $2)",
        false => "",
    };
    format!(
        "SELECT {COLUMNS} FROM cases \
         WHERE is_open = 1 AND due_provisional = 1{reaching_sql} AND id > $1 \
         ORDER BY id LIMIT {limit}"
    )
}

/// A batch append's values for the version-checked update of its clock's columns, in the
/// order both drivers bind them: id, expected version, new version, statutory and promised due
/// dates, `due_provisional`, `clock_status`, `clock_basis`, and the log's head.
fn clock_values(a: &BatchAppend) -> [Value; PER_CASE] {
    let p = &a.projection;
    let [head_hash, head_on] = head_values(p);
    [
        a.id.0.into(),
        a.expected_version.into(),
        new_version(a).into(),
        date_text(p.statutory_due).into(),
        date_text(p.promised_due).into(),
        i64::from(p.due_provisional).into(),
        p.clock_status.clone().into(),
        p.clock_basis.clone().into(),
        head_hash,
        head_on,
    ]
}

/// The case's version once the append is written: its last event's seq.
fn new_version(a: &BatchAppend) -> i64 {
    a.events.last().map_or(a.expected_version, |e| e.seq)
}

/// The version-checked update of `cases` cases: `$1` is the time, then [`PER_CASE`] values a
/// case (id, expected version, new version, then the clock's columns of the projection: the
/// only ones a due-date change moves, so the row's other indexes are left alone, and the head
/// of its log).
fn update_sql(cases: usize) -> String {
    let rows: Vec<String> = (0..cases)
        .map(|c| {
            let places: Vec<String> = (1..=PER_CASE)
                .map(|v| format!("${}", 1 + c * PER_CASE + v))
                .collect();
            format!("({})", places.join(", "))
        })
        .collect();
    format!(
        "UPDATE cases SET version = v.column3, statutory_due = v.column4, \
         promised_due = v.column5, due_provisional = v.column6, clock_status = v.column7, \
         clock_basis = v.column8, head_hash = v.column9, head_on = v.column10, updated_at = $1 \
         FROM (VALUES {}) AS v WHERE cases.id = v.column1 AND cases.version = v.column2 \
         RETURNING cases.id",
        rows.join(", ")
    )
}
