//! Writing a workbook as .xlsx for people to read and edit in Excel.
//!
//! Every cell is written as a string in a text-formatted column, so codes like `0101` keep their
//! leading zero and what users type into the file later stays text too. The header is bold and
//! frozen, columns are as wide as their content (within bounds), and cells with line breaks wrap.
//! It must not reorder or rename anything: the caller decides sheets and columns.

use rust_xlsxwriter::{Format, FormatAlign, Workbook as XlsxWorkbook, Worksheet, XlsxError};

use crate::problem::cell_reference;
use crate::table::{Sheet, Workbook};

/// The most characters Excel keeps in one cell.
const MAX_CELL_CHARS: usize = 32_767;
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
/// Column widths, in Excel's unit (roughly one Latin character).
const MIN_WIDTH: f64 = 8.0;
const MAX_WIDTH: f64 = 60.0;

/// Why a workbook could not be written as .xlsx.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "sheet \"{sheet}\", cell {cell}: {chars} characters, more than the {MAX_CELL_CHARS} an \
         Excel cell can hold; shorten the text or export as CSV"
    )]
    CellTooLong {
        sheet: String,
        cell: String,
        chars: usize,
    },
    #[error(
        "sheet \"{sheet}\" has {rows} rows and {columns} columns, more than an Excel sheet can \
         hold ({MAX_ROWS} rows, {MAX_COLUMNS} columns); export as CSV"
    )]
    SheetTooLarge {
        sheet: String,
        rows: usize,
        columns: usize,
    },
    #[error("\"{sheet}\" cannot be the name of an Excel sheet: {source}")]
    SheetName {
        sheet: String,
        #[source]
        source: XlsxError,
    },
    #[error("could not build the .xlsx file: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The workbook as .xlsx bytes, one worksheet per sheet in order (row numbers are not written).
/// A workbook without sheets gets one empty `Sheet1`, because Excel cannot open a workbook
/// that has none.
pub fn write_xlsx(workbook: &Workbook) -> Result<Vec<u8>, WriteError> {
    let formats = Formats::new();
    let mut xlsx = XlsxWorkbook::new();
    for sheet in &workbook.sheets {
        check_size(sheet)?;
        let worksheet = xlsx.add_worksheet();
        worksheet
            .set_name(&sheet.name)
            .map_err(|source| WriteError::SheetName {
                sheet: sheet.name.clone(),
                source,
            })?;
        write_sheet(worksheet, sheet, &formats)?;
    }
    Ok(xlsx.save_to_buffer()?)
}

struct Formats {
    header: Format,
    text: Format,
    wrapped: Format,
}

impl Formats {
    fn new() -> Self {
        // "@" is Excel's Text number format.
        let text = Format::new()
            .set_num_format("@")
            .set_align(FormatAlign::Top);
        Self {
            header: text.clone().set_bold(),
            wrapped: text.clone().set_text_wrap(),
            text,
        }
    }
}

fn check_size(sheet: &Sheet) -> Result<(), WriteError> {
    let rows = sheet.rows.len() + 1;
    let columns = sheet
        .rows
        .iter()
        .map(|row| row.cells.len())
        .chain([sheet.header.len()])
        .max()
        .unwrap_or(0);
    if rows > MAX_ROWS || columns > MAX_COLUMNS {
        return Err(WriteError::SheetTooLarge {
            sheet: sheet.name.clone(),
            rows,
            columns,
        });
    }
    let cells = std::iter::once(&sheet.header).chain(sheet.rows.iter().map(|row| &row.cells));
    for (row_index, cells) in cells.enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            let chars = cell.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(WriteError::CellTooLong {
                    sheet: sheet.name.clone(),
                    cell: cell_reference(spreadsheet_row(row_index), column),
                    chars,
                });
            }
        }
    }
    Ok(())
}

/// Row and column indices fit Excel's types: `check_size` bounded them first.
#[allow(clippy::cast_possible_truncation)]
fn write_sheet(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    formats: &Formats,
) -> Result<(), WriteError> {
    if sheet.header.is_empty() && sheet.rows.is_empty() {
        return Ok(());
    }
    let mut widths = vec![0_usize; sheet.header.len()];
    for (column, name) in sheet.header.iter().enumerate() {
        worksheet.write_string_with_format(0, column as u16, name, &formats.header)?;
        widths[column] = display_width(name);
    }
    for (row_index, row) in sheet.rows.iter().enumerate() {
        for (column, cell) in row.cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let format = if cell.contains('\n') {
                &formats.wrapped
            } else {
                &formats.text
            };
            let row_number = (row_index + 1) as u32;
            worksheet.write_string_with_format(row_number, column as u16, cell, format)?;
            if let Some(width) = widths.get_mut(column) {
                *width = (*width).max(display_width(cell));
            }
        }
    }
    for (column, width) in widths.into_iter().enumerate() {
        let column = column as u16;
        // Precision is irrelevant for widths of at most a few hundred characters.
        #[allow(clippy::cast_precision_loss)]
        let width = (width as f64 + 2.0).clamp(MIN_WIDTH, MAX_WIDTH);
        worksheet.set_column_width(column, width)?;
        worksheet.set_column_format(column, &formats.text)?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn spreadsheet_row(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// How many Latin-character widths the longest line of a cell takes; Chinese characters and
/// other wide (CJK) characters take two.
fn display_width(cell: &str) -> usize {
    cell.split('\n')
        .map(|line| line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum())
        .max()
        .unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(
        c,
        '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{20000}'..='\u{3FFFD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_count_double_and_the_longest_line_wins() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("行政许可"), 8);
        assert_eq!(display_width("ab\n行政许可法x"), 11);
    }

    #[test]
    fn an_overlong_cell_is_refused_with_its_address() {
        let mut sheet = Sheet::new("items", vec!["code".into(), "note".into()]);
        sheet.push_row(vec!["1".into(), "x".repeat(MAX_CELL_CHARS + 1)]);
        let error = write_xlsx(&Workbook {
            sheets: vec![sheet],
        })
        .expect_err("too long");
        assert!(
            error
                .to_string()
                .starts_with("sheet \"items\", cell B2: 32768 characters"),
            "{error}"
        );
    }

    #[test]
    fn an_invalid_sheet_name_is_refused_by_name() {
        let sheet = Sheet::new("a/b", vec!["x".into()]);
        let error = write_xlsx(&Workbook {
            sheets: vec![sheet],
        })
        .expect_err("bad name");
        assert!(matches!(error, WriteError::SheetName { ref sheet, .. } if sheet == "a/b"));
    }
}
