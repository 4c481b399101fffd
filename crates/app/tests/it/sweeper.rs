//! The sweeper (issue 3): art. 32's deemed acceptance fires by itself, each deadline warning is
//! raised once (also when two instances sweep one PostgreSQL database at the same moment), and
//! a due date that moves with an imported calendar is recorded on the case with why.

use crate::support;

use onewindow_app::App;
use onewindow_domain::cases::{CaseEvent, EventKind, WarningLevel, WarningScope};
use support::cases::{apply, demo, enterprise};
use support::{TestApp, postgres_app, postgres_app_sharing, set_clock, sqlite_app};

async fn events(app: &App, number: &str) -> Vec<CaseEvent> {
    app.case_view(&enterprise(), number)
        .await
        .expect("visible")
        .events
}

fn warnings(events: &[CaseEvent]) -> Vec<(WarningLevel, WarningScope)> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::WarningRaised { level, scope } => Some((level, scope)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn an_application_left_undecided_five_working_days_is_deemed_accepted() {
    let t = sqlite_app().await;
    demo(&t).await; // Monday 16 November 2026
    let number = apply(&t, "deem").await;
    set_clock(&t, "2026-11-23T09:00:00Z"); // Monday: the fifth working day, still in time
    assert_eq!(t.sweep().await.expect("sweep").deemed_accepted, 0);
    set_clock(&t, "2026-11-24T01:00:00Z"); // Tuesday: the five days have run out
    let report = t.sweep().await.expect("sweep");
    assert_eq!(report.deemed_accepted, 1);
    let view = t.case_view(&enterprise(), &number).await.expect("visible");
    let acceptance = view.state.acceptance().expect("accepted");
    assert!(acceptance.deemed);
    assert_eq!(
        acceptance.accepted_on.to_string(),
        "2026-11-16",
        "from the day of receipt"
    );
    assert_eq!(view.state.step().map(|(s, _)| s), Some("document_review"));
    assert_eq!(t.sweep().await.expect("again").deemed_accepted, 0, "once");
}

pub(crate) async fn accepted_case(t: &TestApp, key: &str) -> String {
    let number = apply(t, key).await;
    support::cases::accept(t, &number).await;
    number
}

#[tokio::test]
async fn each_warning_is_raised_once_as_the_deadline_nears_and_passes() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = accepted_case(&t, "warn").await;
    // The review step's budget is 20 working days from 16 Nov: due 14 Dec (provisional, as
    // December 2026 belongs to the 2027 schedule year); yellow with 2 days left.
    set_clock(&t, "2026-12-10T01:00:00Z");
    t.sweep().await.expect("sweep");
    t.sweep().await.expect("sweep again");
    let raised = warnings(&events(&t, &number).await);
    assert_eq!(
        raised,
        vec![(WarningLevel::Yellow, WarningScope::Step)],
        "{raised:?}"
    );
    set_clock(&t, "2026-12-16T01:00:00Z");
    t.sweep().await.expect("sweep");
    let raised = warnings(&events(&t, &number).await);
    assert!(
        raised.contains(&(WarningLevel::Overdue, WarningScope::Step)),
        "{raised:?}"
    );
    assert_eq!(
        raised
            .iter()
            .filter(|w| **w == (WarningLevel::Yellow, WarningScope::Step))
            .count(),
        1
    );
    let view = t.case_view(&enterprise(), &number).await.expect("visible");
    assert_eq!(
        view.record.projection.clock_status, "green",
        "the case limit (60 days) is far"
    );
}

#[tokio::test]
async fn two_instances_sweeping_one_postgres_raise_every_warning_exactly_once() {
    let Some(a) = postgres_app().await else {
        return;
    };
    demo(&a).await;
    let mut numbers = Vec::new();
    for i in 0..12 {
        numbers.push(accepted_case(&a, &format!("pg-{i}")).await);
    }
    let b = postgres_app_sharing(&a).await;
    set_clock(&a, "2026-12-16T01:00:00Z");
    set_clock(&b, "2026-12-16T01:00:00Z");
    let (ra, rb) = tokio::join!(a.sweep(), b.sweep());
    let (ra, rb) = (ra.expect("sweep a"), rb.expect("sweep b"));
    assert_eq!(ra.warnings_raised + rb.warnings_raised, 12, "{ra:?} {rb:?}");
    for number in &numbers {
        let raised = warnings(&events(&a, number).await);
        assert_eq!(
            raised,
            vec![(WarningLevel::Overdue, WarningScope::Step)],
            "{number}: {raised:?}"
        );
    }
    // A restart catches up and adds nothing twice.
    let again = b.sweep().await.expect("sweep after");
    assert_eq!(again.warnings_raised, 0);
}

