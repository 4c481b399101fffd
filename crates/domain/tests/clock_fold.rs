//! The legal clock folded over real event sequences on the shipped calendar: the issue's
//! example, open pauses, extensions, steps, statuses, promises, provisional dates, the
//! automatic rules, and every invalid sequence refused with a clear error.

use jiff::civil::{Date, date};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::clock::{
    ClockError, ClockEvent, ClockSnapshot, ClockState, ClockStatus, PauseReason, StopOutcome,
    TimeLimits, deemed_acceptance, deemed_renewal,
};

fn started(accepted_on: Date) -> ClockEvent {
    ClockEvent::Started { accepted_on }
}

fn testing(on: Date, expected_days: Option<u32>) -> ClockEvent {
    ClockEvent::Paused {
        on,
        reason: PauseReason::Testing,
        by: "大连市质检院".to_string(),
        expected_days,
    }
}

fn resumed(on: Date) -> ClockEvent {
    ClockEvent::Resumed { on }
}

fn extended(on: Date, days: u32) -> ClockEvent {
    ClockEvent::Extended {
        on,
        days,
        approver: "局长王某".to_string(),
        reason: "需要补充现场核查".to_string(),
    }
}

fn stopped(on: Date) -> ClockEvent {
    ClockEvent::Stopped {
        on,
        outcome: StopOutcome::Decided,
    }
}

fn fold(events: &[ClockEvent], limits: &TimeLimits, today: Date) -> ClockSnapshot {
    ClockState::fold(events, limits, &Calendar::embedded(), today).expect("valid events")
}

fn fold_err(events: &[ClockEvent], today: Date) -> ClockError {
    ClockState::fold(
        events,
        &TimeLimits::licensing_default(),
        &Calendar::embedded(),
        today,
    )
    .expect_err("invalid events")
}

fn issue_example() -> Vec<ClockEvent> {
    vec![
        started(date(2026, 3, 3)),
        testing(date(2026, 3, 10), Some(8)),
        resumed(date(2026, 3, 20)),
    ]
}

#[test]
fn testing_time_does_not_count_toward_the_decision_limit() {
    let clock = fold(
        &issue_example(),
        &TimeLimits::licensing_default(),
        date(2026, 3, 25),
    );
    assert_eq!(clock.paused_days, 8);
    // 4–9 Mar (4 days) + 20–25 Mar (4 days).
    assert_eq!((clock.used_days, clock.remaining_days), (8, 12));
    // 31 Mar without the pause; 8 days later, skipping Qingming (4–6 Apr).
    assert_eq!(clock.statutory_due.date, date(2026, 4, 13));
    assert!(!clock.statutory_due.provisional && !clock.is_paused);
    assert_eq!(clock.status, ClockStatus::Green);
    let zh: Vec<&str> = clock
        .explanation
        .iter()
        .map(|line| line.zh.as_str())
        .collect();
    let en: Vec<&str> = clock
        .explanation
        .iter()
        .map(|line| line.en.as_str())
        .collect();
    assert_eq!(zh[0], "3月3日 受理——时限自3月4日起算");
    assert_eq!(en[0], "3 Mar accepted — the clock starts 4 Mar");
    assert_eq!(
        zh[2],
        "3月10日至3月20日 大连市质检院检验：8个工作日不计入时限"
    );
    assert_eq!(
        en[2],
        "10–20 Mar testing at 大连市质检院: 8 working days not counted"
    );
    assert_eq!(
        en.last().copied(),
        Some("as of 25 Mar: 8 working days used, 12 left, due 13 Apr")
    );
}

#[test]
fn an_open_pause_assumes_its_expected_length_and_says_the_date_will_move() {
    let events = [
        started(date(2026, 3, 3)),
        testing(date(2026, 3, 10), Some(10)),
    ];
    let clock = fold(&events, &TimeLimits::licensing_default(), date(2026, 3, 12));
    assert!(clock.is_paused && clock.statutory_due.moves_with_open_pause);
    assert_eq!((clock.used_days, clock.paused_days), (4, 3));
    // Paused 10–23 Mar (10 working days), then 16 more from 24 Mar, skipping 4–6 Apr.
    assert_eq!(clock.statutory_due.date, date(2026, 4, 15));
    let line = &clock.explanation[2];
    assert!(
        line.zh.contains("预计10个工作日") && line.zh.contains("顺延"),
        "{}",
        line.zh
    );
    assert!(line.en.contains("the due date will move"), "{}", line.en);
    // Running longer than told: the assumption grows with the pause.
    let late = fold(&events, &TimeLimits::licensing_default(), date(2026, 3, 31));
    assert_eq!(late.paused_days, 16);
    assert!(late.statutory_due.date > clock.statutory_due.date);
}

