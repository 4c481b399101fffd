//! The real `onewindow` binary: `verify` answers with its exit status (0 authentic, 1 not
//! authentic, 2 could not be checked), against the installation's keys or offline against the
//! published JWK Set; `keys rotate` keeps old documents verifiable and `keys list` shows both
//! keys. The document is issued through the app on the installation's own SQLite database.
//! Needs the CJK font (`fonts-noto-cjk`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use onewindow_app::documents::{DocumentKind, DocumentRequest, Holder};
use onewindow_app::{App, SystemClock, SystemRandom};
use onewindow_files::LocalFiles;
use onewindow_store_sql::SqlStore;

fn onewindow(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("ONEWINDOW_DB")
        .env_remove("ONEWINDOW_CONFIG")
        .output()
        .expect("run onewindow")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("an exit status")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Issues one acceptance voucher on the installation in `dir`; returns the PDF and the JWKS.
async fn issue(dir: &Path) -> (Vec<u8>, String) {
    let url = format!("sqlite://{}", dir.join("onewindow.db").display());
    let store = SqlStore::connect(&url, 2).await.expect("open the database");
    let app = App::new(
        Arc::new(store.clone()),
        Arc::new(LocalFiles::new(dir.join("files"))),
        Arc::new(SystemClock),
        Arc::new(SystemRandom),
    );
    let request = DocumentRequest {
        kind: DocumentKind::Acceptance,
        bureau: "大连市市场监督管理局".into(),
        case_number: Some("2026-000031".into()),
        licence_number: None,
        holder: Holder {
            name: "大连华信阀门制造有限公司".into(),
            credit_code: "91110000600037341L".into(),
        },
        dates: BTreeMap::from([("submitted_on".into(), "2026-03-12".parse().unwrap())]),
        fields: BTreeMap::from([("item".into(), "工业产品生产许可证核发".into())]),
        items: Vec::new(),
        idempotency: "accepted".into(),
    };
    let doc = app.issue_document(request).await.expect("issue");
    let pdf = app.document_pdf(&doc.number).await.expect("the PDF");
    let jwks = app.published_keys().await.expect("keys");
    store.close().await;
    (pdf, jwks)
}

#[tokio::test]
async fn verify_exits_0_for_authentic_1_for_tampered_and_2_for_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, jwks) = issue(dir.path()).await;
    let good = dir.path().join("good.pdf");
    std::fs::write(&good, &pdf).unwrap();
    let good = good.to_str().unwrap();

    let out = onewindow(dir.path(), &["verify", good]);
    assert_eq!(code(&out), 0, "{out:?}");
    let text = stdout(&out);
    for shown in [
        "AUTHENTIC",
        "受理通知书",
        "SL-",
        "大连华信阀门制造有限公司",
        "2026-000031",
    ] {
        assert!(text.contains(shown), "`{shown}` missing from {text}");
    }

    let mut bytes = pdf.clone();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &bytes).unwrap();
    let out = onewindow(dir.path(), &["verify", tampered.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{out:?}");
    assert!(stdout(&out).contains("NOT AUTHENTIC"), "{out:?}");

    let missing = dir.path().join("missing.pdf");
    assert_eq!(
        code(&onewindow(
            dir.path(),
            &["verify", missing.to_str().unwrap()]
        )),
        2
    );
    let text_file = dir.path().join("note.pdf");
    std::fs::write(&text_file, "hello").unwrap();
    assert_eq!(
        code(&onewindow(
            dir.path(),
            &["verify", text_file.to_str().unwrap()]
        )),
        2
    );

    // Offline: another folder with no database at all, only the published keys.
    let offline = tempfile::tempdir().unwrap();
    let keys = offline.path().join("keys.json");
    std::fs::write(&keys, &jwks).unwrap();
    let keys = keys.to_str().unwrap();
    assert_eq!(
        code(&onewindow(
            offline.path(),
            &["verify", good, "--keys", keys]
        )),
        0
    );
    assert!(
        !offline.path().join("onewindow.db").exists(),
        "offline verification opens no database"
    );
    let no_db = onewindow(offline.path(), &["verify", good]);
    assert_eq!(code(&no_db), 2, "{no_db:?}");
    assert!(String::from_utf8_lossy(&no_db.stderr).contains("--keys"));
    let broken_keys = offline.path().join("broken.json");
    std::fs::write(&broken_keys, "{}").unwrap();
    assert_eq!(
        code(&onewindow(
            offline.path(),
            &["verify", good, "--keys", broken_keys.to_str().unwrap()]
        )),
        2
    );
}

#[tokio::test]
async fn after_keys_rotate_old_documents_still_verify_and_keys_list_shows_both() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, old_jwks) = issue(dir.path()).await;
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let rotated = onewindow(dir.path(), &["keys", "rotate"]);
    assert_eq!(code(&rotated), 0, "{rotated:?}");
    assert!(stdout(&rotated).contains("new signing key"));
    let out = onewindow(dir.path(), &["verify", file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "a retired key still verifies: {out:?}");
    let list = stdout(&onewindow(dir.path(), &["keys", "list"]));
    assert_eq!(list.matches("retired").count(), 1, "{list}");
    assert_eq!(list.matches("current").count(), 1, "{list}");
    let old_kid = old_jwks
        .split("\"kid\": \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a kid");
    assert!(list.contains(old_kid), "{list}");
}