/// A made-up 2027 schedule year for the test (1 Dec 2026 – 30 Nov 2027).
pub(crate) const SCHEDULE_2027: &str = "date,kind,name\n\
2027-01-01,holiday,元旦\n\
2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n2027-02-09,holiday,春节\n\
2027-02-10,holiday,春节\n2027-02-11,holiday,春节\n2027-02-12,holiday,春节\n2027-02-13,workday,春节\n\
2027-05-01,holiday,劳动节\n2027-05-02,holiday,劳动节\n2027-05-03,holiday,劳动节\n\
2027-10-01,holiday,国庆节\n2027-10-02,holiday,国庆节\n2027-10-03,holiday,国庆节\n";

#[tokio::test]
async fn a_due_date_that_moves_with_the_imported_calendar_is_recorded_with_why() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = accepted_case(&t, "cal").await;
    let before = t.case_view(&enterprise(), &number).await.expect("visible");
    assert!(before.record.projection.due_provisional);
    assert_eq!(
        before
            .record
            .projection
            .statutory_due
            .map(|d| d.to_string())
            .as_deref(),
        Some("2027-02-08")
    );
    t.import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("import");
    let report = t.sweep().await.expect("sweep");
    assert_eq!(report.due_dates_changed, 1);
    let after = t.case_view(&enterprise(), &number).await.expect("visible");
    assert_eq!(
        after
            .record
            .projection
            .statutory_due
            .map(|d| d.to_string())
            .as_deref(),
        Some("2027-02-15")
    );
    let changed = due_date_changes(&after.events).into_iter().next();
    let (previous, due, reason) = changed.expect("a due-date event");
    assert_eq!(
        (previous.as_str(), due.as_str()),
        ("2027-02-08", "2027-02-15")
    );
    assert!(reason.contains("calendar"), "{reason}");
}

/// Open cases with provisional due dates, as the store lists them.
async fn provisional(t: &TestApp) -> Vec<onewindow_store::CaseRecord> {
    let which = onewindow_store::OpenCases::Provisional { reaching: None };
    t.store
        .open_cases_with_logs(onewindow_store::CaseId(0), which, 1_000)
        .await
        .expect("page")
        .into_iter()
        .map(|(record, _)| record)
        .collect()
}

/// A store never seeded with the shipped years (a server that never ran `onewindow calendar`)
/// must not come out of an import knowing only the imported year.
#[tokio::test]
async fn importing_a_year_into_an_unseeded_store_keeps_the_shipped_years() {
    let t = sqlite_app().await;
    let national_day: jiff::civil::Date = "2026-09-30".parse().expect("date");
    let days = |n| onewindow_domain::calendar::WorkingDays::new(n).expect("days");
    let before = t
        .add_working_days(national_day, days(5))
        .await
        .expect("count");
    assert_eq!(before.date.to_string(), "2026-10-13");
    t.import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("import");
    let after = t
        .add_working_days(national_day, days(5))
        .await
        .expect("count");
    assert_eq!(
        after.date.to_string(),
        "2026-10-13",
        "National Day 2026 still a holiday"
    );
    assert!(!after.provisional);
    let spring = t
        .add_working_days("2027-02-05".parse().expect("date"), days(1))
        .await
        .expect("count");
    assert_eq!(
        spring.date.to_string(),
        "2027-02-13",
        "the imported make-up Saturday"
    );
}

