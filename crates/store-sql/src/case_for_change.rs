//! The read every move starts with (issue 6): a case's row, its whole log and the generations
//! of the calendar and catalogue, in one statement. Each statement costs a hop from the request's
//! thread to the driver's connection thread and back, which under load costs more than the SQL.
//!
//! On SQLite both reads run directly (crate::native) on the request's own thread, with a kept
//! connection: measured alternately in the same minutes (session 6, docs/PERFORMANCE.md), the
//! server's CPU per transition was ≈ 0.98–1.0 ms so, ≈ 1.08–1.22 ms on a blocking thread
//! (`spawn_blocking`: a hand-off and a wake-up each way, as through sqlx) and ≈ 1.15–1.33 ms
//! through sqlx. PostgreSQL reads through the pool.

use std::sync::LazyLock;

use onewindow_store::{CaseForChange, Generations, StoreError};
// Dynamic SQL here only splices this crate's own column lists and settings keys; the number is bound.
use rusqlite::params;
use sqlx::{AnyPool, AssertSqlSafe};

use crate::cases::{COLUMNS, record, stored_event_at};
use crate::cells::{Cells, optional};
use crate::db_error;
use crate::native::{NativeSqlite, error, sql};
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

/// [`SQL`] with SQLite's numbered placeholders (crate::native).
static DIRECT_SQL: LazyLock<String> = LazyLock::new(|| sql(&SQL));

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
    let mut found = None;
    for row in &rows {
        add_row(&mut found, row)?;
    }
    Ok(found)
}

/// [`read`] on SQLite driven directly (crate::native), on the calling thread: a point read of
/// one case and its new events takes tens of microseconds, less than handing it to another
/// thread and back (through sqlx, or to a blocking thread). Readers never wait for SQLite's
/// writer in WAL mode, so the request's thread is not held behind a commit.
pub(crate) fn read_direct(
    native: &NativeSqlite,
    number: &str,
    after_seq: i64,
) -> Result<Option<CaseForChange>, StoreError> {
    native.run_here(|conn| {
        let mut statement = conn.prepare_cached(&DIRECT_SQL).map_err(error("case"))?;
        let mut rows = statement
            .query(params![number, after_seq])
            .map_err(error("case"))?;
        let mut found = None;
        while let Some(row) = rows.next().map_err(error("case"))? {
            add_row(&mut found, row)?;
        }
        Ok(found)
    })
}

/// [`generations`] on SQLite driven directly, on the calling thread (as [`read_direct`]).
pub(crate) fn generations_direct(native: &NativeSqlite) -> Result<Generations, StoreError> {
    native.run_here(|conn| {
        let (calendar, catalogue) = conn
            .prepare_cached(GENERATIONS_SQL.as_str())
            .and_then(|mut s| s.query_row([], |row| Ok((row.get(0)?, row.get(1)?))))
            .map_err(error("generations"))?;
        Ok(Generations {
            calendar: parse_counter(calendar),
            catalogue: parse_counter(catalogue),
        })
    })
}

/// Adds one row of [`SQL`] to the case being read: the first row gives the case, the
/// generations and the applicant on record; every row with an event gives that event.
fn add_row(found: &mut Option<CaseForChange>, row: &impl Cells) -> Result<(), StoreError> {
    let events_at = COLUMNS.split(", ").count();
    let case = match found {
        Some(case) => case,
        None => found.insert(first_row(row, events_at)?),
    };
    // A case without events (never made by the app) has one row with NULL event columns.
    if optional(row.int(events_at), "case event")?.is_some() {
        case.events.push(stored_event_at(row, events_at)?);
    }
    Ok(())
}

fn first_row(row: &impl Cells, events_at: usize) -> Result<CaseForChange, StoreError> {
    let generations_at = events_at + 6;
    let generation = |i: usize| optional(row.text(i), "generations").map(parse_counter);
    let generations = Generations {
        calendar: generation(generations_at)?,
        catalogue: generation(generations_at + 1)?,
    };
    let text = |i: usize| optional(row.text(i), "applicant");
    let applicant_on_record = match (text(generations_at + 2)?, text(generations_at + 3)?) {
        (Some(name), Some(address)) => Some((name, address)),
        _ => None,
    };
    Ok(CaseForChange {
        record: record(row)?,
        events: Vec::new(),
        generations,
        applicant_on_record,
    })
}