#[test]
fn an_extension_adds_exactly_its_working_days_and_is_explained() {
    let mut events = issue_example();
    events.push(extended(date(2026, 3, 25), 10));
    let clock = fold(&events, &TimeLimits::licensing_default(), date(2026, 3, 26));
    assert_eq!(clock.extension_days, 10);
    assert_eq!(clock.statutory_due.date, date(2026, 4, 27));
    let line = clock
        .explanation
        .iter()
        .find(|l| l.zh.contains("批准延长"))
        .unwrap();
    assert_eq!(
        line.zh,
        "3月25日 经局长王某批准延长10个工作日：需要补充现场核查"
    );
    assert_eq!(
        line.en,
        "25 Mar 局长王某 approved an extension of 10 working days: 需要补充现场核查"
    );
}

#[test]
fn an_extension_approved_after_the_limit_ran_out_is_flagged() {
    let events = [started(date(2026, 3, 3)), extended(date(2026, 4, 1), 10)];
    let clock = fold(&events, &TimeLimits::licensing_default(), date(2026, 4, 1));
    let line = clock
        .explanation
        .iter()
        .find(|l| l.zh.contains("批准延长"))
        .unwrap();
    assert!(
        line.en.contains("art. 42 requires approval within it"),
        "{}",
        line.en
    );
}

#[test]
fn status_turns_yellow_then_red_then_overdue() {
    let events = [started(date(2026, 3, 3))];
    let limits = TimeLimits::licensing_default();
    let status = |today| fold(&events, &limits, today);
    assert_eq!(status(date(2026, 3, 3)).used_days, 0);
    assert_eq!(status(date(2026, 3, 23)).status, ClockStatus::Green); // 6 left
    assert_eq!(status(date(2026, 3, 24)).status, ClockStatus::Yellow); // 5 left
    assert_eq!(status(date(2026, 3, 30)).status, ClockStatus::Red); // 1 left
    let due_day = status(date(2026, 3, 31));
    assert_eq!(
        (due_day.status, due_day.remaining_days),
        (ClockStatus::Red, 0)
    );
    assert_eq!(status(date(2026, 4, 1)).status, ClockStatus::Overdue);
    // A holiday after the due date is still past it, with 0 working days "remaining".
    let overdue = status(date(2026, 3, 31).tomorrow().unwrap());
    assert!(overdue.status.is_late());
    assert!(
        overdue
            .explanation
            .last()
            .unwrap()
            .en
            .contains("has passed")
    );
}

#[test]
fn a_broken_promise_is_flagged_while_the_statutory_limit_holds() {
    let limits = TimeLimits {
        promised_days: Some(10),
        ..TimeLimits::licensing_default()
    };
    let clock = fold(&[started(date(2026, 3, 3))], &limits, date(2026, 3, 20));
    assert_eq!(clock.promised_due.map(|d| d.date), Some(date(2026, 3, 17)));
    assert_eq!(clock.promised_status, Some(ClockStatus::Overdue));
    assert_eq!(clock.status, ClockStatus::Green);
    assert!(clock.promise_broken_within_statutory);
}

#[test]
fn the_current_step_has_its_own_clock_paused_with_the_case() {
    let mut events = vec![
        started(date(2026, 3, 3)),
        ClockEvent::StepEntered {
            on: date(2026, 3, 5),
            step: "实地核查".to_string(),
            budget_days: 5,
        },
    ];
    events.extend(issue_example().into_iter().skip(1));
    let clock = fold(&events, &TimeLimits::licensing_default(), date(2026, 3, 23));
    let step = clock.step.expect("a current step");
    assert_eq!(step.due.date, date(2026, 3, 24));
    assert_eq!((step.used_days, step.remaining_days), (4, 1));
    assert_eq!(step.status, ClockStatus::Red);
    assert!(
        clock
            .explanation
            .iter()
            .any(|l| l.zh.contains("进入“实地核查”环节"))
    );
}

