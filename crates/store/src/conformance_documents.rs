//! The documents part of the conformance suite: signing keys (one current at a time, rotation
//! keeps the old ones), the document register (numbers unique, idempotent recording, lookups by
//! case and licence) and template versions. Runs last in [`crate::conformance::run`].

use jiff::Timestamp;

use crate::{AuditEntry, ContentHash, NewDocument, SigningKeyRecord, Store, StoreError};

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("valid")
}

fn key(id: &str, second: i64) -> SigningKeyRecord {
    SigningKeyRecord {
        key_id: id.into(),
        created_at: at(second),
        retired_at: None,
        public_jwk: format!("{{\"kid\":\"{id}\"}}"),
        private_key: format!("secret-{id}"),
    }
}

fn audit(action: &str, second: i64) -> AuditEntry {
    AuditEntry {
        at: at(second),
        actor: "conformance".into(),
        action: action.into(),
        detail: format!("{action} detail"),
    }
}

/// Runs every documents check in order on one store.
pub async fn run(store: &dyn Store) {
    one_signing_key_is_current_and_rotation_keeps_the_old_ones(store).await;
    documents_are_registered_once_and_found_by_case_and_licence(store).await;
    template_versions_are_kept_and_the_latest_is_used(store).await;
}

async fn one_signing_key_is_current_and_rotation_keeps_the_old_ones(store: &dyn Store) {
    assert!(store.signing_keys().await.expect("keys").is_empty());
    store
        .add_first_signing_key(&key("00000000000000a1", 1_764_000_000))
        .await
        .expect("first key");
    assert!(
        matches!(
            store
                .add_first_signing_key(&key("00000000000000b2", 1_764_000_001))
                .await,
            Err(StoreError::Duplicate(_))
        ),
        "a second instance starting at the same time must not add another current key"
    );
    assert_eq!(
        store.signing_keys().await.expect("keys"),
        vec![key("00000000000000a1", 1_764_000_000)]
    );
    store
        .rotate_signing_key(
            &key("00000000000000c3", 1_764_100_000),
            &audit("rotate_key", 1_764_100_000),
        )
        .await
        .expect("rotate");
    let keys = store.signing_keys().await.expect("keys");
    assert_eq!(keys.len(), 2, "the old key is kept");
    assert_eq!(keys[0].key_id, "00000000000000a1");
    assert_eq!(
        keys[0].retired_at,
        Some(at(1_764_100_000)),
        "retired when the new one came"
    );
    assert_eq!(keys[0].private_key, "secret-00000000000000a1");
    assert_eq!(keys[1], key("00000000000000c3", 1_764_100_000));
    assert_eq!(
        store.catalogue_audit(1).await.expect("audit")[0].action,
        "rotate_key"
    );
}

fn document(number: &str, case: Option<&str>, licence: Option<&str>, key: &str) -> NewDocument {
    NewDocument {
        kind: "acceptance".into(),
        number: number.into(),
        case_number: case.map(str::to_owned),
        licence_number: licence.map(str::to_owned),
        holder_name: "大连华信阀门制造有限公司".into(),
        holder_credit_code: "91110000600037341L".into(),
        content_hash: ContentHash::parse(&"ab".repeat(32)).expect("hash"),
        data_json: "{\"kind\":\"acceptance\"}".into(),
        payload: "AQEx".into(),
        key_id: "00000000000000c3".into(),
        idempotency_key: key.into(),
        created_at: at(1_764_200_000),
    }
}

