//! Properties of the legal clock on the shipped calendar: a pause never brings a due date
//! earlier, an extension of k days moves it by exactly k counted working days, and days used
//! never decrease as time passes.

use jiff::Span;
use jiff::civil::{Date, date};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::clock::{ClockEvent, ClockSnapshot, ClockState, PauseReason, TimeLimits};
use proptest::prelude::*;

fn plus(day: Date, days: i64) -> Date {
    day.checked_add(Span::new().days(days)).expect("in range")
}

/// Closed pauses as (start offset from the previous event, length) in calendar days.
fn pauses() -> impl Strategy<Value = Vec<(i64, i64)>> {
    proptest::collection::vec((0i64..40, 0i64..30), 0..4)
}

fn events(accepted_on: Date, pauses: &[(i64, i64)], extension: Option<u32>) -> Vec<ClockEvent> {
    let mut events = vec![ClockEvent::Started { accepted_on }];
    if let Some(days) = extension {
        events.push(ClockEvent::Extended {
            on: accepted_on,
            days,
            approver: "局长".to_string(),
            reason: "复杂".to_string(),
        });
    }
    let mut day = accepted_on;
    for &(gap, length) in pauses {
        let on = plus(day, gap);
        day = plus(on, length);
        events.push(ClockEvent::Paused {
            on,
            reason: PauseReason::Appraisal,
            by: String::new(),
            expected_days: None,
        });
        events.push(ClockEvent::Resumed { on: day });
    }
    events
}

fn fold(events: &[ClockEvent], limit: u32, today: Date) -> ClockSnapshot {
    let limits = TimeLimits {
        max_extension_days: 30,
        ..TimeLimits::new(limit)
    };
    ClockState::fold(events, &limits, &Calendar::embedded(), today).expect("valid")
}

fn last_date(events: &[ClockEvent]) -> Date {
    events.iter().map(ClockEvent::on).max().expect("not empty")
}

/// Counted working days in `(a, b]`, day by day: working and in no `[on, resumed_on)`.
fn naive_counted(events: &[ClockEvent], a: Date, b: Date) -> i64 {
    let calendar = Calendar::embedded();
    let mut paused: Vec<(Date, Date)> = Vec::new();
    for event in events {
        match event {
            ClockEvent::Paused { on, .. } => paused.push((*on, Date::MAX)),
            ClockEvent::Resumed { on } => paused.last_mut().expect("paused").1 = *on,
            _ => {}
        }
    }
    let mut count = 0;
    let mut day = a;
    while day < b {
        day = day.tomorrow().expect("in range");
        let is_paused = paused.iter().any(|(from, to)| (*from..*to).contains(&day));
        count += i64::from(calendar.is_working_day(day) && !is_paused);
    }
    count
}

fn accepted() -> impl Strategy<Value = Date> {
    (0i64..8_700).prop_map(|offset| plus(date(2003, 6, 1), offset))
}

proptest! {
    #[test]
    fn a_pause_never_brings_a_due_date_earlier(
        accepted_on in accepted(), limit in 0u32..80, pauses in pauses(), extra in 0i64..60,
    ) {
        let with = events(accepted_on, &pauses, None);
        let today = plus(last_date(&with), extra);
        let paused_due = fold(&with, limit, today).statutory_due.date;
        let plain_due = fold(&with[..1], limit, today).statutory_due.date;
        prop_assert!(paused_due >= plain_due, "{paused_due} < {plain_due}");
        // Dropping the last pause never moves the date later either.
        let fewer = &with[..with.len().saturating_sub(2).max(1)];
        prop_assert!(fold(fewer, limit, today).statutory_due.date <= paused_due);
    }

    #[test]
    fn an_open_pause_never_brings_a_due_date_earlier(
        accepted_on in accepted(), limit in 0u32..80, pauses in pauses(),
        gap in 0i64..40, expected in proptest::option::of(0u32..30), extra in 0i64..60,
    ) {
        let mut with = events(accepted_on, &pauses, None);
        let closed_due = fold(&with, limit, plus(last_date(&with), gap + extra)).statutory_due;
        with.push(ClockEvent::Paused {
            on: plus(last_date(&with), gap),
            reason: PauseReason::Testing,
            by: String::new(),
            expected_days: expected,
        });
        let today = plus(last_date(&with), extra);
        let open = fold(&with, limit, today);
        prop_assert!(open.is_paused);
        prop_assert!(open.statutory_due.date >= closed_due.date);
        // The longer it runs, the later (never earlier) the projected date.
        let later = fold(&with, limit, plus(today, 10));
        prop_assert!(later.statutory_due.date >= open.statutory_due.date);
    }

    #[test]
    fn an_extension_moves_the_due_date_by_exactly_its_working_days(
        accepted_on in accepted(), limit in 0u32..80, pauses in pauses(), k in 1u32..=30,
    ) {
        let without = events(accepted_on, &pauses, None);
        let with = events(accepted_on, &pauses, Some(k));
        let today = last_date(&with);
        let old_due = fold(&without, limit, today).statutory_due.date;
        let new_due = fold(&with, limit, today).statutory_due.date;
        prop_assert_eq!(naive_counted(&with, old_due, new_due), i64::from(k));
        prop_assert_eq!(naive_counted(&with, accepted_on, new_due), i64::from(limit + k));
    }

    #[test]
    fn days_used_never_decrease_and_add_up_to_the_limit(
        accepted_on in accepted(), limit in 0u32..80, pauses in pauses(), step in 1i64..20,
    ) {
        let events = events(accepted_on, &pauses, None);
        let today = last_date(&events);
        let now = fold(&events, limit, today);
        let later = fold(&events, limit, plus(today, step));
        prop_assert!(later.used_days >= now.used_days);
        prop_assert_eq!(now.used_days + now.remaining_days, i64::from(limit));
        prop_assert_eq!(now.used_days, naive_counted(&events, accepted_on, today));
    }
}
