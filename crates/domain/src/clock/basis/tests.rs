use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};
use proptest::prelude::*;

use super::ClockBasis;
use crate::calendar::{Calendar, DayKind, HolidayEntry};
use crate::clock::{ClockEvent, ClockState, PauseReason, StopOutcome, TimeLimits};

/// The embedded calendar, or it with a made-up 2027 whose extra days are `offsets` from
/// 1 Dec 2026 (a weekday becomes a holiday, a weekend day a make-up workday).
fn calendar(offsets: Option<Vec<i64>>) -> Calendar {
    let Some(offsets) = offsets else {
        return Calendar::embedded();
    };
    let mut entries: Vec<HolidayEntry> = [date(2027, 1, 1), date(2027, 5, 1), date(2027, 10, 1)]
        .into_iter()
        .map(|date| HolidayEntry {
            date,
            kind: DayKind::Holiday,
            name: "节日".into(),
        })
        .collect();
    for offset in offsets {
        let day = date(2026, 12, 1) + offset.days();
        if entries.iter().any(|e| e.date == day) {
            continue;
        }
        let kind = match day.weekday() {
            Weekday::Saturday | Weekday::Sunday => DayKind::Workday,
            _ => DayKind::Holiday,
        };
        entries.push(HolidayEntry {
            date: day,
            kind,
            name: "测试".into(),
        });
    }
    Calendar::embedded()
        .import_year(2027, entries, false)
        .expect("a valid 2027")
}

/// One step of a made-up clock: days after the previous event, and what happens.
#[derive(Debug, Clone)]
enum Step {
    Pause(Option<u32>),
    Resume,
    Extend(u32),
    Enter(u32),
}

fn step() -> impl Strategy<Value = (i64, Step)> {
    let kind = prop_oneof![
        prop::option::of(0u32..30).prop_map(Step::Pause),
        Just(Step::Resume),
        (1u32..6).prop_map(Step::Extend),
        (0u32..10).prop_map(Step::Enter),
    ];
    (0i64..12, kind)
}

/// A valid clock from the steps: a pause only when not paused, a resume only when paused,
/// extensions up to the ceiling; then a stop if asked. Answers the events and the last date.
fn clock(accepted_on: Date, steps: &[(i64, Step)], stop: Option<i64>) -> (Vec<ClockEvent>, Date) {
    let mut events = vec![ClockEvent::Started { accepted_on }];
    let (mut on, mut paused, mut extended) = (accepted_on, false, 0);
    for (gap, step) in steps {
        on += gap.days();
        let event = match step {
            Step::Pause(expected_days) if !paused => {
                paused = true;
                ClockEvent::Paused {
                    on,
                    reason: PauseReason::Testing,
                    by: "质检院".into(),
                    expected_days: *expected_days,
                }
            }
            Step::Resume if paused => {
                paused = false;
                ClockEvent::Resumed { on }
            }
            Step::Extend(days) if extended + days <= 10 => {
                extended += days;
                ClockEvent::Extended {
                    on,
                    days: *days,
                    approver: "head".into(),
                    reason: "现场核查".into(),
                }
            }
            Step::Enter(budget_days) => ClockEvent::StepEntered {
                on,
                step: "review".into(),
                budget_days: *budget_days,
            },
            _ => continue,
        };
        events.push(event);
    }
    if let Some(gap) = stop {
        on += gap.days();
        events.push(ClockEvent::Stopped {
            on,
            outcome: StopOutcome::Decided,
        });
    }
    (events, on)
}

fn limits(statutory: u32, promised: Option<u32>) -> TimeLimits {
    TimeLimits {
        promised_days: promised.map(|p| p.min(statutory)),
        ..TimeLimits::new(statutory)
    }
}

proptest! {
    /// The basis, printed and read back, counts the very dates, flags and colour the fold
    /// counts, on any calendar and any later day.
    #[test]
    fn the_basis_counts_what_the_fold_counts(
        accepted in 0i64..420,
        steps in prop::collection::vec(step(), 0..8),
        stop in prop::option::of(0i64..10),
        statutory in 1u32..61,
        promised in prop::option::of(1u32..40),
        later in 0i64..200,
        offsets in prop::option::of(prop::collection::vec(0i64..365, 0..12)),
    ) {
        let accepted_on = date(2026, 1, 1) + accepted.days();
        let (events, last) = clock(accepted_on, &steps, stop);
        let limits = limits(statutory, promised);
        let calendar = calendar(offsets);
        let today = last + later.days();
        let state = ClockState::from_events(&events).expect("a valid clock");
        let snapshot = state.snapshot(&limits, &calendar, today).expect("it folds");
        let basis = ClockBasis::of(&state, &limits).expect("a basis");
        let text = basis.to_string();
        let read = ClockBasis::parse(&text);
        prop_assert_eq!(read.as_ref(), Ok(&basis), "{}", text);
        let dates = basis.due_dates(&calendar, today).expect("it counts");
        prop_assert_eq!(dates.statutory_due, snapshot.statutory_due, "{}", text);
        prop_assert_eq!(dates.promised_due, snapshot.promised_due, "{}", text);
        prop_assert_eq!(dates.status(&limits), snapshot.status, "{}", text);
        prop_assert_eq!(dates.is_paused, snapshot.is_paused);
        prop_assert_eq!(dates.stopped, snapshot.stopped.is_some());
        prop_assert_eq!(dates.as_of, snapshot.as_of);
    }
}

#[test]
fn the_text_form_reads_as_documented() {
    let text = "a2026-11-02 s30 p13 c2026-11-05/2026-11-09 o2026-11-20+10";
    let basis = ClockBasis::parse(text).expect("it reads");
    assert_eq!(basis.to_string(), text);
    assert_eq!(basis.accepted_on(), date(2026, 11, 2));
    let stopped = "a2026-11-02 s20 c2026-11-05/2026-11-04 c2026-11-05/2026-11-20 t2026-11-20";
    assert_eq!(
        ClockBasis::parse(stopped).expect("it reads").to_string(),
        stopped
    );
}

#[test]
fn a_bad_basis_names_its_token_and_problem() {
    let cases = [
        ("", 1, "expected `a`"),
        ("a2026-11-02", 0, "no statutory limit"),
        ("a2026-13-02 s20", 1, "the acceptance day"),
        ("a2026-11-02 sx", 2, "not a whole number"),
        (
            "a2026-11-02 s20 c2026-11-01/2026-11-03",
            3,
            "before 2026-11-02",
        ),
        (
            "a2026-11-02 s20 c2026-11-05/2026-11-01",
            3,
            "before it begins",
        ),
        ("a2026-11-02 s20 c2026-11-05", 3, "<first>/<last>"),
        (
            "a2026-11-02 s20 o2026-11-05 c2026-11-06/2026-11-07",
            4,
            "out of place",
        ),
        ("a2026-11-02 s20 o2026-11-05+x", 3, "expected days"),
        (
            "a2026-11-02 s20 c2026-11-05/2026-11-09 t2026-11-03",
            4,
            "before 2026-11-09",
        ),
        ("a2026-11-02 s20 p5 p6", 4, "out of place"),
        ("a2026-11-02 s20 q5", 3, "out of place"),
    ];
    for (text, position, says) in cases {
        let error = ClockBasis::parse(text).expect_err(text);
        assert_eq!(error.position, position, "{text}: {error}");
        assert!(error.to_string().contains(says), "{text}: {error}");
    }
}
