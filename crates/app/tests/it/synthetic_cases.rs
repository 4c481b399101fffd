//! The recompute benchmark's fast dataset (`bench recompute --synthetic`): copies of a demo case
//! under review with real chained logs, some extended and some paused, whose due dates the
//! recompute moves after an import like any case's.

use crate::support;
use crate::sweeper::SCHEDULE_2027;

use onewindow_app::synthetic::SyntheticPlan;
use onewindow_store::{CaseId, OpenCases};
use support::cases::demo;
use support::{TestApp, sqlite_app};

/// The clock basis of each open case with due dates; only the provisional ones if `provisional`.
async fn bases(t: &TestApp, provisional: bool) -> Vec<Option<String>> {
    let which = match provisional {
        true => OpenCases::Provisional { reaching: None },
        false => OpenCases::All,
    };
    t.store
        .open_cases_with_logs(CaseId(0), which, 10_000)
        .await
        .expect("page")
        .into_iter()
        .filter(|(record, _)| record.projection.statutory_due.is_some())
        .map(|(record, _)| record.projection.clock_basis)
        .collect()
}

#[tokio::test]
async fn synthetic_copies_are_real_logs_that_the_recompute_moves() {
    let t = sqlite_app().await;
    demo(&t).await;
    t.seed_demo_cases().await.expect("demo cases");
    let before = bases(&t, true).await.len();
    let plan = SyntheticPlan {
        cases: 10,
        without_basis: false,
    };
    let report = t.seed_synthetic_cases(plan, |_| {}).await.expect("seed");
    assert_eq!(report.cases, 10);
    assert_eq!((report.paused, report.extended), (6, 2), "{report:?}");
    let (first, last) = report.accepted.expect("acceptance days");
    assert_eq!(
        (last - first).get_days(),
        28,
        "spread over five weeks: {report:?}"
    );
    let old = SyntheticPlan {
        cases: 5,
        without_basis: true,
    };
    t.seed_synthetic_cases(old, |_| {})
        .await
        .expect("seed old rows");
    let provisional = bases(&t, true).await;
    assert_eq!(
        provisional.len(),
        before + 15,
        "every copy's dates are provisional"
    );
    assert_eq!(provisional.iter().filter(|b| b.is_none()).count(), 5);
    let audit = t.audit_verify(|_| {}).await.expect("audit");
    assert!(audit.faults.is_empty(), "{:?}", audit.faults);

    t.recompute_due_dates()
        .await
        .expect("onto the calendar in force");
    t.import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("import");
    let moved = t.recompute_due_dates().await.expect("recompute");
    assert!(moved.due_dates_changed >= 10, "{moved:?}");
    assert_eq!(moved.conflicts, 0);
    let audit = t.audit_verify(|_| {}).await.expect("audit");
    assert!(audit.faults.is_empty(), "{:?}", audit.faults);
    // Old rows the recompute did not reach (dates before 2027) get theirs from the sweeper,
    // which refreshes every open case's projection.
    assert!(bases(&t, false).await.iter().any(Option::is_none));
    t.sweep().await.expect("sweep");
    assert!(
        bases(&t, false).await.iter().all(Option::is_some),
        "the old rows got their basis"
    );
}
