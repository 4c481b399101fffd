//! The recompute's page read and batch write on SQLite, driven directly (crate::native): the
//! same rows and the same checks as the portable path beside it, with one prepared statement
//! run per case instead of many-valued statements, which through sqlx cost more to bind than
//! to run.

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_store::{BatchAppend, CaseId, CaseRecord, StoreError, StoredEvent};
use rusqlite::{TransactionBehavior, params, params_from_iter};

use super::{case_head, clock_values, provisional_heads_sql};
use crate::case_writes::direct::insert_events;
use crate::native::{NativeSqlite, error, sql};

pub(super) async fn provisional_case_heads(
    native: &NativeSqlite,
    after: CaseId,
    reaching: Option<Date>,
    limit: u32,
) -> Result<Vec<(CaseRecord, Option<StoredEvent>)>, StoreError> {
    native
        .run_bulk(move |conn| {
            let mut statement = conn
                .prepare_cached(&sql(&provisional_heads_sql(reaching.is_some(), limit)))
                .map_err(error("case"))?;
            let reaching = reaching.map(|date| date.to_string());
            let mut rows = match &reaching {
                Some(date) => statement.query(params![after.0, date]),
                None => statement.query(params![after.0]),
            }
            .map_err(error("case"))?;
            let mut heads = Vec::with_capacity(limit as usize);
            while let Some(row) = rows.next().map_err(error("case"))? {
                heads.push(case_head(row)?);
            }
            Ok(heads)
        })
        .await
}

/// The version-checked update of one case's clock columns (those a due-date change moves):
/// `clock_values`, then the time.
const UPDATE_CLOCK: &str = "UPDATE cases SET version = $3, statutory_due = $4, promised_due = $5, \
     due_provisional = $6, clock_status = $7, clock_basis = $8, updated_at = $9 \
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
                for a in &appends {
                    let values = clock_values(a).into_iter().chain([at.clone().into()]);
                    let updated = update
                        .execute(params_from_iter(values))
                        .map_err(error("case"))?;
                    if updated != 1 {
                        // Changed meanwhile: nothing of it is written.
                        continue;
                    }
                    insert_events(&tx, a.id, &a.events)?;
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
