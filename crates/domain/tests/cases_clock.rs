//! A case's log read by the legal clock on the real calendar (Calendar::embedded()): the
//! industrial product licence's 60 working days (RULES.md §2) with its testing days not counted
//! (art. 45), deemed acceptance counted from the day of receipt (art. 32), an extension
//! (art. 42), and the clock stopping with the decision or a withdrawal.

mod cases_support;

use cases_support::*;
use jiff::civil::date;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{ActorRef, Command, case_clock, clock_events};
use onewindow_domain::clock::{
    AsRecorded, ClockEvent, ClockStatus, Name, Names, PauseReason, StopOutcome, TimeLimits,
};

fn industrial() -> TimeLimits {
    TimeLimits::new(60)
}

#[test]
fn the_journey_maps_to_start_pause_resume_and_stop() {
    let clock = clock_events(&happy_path().events);
    let names: Vec<&str> = clock.iter().map(ClockEvent::name).collect();
    assert_eq!(names, ["started", "paused", "resumed", "stopped"]);
    assert_eq!(
        clock[0],
        ClockEvent::Started {
            accepted_on: date(2026, 3, 6)
        }
    );
    assert!(matches!(
        clock[1],
        ClockEvent::Paused {
            expected_days: Some(10),
            ..
        }
    ));
    assert_eq!(
        clock[3],
        ClockEvent::Stopped {
            on: date(2026, 4, 24),
            outcome: StopOutcome::Decided
        }
    );
}

#[test]
fn the_sixty_day_limit_is_due_on_the_real_calendar_with_testing_days_not_counted() {
    let snapshot = case_clock(
        &happy_path().events,
        &industrial(),
        &Calendar::embedded(),
        date(2026, 4, 28),
        &AsRecorded,
    )
    .expect("a valid clock")
    .expect("accepted");
    // Accepted Fri 6 Mar. Testing 1–19 Apr: 12 working days not counted (1–3, 7–10, 13–17 Apr;
    // 4–6 Apr is Qingming). Without it the 60th working day is 3 Jun (after 劳动节 1–5 May and
    // the make-up Saturday 9 May); 12 more, skipping 端午 (19 Jun), give Mon 22 Jun.
    assert_eq!(snapshot.paused_days, 12);
    assert_eq!(snapshot.statutory_due.date, date(2026, 6, 22));
    assert!(!snapshot.statutory_due.provisional);
    // Stopped at the grant on 24 Apr: 17 March days + 20–24 Apr.
    assert_eq!(snapshot.as_of, date(2026, 4, 24));
    assert_eq!((snapshot.used_days, snapshot.remaining_days), (22, 38));
    assert_eq!(snapshot.status, ClockStatus::FinishedOnTime);
    let no_pause = Calendar::embedded()
        .add_working_days(date(2026, 3, 6), 60)
        .unwrap();
    assert_eq!(no_pause.date, date(2026, 6, 3));
}

#[test]
fn deemed_acceptance_starts_the_clock_from_the_day_of_receipt() {
    let calendar = Calendar::embedded();
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit());
    let state = case.state();
    // Art. 32: five working days after Mon 2 Mar end on Mon 9 Mar; the rule fires on 10 Mar.
    assert_eq!(
        state.deemed_acceptance_due(&calendar, date(2026, 3, 9)),
        None
    );
    let fires = state.deemed_acceptance_due(&calendar, date(2026, 3, 10));
    assert_eq!(fires, Some(date(2026, 3, 10)));
    case.ok(
        &ActorRef::system(),
        date(2026, 3, 10),
        Command::DeemAccepted,
    );
    assert_eq!(
        case.state()
            .deemed_acceptance_due(&calendar, date(2026, 3, 20)),
        None
    );
    let limits = TimeLimits::licensing_default();
    let snapshot = case_clock(
        &case.events,
        &limits,
        &calendar,
        date(2026, 3, 10),
        &AsRecorded,
    )
    .unwrap()
    .unwrap();
    assert_eq!(snapshot.accepted_on, date(2026, 3, 2));
    // 3–6 and 9–10 Mar count already; 20 working days after 2 Mar is 30 Mar.
    assert_eq!(snapshot.used_days, 6);
    assert_eq!(snapshot.statutory_due.date, date(2026, 3, 30));
}

#[test]
fn after_a_supplement_the_five_days_run_from_its_receipt() {
    let calendar = Calendar::embedded();
    let case = submitted_and_supplemented();
    // Supplemented Thu 5 Mar: the fifth working day after is Thu 12 Mar.
    let state = case.state();
    assert_eq!(
        state.deemed_acceptance_due(&calendar, date(2026, 3, 12)),
        None
    );
    let fires = state.deemed_acceptance_due(&calendar, date(2026, 3, 13));
    assert_eq!(fires, Some(date(2026, 3, 13)));
    assert_eq!(
        awaiting_supplement()
            .state()
            .deemed_acceptance_due(&calendar, date(2026, 6, 1)),
        None
    );
}

