//! The read of `audit verify` (`CaseStore::cases_with_logs_after`): a page of case rows and the
//! whole logs of those cases, both in one consistent read, so that a log longer or shorter than
//! its row's version is damage and never an append made between the two reads. On SQLite a
//! read transaction on a direct connection (crate::native) gives that snapshot; on PostgreSQL a
//! REPEATABLE READ transaction does.

use onewindow_store::{CaseId, CaseRecord, StoreError, StoredEvent};
// Dynamic SQL here only splices this crate's column list and a number; values are bound.
use sqlx::AssertSqlSafe;

use crate::cases::{COLUMNS, record, stored_event_at};
use crate::cells::Cells;
use crate::native::{error, query_rows};
use crate::{SqlStore, db_error};

/// The page's rows (`$1`: the id after which it starts).
fn rows_sql(limit: u32) -> String {
    format!("SELECT {COLUMNS} FROM cases WHERE id > $1 ORDER BY id LIMIT {limit}")
}

/// The events of the cases with ids in (`$1`, `$2`], in log order: a range of the
/// `(case_id, seq)` key.
const EVENTS: &str = "SELECT case_id, seq, at, kind, body, prev_hash, hash FROM case_events \
     WHERE case_id > $1 AND case_id <= $2 ORDER BY case_id, seq";

pub(crate) async fn cases_with_logs_after(
    store: &SqlStore,
    after: CaseId,
    limit: u32,
) -> Result<Vec<(CaseRecord, Vec<StoredEvent>)>, StoreError> {
    if let Some(native) = &store.native {
        return native.run_here(|conn| {
            let tx = conn.transaction().map_err(error("cases"))?;
            let rows = query_rows(&tx, &rows_sql(limit), [after.0], "cases", |row| record(row))?;
            let Some(last) = rows.last().map(|r| r.id) else {
                return Ok(Vec::new());
            };
            let events = query_rows(&tx, EVENTS, [after.0, last.0], "case events", |row| {
                case_event(row)
            })?;
            Ok(with_logs(rows, events))
        });
    }
    let mut tx = store.pool.begin().await.map_err(db_error("cases"))?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await
        .map_err(db_error("cases"))?;
    let found = sqlx::query(AssertSqlSafe(rows_sql(limit)))
        .bind(after.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error("cases"))?;
    let rows = found.iter().map(record).collect::<Result<Vec<_>, _>>()?;
    let Some(last) = rows.last().map(|r| r.id) else {
        return Ok(Vec::new());
    };
    let found = sqlx::query(EVENTS)
        .bind(after.0)
        .bind(last.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error("case events"))?;
    tx.commit().await.map_err(db_error("cases"))?;
    let events = found
        .iter()
        .map(case_event)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(with_logs(rows, events))
}

/// An event row of [`EVENTS`]: its case, and the event.
fn case_event(row: &impl Cells) -> Result<(i64, StoredEvent), StoreError> {
    let case_id = crate::cells::required(row.int(0), "case event", 0)?;
    Ok((case_id, stored_event_at(row, 1)?))
}

/// The rows, each with its events (both lists in id order).
fn with_logs(
    rows: Vec<CaseRecord>,
    events: Vec<(i64, StoredEvent)>,
) -> Vec<(CaseRecord, Vec<StoredEvent>)> {
    let mut events = events.into_iter().peekable();
    rows.into_iter()
        .map(|record| {
            let mut log = Vec::new();
            while let Some((case, event)) = events.next_if(|(case, _)| *case <= record.id.0) {
                // An event whose case has no row (the foreign key forbids it) is passed over.
                if case == record.id.0 {
                    log.push(event);
                }
            }
            (record, log)
        })
        .collect()
}
