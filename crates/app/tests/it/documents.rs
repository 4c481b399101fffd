//! Issuing documents through the app on both databases: a document is numbered, rendered,
//! signed, its PDF kept in the file store and entered in the register, and it verifies; a
//! retried event makes no second document; bad data records nothing; a rotated key signs the
//! next documents while the old ones still verify. Needs the CJK font (`fonts-noto-cjk`).

use crate::support;

use std::collections::BTreeMap;

use onewindow_app::AppError;
use onewindow_app::documents::{DocumentKind, DocumentRequest, Holder, Verification};
use sha2::{Digest, Sha256};
use support::{TestApp, postgres_app, sqlite_app};

fn acceptance(case: &str, idempotency: &str) -> DocumentRequest {
    DocumentRequest {
        kind: DocumentKind::Acceptance,
        bureau: "大连市市场监督管理局".into(),
        case_number: Some(case.into()),
        licence_number: None,
        holder: Holder {
            name: "大连华信阀门制造有限公司".into(),
            credit_code: "91110000600037341L".into(),
        },
        dates: BTreeMap::from([("submitted_on".into(), "2026-03-12".parse().unwrap())]),
        fields: BTreeMap::from([("item".into(), "工业产品生产许可证核发".into())]),
        items: Vec::new(),
        idempotency: idempotency.into(),
    }
}

fn certificate(licence: &str) -> DocumentRequest {
    DocumentRequest {
        kind: DocumentKind::LicenceOriginal,
        case_number: None,
        licence_number: Some(licence.into()),
        dates: BTreeMap::from([("valid_until".into(), "2031-03-14".parse().unwrap())]),
        fields: BTreeMap::from([
            (
                "domicile".into(),
                "辽宁省大连市甘井子区华北路 188 号".into(),
            ),
            (
                "production_address".into(),
                "辽宁省大连市普兰店区工业园区 6 号".into(),
            ),
            ("product".into(), "危险化学品包装物、容器（钢桶）".into()),
        ]),
        ..acceptance("-", "licence-granted")
    }
}

async fn authentic(t: &TestApp, number: &str) -> onewindow_app::documents::VerifiedFacts {
    let pdf = t.document_pdf(number).await.expect("the PDF");
    match t.verify_document_pdf(pdf).await.expect("verify") {
        Verification::Authentic(facts) => *facts,
        Verification::NotAuthentic(why) => panic!("{number} does not verify: {}", why.detail),
    }
}

async fn issued_documents_are_stored_and_verify(t: &TestApp) {
    let doc = t
        .issue_document(acceptance("2026-000007", "accepted"))
        .await
        .expect("issue");
    assert_eq!(doc.number, "SL-2026-000001");
    assert_eq!(
        doc.data.number, doc.number,
        "a notice states its register number"
    );
    assert_eq!(
        doc.data.issued_on.to_string(),
        "2026-03-15",
        "issued today in China"
    );
    assert!(!doc.existing);
    let pdf = t.document_pdf(&doc.number).await.expect("the PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        hex::encode(Sha256::digest(&pdf)),
        doc.content_hash.as_str(),
        "the register names the PDF in the file store by its hash"
    );
    let facts = authentic(t, &doc.number).await;
    assert_eq!(facts.kind, DocumentKind::Acceptance);
    assert_eq!(facts.holder_name, "大连华信阀门制造有限公司");
    assert_eq!(
        facts.data.expect("the whole data").case_number,
        "2026-000007"
    );
    let mut tampered = pdf.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0x01;
    match t.verify_document_pdf(tampered).await.expect("verify") {
        Verification::NotAuthentic(why) => assert_eq!(why.reason, "altered", "{}", why.detail),
        Verification::Authentic(_) => panic!("a changed byte must not verify"),
    }
    assert!(
        t.verify_document_link(&doc.verify_url)
            .await
            .expect("verify")
            .is_authentic(),
        "the QR link verifies: {}",
        doc.verify_url
    );
    let listed = t.documents_for_case("2026-000007").await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].number, doc.number);
}