#[test]
fn a_case_not_yet_accepted_has_no_clock() {
    let case = submitted_and_supplemented();
    assert!(clock_events(&case.events).is_empty());
    let clock = case_clock(
        &case.events,
        &industrial(),
        &Calendar::embedded(),
        date(2026, 3, 6),
        &AsRecorded,
    );
    assert_eq!(clock, Ok(None));
}

#[test]
fn the_heads_extension_moves_the_due_date_by_its_working_days() {
    let calendar = Calendar::embedded();
    let mut case = accepted();
    let before = case_clock(
        &case.events,
        &industrial(),
        &calendar,
        date(2026, 3, 30),
        &AsRecorded,
    )
    .unwrap();
    case.ok(
        &head(),
        date(2026, 3, 30),
        Command::Extend {
            days: 10,
            reason: "需组织专家论证".into(),
        },
    );
    let after = case_clock(
        &case.events,
        &industrial(),
        &calendar,
        date(2026, 3, 30),
        &AsRecorded,
    )
    .unwrap();
    let (before, after) = (before.unwrap(), after.unwrap());
    assert_eq!(after.extension_days, 10);
    let moved = calendar.working_days_between(before.statutory_due.date, after.statutory_due.date);
    assert_eq!(moved.days, 10);
    // Art. 42: the approval is the head of the organ's; the line names the role, not a login.
    assert!(
        after
            .explanation
            .iter()
            .any(|line| line.zh.contains("经机关负责人批准延长10个工作日")
                && line.en.contains("Head of organ approved"))
    );
    assert!(
        !after
            .explanation
            .iter()
            .any(|line| line.zh.contains("head"))
    );
}

/// Names as a case's definition and the org catalogue give them.
struct Bureau;

impl Names for Bureau {
    fn step(&self, id: &str) -> Option<Name> {
        (id == "document_review").then(|| Name::new("材料审查", "Document review"))
    }

    fn org(&self, code: &str) -> Option<Name> {
        (code == "210200-ZJY").then(|| Name::new("大连市质检院", "Dalian Testing Institute"))
    }
}

#[test]
fn the_explanation_names_steps_and_orgs_instead_of_their_keys() {
    let calendar = Calendar::embedded();
    let mut case = accepted();
    case.ok(
        &ActorRef::system(),
        date(2026, 3, 9),
        Command::EnterStep {
            step: "document_review".into(),
            budget_days: 10,
        },
    );
    case.ok(
        &ActorRef::system(),
        date(2026, 3, 10),
        Command::StartPause {
            reason: PauseReason::Testing,
            by: "210200-ZJY".into(),
            expected_days: 10,
        },
    );
    let today = date(2026, 3, 12);
    let named = case_clock(&case.events, &industrial(), &calendar, today, &Bureau)
        .unwrap()
        .unwrap();
    let zh: Vec<&str> = named.explanation.iter().map(|l| l.zh.as_str()).collect();
    let en: Vec<&str> = named.explanation.iter().map(|l| l.en.as_str()).collect();
    assert!(
        zh.iter().any(|l| l.contains("进入“材料审查”环节")),
        "{zh:?}"
    );
    assert!(
        en.iter()
            .any(|l| l.contains("step “Document review” began")),
        "{en:?}"
    );
    assert!(zh.iter().any(|l| l.contains("大连市质检院检验")), "{zh:?}");
    assert!(
        en.iter().any(|l| l.contains("at Dalian Testing Institute")),
        "{en:?}"
    );
    assert!(
        !zh.iter()
            .chain(&en)
            .any(|l| l.contains("document_review") || l.contains("ZJY"))
    );
    // Without names the keys show as recorded: the names above came from `Bureau`.
    let bare = case_clock(&case.events, &industrial(), &calendar, today, &AsRecorded)
        .unwrap()
        .unwrap();
    assert!(
        bare.explanation
            .iter()
            .any(|l| l.zh.contains("“document_review”"))
    );
}

#[test]
fn a_withdrawal_stops_the_clock_even_while_testing() {
    let mut case = paused();
    case.ok(
        &applicant(),
        date(2026, 4, 8),
        Command::Withdraw {
            reason: "企业停产".into(),
        },
    );
    let snapshot = case_clock(
        &case.events,
        &industrial(),
        &Calendar::embedded(),
        date(2026, 5, 1),
        &AsRecorded,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        snapshot.stopped,
        Some((date(2026, 4, 8), StopOutcome::Withdrawn))
    );
    assert!(!snapshot.is_paused);
}
