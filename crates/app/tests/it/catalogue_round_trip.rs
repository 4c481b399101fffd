//! Export followed by import reproduces the catalogue exactly (docs/catalogue-format.md): into a
//! fresh database, byte for byte (CSV) or cell for cell (XLSX), and into the same database as a
//! no-op apart from versions. Run on SQLite, and the CSV round trip on PostgreSQL too.

use crate::support;

use onewindow_interchange::{Format, Limits, Workbook, read};
use support::{
    Catalogue, TestApp, export, files, import, postgres_app, postgres_app_beside, rich, seed,
    snapshot, sqlite_app, stored,
};

fn reread(bytes: &[u8], format: Format) -> Workbook {
    read(bytes, format, &Limits::default()).expect("an export reads back")
}

/// Seeds the rich catalogue, exports it, imports the export into `fresh`, exports again.
async fn round_trip(seeded: &TestApp, fresh: &TestApp, format: Format) -> (Vec<u8>, Vec<u8>) {
    let original = rich::catalogue();
    seed(seeded, &original).await;
    let first = export(seeded, format).await;
    let summary = import(fresh, &format!("catalogue.{}", format.extension()), &first).await;
    assert_eq!(
        (summary.orgs, summary.powers, summary.items, summary.fees),
        (4, 4, 3, 3)
    );
    assert_eq!(
        stored(fresh).await,
        original.sorted(),
        "the records read back from the store differ from the originals"
    );
    let second = export(fresh, format).await;
    (first, second)
}

#[tokio::test]
async fn a_csv_export_imported_into_a_fresh_database_exports_to_the_same_bytes() {
    let (seeded, fresh) = (sqlite_app().await, sqlite_app().await);
    let (first, second) = round_trip(&seeded, &fresh, Format::Csv).await;
    assert!(
        first == second,
        "the second export differs:\n--- first\n{}\n--- second\n{}",
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&second)
    );
}

#[tokio::test]
async fn an_xlsx_export_imported_into_a_fresh_database_exports_to_the_same_cells() {
    let (seeded, fresh) = (sqlite_app().await, sqlite_app().await);
    let (first, second) = round_trip(&seeded, &fresh, Format::Xlsx).await;
    assert_eq!(reread(&first, Format::Xlsx), reread(&second, Format::Xlsx));
}

/// rust_xlsxwriter stamps the workbook's creation time (docProps/core.xml) to the second, so two
/// exports are byte-identical only within the same second; the cells are what must agree.
#[tokio::test]
async fn two_xlsx_exports_of_one_catalogue_within_a_second_are_byte_identical() {
    let t = sqlite_app().await;
    seed(&t, &rich::catalogue()).await;
    let mut same = false;
    for _ in 0..3 {
        let (a, b) = (
            export(&t, Format::Xlsx).await,
            export(&t, Format::Xlsx).await,
        );
        same |= a == b;
    }
    assert!(same, "back-to-back XLSX exports always differ in bytes");
}

#[tokio::test]
async fn the_csv_export_has_the_documented_header_and_the_xlsx_export_the_four_sheets() {
    let t = sqlite_app().await;
    let catalogue = rich::catalogue();
    seed(&t, &catalogue).await;
    let csv = reread(&export(&t, Format::Csv).await, Format::Csv);
    assert_eq!(csv.sheets[0].header, files::csv_header());
    let expected = files::csv_table(&Catalogue::sorted(catalogue.clone()));
    assert_eq!(
        csv.sheets[0]
            .rows
            .iter()
            .map(|r| r.cells.clone())
            .collect::<Vec<_>>(),
        expected.rows,
        "the CSV rows are not the records' documented cells"
    );
    let xlsx = reread(&export(&t, Format::Xlsx).await, Format::Xlsx);
    let tables = files::sheet_tables(&catalogue.sorted());
    let names: Vec<&str> = xlsx.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["orgs", "powers", "items", "fees"]);
    for (sheet, (name, table)) in xlsx.sheets.iter().zip(&tables) {
        assert_eq!(&sheet.header, &table.header, "sheet {name}");
        let rows: Vec<Vec<String>> = sheet.rows.iter().map(|r| r.cells.clone()).collect();
        assert_eq!(rows, table.rows, "sheet {name}");
    }
}

