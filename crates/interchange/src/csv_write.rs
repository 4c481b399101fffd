//! Writing one sheet as CSV the way Excel on Chinese Windows opens it correctly: UTF-8 with a
//! byte-order mark (without it Excel assumes GBK and shows mojibake), CRLF between rows, fields
//! quoted only when they must be.
//!
//! Every row gets exactly one field per header column (short rows are padded), because the
//! reader refuses short rows. It must not reorder or rename columns: the caller chooses them.

use csv::{QuoteStyle, Terminator, WriterBuilder};

use crate::csv_read::UTF8_BOM;
use crate::table::Sheet;

/// The sheet as CSV bytes: BOM, header, then each row in order (row numbers are not written).
pub fn write_csv(sheet: &Sheet) -> Vec<u8> {
    let mut writer = WriterBuilder::new()
        .terminator(Terminator::CRLF)
        .quote_style(QuoteStyle::Necessary)
        .flexible(true)
        .from_writer(UTF8_BOM.to_vec());
    let width = sheet.header.len();
    let records = std::iter::once(&sheet.header).chain(sheet.rows.iter().map(|row| &row.cells));
    for cells in records {
        let padding = width.saturating_sub(cells.len());
        let fields = cells
            .iter()
            .map(String::as_str)
            .chain(std::iter::repeat_n("", padding));
        // Writing into a Vec performs no I/O, and `flexible` allows any field count, so the
        // writer has nothing that can fail.
        writer
            .write_record(fields)
            .expect("writing CSV into memory cannot fail");
    }
    writer
        .into_inner()
        .expect("flushing CSV into memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_has_a_bom_crlf_and_quotes_only_where_needed() {
        let mut sheet = Sheet::new("csv", vec!["code".into(), "note".into()]);
        sheet.push_row(vec!["0101".into(), "a,b \"c\"\nd".into()]);
        sheet.push_row(vec!["0102".into()]);
        let bytes = write_csv(&sheet);
        assert_eq!(
            bytes,
            b"\xEF\xBB\xBFcode,note\r\n0101,\"a,b \"\"c\"\"\nd\"\r\n0102,\r\n"
        );
    }
}
