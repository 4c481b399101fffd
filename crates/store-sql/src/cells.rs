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

/// Rows copied out of SQLite as they are stepped, to be decoded once the connection is free:
/// the recompute's page read (issue 3) steps its rows on the one bulk connection, which the
/// page writes wait for, while decoding them (text checked as UTF-8, strings allocated, times
/// parsed: ≈ 40 % of the read) can run beside the next write. Every cell's bytes go into one
/// buffer.
pub(crate) struct CopiedRows {
    columns: usize,
    bytes: Vec<u8>,
    cells: Vec<Copied>,
}

#[derive(Clone, Copy)]
enum Copied {
    Null,
    Int(i64),
    /// A text's byte range in the buffer.
    Text(usize, usize),
    /// A cell of a type this crate never stores.
    Other(&'static str),
}

impl CopiedRows {
    pub(crate) fn new(columns: usize, rows: usize) -> CopiedRows {
        CopiedRows {
            columns,
            bytes: Vec::with_capacity(rows * columns * 16),
            cells: Vec::with_capacity(rows * columns),
        }
    }

    /// Copies `row`'s cells (the first `columns`).
    pub(crate) fn push(&mut self, row: &rusqlite::Row<'_>) -> Result<(), StoreError> {
        use rusqlite::types::ValueRef;
        for i in 0..self.columns {
            let cell = row
                .get_ref(i)
                .map_err(|e| StoreError::Database(e.to_string()))?;
            self.cells.push(match cell {
                ValueRef::Null => Copied::Null,
                ValueRef::Integer(number) => Copied::Int(number),
                ValueRef::Text(text) => {
                    let start = self.bytes.len();
                    self.bytes.extend_from_slice(text);
                    Copied::Text(start, self.bytes.len())
                }
                ValueRef::Real(_) => Copied::Other("a real number"),
                ValueRef::Blob(_) => Copied::Other("a blob"),
            });
        }
        Ok(())
    }

    /// The rows, in the order copied.
    pub(crate) fn rows(&self) -> impl Iterator<Item = CopiedRow<'_>> {
        (0..self.cells.len() / self.columns.max(1)).map(|row| CopiedRow {
            rows: self,
            first: row * self.columns,
        })
    }
}

/// One row of [`CopiedRows`].
pub(crate) struct CopiedRow<'a> {
    rows: &'a CopiedRows,
    first: usize,
}

impl CopiedRow<'_> {
    fn cell(&self, i: usize) -> Result<Copied, String> {
        match i < self.rows.columns {
            true => Ok(self.rows.cells[self.first + i]),
            false => Err(format!("no column {i}")),
        }
    }
}

impl Cells for CopiedRow<'_> {
    fn text(&self, i: usize) -> Result<Option<String>, String> {
        match self.cell(i)? {
            Copied::Null => Ok(None),
            Copied::Text(start, end) => std::str::from_utf8(&self.rows.bytes[start..end])
                .map(|text| Some(text.to_owned()))
                .map_err(|e| format!("column {i} is not UTF-8 text: {e}")),
            Copied::Int(_) => Err(format!("column {i} holds a number, not text")),
            Copied::Other(what) => Err(format!("column {i} holds {what}, not text")),
        }
    }

    fn int(&self, i: usize) -> Result<Option<i64>, String> {
        match self.cell(i)? {
            Copied::Null => Ok(None),
            Copied::Int(number) => Ok(Some(number)),
            Copied::Text(..) => Err(format!("column {i} holds text, not a number")),
            Copied::Other(what) => Err(format!("column {i} holds {what}, not a number")),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_rows_read_back_as_the_statement_gave_them_and_name_a_wrong_cell() {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        let mut statement = conn
            .prepare(
                "SELECT 7, '大连 text', NULL, 1.5, x'00' \
                 UNION ALL SELECT -1, '', 'x', NULL, NULL",
            )
            .expect("prepare");
        let mut copied = CopiedRows::new(statement.column_count(), 2);
        let mut rows = statement.query([]).expect("query");
        while let Some(row) = rows.next().expect("step") {
            copied.push(row).expect("copied");
        }
        let rows: Vec<CopiedRow<'_>> = copied.rows().collect();
        assert_eq!(rows.len(), 2);
        let (first, second) = (&rows[0], &rows[1]);
        assert_eq!(first.int(0), Ok(Some(7)));
        assert_eq!(first.text(1), Ok(Some("大连 text".to_owned())));
        assert_eq!(first.text(2), Ok(None));
        assert_eq!(first.int(2), Ok(None));
        assert_eq!(
            first.text(3),
            Err("column 3 holds a real number, not text".to_owned())
        );
        assert_eq!(
            first.int(4),
            Err("column 4 holds a blob, not a number".to_owned())
        );
        assert_eq!(
            first.text(0),
            Err("column 0 holds a number, not text".to_owned())
        );
        assert_eq!(
            first.int(1),
            Err("column 1 holds text, not a number".to_owned())
        );
        assert_eq!(first.text(5), Err("no column 5".to_owned()));
        assert_eq!(
            (
                second.int(0),
                second.text(1),
                second.text(2),
                second.text(3)
            ),
            (
                Ok(Some(-1)),
                Ok(Some(String::new())),
                Ok(Some("x".into())),
                Ok(None)
            )
        );
    }
}
