//! Properties of the case log under any sequence of commands, valid or not, by any actor on any
//! (mostly forward) date, applied the way the app will apply them — fold, decide, append: the
//! chain always verifies, the fold never panics and equals the state built event by event, a
//! closed case refuses everything, and the clock accepts every log the state machine allows.

mod cases_support;

use cases_support::*;
use jiff::Span;
use jiff::civil::{Date, date};
use onewindow_domain::access::Role;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{
    Action, ActorRef, ActorRole, CaseState, CaseStatus, Channel, Command, EventKind, LogHead,
    OnSiteOutcome, WarningLevel, WarningScope, append, case_clock, clock_events, decide,
    note_due_date_change, verify_chain,
};
use onewindow_domain::clock::{AsRecorded, ClockState, PauseReason, TimeLimits};
use proptest::prelude::*;

/// One attempt: which action, a variation of its data, whether the natural actor takes it
/// (else `stranger` picks one of the cast), days since the last attempt, and a back-dating.
#[derive(Debug, Clone)]
struct Attempt {
    action: usize,
    variant: u8,
    natural: bool,
    stranger: usize,
    days: i64,
    back: bool,
}

fn attempts() -> impl Strategy<Value = Vec<Attempt>> {
    let attempt = (0..Action::ALL.len(), any::<u8>(), prop::bool::weighted(0.8)).prop_flat_map(
        |(action, variant, natural)| {
            (0usize..9, 0i64..4, prop::bool::weighted(0.05)).prop_map(
                move |(stranger, days, back)| Attempt {
                    action,
                    variant,
                    natural,
                    stranger,
                    days,
                    back,
                },
            )
        },
    );
    prop::collection::vec(attempt, 0..120)
}

fn cast() -> Vec<ActorRef> {
    vec![
        applicant(),
        clerk(),
        staff("clerk.li", Role::Reviewer),
        reviewer(),
        inspector(),
        institute(),
        signatory(),
        head(),
        ActorRef::system(),
    ]
}

fn actor_for(role: ActorRole) -> ActorRef {
    match role {
        ActorRole::Applicant => applicant(),
        ActorRole::System => ActorRef::system(),
        ActorRole::Staff(role) => staff(&format!("{}.x", role), role),
    }
}

fn texts(variant: u8, text: &str) -> Vec<String> {
    (0..variant % 3).map(|i| format!("{text}{i}")).collect()
}

fn command(action: Action, v: u8, on: Date) -> Command {
    let later = on.checked_add(Span::new().days(i64::from(v % 20))).unwrap();
    match action {
        Action::Submit => submit(),
        Action::NameApplicant => Command::NameApplicant {
            name: texts(v, "大连华信").concat(),
            address: "辽宁省大连市".into(),
        },
        Action::NameLicence => Command::NameLicence {
            number: format!("（辽）XK13-006-{:05}", v),
            request: match v % 3 {
                0 => onewindow_domain::licences::LicenceRequest::Renewal,
                1 => onewindow_domain::licences::LicenceRequest::Cancellation {
                    reason: "停产".into(),
                },
                _ => onewindow_domain::licences::LicenceRequest::Change {
                    holder_name: Some("新名称".into()),
                    production_address: None,
                    scope: Vec::new(),
                },
            },
            valid_until: later,
            in_time: v.is_multiple_of(2),
        },
        Action::DeemRenewal => Command::DeemRenewal,
        Action::RequestSupplement => Command::RequestSupplement {
            items: texts(v, "补正"),
        },
        Action::Supplement => Command::Supplement {
            materials: texts(v, "材料").iter().map(|n| material(n)).collect(),
        },
        Action::Accept => Command::Accept,
        Action::DeemAccepted => Command::DeemAccepted,
        Action::Refuse => Command::Refuse {
            reason: "不符合".into(),
            competent_org: v.is_multiple_of(2).then(|| "省局".into()),
        },
        Action::EnterStep => Command::EnterStep {
            step: format!("step{}", v % 3),
            budget_days: u32::from(v % 30),
        },
        Action::CompleteReview => Command::CompleteReview {
            opinion: "符合".into(),
        },
        Action::RecordOnSite => Command::RecordOnSite {
            inspectors: texts(v, "核查员"),
            outcome: match v % 5 {
                0 => OnSiteOutcome::Fail,
                1 | 2 => OnSiteOutcome::Rectify { deadline: later },
                _ => OnSiteOutcome::Pass,
            },
        },
        Action::StartPause => Command::StartPause {
            reason: [PauseReason::Testing, PauseReason::Appraisal][usize::from(v % 2)].clone(),
            by: "质检院".into(),
            expected_days: u32::from(v % 15),
        },
        Action::EndPause => Command::EndPause {
            result: "合格".into(),
        },
        Action::Extend => Command::Extend {
            days: u32::from(v % 14),
            reason: "复杂".into(),
        },
        Action::Grant => Command::Grant,
        Action::Deny => Command::Deny {
            reasons: texts(v, "理由"),
            rights: "复议".into(),
        },
        Action::IssueLicence => Command::IssueLicence {
            number: format!("XK-{v}"),
        },
        Action::Withdraw => Command::Withdraw {
            reason: "撤回".into(),
        },
        Action::RaiseWarning => Command::RaiseWarning {
            level: [
                WarningLevel::Yellow,
                WarningLevel::Red,
                WarningLevel::Overdue,
            ][usize::from(v % 3)],
            scope: [WarningScope::Case, WarningScope::Step][usize::from(v % 2)],
        },
        Action::CompleteStep => Command::CompleteStep {
            step: format!("step{}", v % 3),
            outcome: "done".into(),
        },
        Action::NoteDueDateChange => Command::NoteDueDateChange {
            previous: on,
            due: later,
            reason: "日历".into(),
        },
        Action::HandOver => Command::HandOver {
            step: format!("step{}", v % 3),
            org: "DL-ZJY".into(),
        },
    }
}

