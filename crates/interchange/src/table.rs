//! The tables a file turns into — `Workbook`, `Sheet`, `Row` — and the rules shared by CSV and
//! XLSX for turning raw rows into a sheet: row 1 is the header, header names are present and
//! unique, blank rows are skipped, cells are trimmed, nothing sits right of the header.
//!
//! It must not know any column's meaning: that belongs to the catalogue mapping.

use std::collections::HashMap;

use crate::limits::Budget;
use crate::problem::{Column, Problem, cell_reference};

/// The name of the single sheet a CSV file becomes.
pub const CSV_SHEET_NAME: &str = "csv";

/// Every sheet of a file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// The sheet with exactly this name, if the file has one.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|sheet| sheet.name == name)
    }
}

/// One table: a header of column names and the non-blank rows under it.
///
/// An entirely empty sheet has an empty header and no rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// A non-blank row under the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number a spreadsheet shows (the header is row 1; blank rows still count).
    pub number: u32,
    /// One trimmed cell per header column; line breaks inside a cell are `\n`.
    pub cells: Vec<String>,
}

impl Sheet {
    /// An empty sheet with a header, ready for `push_row` (used when exporting).
    pub fn new(name: impl Into<String>, header: Vec<String>) -> Self {
        Self {
            name: name.into(),
            header,
            rows: Vec::new(),
        }
    }

    /// Appends a row numbered after the previous one (the first data row is row 2).
    pub fn push_row(&mut self, cells: Vec<String>) -> &Row {
        let number = self
            .rows
            .last()
            .map_or(2, |row| row.number.saturating_add(1));
        self.rows.push(Row { number, cells });
        let last = self.rows.len() - 1;
        &self.rows[last]
    }

    /// The index of the column with exactly this header name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|header| header == name)
    }

    /// The row's cell in the named column; "" when the sheet has no such column.
    pub fn cell<'a>(&self, row: &'a Row, name: &str) -> &'a str {
        self.column(name)
            .and_then(|index| row.cells.get(index))
            .map_or("", String::as_str)
    }

    /// The column at `index`, with its header name ("" beyond the header), for a `Problem`.
    pub fn column_at(&self, index: usize) -> Column {
        Column::new(index, self.header.get(index).cloned().unwrap_or_default())
    }
}

/// A row as read from a file, before the header rules: only its non-empty cells, cleaned, by
/// ascending column index. Sparse so that a file of a few bytes can't make us allocate a wide
/// grid of empty strings.
#[derive(Debug, Default)]
pub(crate) struct RawRow {
    pub number: u32,
    pub cells: Vec<(usize, String)>,
}

/// Trims a cell and turns CRLF (and lone CR) line breaks inside it into LF.
pub(crate) fn clean_cell(raw: &str) -> String {
    let trimmed = raw.trim();
    if trimmed.contains('\r') {
        trimmed.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        trimmed.to_owned()
    }
}

/// Applies the header rules to the non-blank rows of one sheet, in file order.
///
/// `problem_sheet` is the sheet name problems carry (`None` for CSV, which has no sheets).
/// Fails only when the table would exceed the cell limit.
pub(crate) fn build_sheet(
    name: String,
    problem_sheet: Option<&str>,
    rows: Vec<RawRow>,
    budget: &mut Budget,
    problems: &mut Vec<Problem>,
) -> Result<Sheet, Problem> {
    let data_rows = rows.len().saturating_sub(1);
    let mut rows = rows.into_iter();
    let Some(first) = rows.next() else {
        return Ok(Sheet::new(name, Vec::new()));
    };
    let at = |row: u32, column: Column, message: String| {
        Problem::new(message)
            .in_optional_sheet(problem_sheet)
            .at_row(row)
            .at_column(column)
    };
    if first.number != 1 {
        problems.push(
            Problem::new(
                "the first row is empty, but it must hold the column names (the header); \
                 put the column names in row 1 or delete the empty rows above them",
            )
            .in_optional_sheet(problem_sheet)
            .at_row(1),
        );
        return Ok(Sheet::new(name, Vec::new()));
    }

    let header = header_names(first.cells);
    budget.table(data_rows, header.len())?;
    check_header(&header, |column, message| {
        problems.push(at(1, column, message));
    });

    let mut sheet = Sheet::new(name, header);
    for raw in rows {
        if let Some((index, _)) = raw
            .cells
            .iter()
            .find(|(index, _)| *index >= sheet.header.len())
        {
            let beyond = raw
                .cells
                .iter()
                .filter(|(i, _)| *i >= sheet.header.len())
                .count();
            problems.push(at(
                raw.number,
                sheet.column_at(*index),
                beyond_header_message(&sheet, *index, beyond),
            ));
        }
        let mut cells = vec![String::new(); sheet.header.len()];
        for (index, text) in raw.cells {
            if let Some(cell) = cells.get_mut(index) {
                *cell = text;
            }
        }
        sheet.rows.push(Row {
            number: raw.number,
            cells,
        });
    }
    Ok(sheet)
}

