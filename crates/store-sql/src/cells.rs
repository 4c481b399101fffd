//! A row's cells, read by position and bound as parameters, the same way through sqlx and
//! through rusqlite (crate::native), so each record is decoded, and each statement's values
//! listed, by one function whichever driver runs it.

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

/// A value bound to a statement: text (perhaps NULL) or an integer, the only types stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(i64),
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(Some(text))
    }
}

impl From<Option<String>> for Value {
    fn from(text: Option<String>) -> Value {
        Value::Text(text)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Value {
        Value::Int(number)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Value::Text(text) => text.to_sql(),
            Value::Int(number) => number.to_sql(),
        }
    }
}

/// `query` with `values` bound in order (sqlx).
pub(crate) fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    values: Vec<Value>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for value in values {
        query = match value {
            Value::Text(text) => query.bind(text),
            Value::Int(number) => query.bind(number),
        };
    }
    query
}