async fn documents_are_registered_once_and_found_by_case_and_licence(store: &dyn Store) {
    assert_eq!(
        store
            .next_document_serial("SL", 2026)
            .await
            .expect("serial"),
        1
    );
    assert_eq!(
        store
            .next_document_serial("SL", 2026)
            .await
            .expect("serial"),
        2
    );
    assert_eq!(
        store
            .next_document_serial("SL", 2027)
            .await
            .expect("serial"),
        1,
        "each year starts again"
    );
    assert_eq!(
        store
            .next_document_serial("BZ", 2026)
            .await
            .expect("serial"),
        1,
        "each series counts on its own"
    );
    let first = document("SL-2026-000001", Some("2026-000001"), None, "k1");
    let recorded = store.record_document(&first).await.expect("record");
    assert!(!recorded.existing);
    assert_eq!(recorded.record.document, first);
    let retry = document("SL-2026-000002", Some("2026-000001"), None, "k1");
    let again = store.record_document(&retry).await.expect("same key");
    assert!(again.existing, "one idempotency key, one document");
    assert_eq!(again.record, recorded.record);
    assert!(
        store
            .document("SL-2026-000002")
            .await
            .expect("read")
            .is_none(),
        "the retry wrote nothing"
    );
    let taken = document("SL-2026-000001", None, None, "k2");
    assert!(matches!(
        store.record_document(&taken).await,
        Err(StoreError::Duplicate(_))
    ));
    let licence = document("ZS-2026-000001", None, Some("(辽)XK13-006-00042"), "k3");
    store.record_document(&licence).await.expect("record");
    let second = document("SL-2026-000003", Some("2026-000001"), None, "k4");
    store.record_document(&second).await.expect("record");
    assert_eq!(
        store
            .document("SL-2026-000001")
            .await
            .expect("read")
            .map(|d| d.document),
        Some(first.clone())
    );
    assert_eq!(
        store
            .document_by_idempotency_key("k3")
            .await
            .expect("read")
            .map(|d| d.document),
        Some(licence.clone())
    );
    let numbers = |list: Vec<crate::DocumentRecord>| -> Vec<String> {
        list.into_iter().map(|d| d.document.number).collect()
    };
    assert_eq!(
        numbers(store.documents_for_case("2026-000001").await.expect("list")),
        ["SL-2026-000001", "SL-2026-000003"],
        "oldest first"
    );
    assert_eq!(
        numbers(
            store
                .documents_for_licence("(辽)XK13-006-00042")
                .await
                .expect("list")
        ),
        ["ZS-2026-000001"]
    );
    // Many licences' documents in one read, oldest first; none of other licences.
    for (number, licence, key) in [
        ("ZT-2026-000001", "(辽)XK13-006-00043", "k5"),
        ("ZT-2026-000002", "(辽)XK13-006-00042", "k6"),
        ("ZT-2026-000003", "(辽)XK13-006-00044", "k7"),
    ] {
        let d = document(number, None, Some(licence), key);
        store.record_document(&d).await.expect("record");
    }
    let asked = [
        "(辽)XK13-006-00043".to_owned(),
        "(辽)XK13-006-00042".to_owned(),
        "(辽)XK13-006-09999".to_owned(),
    ];
    assert_eq!(
        numbers(store.documents_for_licences(&asked).await.expect("list")),
        ["ZS-2026-000001", "ZT-2026-000001", "ZT-2026-000002"]
    );
    assert!(
        store
            .documents_for_licences(&[])
            .await
            .expect("none asked")
            .is_empty()
    );
    assert!(
        store
            .documents_for_case("2026-999999")
            .await
            .expect("list")
            .is_empty()
    );
}

async fn template_versions_are_kept_and_the_latest_is_used(store: &dyn Store) {
    assert_eq!(store.templates_revision().await.expect("revision"), 0);
    assert!(store.latest_templates().await.expect("latest").is_empty());
    let save = |template: &'static str, source: &'static str, second: i64| async move {
        store
            .save_template(
                template,
                source,
                "admin",
                at(second),
                &audit("save_template", second),
            )
            .await
            .expect("save")
    };
    assert_eq!(save("licence", "// v1", 1_764_300_000).await, 1);
    let r1 = store.templates_revision().await.expect("revision");
    assert_eq!(save("licence", "// v2", 1_764_300_001).await, 2);
    assert_eq!(save("acceptance", "// a1", 1_764_300_002).await, 1);
    assert!(store.templates_revision().await.expect("revision") > r1);
    let versions = store.template_versions("licence").await.expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.source.as_str()))
            .collect::<Vec<_>>(),
        [(2, "// v2"), (1, "// v1")],
        "every version is kept, newest first"
    );
    assert_eq!(versions[0].saved_by, "admin");
    assert_eq!(versions[0].saved_at, at(1_764_300_001));
    let latest = store.latest_templates().await.expect("latest");
    assert_eq!(
        latest
            .iter()
            .map(|v| (v.template.as_str(), v.version))
            .collect::<Vec<_>>(),
        [("acceptance", 1), ("licence", 2)],
        "ordered by template name"
    );
    assert_eq!(
        store.catalogue_audit(1).await.expect("audit")[0].action,
        "save_template"
    );
}
