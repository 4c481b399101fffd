//! An append with the notifications its events call for writes both in one transaction: a
//! stale version writes neither.

use jiff::Timestamp;

use super::{event, projection};
use crate::{NewCase, NewNotification, Store, StoreError};

pub(super) async fn an_append_writes_its_notifications_with_it_or_not_at_all(store: &dyn Store) {
    let at = |second: i64| Timestamp::from_second(1_764_000_000 + second).expect("valid");
    let case = store
        .create_case(
            &NewCase {
                item_code: "BJ-004".into(),
                definition_code: "simple".into(),
                definition_version: 1,
                handling_org: "210200".into(),
                applicant: "91110000600037341L".into(),
                idempotency_key: None,
                licence_number: None,
                projection: projection("submitted", true),
                events: vec![event(1, "00")],
                created_at: at(0),
            },
            2026,
        )
        .await
        .expect("create")
        .id;
    let told = |seq: i64, to: &str| NewNotification {
        case_id: case,
        case_number: "2026-900004".into(),
        event_seq: seq,
        recipient: to.into(),
        kind: "accepted".into(),
        text_zh: "已受理".into(),
        text_en: "Accepted".into(),
        created_at: at(seq),
        // No e-mail copy: the outbox checks that follow count every copy there is.
        mail: None,
    };
    let accepted = projection("accepted", true);
    let notifications = [told(2, "told.first"), told(2, "told.second")];
    store
        .append_events_notifying(case, 1, &[event(2, "h1")], &accepted, at(2), &notifications)
        .await
        .expect("append with notifications");
    assert_eq!(store.notified_seqs(case).await.expect("seqs"), vec![2]);
    assert_eq!(store.unread_count("told.first").await.expect("count"), 1);
    assert_eq!(store.unread_count("told.second").await.expect("count"), 1);

    // The same version again is stale: neither its event nor its notification is written.
    let stale = store
        .append_events_notifying(
            case,
            1,
            &[event(2, "h1")],
            &accepted,
            at(3),
            &[told(2, "told.third")],
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    assert_eq!(store.unread_count("told.third").await.expect("count"), 0);
    let (record, log) = store.case(case).await.expect("read").expect("present");
    assert_eq!((record.version, log.len()), (2, 2));
}
