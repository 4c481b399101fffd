//! The page the due-date recompute reads after a calendar import: open cases with provisional
//! due dates, each with its whole log.

use jiff::Timestamp;

use super::{event, projection};
use crate::{CaseId, NewCase, Store};

pub(super) async fn provisional_cases_come_with_their_logs(store: &dyn Store) {
    let new_case = |provisional: bool, open: bool| NewCase {
        item_code: "BJ-002".into(),
        definition_code: "simple".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: None,
        licence_number: None,
        projection: crate::CaseProjection {
            due_provisional: provisional,
            ..projection("accepted", open)
        },
        events: vec![event(1, "00"), event(2, "h1")],
        created_at: Timestamp::from_second(1_764_000_000).expect("valid"),
    };
    let mut ids = Vec::new();
    for (provisional, open) in [(true, true), (false, true), (true, false), (true, true)] {
        let created = store
            .create_case(&new_case(provisional, open), 2026)
            .await
            .expect("create");
        ids.push(created.id);
    }
    let before = CaseId(ids[0].0 - 1);
    let page = store
        .provisional_cases_after(before, 10)
        .await
        .expect("page");
    let found: Vec<CaseId> = page.iter().map(|(r, _)| r.id).collect();
    assert_eq!(
        found,
        vec![ids[0], ids[3]],
        "open and provisional only, in id order"
    );
    assert!(
        page.iter()
            .all(|(_, log)| log == &vec![event(1, "00"), event(2, "h1")]),
        "each with its whole log"
    );
    let first_only = store
        .provisional_cases_after(before, 1)
        .await
        .expect("page");
    assert_eq!(first_only.len(), 1);
    assert_eq!(first_only[0].1.len(), 2, "a page's logs are whole");
    let rest = store
        .provisional_cases_after(ids[0], 10)
        .await
        .expect("page");
    assert_eq!(
        rest.iter().map(|(r, _)| r.id).collect::<Vec<_>>(),
        vec![ids[3]]
    );
    // Once recomputed (no longer provisional) a case leaves the page.
    store
        .append_events(
            ids[3],
            2,
            &[],
            &projection("accepted", true),
            Timestamp::from_second(1_764_000_100).expect("valid"),
        )
        .await
        .expect("append");
    let updated = crate::CaseProjection {
        due_provisional: false,
        ..projection("accepted", true)
    };
    store
        .append_events(
            ids[3],
            2,
            &[],
            &updated,
            Timestamp::from_second(1_764_000_200).expect("valid"),
        )
        .await
        .expect("append");
    assert!(
        store
            .provisional_cases_after(ids[0], 10)
            .await
            .expect("page")
            .is_empty()
    );
}
