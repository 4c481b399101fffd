//! History is append-only through import (docs/catalogue-format.md, RULES.md §5): a file may add
//! dated changes after the stored ones — and the status follows them — but never edit or drop a
//! stored change, for powers and fees alike.

use crate::support;

use onewindow_app::catalogue::PageRequest;
use onewindow_domain::catalogue::{CatalogueCode, FeeStatus, PowerStatus};
use onewindow_store::PowerFilter;
use support::files::{self, Table};
use support::{TestApp, import, problem_at, refused, rich, snapshot, sqlite_app};

/// A database that imported the rich catalogue, and the file it imported.
async fn imported() -> (TestApp, Table) {
    let t = sqlite_app().await;
    let table = files::csv_table(&rich::catalogue());
    import(&t, "catalogue.csv", &table.csv()).await;
    (t, table)
}

fn code(text: &str) -> CatalogueCode {
    CatalogueCode::parse(text).expect("code")
}

async fn power_status(t: &TestApp, text: &str) -> PowerStatus {
    let filter = PowerFilter {
        text: Some(text.to_owned()),
        ..Default::default()
    };
    let page = t.list_powers(&filter, None, PageRequest::first()).await;
    let entries = page.expect("list powers").items;
    let entry = entries.iter().find(|e| e.power.code.as_str() == text);
    entry.expect("listed").status
}

async fn fee_status(t: &TestApp, text: &str) -> FeeStatus {
    let fee = t.store.fee(&code(text)).await.expect("read").expect("fee");
    fee.value.status_on(t.today())
}

fn append_line(table: &mut Table, row: u32, line: &str) {
    let history = format!("{}\n{line}", table.get(row, "history"));
    table.set(row, "history", &history);
}

#[tokio::test]
async fn a_file_that_edits_a_stored_history_line_is_refused_naming_row_and_history() {
    let (t, mut table) = imported().await;
    let row = table.row_where("code", "XK-0202-007");
    let edited = table
        .get(row, "history")
        .replace("国发〔2020〕5号", "国发〔2020〕6号");
    table.set(row, "history", &edited);
    let problems = refused(&t, "catalogue.csv", &table.csv()).await;
    let p = problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "line 2 differs",
    );
    assert!(p.message.contains("append"), "{p}");
}

#[tokio::test]
async fn a_file_that_drops_a_stored_history_line_is_refused() {
    let (t, mut table) = imported().await;
    let row = table.row_where("code", "0101-001.1");
    let history = table.get(row, "history").to_owned();
    let first_line = history.lines().next().expect("a line").to_owned();
    table.set(row, "history", &first_line);
    let problems = refused(&t, "catalogue.csv", &table.csv()).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "1 stored change(s) are missing",
    );
}

#[tokio::test]
async fn a_file_that_rewrites_a_fee_history_is_refused_like_a_power() {
    let (t, mut table) = imported().await;
    let row = table.row_where("code", "SF-0101");
    let edited = table
        .get(row, "history")
        .replace("2017-04-01", "2016-04-01");
    table.set(row, "history", &edited);
    let problems = refused(&t, "catalogue.csv", &table.csv()).await;
    problem_at(
        &problems,
        None,
        Some(row),
        Some("history"),
        "line 2 differs",
    );
}

#[tokio::test]
async fn a_file_that_appends_dated_changes_is_accepted_and_the_status_follows() {
    let (t, mut table) = imported().await;
    assert_eq!(power_status(&t, "XK-0202-007").await, PowerStatus::InForce);
    let before = snapshot(&t).await;

    let penalty = table.row_where("code", "XK-0202-007");
    append_line(
        &mut table,
        penalty,
        "2026-03-01|cancelled|国发〔2026〕3号||备注",
    );
    let licence = table.row_where("code", "0101-001");
    append_line(
        &mut table,
        licence,
        "2026-03-10|delegated_down|辽市监〔2026〕2号|210202",
    );
    // Dated after today (2026-03-15): written, but not yet in force.
    let inspection = table.row_where("code", "0601-010");
    append_line(
        &mut table,
        inspection,
        "2026-12-01|cancelled|国发〔2026〕9号",
    );
    let fee = table.row_where("code", "SF-0003");
    append_line(&mut table, fee, "2026-01-01|reduced|财税〔2026〕1号");
    import(&t, "catalogue.csv", &table.csv()).await;

    assert_eq!(
        power_status(&t, "XK-0202-007").await,
        PowerStatus::Cancelled
    );
    assert_eq!(
        power_status(&t, "0101-001").await,
        PowerStatus::DelegatedDown
    );
    assert_eq!(power_status(&t, "0601-010").await, PowerStatus::InForce);
    assert_eq!(fee_status(&t, "SF-0003").await, FeeStatus::Reduced);
    let after = snapshot(&t).await;
    let stored = t.store.power(&code("XK-0202-007")).await.expect("read");
    let changes = stored.expect("power").value.history.changes().to_vec();
    assert_eq!(changes.len(), 4);
    assert_eq!(changes[3].note, "备注");
    assert_eq!(after.audit.len(), before.audit.len() + 1);
    // The file is now the stored state: importing it again is accepted and changes nothing.
    import(&t, "catalogue.csv", &table.csv()).await;
    assert_eq!(snapshot(&t).await.records(), after.records());
}

#[tokio::test]
async fn a_file_that_leaves_a_stored_record_out_keeps_it() {
    let (t, mut table) = imported().await;
    let row = table.row_where("code", "SF-0002");
    table.rows.remove(row as usize - 2);
    let before = snapshot(&t).await;
    import(&t, "catalogue.csv", &table.csv()).await;
    assert_eq!(snapshot(&t).await.records(), before.records());
}
