//! The demo holds applications in every state (issue 4, "Done when"), made through the ordinary
//! use cases, with sound logs.

use crate::support;

use std::collections::BTreeSet;

use onewindow_app::cases::{Person, QueueFilter};
use onewindow_app::catalogue::PageRequest;
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::OrgCode;
use support::{set_clock, sqlite_app};

#[tokio::test]
async fn the_demo_has_a_case_in_every_state_and_every_log_verifies() {
    let t = sqlite_app().await;
    set_clock(&t, "2026-11-16T06:00:00Z");
    t.seed_demo().await.expect("demo");
    assert_eq!(t.seed_demo_cases().await.expect("demo cases"), 16);
    assert_eq!(t.seed_demo_cases().await.expect("again"), 0, "made once");
    let head = Person::Staff {
        user: "head".into(),
        role: Role::Head,
        org: OrgCode::parse("210200").expect("org"),
    };
    let all = QueueFilter {
        all_steps: true,
        include_closed: true,
        ..QueueFilter::default()
    };
    let page = PageRequest::new(1, 100).expect("a page");
    let rows = t.case_queue(&head, &all, page).await.expect("queue").items;
    let statuses: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.record.projection.status.as_str())
        .collect();
    for wanted in [
        "submitted",
        "awaiting_supplement",
        "under_review",
        "rectifying",
        "paused",
        "awaiting_decision",
        "granted",
        "issued",
        "denied",
        "refused",
        "withdrawn",
    ] {
        assert!(
            statuses.contains(wanted),
            "no demo case is {wanted}: {statuses:?}"
        );
    }
    let colours: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.record.projection.clock_status.as_str())
        .collect();
    for wanted in ["green", "overdue", "paused", "stopped"] {
        assert!(
            colours.contains(wanted),
            "no demo case is {wanted}: {colours:?}"
        );
    }
    let mut deemed = 0;
    for row in &rows {
        let view = t
            .case_view(&head, &row.record.number)
            .await
            .expect("visible");
        deemed += usize::from(view.state.acceptance().is_some_and(|a| a.deemed));
    }
    assert_eq!(deemed, 1, "one deemed acceptance (art. 32)");
    let audit = t.audit_verify(|_| {}).await.expect("audit");
    assert!(audit.faults.is_empty(), "{:?}", audit.faults);
}
