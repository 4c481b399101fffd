//! A case's journey through the state machine: the industrial product licence from submission
//! to certificate, the state the log folds to at each stage, and the paths that branch off it
//! (refusal, rectification, failed site, deemed acceptance, withdrawal).

mod cases_support;

use cases_support::*;
use jiff::civil::date;
use onewindow_domain::cases::{
    CaseState, CaseStatus, Command, Decision, EventKind, OnSiteOutcome, RIGHTS_NOTICE_ZH,
    WarningLevel, WarningScope, china_date, verify_chain,
};

#[test]
fn the_industrial_licence_journey_folds_to_issued_and_its_chain_verifies() {
    let case = happy_path();
    let keys: Vec<&str> = case.events.iter().map(|e| e.kind.key()).collect();
    assert_eq!(
        keys,
        [
            "submitted",
            "supplement_requested",
            "supplemented",
            "accepted",
            "review_completed",
            "on_site_verified",
            "pause_started",
            "pause_ended",
            "granted",
            "licence_issued",
        ]
    );
    verify_chain(&case.events).expect("an untouched log verifies");
    let state = case.state();
    assert_eq!(state.status(), CaseStatus::Issued);
    assert_eq!(state.version(), 10);
    assert_eq!(state.received_on(), Some(date(2026, 3, 5)));
    assert_eq!(state.accepted_on(), Some(date(2026, 3, 6)));
    assert!(state.supplement_used());
    assert_eq!(state.materials().len(), 4);
    assert_eq!(state.inspectors(), ["inspector.zhao", "inspector.qian"]);
    assert!(!state.is_paused());
    assert_eq!(
        state.decision(),
        Some(&Decision::Granted {
            on: date(2026, 4, 24)
        })
    );
    assert_eq!(state.licence_number(), Some("(辽)XK06-014-00001"));
    assert_eq!(state.head().hash, case.events[9].hash);
}

#[test]
fn each_stage_of_the_journey_has_its_status() {
    let status = |case: Case| case.state().status();
    assert_eq!(CaseState::default().status(), CaseStatus::NotSubmitted);
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit());
    assert_eq!(status(case.clone()), CaseStatus::Submitted);
    assert_eq!(status(submitted_and_supplemented()), CaseStatus::Submitted);
    assert_eq!(status(accepted()), CaseStatus::UnderReview);
    assert_eq!(status(reviewed()), CaseStatus::AwaitingDecision);
    let mut paused = reviewed();
    paused.ok(&reviewer(), date(2026, 4, 1), testing_pause());
    assert_eq!(status(paused), CaseStatus::Paused);
    assert_eq!(status(tested()), CaseStatus::AwaitingDecision);
}

#[test]
fn rectification_needs_a_second_verification_before_a_grant() {
    let mut case = accepted();
    let deadline = date(2026, 4, 10);
    case.ok(
        &reviewer(),
        date(2026, 3, 20),
        Command::CompleteReview {
            opinion: "待现场核查".into(),
        },
    )
    .ok(
        &inspector(),
        date(2026, 3, 25),
        two_inspectors(OnSiteOutcome::Rectify { deadline }),
    );
    assert_eq!(case.state().status(), CaseStatus::Rectifying);
    let refused = case.act(&signatory(), date(2026, 3, 26), Command::Grant);
    assert!(refused.unwrap_err().to_string().contains("rectification"));
    case.ok(
        &inspector(),
        date(2026, 4, 9),
        two_inspectors(OnSiteOutcome::Pass),
    )
    .ok(&signatory(), date(2026, 4, 10), Command::Grant);
    assert_eq!(case.state().status(), CaseStatus::Granted);
    assert_eq!(case.state().on_site_verifications().len(), 2);
}

#[test]
fn a_failed_site_can_only_be_denied_with_reasons_and_rights() {
    let mut case = accepted();
    case.ok(
        &reviewer(),
        date(2026, 3, 20),
        Command::CompleteReview {
            opinion: "生产条件不符合".into(),
        },
    )
    .ok(
        &inspector(),
        date(2026, 3, 25),
        two_inspectors(OnSiteOutcome::Fail),
    );
    let refused = case.act(&signatory(), date(2026, 3, 26), Command::Grant);
    assert!(refused.unwrap_err().to_string().contains("only be denied"));
    let reasons = vec!["生产设备不符合实施细则要求".to_string()];
    case.ok(
        &signatory(),
        date(2026, 3, 26),
        Command::Deny {
            reasons: reasons.clone(),
            rights: RIGHTS_NOTICE_ZH.into(),
        },
    );
    let state = case.state();
    assert_eq!(state.status(), CaseStatus::Denied);
    let on = date(2026, 3, 26);
    assert_eq!(state.decision(), Some(&Decision::Denied { on, reasons }));
}

