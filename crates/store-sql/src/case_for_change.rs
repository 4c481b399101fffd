//! The read every move starts with (issue 6): a case's row, its whole log and the generations
//! of the calendar and catalogue, in one statement. Each statement costs a hop from the request's
//! thread to the driver's connection thread and back, which under load costs more than the SQL.

use std::sync::LazyLock;

use onewindow_store::{CaseForChange, Generations, StoreError};
// Dynamic SQL here only splices this crate's own column lists and settings keys; the number is bound.
use sqlx::{AnyPool, AssertSqlSafe, Row};

use crate::cases::{COLUMNS, record, stored_event_at};
use crate::db_error;
use crate::settings::{CALENDAR_VERSION, CATALOGUE_VERSION, parse_counter};

/// One row per event, each carrying the case's columns and the two generations (scalar
/// subqueries both databases evaluate once): one statement, so one snapshot — the row's version
/// and the log always agree, as two separate reads need not. LEFT JOINs: a case without events
/// (never made by the app, or none after the seq asked from) is still found, and so is one
/// whose applicant has no record.
static SQL: LazyLock<String> = LazyLock::new(|| {
    let case_columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("c.{c}")).collect();
    format!(
        "SELECT {}, e.seq, e.at, e.kind, e.body, e.prev_hash, e.hash, \
         (SELECT value FROM settings WHERE key = '{CALENDAR_VERSION}'), \
         (SELECT value FROM settings WHERE key = '{CATALOGUE_VERSION}'), ent.name, ent.address \
         FROM cases c LEFT JOIN case_events e ON e.case_id = c.id AND e.seq > $2 \
         LEFT JOIN enterprises ent ON ent.credit_code = c.applicant \
         WHERE c.number = $1 ORDER BY e.seq",
        case_columns.join(", ")
    )
});

static GENERATIONS_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT (SELECT value FROM settings WHERE key = '{CALENDAR_VERSION}'), \
         (SELECT value FROM settings WHERE key = '{CATALOGUE_VERSION}')"
    )
});

/// The two generations alone, in one statement (a submission has no case to read them with).
pub(crate) async fn generations(pool: &AnyPool) -> Result<Generations, StoreError> {
    let (calendar, catalogue): (Option<String>, Option<String>) =
        sqlx::query_as(AssertSqlSafe(GENERATIONS_SQL.as_str()))
            .fetch_one(pool)
            .await
            .map_err(db_error("generations"))?;
    Ok(Generations {
        calendar: parse_counter(calendar),
        catalogue: parse_counter(catalogue),
    })
}

pub(crate) async fn read(
    pool: &AnyPool,
    number: &str,
    after_seq: i64,
) -> Result<Option<CaseForChange>, StoreError> {
    let rows = sqlx::query(AssertSqlSafe(SQL.as_str()))
        .bind(number.to_owned())
        .bind(after_seq)
        .fetch_all(pool)
        .await
        .map_err(db_error("case"))?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let events_at = COLUMNS.split(", ").count();
    let generations_at = events_at + 6;
    let generation = |i: usize| {
        first
            .try_get::<Option<String>, _>(i)
            .map(parse_counter)
            .map_err(db_error("generations"))
    };
    let generations = Generations {
        calendar: generation(generations_at)?,
        catalogue: generation(generations_at + 1)?,
    };
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        // A case without events (never made by the app) has one row with NULL event columns.
        let seq: Option<i64> = row.try_get(events_at).map_err(db_error("case event"))?;
        if seq.is_some() {
            events.push(stored_event_at(row, events_at)?);
        }
    }
    let text = |i: usize| {
        first
            .try_get::<Option<String>, _>(i)
            .map_err(db_error("applicant"))
    };
    let applicant_on_record = match (text(generations_at + 2)?, text(generations_at + 3)?) {
        (Some(name), Some(address)) => Some((name, address)),
        _ => None,
    };
    Ok(Some(CaseForChange {
        record: record(first)?,
        events,
        generations,
        applicant_on_record,
    }))
}