async fn a_retried_event_gets_the_same_document(t: &TestApp) {
    let first = t
        .issue_document(acceptance("2026-000008", "event-1"))
        .await
        .expect("issue");
    let again = t
        .issue_document(acceptance("2026-000008", "event-1"))
        .await
        .expect("retry");
    assert!(again.existing);
    assert_eq!(
        (again.number.as_str(), &again.content_hash),
        (first.number.as_str(), &first.content_hash)
    );
    let other_case = t
        .issue_document(acceptance("2026-000009", "event-1"))
        .await
        .expect("another case, same string");
    assert!(!other_case.existing);
    assert_eq!(t.documents_for_case("2026-000008").await.unwrap().len(), 1);
}

#[tokio::test]
async fn documents_are_issued_stored_and_verified_on_sqlite() {
    let t = sqlite_app().await;
    issued_documents_are_stored_and_verify(&t).await;
    a_retried_event_gets_the_same_document(&t).await;
}

#[tokio::test]
async fn documents_are_issued_stored_and_verified_on_postgres() {
    let Some(t) = postgres_app().await else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    issued_documents_are_stored_and_verify(&t).await;
    a_retried_event_gets_the_same_document(&t).await;
}

#[tokio::test]
async fn bad_data_is_refused_by_field_and_records_nothing() {
    let t = sqlite_app().await;
    let mut denial = acceptance("2026-000010", "denied");
    denial.kind = DocumentKind::DenialDecision;
    denial
        .fields
        .insert("reconsideration_organ".into(), "大连市人民政府".into());
    denial
        .fields
        .insert("court".into(), "大连市中山区人民法院".into());
    match t.issue_document(denial.clone()).await {
        Err(AppError::Invalid { problems, .. }) => {
            assert_eq!(problems.0[0].field, "items", "{problems}");
            assert!(problems.to_string().contains("reasons"), "{problems}");
        }
        other => panic!("a denial without reasons must be refused: {other:?}"),
    }
    let mut no_case = acceptance("-", "x");
    no_case.case_number = None;
    assert!(matches!(
        t.issue_document(no_case).await,
        Err(AppError::Invalid { .. })
    ));
    assert!(
        t.documents_for_case("2026-000010")
            .await
            .unwrap()
            .is_empty()
    );
    denial.items = vec!["产品检验结论为不合格".into()];
    let issued = t.issue_document(denial).await.expect("with reasons");
    assert_eq!(
        issued.number, "BY-2026-000001",
        "a refused request takes no number"
    );
}

#[tokio::test]
async fn a_certificate_states_its_licence_number_and_needs_no_case() {
    let t = sqlite_app().await;
    let licence = "(辽)XK13-006-00042";
    let doc = t.issue_document(certificate(licence)).await.expect("issue");
    assert_eq!(doc.number, "ZB-2026-000001");
    assert_eq!(doc.data.number, licence);
    assert_eq!(doc.case_number, None);
    assert!(
        doc.verify_url
            .contains("/verify/licence-original/%28%E8%BE%BD%29XK13")
    );
    let facts = authentic(&t, &doc.number).await;
    assert_eq!(facts.number, licence);
    assert_eq!(
        facts.valid_until.map(|d| d.to_string()).as_deref(),
        Some("2031-03-14")
    );
    let listed = t.documents_for_licence(licence).await.expect("list");
    assert_eq!(listed.len(), 1);
    let mut without = certificate(licence);
    without.licence_number = None;
    match t.issue_document(without).await {
        Err(AppError::Invalid { problems, .. }) => {
            assert_eq!(problems.0[0].field, "licence_number")
        }
        other => panic!("a certificate needs its licence number: {other:?}"),
    }
}