/// The header as a dense list, without the empty cells after its last name.
fn header_names(cells: Vec<(usize, String)>) -> Vec<String> {
    let width = cells.last().map_or(0, |(index, _)| index + 1);
    let mut header = vec![String::new(); width];
    for (index, name) in cells {
        header[index] = name;
    }
    header
}

fn check_header(header: &[String], mut report: impl FnMut(Column, String)) {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        if name.is_empty() {
            report(
                Column::new(index, ""),
                format!(
                    "this column has no name in the header row; type its name in {} \
                     or delete the column",
                    cell_reference(1, index)
                ),
            );
        } else if let Some(&first) = first_seen.get(name.as_str()) {
            report(
                Column::new(index, name.clone()),
                format!(
                    "the column name \"{name}\" is used twice, in columns {} and {}; \
                     rename or delete one of them",
                    Column::new(first, "").letter(),
                    Column::new(index, "").letter(),
                ),
            );
        } else {
            first_seen.insert(name, index);
        }
    }
}

fn beyond_header_message(sheet: &Sheet, index: usize, beyond: usize) -> String {
    let last = match sheet.header.len() {
        0 => String::from("the header is empty"),
        len => {
            let column = sheet.column_at(len - 1);
            format!(
                "the last named column is {} (\"{}\")",
                column.letter(),
                column.name
            )
        }
    };
    let others = match beyond {
        0 | 1 => String::new(),
        n => format!(
            " ({} more cells of this row are beyond the header too)",
            n - 1
        ),
    };
    format!(
        "this cell has a value but its column has no name ({last}){others}; \
         clear the cell or type a column name in {}",
        cell_reference(1, index)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn build(rows: Vec<RawRow>, problems: &mut Vec<Problem>) -> Sheet {
        let mut budget = Budget::new(&Limits::default());
        build_sheet("s".into(), Some("s"), rows, &mut budget, problems).expect("within limits")
    }

    fn raw(number: u32, cells: &[(usize, &str)]) -> RawRow {
        RawRow {
            number,
            cells: cells.iter().map(|(i, s)| (*i, (*s).to_owned())).collect(),
        }
    }

    #[test]
    fn cells_are_trimmed_and_line_breaks_become_lf() {
        assert_eq!(clean_cell("  a\r\nb\rc \u{3000}"), "a\nb\nc");
        assert_eq!(clean_cell("\n x \n"), "x");
    }

    #[test]
    fn short_rows_are_padded_and_numbers_kept() {
        let mut problems = Vec::new();
        let rows = vec![raw(1, &[(0, "a"), (1, "b")]), raw(4, &[(1, "y")])];
        let sheet = build(rows, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(sheet.rows[0].number, 4);
        assert_eq!(sheet.rows[0].cells, ["", "y"]);
        assert_eq!(sheet.cell(&sheet.rows[0], "b"), "y");
        assert_eq!(sheet.cell(&sheet.rows[0], "missing"), "");
    }

    #[test]
    fn trailing_empty_header_cells_are_not_columns() {
        let mut problems = Vec::new();
        let sheet = build(vec![raw(1, &[(0, "a")])], &mut problems);
        assert_eq!(sheet.header, ["a"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn pushed_rows_are_numbered_from_two() {
        let mut sheet = Sheet::new("s", vec!["a".into()]);
        sheet.push_row(vec!["1".into()]);
        let second = sheet.push_row(vec!["2".into()]).number;
        assert_eq!(second, 3);
        assert_eq!(sheet.rows[0].number, 2);
    }
}
