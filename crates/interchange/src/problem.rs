//! Problems found in an imported file, and the positions they point at.
//!
//! Owns the position vocabulary (sheet, spreadsheet row number, column letter and name) and the
//! one English sentence shape every import problem is shown in:
//! `sheet "powers", row 12, column C (category): …`. It must not know what any column means;
//! the catalogue mapping builds its own problems with the same type.

use std::fmt;

/// A column of a sheet: its 0-based position and the name in its header cell ("" when unnamed).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Column {
    pub index: usize,
    pub name: String,
}

impl Column {
    pub fn new(index: usize, name: impl Into<String>) -> Self {
        Self {
            index,
            name: name.into(),
        }
    }

    /// The column's letters as a spreadsheet shows them: 0 → `A`, 25 → `Z`, 26 → `AA`.
    pub fn letter(&self) -> String {
        column_letter(self.index)
    }
}

/// Letters for a 0-based column index (bijective base 26, as spreadsheets number columns).
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        // `rem` < 26, so the cast cannot truncate.
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A cell reference such as `D7` (1-based row as shown, 0-based column index).
pub fn cell_reference(row: u32, column: usize) -> String {
    format!("{}{row}", column_letter(column))
}

/// One thing wrong with a file, positioned as precisely as it can be.
///
/// `message` is an English sentence fragment that says what is wrong and how to fix it; the
/// position is rendered in front of it by `Display`. Rows are numbered as a spreadsheet shows
/// them (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub column: Option<Column>,
    pub message: String,
}

impl Problem {
    /// A problem with the file as a whole; narrow it with `in_sheet`, `at_row`, `at_column`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            sheet: None,
            row: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// Sets the sheet only when there is one (CSV problems carry no sheet).
    pub fn in_optional_sheet(mut self, sheet: Option<&str>) -> Self {
        self.sheet = sheet.map(str::to_owned);
        self
    }

    pub fn at_row(mut self, row: u32) -> Self {
        self.row = Some(row);
        self
    }

    pub fn at_column(mut self, column: Column) -> Self {
        self.column = Some(column);
        self
    }

    /// Orders problems as a reader scans a file: by row, then by column; unpositioned first.
    pub(crate) fn position_key(&self) -> (u32, usize) {
        (
            self.row.unwrap_or(0),
            self.column.as_ref().map_or(0, |c| c.index),
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(sheet) = &self.sheet {
            place.push(format!("sheet \"{sheet}\""));
        }
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if let Some(column) = &self.column {
            if column.name.is_empty() {
                place.push(format!("column {}", column.letter()));
            } else {
                place.push(format!("column {} ({})", column.letter(), column.name));
            }
        }
        if place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", place.join(", "), self.message)
        }
    }
}

impl std::error::Error for Problem {}

/// A byte count the way people read it: `512 bytes`, `30.0 KB`, `50.0 MB` (binary multiples).
pub(crate) fn human_size(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    // Precision loss above 2^53 bytes is irrelevant for a size shown with one decimal.
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} bytes")
    } else if b < KIB * KIB {
        format!("{:.1} KB", b / KIB)
    } else {
        format!("{:.1} MB", b / (KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_numbering() {
        let letters: Vec<String> = [0, 2, 25, 26, 27, 51, 52, 701, 702, 16_383]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "C", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn a_problem_shows_its_position_before_the_message() {
        let problem = Problem::new("must be a two-digit code; use 01 to 10 or 20")
            .in_sheet("powers")
            .at_row(12)
            .at_column(Column::new(2, "category"));
        assert_eq!(
            problem.to_string(),
            "sheet \"powers\", row 12, column C (category): must be a two-digit code; use 01 to 10 or 20"
        );
    }

    #[test]
    fn a_problem_without_position_is_just_its_message() {
        assert_eq!(
            Problem::new("the file is empty").to_string(),
            "the file is empty"
        );
        let unnamed = Problem::new("x").at_row(3).at_column(Column::new(27, ""));
        assert_eq!(unnamed.to_string(), "row 3, column AB: x");
    }

    #[test]
    fn sizes_are_shown_in_readable_units() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(30 * 1024), "30.0 KB");
        assert_eq!(human_size(50 * 1024 * 1024), "50.0 MB");
    }
}
