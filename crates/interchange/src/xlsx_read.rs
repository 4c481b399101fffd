//! Reading an .xlsx workbook: every worksheet becomes a `Sheet`, in workbook order (hidden ones
//! too; chart sheets have no cells and are left out). Cells are streamed, so reading stops at
//! the first limit crossed however far the sheet claims to extend.
//!
//! Refused by address: formula cells (the file must carry values, not what Excel would compute)
//! and error values such as `#DIV/0!`. It must not interpret values beyond turning them into
//! text (`cell_value`); the header rules live in `table`.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Reader, SheetType, Xlsx, XlsxError, XlsxFormulaMetadata};

use crate::Limits;
use crate::cell_value::{CellText, cell_text};
use crate::limits::Budget;
use crate::problem::{Problem, cell_reference};
use crate::table::{RawRow, Sheet, Workbook, build_sheet, clean_cell};

/// The signature of an OLE2 compound file: an Excel 97–2003 `.xls`, or an encrypted `.xlsx`.
const OLE_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const RESAVE: &str = "open it in Excel and save it as \"Excel Workbook (.xlsx)\"";

type XlsxReader<'a> = Xlsx<Cursor<&'a [u8]>>;

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, Vec<Problem>> {
    if bytes.starts_with(OLE_SIGNATURE) {
        return Err(vec![Problem::new(format!(
            "the file is an Excel 97–2003 workbook (.xls) or a password-protected workbook, \
             which cannot be imported; remove any password, then {RESAVE}"
        ))]);
    }
    // calamine parses untrusted zip and XML. Should it panic on some malformed input, the
    // import must still end in a refusal, not bring down the server or the command.
    catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, limits))).unwrap_or_else(|_| {
        Err(vec![Problem::new(format!(
            "the .xlsx file is damaged and could not be read; {RESAVE}"
        ))])
    })
}

fn read_workbook(bytes: &[u8], limits: &Limits) -> Result<Workbook, Vec<Problem>> {
    let mut xlsx: XlsxReader<'_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|error| vec![open_problem(&error)])?;
    let names: Vec<String> = xlsx
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    let mut budget = Budget::new(limits);
    let mut problems = Vec::new();
    let mut sheets = Vec::new();
    for name in names {
        let sheet = read_sheet(&mut xlsx, name, &mut budget, &mut problems).map_err(|p| vec![p])?;
        sheets.push(sheet);
    }
    if problems.is_empty() {
        Ok(Workbook { sheets })
    } else {
        Err(problems)
    }
}

/// A cell refused while streaming; its column name is known only once the header is built.
struct Refused {
    row: u32,
    column: usize,
    message: String,
}

/// Reads one worksheet; `Err` only for a damaged sheet or a crossed limit (fatal).
fn read_sheet(
    xlsx: &mut XlsxReader<'_>,
    name: String,
    budget: &mut Budget,
    problems: &mut Vec<Problem>,
) -> Result<Sheet, Problem> {
    let damaged = |error: XlsxError| {
        Problem::new(format!(
            "this sheet is damaged and could not be read ({error}); {RESAVE}"
        ))
        .in_sheet(&name)
    };
    let mut rows: BTreeMap<u32, Vec<(usize, String)>> = BTreeMap::new();
    let mut refused = Vec::new();
    let mut reader = xlsx.worksheet_cells_reader(&name).map_err(damaged)?;
    while let Some(cell) = reader.next_cell_with_formula_metadata().map_err(damaged)? {
        let (row, column) = (cell.pos.0, cell.pos.1 as usize);
        let number = row.saturating_add(1);
        let text = match (&cell.formula, cell_text(&cell.value)) {
            (Some(formula), _) => Err(formula_message(number, column, formula)),
            (None, CellText::Error(error)) => Err(format!(
                "cell {} holds the error value {error}; correct the cell or replace it with a \
                 value",
                cell_reference(number, column)
            )),
            (None, CellText::Text(text)) => Ok(clean_cell(&text)),
            (None, CellText::Empty) => continue,
        };
        budget.cells(1)?;
        match text {
            Err(message) => refused.push(Refused {
                row: number,
                column,
                message,
            }),
            Ok(text) if text.is_empty() => {}
            Ok(text) => {
                let cells = rows.entry(row).or_default();
                if cells.is_empty() && row != 0 {
                    budget.data_row()?;
                }
                cells.push((column, text));
            }
        }
    }
    drop(reader);

    let raw_rows = rows
        .into_iter()
        .map(|(row, mut cells)| {
            // Cells normally come in column order; a hand-made file may not keep it.
            cells.sort_by_key(|(column, _)| *column);
            RawRow {
                number: row.saturating_add(1),
                cells,
            }
        })
        .collect();
    let mut found = Vec::new();
    let sheet = build_sheet(name.clone(), Some(&name), raw_rows, budget, &mut found)?;
    found.extend(refused.into_iter().map(|cell| {
        Problem::new(cell.message)
            .in_sheet(&name)
            .at_row(cell.row)
            .at_column(sheet.column_at(cell.column))
    }));
    found.sort_by_key(Problem::position_key);
    problems.append(&mut found);
    Ok(sheet)
}

fn formula_message(row: u32, column: usize, formula: &XlsxFormulaMetadata) -> String {
    let text = match formula {
        XlsxFormulaMetadata::Normal { formula } | XlsxFormulaMetadata::Shared { formula, .. } => {
            let shown: String = formula.chars().take(60).collect();
            let ellipsis = if shown.len() < formula.len() {
                "…"
            } else {
                ""
            };
            format!(" (={shown}{ellipsis})")
        }
        // A cell filled from a shared formula stores no text of its own.
        _ => String::new(),
    };
    format!(
        "cell {} holds a formula{text}; the file must carry values: select the cells, copy, \
         then Paste Special → Values, and import again",
        cell_reference(row, column)
    )
}

fn open_problem(error: &XlsxError) -> Problem {
    match error {
        XlsxError::Password => Problem::new(
            "the workbook is password-protected; remove the password in Excel \
             (File → Info → Protect Workbook) and import again",
        ),
        XlsxError::Zip(_) => Problem::new(format!(
            "the file is not a valid .xlsx workbook (an .xlsx file is a zip archive, and this \
             one is not); {RESAVE}"
        )),
        other => Problem::new(format!(
            "the .xlsx file is damaged or is not an Excel workbook ({other}); {RESAVE}"
        )),
    }
}
