//! Files refused for what their records say — a value outside its vocabulary, a duplicate code,
//! a bad history, a reference to nothing, an incomplete published guide — each problem named by
//! row and column (and line, inside a list cell), all of them at once, and the database left
//! exactly as it was.

use crate::support;

use onewindow_interchange::Problem;
use support::files::{self, Table};
use support::{TestApp, listed, problem_at, refused, rich, seed, sqlite_app};

/// A database holding the rich catalogue, and that catalogue as a valid CSV table.
async fn seeded() -> (TestApp, Table) {
    let t = sqlite_app().await;
    let catalogue = rich::catalogue();
    seed(&t, &catalogue).await;
    (t, files::csv_table(&catalogue))
}

/// Adds a new, otherwise valid power with this history cell; returns its row.
fn new_power(table: &mut Table, code: &str, history: &str) -> u32 {
    table.push(&[
        ("record", "power"),
        ("code", code),
        ("name_zh", "新增职权"),
        ("category", "01"),
        ("source", "statutory"),
        ("implementing_org", "210200"),
        ("handling_level", "city"),
        ("legal_basis", "《中华人民共和国行政许可法》|第十二条"),
        ("history", history),
    ])
}

/// Whether a message names this line of a list cell (`entry 2: …` or `line 2 …`).
fn names_line(p: &Problem, line: usize) -> bool {
    p.message.starts_with(&format!("entry {line}:")) || p.message.contains(&format!("line {line}"))
}

async fn refused_csv(t: &TestApp, table: &Table) -> Vec<Problem> {
    refused(t, "catalogue.csv", &table.csv()).await
}

#[tokio::test]
async fn an_unknown_category_is_refused_naming_the_row_and_the_category_column() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "0101-001");
    table.set(row, "category", "99");
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("category"),
        "\"99\" is not one of",
    );
    assert!(
        p.message.contains("\"01\"") && p.message.contains("\"20\""),
        "{p}"
    );
    assert_eq!(p.column.as_ref().map(|c| c.letter()).as_deref(), Some("K"));
    assert_eq!(problems.len(), 1, "{}", listed(&problems));
}

#[tokio::test]
async fn a_duplicate_code_is_refused_naming_both_rows() {
    let (t, mut table) = seeded().await;
    let first = table.row_where("code", "0101-001");
    let copy = table.rows[first as usize - 2].clone();
    table.rows.push(copy);
    let second = table.last_row();
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(
        &problems,
        None,
        Some(second),
        Some("code"),
        "duplicate code \"0101-001\"",
    );
    assert!(p.message.contains(&format!("row {first}")), "{p}");
}

#[tokio::test]
async fn a_history_date_that_is_not_a_date_is_refused_naming_the_line() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "XK-0202-007");
    let history = table
        .get(row, "history")
        .replace("2020-05-01", "2020-13-01");
    table.set(row, "history", &history);
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "\"2020-13-01\" is not a date",
    );
    assert!(names_line(p, 2), "{p}");
}

/// docs/catalogue-format.md: "Problems inside a list cell name the line within the cell". The
/// import numbers the non-blank entries instead, so after an accidental blank line (a double
/// Alt+Enter, which the format allows) it points one line too high.
#[tokio::test]
async fn a_problem_after_a_blank_line_in_a_list_cell_names_the_line_of_the_cell() {
    let (t, mut table) = seeded().await;
    let row = new_power(
        &mut table,
        "0101-098",
        "2005-01-01|established|甲\n\n2020-13-01|cancelled|乙",
    );
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(&problems, None, Some(row), Some("history"), "is not a date");
    assert!(
        names_line(p, 3),
        "the bad date is on line 3 of the cell: {p}"
    );
}

#[tokio::test]
async fn a_power_implemented_by_an_org_that_does_not_exist_is_refused() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "0101-001.1");
    table.set(row, "implementing_org", "210299");
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("implementing_org"),
        "org \"210299\" does not exist",
    );
    assert_eq!(problems.len(), 1, "{}", listed(&problems));
}

#[tokio::test]
async fn an_item_whose_power_does_not_exist_is_refused() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "0101-001-02");
    table.set(row, "power_code", "0101-999");
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("power_code"),
        "power \"0101-999\" does not exist",
    );
}

#[tokio::test]
async fn a_published_item_missing_its_phone_and_fees_is_refused_naming_both() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "0101-001-01");
    table.set(row, "phone", "");
    table.set(row, "fees", "");
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("phone"),
        "consultation phone",
    );
    problem_at(&problems, None, Some(row), Some("fees"), "不收费");
    assert_eq!(problems.len(), 2, "{}", listed(&problems));
}

#[tokio::test]
async fn a_promised_limit_longer_than_the_statutory_one_is_refused() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "0101-001");
    table.set(row, "promised_limit_days", "30");
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("promised_limit_days"),
        "30 is longer than the statutory limit (20)",
    );
}

