//! The recompute after a calendar import reads rows, not logs (issue 3): a row's clock basis
//! gives the dates, a moved date is the same `DueDateChanged` the log path records, a row
//! written before the basis was kept is decided from its log and gets one, the chains still
//! verify, and a pass without an import stops at the calendar's version.

use crate::support;
use crate::sweeper::{SCHEDULE_2027, accepted_case, due_date_changes};

use onewindow_app::cases::{COUNTED_ON, COUNTED_ON_VERSION};
use onewindow_domain::cases::CaseEvent;
use onewindow_store::{BatchAppend, CaseProjection, CaseRecord, LogHeadRow};
use support::cases::{demo, enterprise};
use support::{TestApp, sqlite_app};

async fn case(t: &TestApp, number: &str) -> (CaseRecord, Vec<CaseEvent>) {
    let view = t.case_view(&enterprise(), number).await.expect("visible");
    (view.record, view.events)
}

/// Makes `number`'s row look as rows written before migration 0011 do: no clock basis.
async fn forget_basis(t: &TestApp, number: &str) {
    let (record, _) = case(t, number).await;
    let old = BatchAppend {
        id: record.id,
        expected_version: record.version,
        events: Vec::new(),
        projection: CaseProjection {
            clock_basis: None,
            ..record.projection
        },
    };
    let at = onewindow_app::Clock::now(t.clock.as_ref());
    let written = t.store.append_batch(vec![old], at).await.expect("write");
    assert_eq!(written, vec![record.id]);
}

#[tokio::test]
async fn rows_with_and_without_a_basis_move_alike_and_every_chain_still_verifies() {
    let t = sqlite_app().await;
    demo(&t).await;
    let kept = accepted_case(&t, "kept").await;
    let old = accepted_case(&t, "old").await;
    // The calendar in force is kept first, as the first sweep does.
    t.recompute_due_dates().await.expect("first recompute");
    forget_basis(&t, &old).await;
    let (record, _) = case(&t, &kept).await;
    let basis = record.projection.clock_basis.clone().expect("a basis");
    assert_eq!(
        basis, "a2026-11-16 s60 p40",
        "accepted today, 60 days, 40 promised"
    );
    assert_eq!(case(&t, &old).await.0.projection.clock_basis, None);

    t.import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("import");
    let report = t.recompute_due_dates().await.expect("recompute");
    assert!(report.due_dates_changed >= 2, "{report:?}");
    assert_eq!(report.conflicts, 0);

    let (kept_record, kept_events) = case(&t, &kept).await;
    let (old_record, old_events) = case(&t, &old).await;
    let moved = due_date_changes(&kept_events);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(
        (moved[0].0.as_str(), moved[0].1.as_str()),
        ("2027-02-08", "2027-02-15")
    );
    assert_eq!(
        moved,
        due_date_changes(&old_events),
        "the same event either way"
    );
    let (kept_last, old_last) = (kept_events.last(), old_events.last());
    assert_eq!(
        kept_last.map(|e| (e.seq, e.at, e.on, &e.actor)),
        old_last.map(|e| (e.seq, e.at, e.on, &e.actor))
    );
    assert_eq!(
        kept_record.projection, old_record.projection,
        "the same row either way"
    );
    assert_eq!(
        old_record.projection.clock_basis,
        Some(basis),
        "the old row got its basis"
    );
    assert_eq!(
        kept_record.projection.statutory_due.map(|d| d.to_string()),
        Some("2027-02-15".into())
    );
    assert!(!kept_record.projection.due_provisional);
    for (record, events) in [(&kept_record, &kept_events), (&old_record, &old_events)] {
        let last = events.last().expect("a log");
        assert_eq!(
            record.projection.head,
            Some(LogHeadRow {
                hash: last.hash.to_string(),
                on: last.on
            }),
            "the row keeps the head the recompute chained"
        );
    }

    let audit = t.audit_verify(|_| {}).await.expect("audit");
    assert!(audit.cases >= 2 && audit.faults.is_empty(), "{audit:?}");
}

#[tokio::test]
async fn a_pass_without_an_import_stops_at_the_calendar_version() {
    let t = sqlite_app().await;
    demo(&t).await;
    accepted_case(&t, "open").await;
    let first = t.recompute_due_dates().await.expect("first");
    assert!(
        first.examined >= 1,
        "every provisional case the first time: {first:?}"
    );
    let version = t.store.calendar_version().await.expect("version");
    assert_eq!(
        t.store.setting(COUNTED_ON_VERSION).await.expect("read"),
        Some(version.to_string())
    );
    // Were the kept calendar read, this one would not parse and every provisional case would
    // be decided again; the version compare comes first.
    t.store
        .set_setting(COUNTED_ON, "not a calendar")
        .await
        .expect("write");
    let again = t.recompute_due_dates().await.expect("again");
    assert_eq!(again, Default::default());
    // An import changes the version: the pass runs again.
    t.import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("import");
    let after = t.recompute_due_dates().await.expect("after the import");
    assert!(after.examined >= 1, "{after:?}");
}
