//! Every way a CSV file can be refused, each with its exact row and column.

use onewindow_interchange::Format;

use crate::support::{listed, positions, problems, read_ok};

fn csv_problems(text: &str) -> Vec<onewindow_interchange::Problem> {
    problems(text.as_bytes(), Format::Csv)
}

#[test]
fn an_empty_file_is_refused_as_empty() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"  \r\n\t\n", b",,,\r\n,\r\n"] {
        let found = problems(bytes, Format::Csv);
        assert_eq!(found.len(), 1, "{}", listed(&found));
        assert!(
            found[0].message.starts_with("the file is empty"),
            "{}",
            found[0]
        );
    }
}

#[test]
fn a_gbk_encoded_file_is_recognised_and_the_fix_explained() {
    let text = "record,code,name_zh\r\norg,210200,\r\norg,210201,大连市市场监督管理局\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let found = problems(&gbk, Format::Csv);
    assert_eq!(positions(&found), ["3:C"]);
    let message = &found[0].message;
    assert!(message.contains("GBK-encoded"), "{message}");
    assert!(message.contains("\"CSV UTF-8"), "{message}");
}

#[test]
fn bytes_that_are_neither_utf8_nor_gbk_are_named_by_row_and_offset() {
    let found = problems(b"\xEF\xBB\xBFa,b\r\n1,x\xFF\r\n", Format::Csv);
    assert_eq!(positions(&found), ["2:B"]);
    assert!(found[0].message.contains("offset 11"), "{}", found[0]);
}

#[test]
fn a_utf16_file_is_refused_with_how_to_save_it() {
    let found = problems(b"\xFF\xFEa\0,\0b\0", Format::Csv);
    assert!(found[0].message.contains("UTF-16"), "{}", found[0]);
}

#[test]
fn a_row_with_too_few_fields_names_expected_and_found() {
    let found = csv_problems("a,b,c\r\n1,2,3\r\n1,2\r\n");
    assert_eq!(positions(&found), ["3"]);
    assert!(
        found[0]
            .message
            .contains("has 2 fields but the header has 3"),
        "{}",
        found[0]
    );
}

#[test]
fn a_value_right_of_the_header_is_refused_but_empty_extra_fields_are_not() {
    let found = csv_problems("a,b\r\n1,2,,\r\n1,2,,x,y\r\n");
    assert_eq!(positions(&found), ["3:D"]);
    assert!(found[0].message.contains("(\"b\")"), "{}", found[0]);
    assert!(found[0].message.contains("1 more cells"), "{}", found[0]);
}

#[test]
fn an_unterminated_quote_is_refused_where_it_opens() {
    let found = csv_problems("a,b\r\n1,2\r\n3,\"never closed\r\n4,5\r\n");
    assert_eq!(positions(&found), ["3:B"]);
    assert!(found[0].message.contains("closing quote"), "{}", found[0]);
}

#[test]
fn text_after_a_closing_quote_is_refused() {
    let found = csv_problems("a,b\r\n1,\"x\"y\r\n");
    assert_eq!(positions(&found), ["2:B"]);
}

#[test]
fn an_empty_header_name_is_refused_by_column() {
    let found = csv_problems("a,,c\r\n1,2,3\r\n");
    assert_eq!(positions(&found), ["1:B"]);
    assert!(found[0].message.contains("B1"), "{}", found[0]);
}

#[test]
fn a_duplicate_header_name_names_both_columns() {
    let found = csv_problems("code,name,kind,code\r\n1,2,3,4\r\n");
    assert_eq!(positions(&found), ["1:D"]);
    assert_eq!(
        found[0].to_string(),
        "row 1, column D (code): the column name \"code\" is used twice, in columns A and D; \
         rename or delete one of them"
    );
}

#[test]
fn a_missing_header_row_is_refused() {
    let found = csv_problems("\r\n1,2\r\n");
    assert_eq!(positions(&found), ["1"]);
    assert!(found[0].message.contains("column names"), "{}", found[0]);
}

#[test]
fn blank_rows_are_skipped_but_row_numbers_stay_true() {
    let workbook = read_ok(b"a,b\r\n\r\n1,2\r\n , \r\n\"3\r\n\",4\r\n5,6", Format::Csv);
    let rows = &workbook.sheets[0].rows;
    let numbers: Vec<u32> = rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [3, 5, 6]);
    assert_eq!(rows[1].cells, ["3", "4"]);
}

#[test]
fn cells_are_trimmed_and_crlf_inside_them_becomes_lf() {
    let workbook = read_ok(
        "a,b\r\n  x  ,\"  第一行\r\n第二行 \"\r\n".as_bytes(),
        Format::Csv,
    );
    assert_eq!(workbook.sheets[0].rows[0].cells, ["x", "第一行\n第二行"]);
}

#[test]
fn every_problem_in_the_file_is_listed_in_reading_order() {
    let found = csv_problems("a,a,\r\n1,2\r\n1,2,3\r\n\"x\"y,2,\r\n");
    assert_eq!(
        positions(&found),
        ["1:B", "2", "3:C", "4:A"],
        "{}",
        listed(&found)
    );
}
