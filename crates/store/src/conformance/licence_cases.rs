//! One open case per licence (arts. 49, 50, 70; migration 0010): a second open case on a licence
//! is refused in the write that would create it, also when two race; closing the case frees the
//! licence; the sweeper finds the recently closed ones.

use jiff::Timestamp;

use super::{event, projection};
use crate::{CaseId, NewCase, Store, StoreError};

fn on_licence(licence: Option<&str>, open: bool) -> NewCase {
    NewCase {
        item_code: "XK-BG".into(),
        definition_code: "PROC-LICENCE-CHANGE".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: None,
        licence_number: licence.map(str::to_owned),
        projection: projection("submitted", open),
        events: vec![event(1, "00")],
        created_at: Timestamp::from_second(1_764_000_000).expect("valid"),
    }
}

pub(super) async fn a_licence_has_one_open_case_at_a_time(store: &dyn Store) {
    let licence = "XK13-001-00001";
    let first = store
        .create_case(&on_licence(Some(licence), true), 2026)
        .await
        .expect("the first case on the licence");
    let (first_record, _) = store.case(first.id).await.expect("read").expect("stored");
    assert_eq!(
        store.open_case_on_licence(licence).await.expect("read"),
        Some(first_record.number.clone())
    );
    let second = store
        .create_case(&on_licence(Some(licence), true), 2026)
        .await;
    assert!(
        matches!(second, Err(StoreError::Duplicate(_))),
        "a second open case on the licence is refused: {second:?}"
    );
    assert_eq!(
        store
            .case_by_number(&next_number(&first_record.number))
            .await
            .expect("read"),
        None,
        "the refused case left no row behind"
    );
    // Other licences, cases on no licence, and closed cases are not held back.
    store
        .create_case(&on_licence(Some("XK13-001-00002"), true), 2026)
        .await
        .expect("another licence");
    store
        .create_case(&on_licence(None, true), 2026)
        .await
        .expect("a case on no licence");
    store
        .create_case(&on_licence(Some(licence), false), 2026)
        .await
        .expect("a closed case on the licence");
    assert_eq!(
        store
            .open_case_on_licence("XK13-001-00009")
            .await
            .expect("read"),
        None
    );

    // Closing the case (decided, refused, withdrawn) frees the licence.
    let at: Timestamp = "2026-03-03T02:00:00Z".parse().expect("an instant");
    store
        .append_events(
            first.id,
            1,
            &[event(2, "h1")],
            &projection("withdrawn", false),
            at,
        )
        .await
        .expect("close");
    assert_eq!(
        store.open_case_on_licence(licence).await.expect("read"),
        None
    );
    let again = store
        .create_case(&on_licence(Some(licence), true), 2026)
        .await
        .expect("a new case once the first closed");

    // The sweeper's page: closed cases naming a licence, changed since the instant asked.
    let before = CaseId(first.id.0 - 1);
    let closed = store
        .closed_licence_cases_since(at, before, 10)
        .await
        .expect("page");
    assert_eq!(
        closed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![first.id],
        "only the case closed at or after the instant (the one created closed is older)"
    );
    let earlier: Timestamp = "2025-01-01T00:00:00Z".parse().expect("an instant");
    let all_closed = store
        .closed_licence_cases_since(earlier, before, 10)
        .await
        .expect("page");
    assert_eq!(
        all_closed.len(),
        2,
        "both closed cases on a licence, no open one"
    );
    assert!(
        all_closed
            .iter()
            .all(|r| !r.projection.open && r.id != again.id)
    );
    let after_first = store
        .closed_licence_cases_since(earlier, before, 1)
        .await
        .expect("page");
    assert_eq!(after_first.len(), 1, "a page holds at most `limit` cases");
}

pub(super) async fn two_racing_cases_on_a_licence_make_one(store: &dyn Store) {
    let licence = "XK13-001-00077";
    let case = on_licence(Some(licence), true);
    let (a, b, c) = tokio::join!(
        store.create_case(&case, 2026),
        store.create_case(&case, 2026),
        store.create_case(&case, 2026)
    );
    let made = [&a, &b, &c].iter().filter(|r| r.is_ok()).count();
    assert_eq!(
        made, 1,
        "exactly one of three racing cases: {a:?} {b:?} {c:?}"
    );
    assert!(
        [a, b, c]
            .into_iter()
            .filter_map(Result::err)
            .all(|e| matches!(e, StoreError::Duplicate(_))),
        "the others are duplicates"
    );
    assert!(
        store
            .open_case_on_licence(licence)
            .await
            .expect("read")
            .is_some()
    );
}

/// The case number the store would give the next case of the year (`2026-000007` → `…8`).
fn next_number(number: &str) -> String {
    let (year, serial) = number.split_once('-').expect("year-serial");
    let serial: u64 = serial.parse().expect("a serial");
    format!("{year}-{:06}", serial + 1)
}
