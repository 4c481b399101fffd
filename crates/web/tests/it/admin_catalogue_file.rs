//! Importing and exporting the catalogue through the administration pages: an upload with a
//! bad cell is refused whole with its row and column named, a valid one is imported, and the
//! export serves CSV or XLSX as an attachment.

use crate::support;

use axum::http::{StatusCode, header};
use onewindow_interchange::{Format, Limits, Sheet, column_letter, read, write_csv};
use support::{ADMIN, CLERK, PUMP, Session, TestApp};

async fn export_csv(t: &TestApp, admin: &Session) -> Vec<u8> {
    let reply = t
        .get_with("/admin/catalogue/export?format=csv", &admin.cookie)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    reply.body
}

fn csv_sheet(bytes: &[u8]) -> Sheet {
    let mut workbook = read(bytes, Format::Csv, &Limits::default()).expect("the export reads");
    workbook.sheets.remove(0)
}

/// The exported catalogue with the pump power's category set to 99 and a new, valid power
/// added (so a half-done import would show in the count): the bad cell's row and column.
fn with_a_bad_category(exported: &[u8]) -> (Vec<u8>, u32, String) {
    let sheet = csv_sheet(exported);
    let code = sheet.column("code").expect("a code column");
    let category = sheet.column("category").expect("a category column");
    let mut edited = Sheet::new(sheet.name.clone(), sheet.header.clone());
    let mut bad_row = 0;
    for row in &sheet.rows {
        let mut cells = row.cells.clone();
        if cells[0] == "power" && cells[code] == PUMP {
            let mut copy = cells.clone();
            copy[code] = "XK-0101-077".into();
            edited.push_row(copy);
            cells[category] = "99".into();
            bad_row = edited.push_row(cells).number;
        } else {
            edited.push_row(cells);
        }
    }
    assert_ne!(bad_row, 0, "the pump power is in the export");
    (write_csv(&edited), bad_row, column_letter(category))
}

#[tokio::test]
async fn the_csv_export_is_a_utf8_attachment_with_the_record_column_first() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let reply = t
        .get_with("/admin/catalogue/export?format=csv", &admin.cookie)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(reply.content_type(), "text/csv; charset=utf-8");
    let disposition = reply.header(header::CONTENT_DISPOSITION);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("onewindow-catalogue-2026-11-28.csv"),
        "{disposition}"
    );
    assert!(reply.body.starts_with(b"\xEF\xBB\xBFrecord,"));
    assert!(String::from_utf8_lossy(&reply.body).contains("泵类产品生产许可"));
}

#[tokio::test]
async fn the_xlsx_export_has_the_spreadsheet_media_type() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let reply = t
        .get_with("/admin/catalogue/export?format=xlsx", &admin.cookie)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(
        reply.content_type(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(reply.body.starts_with(b"PK"), "a zip container");
    assert!(
        reply
            .header(header::CONTENT_DISPOSITION)
            .contains("onewindow-catalogue-2026-11-28.xlsx")
    );
}

#[tokio::test]
async fn an_export_in_an_unknown_format_is_a_400_page() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let reply = t
        .get_with("/admin/catalogue/export?format=pdf", &admin.cookie)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{}",
        reply.describe()
    );
    assert!(reply.content_type().starts_with("text/html"));
    assert!(reply.text().contains("pdf"));
}

#[tokio::test]
async fn the_export_is_for_administrators_only() {
    let t = TestApp::new().await;
    let reply = t.get("/admin/catalogue/export?format=csv").await;
    assert_eq!(reply.header(header::LOCATION), "/admin/login");
    let clerk = t.sign_in(CLERK).await;
    let reply = t
        .get_with("/admin/catalogue/export?format=csv", &clerk.cookie)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
}

#[tokio::test]
async fn an_upload_with_an_unknown_category_is_refused_naming_row_and_column() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let (file, row, column) = with_a_bad_category(&export_csv(&t, &admin).await);
    let before = t.power_count().await;
    let parts: [(&str, Option<&str>, &[u8]); 2] = [
        ("_csrf", None, admin.csrf.as_bytes()),
        ("file", Some("catalogue.csv"), &file),
    ];
    let reply = t
        .post_multipart("/admin/catalogue/import", &admin.cookie, &parts)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let html = reply.text();
    assert!(html.contains(r#"id="import-problems""#));
    let position = format!("row {row}, column {column} (category)");
    assert!(html.contains(&position), "names {position}");
    assert!(html.contains("99"), "quotes the bad value");
    assert_eq!(t.power_count().await, before, "nothing was written");
    let pump = t.get(&format!("/api/v1/powers/{PUMP}")).await.json();
    assert_eq!(pump["category"]["key"], "01");
}

#[tokio::test]
async fn a_valid_upload_is_imported() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let exported = export_csv(&t, &admin).await;
    let parts: [(&str, Option<&str>, &[u8]); 2] = [
        ("_csrf", None, admin.csrf.as_bytes()),
        ("file", Some("catalogue.csv"), &exported),
    ];
    let reply = t
        .post_multipart("/admin/catalogue/import", &admin.cookie, &parts)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let html = reply.text();
    assert!(html.contains("导入完成"), "{html}");
    assert!(html.contains("2 orgs, 3 powers, 2 items, 1 fees"));
    assert_eq!(
        export_csv(&t, &admin).await,
        exported,
        "export, import, export is stable"
    );
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_forbidden() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let (file, _, _) = with_a_bad_category(&export_csv(&t, &admin).await);
    let parts: [(&str, Option<&str>, &[u8]); 1] = [("file", Some("catalogue.csv"), &file)];
    let reply = t
        .post_multipart("/admin/catalogue/import", &admin.cookie, &parts)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
}

#[tokio::test]
async fn an_upload_without_a_file_is_a_400() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let parts: [(&str, Option<&str>, &[u8]); 1] = [("_csrf", None, admin.csrf.as_bytes())];
    let reply = t
        .post_multipart("/admin/catalogue/import", &admin.cookie, &parts)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{}",
        reply.describe()
    );
    assert!(reply.text().contains("no file was chosen"));
}
