//! The bulk port: many rows in one transaction, numbered from the same series as the
//! one-at-a-time writes, and all or nothing.

use jiff::Timestamp;

use super::accounts::{enterprise, enterprise_user};
use super::licences::{audit, new_licence, pumps};
use super::{event, projection};
use crate::{BatchAppend, ContentHash, NewCase, NewDocument, Store, StoreError};

fn case(applicant: &str) -> NewCase {
    NewCase {
        item_code: "BJ-003".into(),
        definition_code: "simple".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: applicant.into(),
        idempotency_key: None,
        licence_number: None,
        projection: projection("submitted", true),
        events: vec![event(1, "00"), event(2, "h1")],
        created_at: Timestamp::from_second(1_764_000_000).expect("valid"),
    }
}

/// A case whose projection keeps its clock's basis.
fn based(applicant: &str) -> NewCase {
    let mut made = case(applicant);
    made.projection.clock_basis = Some("a2031-03-02 s20 p20".into());
    made
}

fn document(number: &str, key: &str) -> NewDocument {
    NewDocument {
        kind: "acceptance".into(),
        number: number.into(),
        case_number: Some("2031-000002".into()),
        licence_number: None,
        holder_name: "大连华信阀门制造有限公司".into(),
        holder_credit_code: "91110000600037341L".into(),
        content_hash: ContentHash::parse(&"cd".repeat(32)).expect("hash"),
        data_json: "{\"kind\":\"acceptance\"}".into(),
        payload: "AQEx".into(),
        key_id: "00000000000000c3".into(),
        idempotency_key: key.into(),
        created_at: Timestamp::from_second(1_764_300_000).expect("valid"),
    }
}

pub(super) async fn enterprises_are_loaded_together_or_not_at_all(store: &dyn Store) {
    let a = enterprise("91210211MA0BULK1", "大连批量一有限公司");
    let b = enterprise("91210211MA0BULK2", "大连批量二有限公司");
    let batch = vec![
        (
            a.clone(),
            enterprise_user("bulk-a", a.credit_code),
            audit("a"),
        ),
        (
            b.clone(),
            enterprise_user("bulk-b", b.credit_code),
            audit("b"),
        ),
    ];
    store
        .create_enterprises_with_users(batch)
        .await
        .expect("load");
    assert_eq!(
        store.enterprise(&a.credit_code).await.expect("get"),
        Some(a.clone())
    );
    assert_eq!(
        store.enterprise(&b.credit_code).await.expect("get"),
        Some(b)
    );

    // A batch with one registered code keeps nothing, not even its new enterprise.
    let c = enterprise("91210211MA0BULK3", "大连批量三有限公司");
    let again = store
        .create_enterprises_with_users(vec![
            (
                c.clone(),
                enterprise_user("bulk-c", c.credit_code),
                audit("c"),
            ),
            (
                a.clone(),
                enterprise_user("bulk-a2", a.credit_code),
                audit("a2"),
            ),
        ])
        .await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
    assert_eq!(store.enterprise(&c.credit_code).await.expect("get"), None);
}