#[tokio::test]
async fn a_history_that_starts_with_a_cancellation_is_refused() {
    let (t, mut table) = seeded().await;
    let row = new_power(
        &mut table,
        "0101-099",
        "2020-01-01|cancelled|国发〔2020〕1号",
    );
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "first change must be",
    );
    assert!(
        names_line(p, 1) && p.message.contains("\"cancelled\""),
        "{p}"
    );
}

#[tokio::test]
async fn a_history_out_of_date_order_is_refused_naming_the_earlier_line() {
    let (t, mut table) = seeded().await;
    let history = "2020-01-01|established|甲\n2019-06-30|amended";
    let row = new_power(&mut table, "0101-099", history);
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "2019-06-30 is earlier",
    );
    assert!(names_line(p, 2), "{p}");
}

#[tokio::test]
async fn a_delegation_down_without_an_org_is_refused() {
    let (t, mut table) = seeded().await;
    let history = "2005-01-01|established|甲\n2022-01-01|delegated_down|辽市监〔2022〕1号";
    let row = new_power(&mut table, "0101-099", history);
    let problems = refused_csv(&t, &table).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "needs the org on the other side",
    );
    assert!(names_line(p, 2), "{p}");
}

#[tokio::test]
async fn every_problem_of_a_file_is_listed_at_once() {
    let (t, mut table) = seeded().await;
    let org = table.row_where("code", "210202");
    table.set(org, "division", "2102");
    table.set(org, "level", "town");
    let power = table.row_where("code", "0101-001");
    table.set(power, "category", "99");
    table.set(power, "statutory_limit_days", "twenty");
    let item = table.row_where("code", "0101-001-02");
    table.set(item, "status", "public");
    let fee = table.row_where("code", "SF-0002");
    table.set(fee, "standard", "");
    let copy = table.rows[fee as usize - 2].clone();
    table.rows.push(copy);
    let duplicate = table.last_row();
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(org),
        Some("division"),
        "not a division code",
    );
    problem_at(&problems, None, Some(org), Some("level"), "\"town\"");
    problem_at(&problems, None, Some(power), Some("category"), "\"99\"");
    problem_at(
        &problems,
        None,
        Some(power),
        Some("statutory_limit_days"),
        "not a whole number",
    );
    problem_at(&problems, None, Some(item), Some("status"), "\"public\"");
    problem_at(&problems, None, Some(fee), Some("standard"), "is required");
    problem_at(
        &problems,
        None,
        Some(duplicate),
        Some("code"),
        "duplicate code",
    );
    assert_eq!(problems.len(), 7, "{}", listed(&problems));
}

/// The format promises "every problem in the file is listed"; the import checks references only
/// when every row parsed, so a file with a bad cell and a dangling reference shows the
/// reference only after the cell is fixed and the file imported again.
#[tokio::test]
async fn a_bad_cell_and_a_dangling_reference_in_one_file_are_listed_together() {
    let (t, mut table) = seeded().await;
    let bad = table.row_where("code", "0101-001");
    table.set(bad, "category", "99");
    let dangling = table.row_where("code", "0101-001.1");
    table.set(dangling, "implementing_org", "210299");
    let problems = refused_csv(&t, &table).await;
    problem_at(&problems, None, Some(bad), Some("category"), "\"99\"");
    problem_at(
        &problems,
        None,
        Some(dangling),
        Some("implementing_org"),
        "does not exist",
    );
}

/// Dangling references of every kind — org parent, power parent, history org, fee power — are
/// listed together.
#[tokio::test]
async fn a_file_with_only_reference_problems_lists_each_of_them() {
    let (t, mut table) = seeded().await;
    let org = table.row_where("code", "210202");
    table.set(org, "parent_code", "219999");
    let power = table.row_where("code", "0101-001.1");
    table.set(power, "parent_code", "0101-404");
    let history = table.get(power, "history").replace("|210202|", "|210203|");
    table.set(power, "history", &history);
    let fee = table.row_where("code", "SF-0101");
    table.set(fee, "power_code", "0101-405");
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(org),
        Some("parent_code"),
        "org \"219999\"",
    );
    problem_at(
        &problems,
        None,
        Some(power),
        Some("parent_code"),
        "power \"0101-404\"",
    );
    problem_at(
        &problems,
        None,
        Some(power),
        Some("history"),
        "org \"210203\"",
    );
    problem_at(
        &problems,
        None,
        Some(fee),
        Some("power_code"),
        "power \"0101-405\"",
    );
}

/// Rows are numbered as a spreadsheet shows them: blank rows are skipped but still counted, and
/// a cell spanning several lines is still one row.
#[tokio::test]
async fn rows_are_numbered_as_a_spreadsheet_shows_them() {
    let (t, mut table) = seeded().await;
    let row = table.row_where("code", "SF-0002");
    let blank = vec![String::new(); table.header.len()];
    table.rows.insert(row as usize - 2, blank);
    let moved = row + 1;
    assert_eq!(table.get(moved, "code"), "SF-0002");
    table.set(moved, "standard", "");
    let problems = refused_csv(&t, &table).await;
    problem_at(
        &problems,
        None,
        Some(moved),
        Some("standard"),
        "is required",
    );
}