#[tokio::test]
async fn after_an_import_only_the_cases_its_changed_days_reach_are_decided_again() {
    let t = sqlite_app().await;
    demo(&t).await; // Monday 16 November 2026: days known through 30 November
    let moving = accepted_case(&t, "moves").await; // due 8 Feb 2027, past 1 Jan 2027
    // Accepted in September: its due date falls in December, past the known days.
    set_clock(&t, "2026-09-21T02:00:00Z");
    let short = accepted_case(&t, "short").await;
    set_clock(&t, "2026-11-16T02:00:00Z");
    let short_before = t.case_view(&enterprise(), &short).await.expect("visible");
    let short_due = short_before
        .record
        .projection
        .statutory_due
        .expect("a due date");
    assert!(short_before.record.projection.due_provisional);
    assert!(
        short_due < "2027-01-01".parse().expect("date"),
        "{short_due}"
    );
    // The first pass brings every case onto the calendar in force and keeps that calendar.
    t.sweep().await.expect("first sweep");
    let short_events = t
        .case_view(&enterprise(), &short)
        .await
        .expect("visible")
        .events
        .len();
    let before = provisional(&t).await;
    t.import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("import");
    let report = t.recompute_due_dates().await.expect("recompute");
    // 2027's first changed day is 1 Jan: only cases whose dates reach it are decided again.
    let reaching = before
        .iter()
        .filter(|r| {
            let first: jiff::civil::Date = "2027-01-01".parse().expect("date");
            r.projection.statutory_due.is_some_and(|d| d >= first)
                || r.projection.promised_due.is_some_and(|d| d >= first)
        })
        .count() as u64;
    assert!(reaching < before.len() as u64, "some dates end before 2027");
    assert_eq!(report.examined, reaching);
    assert!(report.due_dates_changed >= 1, "{report:?}");
    assert!(report.due_dates_changed + report.refreshed <= report.examined);
    assert_eq!(report.conflicts, 0);
    let moved = t.case_view(&enterprise(), &moving).await.expect("visible");
    assert_eq!(
        moved.record.projection.statutory_due.map(|d| d.to_string()),
        Some("2027-02-15".into())
    );
    // A date before the change is not re-decided: it stands, now exact, with no event.
    let short_after = t.case_view(&enterprise(), &short).await.expect("visible");
    assert_eq!(short_after.record.projection.statutory_due, Some(short_due));
    assert!(!short_after.record.projection.due_provisional);
    assert_eq!(
        short_after.events.len(),
        short_events,
        "no event from the recompute"
    );
    // The calendar is kept: the next pass has nothing to decide.
    let again = t.recompute_due_dates().await.expect("again");
    assert_eq!((again.examined, again.due_dates_changed), (0, 0));
}

#[tokio::test]
async fn a_pass_passes_over_cases_found_quiet_today_until_they_move_or_the_day_turns() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = accepted_case(&t, "quiet").await;
    accepted_case(&t, "quiet-beside").await;
    // The first passes look at every case (and at what documents are missing, for the cases
    // changed since the pass before: the clock moves on between passes, as it does).
    set_clock(&t, "2026-11-16T02:00:00Z");
    t.sweep().await.expect("sweep");
    set_clock(&t, "2026-11-16T03:00:00Z");
    t.sweep().await.expect("sweep");
    set_clock(&t, "2026-11-16T04:00:00Z");
    let settled = t.sweep().await.expect("sweep");
    assert_eq!(settled.examined, 2);
    assert_eq!(
        settled.passed_over, settled.examined,
        "nothing changed since a pass today found nothing due: {settled:?}"
    );
    support::cases::pass_on_site(&t, &number).await;
    set_clock(&t, "2026-11-16T05:00:00Z");
    let after_move = t.sweep().await.expect("sweep");
    assert_eq!(
        after_move.passed_over,
        after_move.examined - 1,
        "the case moved is looked at again: {after_move:?}"
    );
    set_clock(&t, "2026-11-16T06:00:00Z");
    let again = t.sweep().await.expect("sweep");
    assert_eq!(again.passed_over, again.examined, "{again:?}");
    // A new day: every case is looked at again, and a warning that became due is raised.
    set_clock(&t, "2026-12-10T01:00:00Z");
    let next_day = t.sweep().await.expect("sweep");
    assert_eq!(next_day.passed_over, 0, "{next_day:?}");
    assert!(
        warnings(&events(&t, &number).await).contains(&(WarningLevel::Yellow, WarningScope::Step)),
        "the review's budget nears its end on the new day"
    );
}

/// The `DueDateChanged` events of a log as (previous, due, reason), in order.
pub(crate) fn due_date_changes(events: &[CaseEvent]) -> Vec<(String, String, String)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DueDateChanged {
                previous,
                due,
                reason,
            } => Some((previous.to_string(), due.to_string(), reason.clone())),
            _ => None,
        })
        .collect()
}
