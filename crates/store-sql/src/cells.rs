//! Reading a result row's cells by position, the same way from sqlx's rows and from rusqlite's
//! (crate::native), so each record is decoded by one function whichever driver read it.

use onewindow_store::StoreError;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A row whose cells are text or integers (the only types this crate stores).
pub(crate) trait Cells {
    fn text(&self, i: usize) -> Result<Option<String>, String>;
    fn int(&self, i: usize) -> Result<Option<i64>, String>;
}

impl Cells for AnyRow {
    fn text(&self, i: usize) -> Result<Option<String>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }

    fn int(&self, i: usize) -> Result<Option<i64>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }
}

impl Cells for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<Option<String>, String> {
        self.get(i).map_err(|e| e.to_string())
    }

    fn int(&self, i: usize) -> Result<Option<i64>, String> {
        self.get(i).map_err(|e| e.to_string())
    }
}

/// A cell that must hold a value; `what` names the record in the error.
pub(crate) fn required<T>(
    cell: Result<Option<T>, String>,
    what: &str,
    i: usize,
) -> Result<T, StoreError> {
    match cell {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(StoreError::Corrupt {
            what: what.to_owned(),
            detail: format!("column {i} is empty"),
        }),
        Err(detail) => Err(StoreError::Database(format!("{what}: {detail}"))),
    }
}

/// A cell that may be empty.
pub(crate) fn optional<T>(
    cell: Result<Option<T>, String>,
    what: &str,
) -> Result<Option<T>, StoreError> {
    cell.map_err(|detail| StoreError::Database(format!("{what}: {detail}")))
}