pub(super) async fn cases_are_numbered_in_their_years_and_appended_together(store: &dyn Store) {
    // The one-at-a-time create and the bulk load draw from the same series.
    store.create_case(&case("A0"), 2031).await.expect("create");
    let loaded = store
        .create_cases(&[(based("A1"), 2031), (case("A2"), 2032), (case("A3"), 2031)])
        .await
        .expect("load");
    let numbers: Vec<&str> = loaded.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["2031-000002", "2032-000001", "2031-000003"]);
    for (made, applicant) in loaded.iter().zip(["A1", "A2", "A3"]) {
        let (record, events) = store.case(made.id).await.expect("read").expect("present");
        assert_eq!(
            (record.number.as_str(), record.applicant.as_str()),
            (made.number.as_str(), applicant)
        );
        assert_eq!((record.version, events.len()), (2, 2));
    }
    let (first, _) = store
        .case(loaded[0].id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(
        first.projection,
        based("A1").projection,
        "the whole projection, the clock's basis with it"
    );
    let keyed = NewCase {
        idempotency_key: Some("bulk-key".into()),
        ..case("A4")
    };
    assert!(
        store.create_cases(&[(keyed, 2031)]).await.is_err(),
        "a key is refused"
    );

    // Appends carry their own times; one stale version keeps nothing of the batch.
    let at = |s: i64| Timestamp::from_second(1_765_000_000 + s).expect("valid");
    let append = |i: usize, expected_version: i64, status: &str| BatchAppend {
        id: loaded[i].id,
        expected_version,
        events: vec![event(expected_version + 1, "h")],
        projection: projection(status, false),
    };
    store
        .append_to_cases(&[
            (append(0, 2, "granted"), at(1)),
            (append(1, 2, "refused"), at(2)),
        ])
        .await
        .expect("append");
    let (first, events) = store
        .case(loaded[0].id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(
        (first.version, first.projection.status.as_str()),
        (3, "granted")
    );
    assert_eq!((first.updated_at, events.len()), (at(1), 3));
    let (second, _) = store
        .case(loaded[1].id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!((second.version, second.updated_at), (3, at(2)));
    let stale = store
        .append_to_cases(&[
            (append(2, 2, "granted"), at(3)),
            (append(0, 2, "refused"), at(3)),
        ])
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    let (third, _) = store
        .case(loaded[2].id)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(third.version, 2, "the batch's other append is not kept");
}

pub(super) async fn licences_and_documents_are_numbered_from_their_series(store: &dyn Store) {
    let batch = [
        (
            new_licence("2031-000002", "大连批量一", "91210211MA0BULK1", pumps()),
            audit("issue"),
        ),
        (
            new_licence("2032-000001", "大连批量二", "91210211MA0BULK2", pumps()),
            audit("issue"),
        ),
    ];
    let issued = store.issue_licences(&batch).await.expect("issue");
    let serial = |i: usize| issued[i].number.to_string();
    assert_ne!(serial(0), serial(1));
    for (licence, (new, _)) in issued.iter().zip(&batch) {
        let found = store
            .licence_of_case(&new.grant.case_number)
            .await
            .expect("get");
        assert_eq!(found.map(|l| l.number), Some(licence.number.clone()));
    }
    // A case with its licence already: nothing of the batch is issued.
    let again = [
        (
            new_licence("2031-000003", "大连批量三", "91210211MA0BULK3", pumps()),
            audit("issue"),
        ),
        (
            new_licence("2031-000002", "大连批量一", "91210211MA0BULK1", pumps()),
            audit("issue"),
        ),
    ];
    let refused = store.issue_licences(&again).await;
    assert!(
        matches!(refused, Err(StoreError::Duplicate(_))),
        "{refused:?}"
    );
    assert_eq!(
        store.licence_of_case("2031-000003").await.expect("get"),
        None
    );

    // Serials reserved together continue the series the single draws use.
    assert_eq!(
        store
            .next_document_serial("BK", 2031)
            .await
            .expect("serial"),
        1
    );
    assert_eq!(
        store
            .reserve_document_serials("BK", 2031, 3)
            .await
            .expect("reserve"),
        2
    );
    assert_eq!(
        store
            .next_document_serial("BK", 2031)
            .await
            .expect("serial"),
        5
    );
    let docs = [
        document("BK-2031-000002", "bk-2"),
        document("BK-2031-000003", "bk-3"),
    ];
    let recorded = store.record_documents(&docs).await.expect("record");
    assert_eq!(recorded.len(), 2);
    let found = store
        .document("BK-2031-000003")
        .await
        .expect("get")
        .expect("present");
    assert_eq!(found.document, docs[1]);
    let taken = store
        .record_documents(&[
            document("BK-2031-000004", "bk-4"),
            document("BK-2031-000002", "bk-x"),
        ])
        .await;
    assert!(matches!(taken, Err(StoreError::Duplicate(_))), "{taken:?}");
    assert_eq!(store.document("BK-2031-000004").await.expect("get"), None);
}
