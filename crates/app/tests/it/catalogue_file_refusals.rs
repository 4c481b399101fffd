//! Files refused for their shape before any record is read — header, encoding, formulas, size,
//! emptiness, record kinds, columns a row may not fill — each problem named by sheet, row and
//! column, and the database left exactly as it was (docs/catalogue-format.md).

use crate::support;

use onewindow_interchange::{Problem, column_letter};
use support::files::{self, Formula, Table};
use support::{TestApp, postgres_app, problem_at, refused, rich, seed, snapshot, sqlite_app};

/// A database holding the rich catalogue, and that catalogue as a valid CSV table.
async fn seeded_on(t: TestApp) -> (TestApp, Table) {
    let catalogue = rich::catalogue();
    seed(&t, &catalogue).await;
    (t, files::csv_table(&catalogue))
}

async fn seeded() -> (TestApp, Table) {
    seeded_on(sqlite_app().await).await
}

/// The problems with the sheet name dropped: CSV header problems currently carry the internal
/// sheet name "csv" (see the ignored test below); their row and column must be right anyway.
fn unsheeted(mut problems: Vec<Problem>) -> Vec<Problem> {
    for p in &mut problems {
        p.sheet = None;
    }
    problems
}

#[tokio::test]
async fn a_csv_with_an_unknown_column_is_refused_naming_it_by_name_and_letter() {
    let (t, mut table) = seeded().await;
    table.add_column("remarks");
    let problems = unsheeted(refused(&t, "c.csv", &table.csv()).await);
    let p = problem_at(&problems, None, Some(1), Some("remarks"), "unknown column");
    let index = table.header.len() - 1;
    assert_eq!(
        p.column.as_ref().map(|c| c.letter()),
        Some(column_letter(index))
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[tokio::test]
async fn a_csv_missing_a_column_is_refused_naming_the_missing_column() {
    let (t, mut table) = seeded().await;
    table.drop_column("supervision");
    let problems = unsheeted(refused(&t, "c.csv", &table.csv()).await);
    problem_at(
        &problems,
        None,
        Some(1),
        None,
        "missing column(s): supervision",
    );
}

/// A CSV file has no sheets, and its problems carry none (onewindow-interchange's contract, and
/// what `SourceRow::problem` does for cell problems); the header check names one anyway, so the
/// user reads `sheet "csv", row 1: …` about a sheet that does not exist.
#[tokio::test]
async fn problems_with_a_csv_header_name_no_sheet() {
    let (t, mut table) = seeded().await;
    table.add_column("remarks");
    table.drop_column("supervision");
    let problems = refused(&t, "c.csv", &table.csv()).await;
    problem_at(&problems, None, Some(1), Some("remarks"), "unknown column");
    problem_at(
        &problems,
        None,
        Some(1),
        None,
        "missing column(s): supervision",
    );
}

#[tokio::test]
async fn a_csv_without_the_record_column_first_is_refused_as_not_a_catalogue_file() {
    let (t, mut table) = seeded().await;
    table.drop_column("record");
    let problems = refused(&t, "c.csv", &table.csv()).await;
    let p = problem_at(
        &problems,
        None,
        Some(1),
        Some("code"),
        "first column must be \"record\"",
    );
    assert_eq!(p.column.as_ref().map(|c| c.letter()).as_deref(), Some("A"));
}

#[tokio::test]
async fn an_xlsx_sheet_with_an_unknown_column_or_an_unknown_sheet_is_refused_by_sheet() {
    let (t, _) = seeded().await;
    let mut tables = files::sheet_tables(&rich::catalogue());
    tables[1].1.add_column("remark");
    tables.push(("Sheet1".into(), Table::new(vec!["x".into()])));
    let problems = refused(&t, "c.xlsx", &files::xlsx(&tables, None)).await;
    problem_at(
        &problems,
        Some("powers"),
        Some(1),
        Some("remark"),
        "unknown column \"remark\"",
    );
    problem_at(
        &problems,
        None,
        None,
        None,
        "sheet \"Sheet1\" is not one of orgs, powers",
    );
}

#[tokio::test]
async fn a_gbk_encoded_csv_from_excel_is_refused_with_how_to_save_as_csv_utf8() {
    let (t, table) = seeded().await;
    let utf8 = table.csv();
    let text = std::str::from_utf8(&utf8[3..]).expect("utf-8 after the BOM");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(
        !unmappable,
        "the rich catalogue should be expressible in GBK"
    );
    let problems = refused(&t, "目录.csv", &gbk).await;
    let p = problem_at(&problems, None, Some(2), Some(""), "GBK");
    assert!(p.message.contains("\"CSV UTF-8"), "{p}");
    // Row 2 is the first org; its first Chinese text is its name, in column C.
    assert_eq!(p.column.as_ref().map(|c| c.letter()).as_deref(), Some("C"));
}

#[tokio::test]
async fn an_xlsx_with_a_formula_in_the_powers_sheet_is_refused_naming_the_cell() {
    let (t, _) = seeded().await;
    let tables = files::sheet_tables(&rich::catalogue());
    let row = tables[1].1.row_where("code", "0101-001");
    let formula = Formula {
        sheet: "powers",
        row,
        column: "statutory_limit_days",
        formula: "=10+10",
    };
    let bytes = files::xlsx(&tables, Some(formula));
    let problems = refused(&t, "c.xlsx", &bytes).await;
    let column = tables[1]
        .1
        .header
        .iter()
        .position(|h| h == "statutory_limit_days");
    let cell = format!("cell {}{row}", column_letter(column.expect("column")));
    let p = problem_at(
        &problems,
        Some("powers"),
        Some(row),
        Some("statutory_limit_days"),
        "holds a formula",
    );
    assert!(p.message.contains(&cell), "{p} should name {cell}");
    assert!(p.message.contains("10+10"), "{p}");
}

#[tokio::test]
async fn a_fifty_megabyte_file_is_refused_on_its_size_before_it_is_read() {
    let (t, _) = seeded().await;
    let big = vec![b'a'; 50 * 1024 * 1024];
    let problems = refused(&t, "big.csv", &big).await;
    problem_at(
        &problems,
        None,
        None,
        None,
        "the file is 50.0 MB, larger than the 20.0 MB limit",
    );
}

#[tokio::test]
async fn an_empty_file_is_refused_as_empty() {
    let (t, _) = seeded().await;
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\r\n  \r\n"] {
        let problems = refused(&t, "c.csv", bytes).await;
        problem_at(&problems, None, None, None, "the file is empty");
    }
}

#[tokio::test]
async fn a_file_that_is_neither_csv_nor_xlsx_is_refused_saying_how_to_export_it() {
    let (t, table) = seeded().await;
    let problems = refused(&t, "c.txt", &table.csv()).await;
    problem_at(
        &problems,
        None,
        None,
        None,
        "neither a CSV nor an XLSX file",
    );
}

#[tokio::test]
async fn a_file_with_a_header_and_no_rows_holds_no_records() {
    let (t, _) = seeded().await;
    let csv = Table::new(files::csv_header()).csv();
    let problems = refused(&t, "c.csv", &csv).await;
    problem_at(&problems, None, None, None, "holds no records");
    let tables = files::sheet_tables(&support::Catalogue::default());
    let problems = refused(&t, "c.xlsx", &files::xlsx(&tables, None)).await;
    problem_at(&problems, None, None, None, "holds no records");
}

#[tokio::test]
async fn a_row_whose_record_kind_is_unknown_is_refused_naming_row_and_record_column() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "210202");
    table.set(row, "record", "orgs");
    let problems = refused(&t, "c.csv", &table.csv()).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("record"),
        "\"orgs\" is not a record kind",
    );
    assert!(p.message.contains("org, power, item or fee"), "{p}");
}

#[tokio::test]
async fn a_power_row_that_fills_an_item_only_column_is_refused_naming_that_cell() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "0601-010");
    table.set(row, "status", "published");
    table.set(row, "standard", "每件1元");
    let problems = refused(&t, "c.csv", &table.csv()).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("status"),
        "a power row leaves \"status\" empty",
    );
    problem_at(
        &problems,
        None,
        Some(row),
        Some("standard"),
        "leaves \"standard\" empty",
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[tokio::test]
async fn a_refused_file_on_postgres_leaves_the_database_unchanged() {
    let Some(t) = postgres_app().await else {
        return;
    };
    let (t, mut table) = seeded_on(t).await;
    let before = snapshot(&t).await;
    // Valid edits to several records, and one bad row last: nothing at all may be written.
    let name = table.row_where("code", "0101-001");
    table.set(name, "name_zh", "改过的名称");
    let org = table.row_where("code", "210200");
    table.set(org, "phone", "0411-00000000");
    let fee = table.row_where("code", "SF-0003");
    table.set(fee, "standard", "");
    let problems = refused(&t, "c.csv", &table.csv()).await;
    problem_at(&problems, None, Some(fee), Some("standard"), "is required");
    assert_eq!(snapshot(&t).await, before);
}
