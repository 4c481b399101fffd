//! Writing then reading gives back the same sheets, through CSV and through XLSX.

use onewindow_interchange::{
    CSV_SHEET_NAME, Format, Limits, Sheet, Workbook, list_cell, read, write_csv, write_xlsx,
};
use proptest::prelude::*;

use crate::support::{read_ok, sheet};

/// Everything that is hard to carry through a file: Chinese, line breaks inside a cell, list
/// escapes, leading zeros, commas and quotes, text that looks like a formula, empty cells.
fn tricky_sheet(name: &str) -> Sheet {
    let basis = list_cell::join(&[
        vec!["《中华人民共和国行政许可法》".into(), "第三十二条".into()],
        vec!["《条例》 a\\b".into(), "第5条|附件".into()],
    ]);
    sheet(
        name,
        &["record", "code", "name_zh", "legal_basis", "note", "empty"],
        &[
            &[
                "power",
                "0101",
                "工业产品生产许可",
                &basis,
                "a, \"quoted\", b",
                "",
            ],
            &["power", "XK-0101-001", "行政许可\n第二行", "", "=A1*2", ""],
            &["org", "210200-ZJY", "大连市市场监督管理局", "", "'0012", ""],
            &["fee", "00", "", "", "", "x"],
        ],
    )
}

#[test]
fn a_sheet_written_as_csv_reads_back_identically() {
    let original = tricky_sheet(CSV_SHEET_NAME);
    let workbook = read_ok(&write_csv(&original), Format::Csv);
    assert_eq!(workbook.sheets, [original]);
}

#[test]
fn a_workbook_written_as_xlsx_reads_back_identically_in_sheet_order() {
    let original = Workbook {
        sheets: vec![
            tricky_sheet("powers"),
            Sheet::new("empty", Vec::new()),
            tricky_sheet("items"),
            sheet("header only", &["code", "名称"], &[]),
        ],
    };
    let bytes = write_xlsx(&original).expect("writes");
    assert_eq!(read_ok(&bytes, Format::Xlsx), original);
}

#[test]
fn csv_output_opens_in_excel_as_utf8_with_crlf_rows() {
    let bytes = write_csv(&sheet("csv", &["a", "b"], &[&["行", "x\ny"]]));
    assert!(bytes.starts_with(b"\xEF\xBB\xBFa,b\r\n"));
    assert!(bytes.ends_with("行,\"x\ny\"\r\n".as_bytes()));
}

#[test]
fn short_rows_are_padded_when_written() {
    let mut short = sheet("csv", &["a", "b", "c"], &[]);
    short.push_row(vec!["1".into()]);
    let read_back = read_ok(&write_csv(&short), Format::Csv);
    assert_eq!(read_back.sheets[0].rows[0].cells, ["1", "", ""]);
}

/// A cell as the reader hands it back: trimmed, LF line breaks, any mix of awkward characters.
fn cell() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 ,\"'|\\\\=\n行政许可法条—]{0,12}")
        .expect("valid regex")
        .prop_map(|s| s.trim().to_owned())
}

/// A sheet with a unique, non-empty header and non-blank rows.
fn any_sheet(name: &'static str) -> impl Strategy<Value = Sheet> {
    (1_usize..5).prop_flat_map(move |width| {
        let row = proptest::collection::vec(cell(), width)
            .prop_filter("blank rows are skipped on read", |cells| {
                cells.iter().any(|c| !c.is_empty())
            });
        proptest::collection::vec(row, 0..6).prop_map(move |rows| {
            let header = (0..width).map(|i| format!("列{i}")).collect();
            let mut sheet = Sheet::new(name, header);
            for cells in rows {
                sheet.push_row(cells);
            }
            sheet
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_clean_sheet_survives_a_csv_round_trip(original in any_sheet(CSV_SHEET_NAME)) {
        let workbook = read(&write_csv(&original), Format::Csv, &Limits::default());
        prop_assert_eq!(workbook.map(|w| w.sheets), Ok(vec![original]));
    }

    #[test]
    fn any_clean_sheet_survives_an_xlsx_round_trip(original in any_sheet("powers")) {
        let workbook = Workbook { sheets: vec![original] };
        let bytes = write_xlsx(&workbook).expect("writes");
        prop_assert_eq!(read(&bytes, Format::Xlsx, &Limits::default()), Ok(workbook));
    }
}