/// Runs the attempts; returns the log, the state built event by event, and the statuses seen.
fn run(
    attempts: &[Attempt],
) -> (
    Vec<onewindow_domain::cases::CaseEvent>,
    CaseState,
    Vec<CaseStatus>,
) {
    let cast = cast();
    let (mut events, mut state) = (Vec::new(), CaseState::default());
    let mut today = date(2026, 3, 2);
    let mut seen = vec![state.status()];
    for attempt in attempts {
        let action = Action::ALL[attempt.action];
        today = today.checked_add(Span::new().days(attempt.days)).unwrap();
        let on = if attempt.back {
            today.yesterday().unwrap()
        } else {
            today
        };
        let allowed = action.allowed();
        let actor = match attempt.natural {
            true => actor_for(allowed[usize::from(attempt.variant) % allowed.len()]),
            false => cast[attempt.stranger].clone(),
        };
        let before = state.status();
        let result = decide(&state, command(action, attempt.variant, on), &actor, on);
        let Ok(kinds) = result else { continue };
        // An issued licence may still have its post-licence verification (2018 reform).
        let post_licence = matches!(
            action,
            Action::EnterStep | Action::CompleteStep | Action::HandOver | Action::RecordOnSite
        );
        assert!(
            !before.is_final() || (before == CaseStatus::Issued && post_licence),
            "{action:?} accepted on a closed case ({before})"
        );
        let new = append(&events, kinds, &actor, nine_am(on), on);
        new.iter().for_each(|event| state.apply(event));
        events.extend(new);
        seen.push(state.status());
    }
    (events, state, seen)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_command_sequence_keeps_a_verifiable_chain_and_a_total_fold(attempts in attempts()) {
        let (events, state, seen) = run(&attempts);
        prop_assert_eq!(verify_chain(&events), Ok(()));
        let folded = CaseState::fold(&events);
        prop_assert_eq!(&folded, &state);
        prop_assert_eq!(folded.version(), events.len() as u64);
        prop_assert!(seen.iter().skip(1).all(|s| *s != CaseStatus::NotSubmitted));
        let clock = clock_events(&events);
        if !clock.is_empty() {
            prop_assert!(ClockState::from_events(&clock).is_ok(), "{:?}", clock);
            let today = state.last_on().unwrap();
            let limits = TimeLimits::new(60);
            let snapshot = case_clock(&events, &limits, &Calendar::embedded(), today, &AsRecorded);
            prop_assert!(matches!(snapshot, Ok(Some(_))), "{:?}", snapshot);
        }
    }

    /// The recompute's decision from the row alone (status, head, last date) is the one the
    /// fold and `decide` make: the same event, or the same refusal.
    #[test]
    fn a_due_date_change_decided_on_the_head_is_the_folded_one(
        attempts in attempts(),
        days in 0i64..3,
        moved in 0i64..3,
        blank in prop::bool::weighted(0.1),
    ) {
        let (events, state, _) = run(&attempts);
        let Some(last_on) = state.last_on() else { return Ok(()) };
        let on = last_on.checked_add(Span::new().days(days - 1)).unwrap();
        let previous = date(2026, 12, 1);
        let due = previous.checked_add(Span::new().days(moved)).unwrap();
        let reason = if blank { " " } else { "日历" }.to_owned();
        let system = ActorRef::system();
        let command = Command::NoteDueDateChange { previous, due, reason: reason.clone() };
        let folded = decide(&state, command, &system, on)
            .map(|kinds| append(&events, kinds, &system, nine_am(on), on));
        let head = LogHead { status: state.status(), head: state.head(), last_on };
        let from_head = note_due_date_change(&head, (previous, due, reason), nine_am(on), on)
            .map(|event| vec![event]);
        prop_assert_eq!(from_head, folded);
    }

    #[test]
    fn a_prefix_of_a_valid_log_is_a_valid_log(attempts in attempts(), cut in any::<prop::sample::Index>()) {
        let (events, _, _) = run(&attempts);
        let cut = cut.index(events.len() + 1);
        prop_assert_eq!(verify_chain(&events[..cut]), Ok(()));
        prop_assert_eq!(CaseState::fold(&events[..cut]).version(), cut as u64);
    }
}