#[test]
fn a_stopped_clock_is_finished_on_time_or_late() {
    let limits = TimeLimits::licensing_default();
    let on_time = fold(
        &[started(date(2026, 3, 3)), stopped(date(2026, 3, 31))],
        &limits,
        date(2026, 6, 1),
    );
    assert_eq!(
        (on_time.status, on_time.as_of),
        (ClockStatus::FinishedOnTime, date(2026, 3, 31))
    );
    let late = fold(
        &[started(date(2026, 3, 3)), stopped(date(2026, 4, 1))],
        &limits,
        date(2026, 6, 1),
    );
    assert_eq!(late.status, ClockStatus::FinishedLate);
    assert!(
        late.explanation
            .last()
            .unwrap()
            .en
            .contains("past the statutory due date")
    );
}

#[test]
fn a_due_date_past_the_known_years_is_provisional_and_says_so() {
    let clock = fold(
        &[started(date(2026, 11, 20))],
        &TimeLimits::licensing_default(),
        date(2026, 11, 20),
    );
    assert!(clock.statutory_due.provisional);
    assert!(clock.explanation.last().unwrap().en.contains("provisional"));
}

#[test]
fn invalid_sequences_are_refused_with_clear_errors() {
    let d = |day| date(2026, 3, day);
    let cases: Vec<(Vec<ClockEvent>, &str)> = vec![
        (vec![], "no events"),
        (
            vec![testing(d(5), None)],
            "event #1 (paused on 2026-03-05) comes before the clock started",
        ),
        (
            vec![started(d(3)), resumed(d(5))],
            "event #2 (resumed on 2026-03-05): the clock was not paused",
        ),
        (
            vec![started(d(3)), testing(d(4), None), testing(d(5), None)],
            "paused since 2026-03-04",
        ),
        (
            vec![started(d(3)), started(d(4))],
            "already started on 2026-03-03",
        ),
        (
            vec![started(d(3)), testing(d(2), None)],
            "before the acceptance on 2026-03-03",
        ),
        (
            vec![started(d(3)), testing(d(6), None), resumed(d(5))],
            "out of date order",
        ),
        (
            vec![started(d(3)), stopped(d(5)), stopped(d(6))],
            "after the clock stopped on 2026-03-05",
        ),
        (
            vec![started(d(3)), extended(d(5), 6), extended(d(6), 5)],
            "total 11 working days, more than the 10",
        ),
        (
            vec![started(d(3)), extended(d(5), 0)],
            "needs a number of days above 0",
        ),
        (
            vec![started(d(3)), testing(d(20), None)],
            "after today (2026-03-10)",
        ),
    ];
    for (events, expected) in cases {
        let message = fold_err(&events, d(10)).to_string();
        assert!(
            message.contains(expected),
            "{message:?} should say {expected:?}"
        );
    }
}

#[test]
fn dates_at_the_ends_of_the_range_give_errors_not_panics() {
    let limits = TimeLimits::licensing_default();
    let calendar = Calendar::embedded();
    let result = ClockState::fold(&[started(Date::MAX)], &limits, &calendar, Date::MAX);
    assert!(result.is_err());
    let events = [started(Date::MIN), testing(Date::MIN, None)];
    let _ = ClockState::fold(&events, &limits, &calendar, Date::MIN);
}

#[test]
fn no_decision_within_five_working_days_means_accepted_from_receipt() {
    let calendar = Calendar::embedded();
    // Received Wed 30 Sep 2026; 5 working days: 8, 9, 10 (make-up Saturday), 12, 13 Oct.
    let received = date(2026, 9, 30);
    assert_eq!(
        deemed_acceptance(received, &calendar, date(2026, 10, 13)),
        None
    );
    assert_eq!(
        deemed_acceptance(received, &calendar, date(2026, 10, 14)),
        Some(date(2026, 10, 14))
    );
    assert_eq!(
        deemed_acceptance(received, &calendar, date(2026, 12, 1)),
        Some(date(2026, 10, 14))
    );
    assert_eq!(deemed_acceptance(Date::MAX, &calendar, Date::MAX), None);
}

#[test]
fn no_renewal_decision_before_expiry_means_renewed() {
    let expires = date(2026, 6, 30);
    assert!(!deemed_renewal(expires, false, expires));
    assert!(deemed_renewal(expires, false, date(2026, 7, 1)));
    assert!(!deemed_renewal(expires, true, date(2026, 7, 1)));
}
