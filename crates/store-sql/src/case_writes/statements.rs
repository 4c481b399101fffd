//! The statements of the case writes as both drivers run them: the SQL text (the portable `$n`
//! form; crate::native turns it into SQLite's `?n`) and the values each binds, in order, so the
//! sqlx path (`case_writes.rs`) and the direct one (`case_writes/direct.rs`) list each field once.

use jiff::Timestamp;
use onewindow_store::{CaseId, CaseProjection, NewCase};

use crate::cells::Value;

/// The case a submission with this idempotency key made, if any.
pub(crate) const EXISTING_BY_KEY: &str = "SELECT id, number FROM cases WHERE idempotency_key = $1";

/// The next serial of a year's case numbers, counted in the same transaction as the case.
pub(crate) const NEXT_SERIAL: &str = "INSERT INTO case_counters (year, next) VALUES ($1, 1) \
     ON CONFLICT (year) DO UPDATE SET next = case_counters.next + 1 RETURNING next";

pub(crate) const INSERT_CASE: &str = "INSERT INTO cases (number, item_code, definition_code, \
     definition_version, handling_org, applicant, idempotency_key, version, status, step, \
     acting_org, statutory_due, promised_due, due_provisional, clock_status, is_open, created_at, \
     updated_at, step_since, licence_number, clock_basis, head_hash, head_on) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
     $19, $20, $21, $22, $23) RETURNING id";

/// The version-checked update of a case's projection (`case_writes::update_projection`).
pub(crate) const UPDATE_PROJECTION: &str = "UPDATE cases SET version = $3, status = $4, step = $5, \
     acting_org = $6, statutory_due = $7, promised_due = $8, due_provisional = $9, \
     clock_status = $10, is_open = $11, updated_at = $12, step_since = $13, clock_basis = $14, \
     head_hash = $15, head_on = $16 WHERE id = $1 AND version = $2";

/// The version found when the version-checked update changed no row (0: no such case).
pub(crate) const VERSION_OF_CASE: &str = "SELECT version FROM cases WHERE id = $1";

/// One event row (`case_writes::insert_event_rows` repeats its `VALUES` shape for many rows).
pub(crate) const INSERT_EVENT: &str = "INSERT INTO case_events (case_id, seq, at, kind, body, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// A case's number: its year and its serial in that year's series, e.g. `2026-000123`.
pub(crate) fn case_number(year: i32, serial: i64) -> String {
    format!("{year}-{serial:06}")
}

pub(crate) fn date_text(date: Option<jiff::civil::Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

/// The values of [`INSERT_CASE`], in its order (both drivers bind these).
pub(crate) fn new_case_values(case: &NewCase, number: &str) -> Vec<Value> {
    let p = &case.projection;
    let version = case.events.last().map_or(0, |e| e.seq);
    let now = case.created_at.to_string();
    let mut values: Vec<Value> = vec![
        number.to_owned().into(),
        case.item_code.clone().into(),
        case.definition_code.clone().into(),
        case.definition_version.into(),
        case.handling_org.clone().into(),
        case.applicant.clone().into(),
        case.idempotency_key.clone().into(),
        version.into(),
    ];
    values.extend(projection_columns(p));
    values.extend([
        now.clone().into(),
        now.into(),
        p.step_since.map(|t| t.to_string()).into(),
        // A second open case on the licence violates `cases_one_open_per_licence`: Duplicate.
        case.licence_number.clone().into(),
        p.clock_basis.clone().into(),
    ]);
    values.extend(head_values(p));
    values
}

/// The projection's log head, as the two columns `head_hash` and `head_on` keep it.
pub(crate) fn head_values(p: &CaseProjection) -> [Value; 2] {
    let head = p.head.as_ref();
    [
        head.map(|h| h.hash.clone()).into(),
        date_text(head.map(|h| h.on)).into(),
    ]
}

/// The projection's columns both statements write in this order, from `status` to `is_open`.
fn projection_columns(p: &CaseProjection) -> [Value; 8] {
    [
        p.status.clone().into(),
        p.step.clone().into(),
        p.acting_org.clone().into(),
        date_text(p.statutory_due).into(),
        date_text(p.promised_due).into(),
        i64::from(p.due_provisional).into(),
        p.clock_status.clone().into(),
        i64::from(p.open).into(),
    ]
}

/// The values of [`UPDATE_PROJECTION`], in its order (both drivers bind these).
pub(crate) fn projection_update_values(
    (id, expected_version, new_version): (CaseId, i64, i64),
    p: &CaseProjection,
    at: Timestamp,
) -> Vec<Value> {
    let mut values: Vec<Value> = vec![id.0.into(), expected_version.into(), new_version.into()];
    values.extend(projection_columns(p));
    values.extend([
        at.to_string().into(),
        p.step_since.map(|t| t.to_string()).into(),
        p.clock_basis.clone().into(),
    ]);
    values.extend(head_values(p));
    values
}
