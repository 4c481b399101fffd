//! The recompute's page read and batch write on SQLite, driven directly (crate::native): the
//! same rows and the same checks as the portable path beside it, with one prepared statement
//! run per case instead of many-valued statements, which through sqlx cost more to bind than
//! to run.

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_store::{BatchAppend, CaseId, CaseRecord, StoreError};
use rusqlite::{TransactionBehavior, params};

use super::{new_version, provisional_rows_sql};
use crate::case_writes::date_text;
use crate::case_writes::direct::{INSERT_EVENT_SQL, TimeTexts, insert_events_with};
use crate::cases::record;
use crate::cells::CopiedRows;
use crate::native::{NativeSqlite, error, sql};

/// The page's rows are stepped on the bulk connection and copied out; they are decoded after,
/// on a blocking thread of their own, while the connection writes the page before.
pub(super) async fn provisional_case_rows(
    native: &NativeSqlite,
    after: CaseId,
    reaching: Option<Date>,
    limit: u32,
) -> Result<Vec<CaseRecord>, StoreError> {
    let copied = native
        .run_bulk(move |conn| {
            let mut statement = conn
                .prepare_cached(&sql(&provisional_rows_sql(reaching.is_some(), limit)))
                .map_err(error("case"))?;
            let mut copied = CopiedRows::new(statement.column_count(), limit as usize);
            let reaching = reaching.map(|date| date.to_string());
            let mut rows = match &reaching {
                Some(date) => statement.query(params![after.0, date]),
                None => statement.query(params![after.0]),
            }
            .map_err(error("case"))?;
            while let Some(row) = rows.next().map_err(error("case"))? {
                copied.push(row)?;
            }
            Ok(copied)
        })
        .await?;
    tokio::task::spawn_blocking(move || copied.rows().map(|row| record(&row)).collect())
        .await
        .map_err(|e| StoreError::Database(format!("a decoding thread failed: {e}")))?
}

/// The version-checked update of one case's clock columns (those a due-date change moves):
/// the values `clock_values` lists for the portable path (bound here from the append's own
/// fields, without copying them), then the time.
const UPDATE_CLOCK: &str = "UPDATE cases SET version = $3, statutory_due = $4, promised_due = $5, \
     due_provisional = $6, clock_status = $7, clock_basis = $8, head_hash = $9, head_on = $10, \
     updated_at = $11 \
     WHERE id = $1 AND version = $2";

/// One transaction: each case's update, and its events only when the update found the case at
/// its expected version. Answers the cases written, in id order.
pub(super) async fn append_batch(
    native: &NativeSqlite,
    appends: Vec<BatchAppend>,
    at: Timestamp,
) -> Result<Vec<CaseId>, StoreError> {
    let written = native
        .run_bulk(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(error("case"))?;
            let at = at.to_string();
            let mut written = Vec::with_capacity(appends.len());
            {
                let mut update = tx
                    .prepare_cached(&sql(UPDATE_CLOCK))
                    .map_err(error("case"))?;
                let mut insert = tx
                    .prepare_cached(&INSERT_EVENT_SQL)
                    .map_err(error("case event"))?;
                let mut times = TimeTexts::default();
                for a in &appends {
                    let p = &a.projection;
                    let updated = update
                        .execute(params![
                            a.id.0,
                            a.expected_version,
                            new_version(a),
                            date_text(p.statutory_due),
                            date_text(p.promised_due),
                            i64::from(p.due_provisional),
                            p.clock_status,
                            p.clock_basis,
                            p.head.as_ref().map(|h| h.hash.as_str()),
                            date_text(p.head.as_ref().map(|h| h.on)),
                            at,
                        ])
                        .map_err(error("case"))?;
                    if updated != 1 {
                        // Changed meanwhile: nothing of it is written.
                        continue;
                    }
                    insert_events_with(&mut insert, &mut times, a.id, &a.events)?;
                    written.push(a.id);
                }
            }
            tx.commit().map_err(error("case"))?;
            written.sort();
            Ok(written)
        })
        .await?;
    native.checkpointer().after_bulk_write();
    Ok(written)
}