/// "any [sheet] may be absent on import", and each sheet's columns may come "in any order".
#[tokio::test]
async fn a_workbook_with_only_a_powers_sheet_in_its_own_column_order_is_imported() {
    let t = sqlite_app().await;
    let catalogue = rich::catalogue();
    seed(
        &t,
        &Catalogue {
            orgs: catalogue.orgs.clone(),
            ..Catalogue::default()
        },
    )
    .await;
    let (name, powers) = files::sheet_tables(&catalogue).swap_remove(1);
    let mut reversed = files::Table::new(powers.header.iter().rev().cloned().collect());
    for row in &powers.rows {
        reversed.rows.push(row.iter().rev().cloned().collect());
    }
    let summary = import(&t, "powers.xlsx", &files::xlsx(&[(name, reversed)], None)).await;
    assert_eq!((summary.orgs, summary.powers, summary.items), (0, 4, 0));
    let mut expected = catalogue.powers;
    expected.sort_by(|a, b| a.code.cmp(&b.code));
    assert_eq!(stored(&t).await.powers, expected);
}

#[tokio::test]
async fn importing_the_export_into_the_same_database_changes_nothing_but_versions() {
    let t = sqlite_app().await;
    seed(&t, &rich::catalogue()).await;
    for format in [Format::Csv, Format::Xlsx] {
        let before = snapshot(&t).await;
        let bytes = export(&t, format).await;
        import(&t, &format!("catalogue.{}", format.extension()), &bytes).await;
        let after = snapshot(&t).await;
        assert_eq!(after.records(), before.records(), "{format}");
        let bumped: Vec<i64> = before.versions().iter().map(|v| v + 1).collect();
        assert_eq!(
            after.versions(),
            bumped,
            "{format}: every record is rewritten once"
        );
        assert_eq!(after.audit.len(), before.audit.len() + 1, "{format}");
        assert_eq!(after.audit[0].action, "import");
        let again = export(&t, format).await;
        assert_eq!(reread(&again, format), reread(&bytes, format), "{format}");
    }
}

#[tokio::test]
async fn a_csv_round_trip_on_postgres_is_exact_and_matches_sqlite() {
    let Some(seeded) = postgres_app().await else {
        return;
    };
    let fresh = postgres_app_beside(&seeded).await;
    let (first, second) = round_trip(&seeded, &fresh, Format::Csv).await;
    assert!(first == second, "the second PostgreSQL export differs");
    let lite = sqlite_app().await;
    seed(&lite, &rich::catalogue()).await;
    assert!(
        export(&lite, Format::Csv).await == first,
        "PostgreSQL and SQLite export the same catalogue differently"
    );
}

/// A dated change's note is one part of a list cell, which cannot hold a line break
/// (`list_cell::join` writes it as a space). `ChangeForm::parse` accepts a note or decree with a
/// line break, so the catalogue's own export no longer matches its stored history and importing
/// it back into the same database is refused ("line 3 differs from the stored change").
#[tokio::test]
async fn a_change_entered_with_a_line_break_in_its_note_survives_export_and_import() {
    use onewindow_app::catalogue::ChangeForm;
    use onewindow_domain::access::Role;
    let t = sqlite_app().await;
    seed(&t, &rich::catalogue()).await;
    let admin = support::user(&t, "admin", Role::Administrator).await;
    let code = onewindow_domain::catalogue::CatalogueCode::parse("0101-001").expect("code");
    let version = t
        .store
        .power(&code)
        .await
        .expect("read")
        .expect("power")
        .version;
    let form = ChangeForm {
        date: "2026-03-01".into(),
        kind: "amended".into(),
        note: "第一行\n第二行".into(),
        ..ChangeForm::default()
    };
    // Either refusing the form or storing what the file can carry would do; accepting it and
    // then refusing the export is not.
    if t.append_power_change(&admin, &code, &form, version)
        .await
        .is_err()
    {
        return;
    }
    let bytes = export(&t, Format::Csv).await;
    import(&t, "catalogue.csv", &bytes).await;
}
