//! The catalogue's reads on SQLite driven directly, on the request's thread (crate::native;
//! why: crate::case_for_change). Issuing a licence reads the item, the orgs and the licence
//! policy on every issue step of a case.

use onewindow_store::{StoreError, Versioned};
use rusqlite::OptionalExtension;

use crate::native::{NativeSqlite, error, sql};

/// The records `portable` selects (its placeholders take `values`), parsed.
pub(super) fn records<T>(
    native: &NativeSqlite,
    portable: &str,
    values: &[String],
    what: &str,
    parse: impl Fn(&str) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    native.rows(portable, &values, what, |row| {
        let record: String = row.get(0).map_err(error(what))?;
        parse(&record)
    })
}

/// The record and version `portable` selects by `code`, parsed.
pub(super) fn one<T>(
    native: &NativeSqlite,
    portable: &str,
    code: &str,
    what: &str,
    parse: impl Fn(&str) -> Result<T, StoreError>,
) -> Result<Option<Versioned<T>>, StoreError> {
    native.run_here(|conn| {
        let found: Option<(String, i64)> = conn
            .prepare_cached(&sql(portable))
            .and_then(|mut s| {
                s.query_row([code], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
            })
            .map_err(error(what))?;
        found
            .map(|(record, version)| {
                Ok(Versioned {
                    value: parse(&record)?,
                    version,
                })
            })
            .transpose()
    })
}