#[test]
fn a_refusal_names_the_competent_organ_and_closes_the_case() {
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit()).ok(
        &clerk(),
        date(2026, 3, 3),
        Command::Refuse {
            reason: "不属于本机关职权范围".into(),
            competent_org: Some("辽宁省市场监督管理局".into()),
        },
    );
    let state = case.state();
    assert_eq!(state.status(), CaseStatus::Refused);
    assert_eq!(state.refusal_reason(), Some("不属于本机关职权范围"));
    assert!(state.status().is_final());
}

#[test]
fn the_system_deems_an_application_accepted_from_the_day_of_receipt() {
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit()).ok(
        &onewindow_domain::cases::ActorRef::system(),
        date(2026, 3, 10),
        Command::DeemAccepted,
    );
    let last = &case.events[1];
    assert_eq!(
        last.kind,
        EventKind::DeemedAccepted {
            received_on: date(2026, 3, 2)
        }
    );
    let state = case.state();
    assert_eq!(state.accepted_on(), Some(date(2026, 3, 2)));
    assert!(
        state
            .acceptance()
            .is_some_and(|a| a.deemed && a.by == "system")
    );
    // A deemed acceptance binds no one: any reviewer may review.
    case.ok(
        &clerk_as_reviewer(),
        date(2026, 3, 11),
        Command::CompleteReview {
            opinion: "符合".into(),
        },
    );
}

fn clerk_as_reviewer() -> onewindow_domain::cases::ActorRef {
    staff("clerk.li", onewindow_domain::access::Role::Reviewer)
}

#[test]
fn the_applicant_may_withdraw_while_testing_is_under_way() {
    let mut case = reviewed();
    case.ok(&reviewer(), date(2026, 4, 1), testing_pause()).ok(
        &applicant(),
        date(2026, 4, 2),
        Command::Withdraw {
            reason: "企业搬迁".into(),
        },
    );
    let state = case.state();
    assert_eq!(state.status(), CaseStatus::Withdrawn);
    assert_eq!(state.withdrawal_reason(), Some("企业搬迁"));
}

#[test]
fn step_warnings_are_raised_once_per_step() {
    let system = onewindow_domain::cases::ActorRef::system();
    let warn = |scope| Command::RaiseWarning {
        level: WarningLevel::Yellow,
        scope,
    };
    let step = |name: &str| Command::EnterStep {
        step: name.into(),
        budget_days: 10,
    };
    let mut case = accepted();
    assert!(
        case.act(&system, date(2026, 3, 9), warn(WarningScope::Step))
            .is_err()
    );
    case.ok(&system, date(2026, 3, 9), step("review"))
        .ok(&system, date(2026, 3, 19), warn(WarningScope::Step))
        .ok(&system, date(2026, 3, 19), warn(WarningScope::Case));
    assert!(
        case.act(&system, date(2026, 3, 20), warn(WarningScope::Step))
            .is_err()
    );
    assert!(
        case.act(&system, date(2026, 3, 20), warn(WarningScope::Case))
            .is_err()
    );
    case.ok(&system, date(2026, 3, 20), step("on_site")).ok(
        &system,
        date(2026, 3, 27),
        warn(WarningScope::Step),
    );
    assert_eq!(case.state().step(), Some(("on_site", 10)));
}

#[test]
fn an_event_is_dated_on_the_china_civil_day_of_its_instant() {
    let late_utc: jiff::Timestamp = "2026-03-01T16:30:00Z".parse().unwrap();
    assert_eq!(china_date(late_utc), date(2026, 3, 2));
    let early_utc: jiff::Timestamp = "2026-03-01T15:59:59Z".parse().unwrap();
    assert_eq!(china_date(early_utc), date(2026, 3, 1));
}
