//! The file-format layer for importing and exporting the catalogue as CSV and XLSX
//! (docs/catalogue-format.md): bytes in, tables of text cells with exact positions out — and back.
//!
//! This crate knows nothing about powers, items or fees. It checks only what a file format can
//! get wrong — encoding, quoting, formulas, headers, sizes — and leaves every cell's meaning to
//! the caller (the catalogue mapping), which reports its own findings with the same [`Problem`].
//!
//! # Reading
//! * [`detect_format`] tells CSV from XLSX (a zip archive is XLSX; else the file name decides).
//! * [`read`] returns a [`Workbook`], or *every* problem found, each positioned by sheet, row
//!   (as a spreadsheet shows it: the header is row 1, blank rows count) and column (letter and
//!   header name). It never panics on bad input. It refuses:
//!   - files larger than [`Limits::max_bytes`] (before parsing), empty files, and files with more
//!     rows or cells than the [`Limits`] allow;
//!   - CSV that is not UTF-8 (GBK text from Excel is recognised and the fix explained), short
//!     rows (a lost comma), unterminated quotes and text after a closing quote;
//!   - XLSX that is not a workbook, formula cells and error values (`#DIV/0!`), by address;
//!   - a first row that is empty (the header is missing), unnamed or duplicated header names,
//!     and values in columns right of the header.
//! * A CSV file becomes one sheet named [`CSV_SHEET_NAME`] (the caller splits it by its `record`
//!   column); CSV problems carry no sheet. Each XLSX worksheet becomes a sheet, in order.
//! * Cells are trimmed, line breaks inside them are `\n`, and every [`Row`] has one cell per
//!   header column. Blank rows are skipped. XLSX numbers read as their shortest decimal (`12`),
//!   dates as `YYYY-MM-DD` (`YYYY-MM-DD HH:MM:SS` with a time), booleans as `true`/`false`.
//!
//! # Writing
//! * [`write_csv`]: UTF-8 with a BOM (so Excel shows Chinese correctly), CRLF, minimal quoting.
//!   Excel turns `0101` into `101` when it *opens* a CSV file; XLSX is the format to edit in.
//! * [`write_xlsx`]: every cell a string in a text-formatted column (leading zeros survive
//!   editing), bold frozen header, fitted column widths, wrapped multi-line cells.
//!
//! Reading what was written gives back the same sheets (row numbers renumbered from 2, blank
//! rows dropped). Cells of the form `a|b` with one entry per line are parsed by [`list_cell`].

mod cell_value;
mod csv_parse;
mod csv_read;
mod csv_write;
mod format;
mod limits;
pub mod list_cell;
mod problem;
mod table;
mod xlsx_read;
mod xlsx_write;

pub use csv_write::write_csv;
pub use format::{Format, detect_format};
pub use limits::Limits;
pub use problem::{Column, Problem, cell_reference, column_letter};
pub use table::{CSV_SHEET_NAME, Row, Sheet, Workbook};
pub use xlsx_write::{WriteError, write_xlsx};

/// Reads a whole file into tables, or refuses it with every problem found (sorted by position).
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, Vec<Problem>> {
    limits.check_size(bytes.len()).map_err(|p| vec![p])?;
    if limits::is_empty_file(bytes) {
        return Err(vec![limits::empty_file()]);
    }
    match format {
        Format::Csv => csv_read::read(bytes, limits),
        Format::Xlsx => xlsx_read::read(bytes, limits),
    }
}
