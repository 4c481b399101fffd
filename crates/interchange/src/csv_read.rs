//! Reading a CSV file into the single sheet `"csv"`: the byte-order mark, the encoding (UTF-8
//! required; GBK and UTF-16 from Excel recognised and explained), the limits, the field count
//! of every row, then the header rules shared with XLSX.
//!
//! It must not split the table by record kind or check any cell's meaning: the caller does.

use encoding_rs::GB18030;

use crate::Limits;
use crate::csv_parse::{Parser, Record};
use crate::limits::Budget;
use crate::problem::{Column, Problem};
use crate::table::{CSV_SHEET_NAME, RawRow, Workbook, build_sheet, clean_cell};

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Workbook, Vec<Problem>> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(vec![Problem::new(
            "the file is UTF-16 text (Excel's \"Unicode Text\"), not CSV; in Excel choose \
             Save As → \"CSV UTF-8 (Comma delimited)\" and import again",
        )]);
    }
    let (body, bom_len) = match bytes.strip_prefix(UTF8_BOM) {
        Some(body) => (body, UTF8_BOM.len()),
        None => (bytes, 0),
    };
    if let Err(error) = std::str::from_utf8(body) {
        return Err(vec![encoding_problem(body, bom_len, error.valid_up_to())]);
    }

    let mut budget = Budget::new(limits);
    let mut problems = Vec::new();
    let mut parser = Parser::new(body);
    let mut rows = Vec::new();
    let mut header_fields = None;
    for record in parser.by_ref() {
        if record.is_blank() {
            continue;
        }
        let field_count = record.field_count;
        let row = raw_row(record);
        if row.cells.is_empty() {
            continue;
        }
        budget.cells(row.cells.len()).map_err(|p| vec![p])?;
        match header_fields {
            None => header_fields = Some((row.number, field_count)),
            Some((header_row, expected)) => {
                budget.data_row().map_err(|p| vec![p])?;
                if header_row == 1 && field_count < expected {
                    problems.push(short_row(row.number, field_count, expected));
                }
            }
        }
        rows.push(row);
    }
    problems.append(&mut parser.problems);
    if rows.is_empty() && problems.is_empty() {
        return Err(vec![crate::limits::empty_file()]);
    }

    let sheet = build_sheet(
        CSV_SHEET_NAME.to_owned(),
        None,
        rows,
        &mut budget,
        &mut problems,
    )
    .map_err(|p| vec![p])?;
    if problems.is_empty() {
        Ok(Workbook {
            sheets: vec![sheet],
        })
    } else {
        problems.sort_by_key(Problem::position_key);
        Err(problems)
    }
}

/// Decodes and cleans a record's fields. The whole file was checked to be UTF-8 and fields are
/// cut at ASCII delimiters, so the lossy decode never replaces anything.
fn raw_row(record: Record) -> RawRow {
    let cells = record
        .fields
        .into_iter()
        .map(|(index, bytes)| (index, clean_cell(&String::from_utf8_lossy(&bytes))))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    RawRow {
        number: record.number,
        cells,
    }
}

/// Rows with fewer fields than the header are refused rather than padded: every CSV writer
/// (ours, Excel, LibreOffice) writes one field per column, so a short row means a lost comma
/// and every value after it has slid one column to the left.
fn short_row(row: u32, found: usize, expected: usize) -> Problem {
    Problem::new(format!(
        "this row has {found} fields but the header has {expected}; every row needs one field \
         per column, even when it is empty — a comma is probably missing"
    ))
    .at_row(row)
}

/// Names the row and column of the first byte that is not UTF-8, recognising GBK text (what
/// Excel on Chinese Windows writes when asked for plain "CSV").
fn encoding_problem(body: &[u8], bom_len: usize, bad: usize) -> Problem {
    let (row, column) = locate(body, bad);
    let at_cell = |message: String| {
        Problem::new(message)
            .at_row(row)
            .at_column(Column::new(column, ""))
    };
    if GB18030
        .decode_without_bom_handling_and_without_replacement(body)
        .is_some()
    {
        at_cell(
            "this text looks GBK-encoded (Excel's default \"CSV\" on Chinese Windows), not \
             UTF-8; in Excel choose Save As → \"CSV UTF-8 (Comma delimited)\" and import again"
                .to_owned(),
        )
    } else {
        at_cell(format!(
            "the file is not valid UTF-8 text: the byte at offset {} is not part of any \
             character; save the file as \"CSV UTF-8\" and import again",
            bom_len + bad
        ))
    }
}

/// The (row, 0-based column) holding byte `offset` of `body`: the last field of the last
/// record when only the bytes up to and including it are parsed.
fn locate(body: &[u8], offset: usize) -> (u32, usize) {
    let prefix = &body[..body.len().min(offset + 1)];
    Parser::new(prefix).last().map_or((1, 0), |record| {
        (record.number, record.field_count.saturating_sub(1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_byte_is_located_by_row_and_column() {
        let body = b"a,b\n\"x\ny\",\xFF\n";
        assert_eq!(locate(body, 10), (2, 1));
    }
}
