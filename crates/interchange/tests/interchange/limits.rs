//! The size, row and cell limits, and format detection.

use onewindow_interchange::{Format, Limits, detect_format, write_xlsx};

use crate::support::{listed, problems, problems_with, sheet};

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    // Not UTF-8 and not a zip: only the size may be reported, so nothing was parsed.
    let bytes = vec![0xFF_u8; 50 * 1024 * 1024];
    for format in [Format::Csv, Format::Xlsx] {
        let found = problems(&bytes, format);
        assert_eq!(found.len(), 1, "{}", listed(&found));
        assert_eq!(
            found[0].message,
            "the file is 50.0 MB, larger than the 20.0 MB limit; split it into smaller files \
             and import them one at a time"
        );
    }
}

#[test]
fn a_csv_with_more_rows_than_allowed_is_refused() {
    let limits = Limits {
        max_rows: 2,
        ..Limits::default()
    };
    let found = problems_with(b"a\r\n1\r\n\r\n2\r\n3\r\n", Format::Csv, &limits);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("more than 2 rows"),
        "{}",
        found[0]
    );
}

#[test]
fn xlsx_rows_are_counted_across_all_sheets() {
    let limits = Limits {
        max_rows: 3,
        ..Limits::default()
    };
    let workbook = onewindow_interchange::Workbook {
        sheets: vec![
            sheet("orgs", &["code"], &[&["1"], &["2"]]),
            sheet("powers", &["code"], &[&["3"], &["4"]]),
        ],
    };
    let bytes = write_xlsx(&workbook).expect("writes");
    let found = problems_with(&bytes, Format::Xlsx, &limits);
    assert!(
        found[0].message.contains("more than 3 rows"),
        "{}",
        found[0]
    );
}

#[test]
fn a_file_with_more_cells_than_allowed_is_refused() {
    let limits = Limits {
        max_cells: 5,
        ..Limits::default()
    };
    let found = problems_with(b"a,b,c\r\n1,2,3\r\n", Format::Csv, &limits);
    assert!(
        found[0].message.contains("more than 5 cells"),
        "{}",
        found[0]
    );
}

#[test]
fn a_wide_header_over_many_rows_is_refused_before_the_table_is_built() {
    let limits = Limits {
        max_cells: 10,
        ..Limits::default()
    };
    // Few non-empty cells, but the table handed back would be 3 rows × 5 columns.
    let found = problems_with(b"a,b,c,d,e\r\n1\r\n2\r\n3\r\n", Format::Csv, &limits);
    assert!(
        found[0].message.contains("more than 10 cells"),
        "{}",
        listed(&found)
    );
}

#[test]
fn the_content_decides_the_format_before_the_name() {
    assert_eq!(
        detect_format(Some("目录.csv"), b"PK\x03\x04..."),
        Some(Format::Xlsx)
    );
    assert_eq!(
        detect_format(Some("目录.CSV"), b"record,code"),
        Some(Format::Csv)
    );
    assert_eq!(
        detect_format(Some("目录.xlsx"), b"oops"),
        Some(Format::Xlsx)
    );
    assert_eq!(detect_format(Some("目录.pdf"), b"%PDF"), None);
}