#[tokio::test]
async fn after_a_rotation_new_documents_use_the_new_key_and_old_ones_still_verify() {
    let t = sqlite_app().await;
    let first_key = t.prepare_signing_key().await.expect("first key");
    assert_eq!(
        t.prepare_signing_key().await.expect("again").key_id,
        first_key.key_id,
        "preparing twice keeps the key"
    );
    let old = t
        .issue_document(acceptance("2026-000011", "a"))
        .await
        .expect("issue");
    assert_eq!(old.key_id, first_key.key_id);
    let new_key = t.rotate_signing_key("admin").await.expect("rotate");
    assert_ne!(new_key.key_id, first_key.key_id);
    let new = t
        .issue_document(acceptance("2026-000011", "b"))
        .await
        .expect("issue");
    assert_eq!(new.key_id, new_key.key_id, "the new key signs from now on");
    assert_eq!(authentic(&t, &old.number).await.key_id, first_key.key_id);
    assert_eq!(authentic(&t, &new.number).await.key_id, new_key.key_id);
    let keys = t.signing_keys().await.expect("keys");
    assert_eq!(keys.len(), 2);
    assert!(!keys[0].is_current() && keys[1].is_current());
    let published = t.published_keys().await.expect("JWKS");
    assert!(published.contains(&first_key.key_id) && published.contains(&new_key.key_id));
    assert!(!published.contains("\"d\""), "no private part is published");
}

#[tokio::test]
async fn a_template_that_fails_at_issuance_records_nothing() {
    let t = sqlite_app().await;
    // As if a template saved by an older version no longer compiled: written past the check.
    let audit = onewindow_store::AuditEntry {
        at: t.app.clock.now(),
        actor: "test".into(),
        action: "save_document_template".into(),
        detail: "a broken template".into(),
    };
    t.store
        .save_template(
            "acceptance",
            "#undefined-helper()",
            "test",
            t.app.clock.now(),
            &audit,
        )
        .await
        .expect("save past the check");
    match t.issue_document(acceptance("2026-000012", "a")).await {
        Err(AppError::Unavailable(message)) => {
            assert!(message.contains("nothing was issued"), "{message}")
        }
        other => panic!("a failing template must stop issuance: {other:?}"),
    }
    assert!(
        t.documents_for_case("2026-000012")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        t.document("SL-2026-000001").await.is_err(),
        "nothing registered"
    );
}

/// One instance of the app on a shared database and a shared file store.
async fn instance(url: &str, files: &std::path::Path) -> onewindow_app::App {
    use std::sync::Arc;
    let store = onewindow_store_sql::SqlStore::connect(url, 4)
        .await
        .expect("connect");
    onewindow_app::App::new(
        Arc::new(store),
        Arc::new(onewindow_files::LocalFiles::new(files)),
        Arc::new(onewindow_app::FixedClock::new(
            support::NOW.parse().expect("timestamp"),
        )),
        Arc::new(onewindow_app::SystemRandom),
    )
}

#[tokio::test]
async fn two_instances_on_one_postgres_make_one_key_and_follow_each_others_rotation() {
    let Some(db) = onewindow_testkit::postgres_database() else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let a = instance(&db.url, files.path()).await;
    let b = instance(&db.url, files.path()).await;
    let (ka, kb) = tokio::join!(a.prepare_signing_key(), b.prepare_signing_key());
    let (ka, kb) = (ka.expect("a starts"), kb.expect("b starts"));
    assert_eq!(ka.key_id, kb.key_id, "both instances sign with one key");
    assert_eq!(a.signing_keys().await.unwrap().len(), 1);
    let before = b
        .issue_document(acceptance("2026-000013", "a"))
        .await
        .unwrap();
    assert_eq!(before.key_id, ka.key_id);
    let rotated = a.rotate_signing_key("admin").await.expect("rotate on a");
    let after = b
        .issue_document(acceptance("2026-000013", "b"))
        .await
        .unwrap();
    assert_eq!(
        after.key_id, rotated.key_id,
        "b signs with a's new key at once"
    );
    for doc in [&before, &after] {
        let pdf = b.document_pdf(&doc.number).await.unwrap();
        assert!(
            a.verify_document_pdf(pdf).await.unwrap().is_authentic(),
            "{} verifies on the other instance",
            doc.number
        );
    }
}