/// The generator reaches every status, the end of the journey included, so the properties
/// above cover the whole state machine (fixed seed: deterministic).
#[test]
fn random_walks_reach_every_status() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..300 {
        let tree = attempts().new_tree(&mut runner).unwrap();
        seen.extend(run(&tree.current()).2);
    }
    use CaseStatus::*;
    let all = [
        Submitted,
        AwaitingSupplement,
        UnderReview,
        Rectifying,
        Paused,
        AwaitingDecision,
        Granted,
        Issued,
        Denied,
        Refused,
        Withdrawn,
    ];
    for status in all {
        assert!(seen.contains(&status), "{status} never reached: {seen:?}");
    }
}

/// Any event, however out of place: what a hand-edited or foreign log might hold.
fn any_kind(v: u8, on: Date) -> EventKind {
    let text = format!("t{v}");
    match v % 17 {
        0 => EventKind::Submitted {
            item: text.clone(),
            applicant: text,
            materials: vec![],
            channel: Channel::Window,
        },
        1 => EventKind::SupplementRequested { items: vec![text] },
        2 => EventKind::Supplemented { materials: vec![] },
        3 => EventKind::Accepted,
        4 => EventKind::DeemedAccepted { received_on: on },
        5 => EventKind::Refused {
            reason: text,
            competent_org: None,
        },
        6 => EventKind::StepEntered {
            step: text,
            budget_days: u32::from(v),
        },
        7 => EventKind::ReviewCompleted { opinion: text },
        8 => EventKind::OnSiteVerified {
            inspectors: vec![],
            outcome: OnSiteOutcome::Fail,
        },
        9 => EventKind::PauseStarted {
            reason: PauseReason::Other(text.clone()),
            by: text,
            expected_days: 0,
        },
        10 => EventKind::PauseEnded { result: text },
        11 => EventKind::Extended {
            days: u32::from(v),
            reason: text,
        },
        12 => EventKind::Granted,
        13 => EventKind::Denied {
            reasons: vec![],
            rights: text,
        },
        14 => EventKind::LicenceIssued { number: text },
        15 => EventKind::Withdrawn { reason: text },
        _ => EventKind::WarningRaised {
            level: WarningLevel::Red,
            scope: WarningScope::Step,
        },
    }
}

proptest! {
    #[test]
    fn fold_and_clock_mapping_are_total_on_any_chained_log(
        steps in prop::collection::vec((any::<u8>(), 0i64..3), 0..60),
    ) {
        let mut events = Vec::new();
        let mut on = date(2026, 3, 2);
        for (v, days) in steps {
            on = on.checked_add(Span::new().days(days)).unwrap();
            let actor = cast()[usize::from(v) % 9].clone();
            events.extend(append(&events, vec![any_kind(v, on)], &actor, nine_am(on), on));
        }
        prop_assert_eq!(verify_chain(&events), Ok(()));
        let state = CaseState::fold(&events);
        let _ = (state.status(), state.version());
        // The clock may refuse such a log, but must answer.
        let limits = TimeLimits::licensing_default();
        let _ = case_clock(&events, &limits, &Calendar::embedded(), on, &AsRecorded);
    }
}
