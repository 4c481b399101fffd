//! Issuing a licence on a SQLite connection driven directly (crate::native), inside the case
//! writer's batch (crate::group_commit::direct): the statements of `licences/writes.rs`, their
//! SQL text shared, each prepared once per connection. The writer holds the write lock from the
//! batch's start, so the check that the case has no licence and the insert cannot be split by
//! another writer.

use std::sync::LazyLock;

use onewindow_domain::identifiers::LicenceNumber;
use onewindow_domain::licences::Licence;
use onewindow_store::{AuditEntry, NewLicence, StoreError};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::MAX_TAKEN_SKIPS;
use super::search::index_terms;
use super::writes::{
    INSERT_LICENCE, INSERT_TERM, LICENCE_NUMBERED, LICENCE_OF_CASE, NEXT_LICENCE_SERIAL, all_taken,
    licence_values, numbered,
};
use crate::INSERT_AUDIT;
use crate::native::{error, sql};

static LICENCE_OF_CASE_SQL: LazyLock<String> = LazyLock::new(|| sql(LICENCE_OF_CASE));
static LICENCE_NUMBERED_SQL: LazyLock<String> = LazyLock::new(|| sql(LICENCE_NUMBERED));
static NEXT_LICENCE_SERIAL_SQL: LazyLock<String> = LazyLock::new(|| sql(NEXT_LICENCE_SERIAL));
static INSERT_LICENCE_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_LICENCE));
static INSERT_TERM_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_TERM));
static INSERT_AUDIT_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_AUDIT));

/// `SqlStore::insert_licence_in` on a direct connection: `None`, with nothing written, when the
/// case has a licence already.
pub(crate) fn insert_licence_direct(
    conn: &Connection,
    new: &NewLicence,
    audit: &AuditEntry,
) -> Result<Option<Licence>, StoreError> {
    let existing: Option<i64> = conn
        .prepare_cached(&LICENCE_OF_CASE_SQL)
        .and_then(|mut s| {
            s.query_row([&new.grant.case_number], |row| row.get(0))
                .optional()
        })
        .map_err(error("licence"))?;
    if existing.is_some() {
        return Ok(None);
    }
    let licence = Licence {
        number: next_number(conn, new)?,
        grant: new.grant.clone(),
        events: Vec::new(),
    };
    let values = licence_values(&licence, new.issued_at)?;
    let id: i64 = conn
        .prepare_cached(&INSERT_LICENCE_SQL)
        .and_then(|mut s| s.query_row(params_from_iter(values), |row| row.get(0)))
        .map_err(error("licence"))?;
    let mut term = conn
        .prepare_cached(&INSERT_TERM_SQL)
        .map_err(error("licence terms"))?;
    for word in index_terms(&licence) {
        term.execute(params![word, id])
            .map_err(error("licence terms"))?;
    }
    conn.prepare_cached(&INSERT_AUDIT_SQL)
        .and_then(|mut s| {
            s.execute(params![
                audit.at.to_string(),
                audit.actor,
                audit.action,
                audit.detail
            ])
        })
        .map_err(error("audit entry"))?;
    Ok(Some(licence))
}

/// The next serial of the series that is not already a number, or `Exhausted`.
fn next_number(conn: &Connection, new: &NewLicence) -> Result<LicenceNumber, StoreError> {
    let series = new.numbering.series_key();
    for _ in 0..MAX_TAKEN_SKIPS {
        let serial: i64 = conn
            .prepare_cached(&NEXT_LICENCE_SERIAL_SQL)
            .and_then(|mut s| s.query_row([&series], |row| row.get(0)))
            .map_err(error("licence serial"))?;
        let number = numbered(new, serial)?;
        let taken: Option<i64> = conn
            .prepare_cached(&LICENCE_NUMBERED_SQL)
            .and_then(|mut s| {
                s.query_row([number.to_string()], |row| row.get(0))
                    .optional()
            })
            .map_err(error("licence"))?;
        if taken.is_none() {
            return Ok(number);
        }
    }
    Err(all_taken(new))
}
