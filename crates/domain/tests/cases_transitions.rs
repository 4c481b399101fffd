//! The state machine's refusals as a table: from each status, the actions that do not fit it,
//! each refused as `WrongStatus` naming the action, the status and why (RULES.md §1).

mod cases_support;

use cases_support::*;
use jiff::civil::date;
use onewindow_domain::cases::{ActorRef, CaseError, CaseStatus, Command, OnSiteOutcome};

fn review() -> Command {
    Command::CompleteReview {
        opinion: "符合".into(),
    }
}

fn supplement() -> Command {
    Command::Supplement {
        materials: vec![material("补正材料")],
    }
}

fn refuse() -> Command {
    Command::Refuse {
        reason: "x".into(),
        competent_org: None,
    }
}

fn issue() -> Command {
    Command::IssueLicence {
        number: "XK".into(),
    }
}

fn withdraw() -> Command {
    Command::Withdraw { reason: "x".into() }
}

fn end_pause() -> Command {
    Command::EndPause { result: "x".into() }
}

fn extend() -> Command {
    Command::Extend {
        days: 5,
        reason: "x".into(),
    }
}

fn pass() -> Command {
    two_inspectors(OnSiteOutcome::Pass)
}

type Row = (
    fn() -> Case,
    CaseStatus,
    fn() -> ActorRef,
    Command,
    &'static str,
);

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use CaseStatus::*;
    vec![
        (Case::default, NotSubmitted, clerk, Command::Accept, "nothing has been submitted"),
        (Case::default, NotSubmitted, applicant, withdraw(), "nothing has been submitted"),
        (accepted, UnderReview, applicant, submit(), "already submitted"),
        (awaiting_supplement, AwaitingSupplement, clerk, Command::Accept, "not yet supplemented"),
        (awaiting_supplement, AwaitingSupplement, reviewer, review(), "not yet supplemented"),
        (submitted_and_supplemented, Submitted, applicant, supplement(), "no supplement notice is outstanding"),
        (submitted_and_supplemented, Submitted, reviewer, review(), "not been accepted"),
        (submitted_and_supplemented, Submitted, reviewer, testing_pause(), "not been accepted"),
        (submitted_and_supplemented, Submitted, signatory, Command::Grant, "not been accepted"),
        (submitted_and_supplemented, Submitted, head, extend(), "not been accepted"),
        (accepted, UnderReview, clerk, Command::Accept, "already been accepted"),
        (accepted, UnderReview, clerk, refuse(), "already been accepted"),
        (accepted, UnderReview, ActorRef::system, Command::DeemAccepted, "already been accepted"),
        (accepted, UnderReview, signatory, Command::Grant, "review is not completed"),
        (accepted, UnderReview, institute, end_pause(), "not paused"),
        (accepted, UnderReview, clerk, issue(), "only after a grant decision"),
        (awaiting_supplement, AwaitingSupplement, ActorRef::system, Command::DeemAccepted, "supplement notice was sent in time"),
        (paused, Paused, signatory, Command::Grant, "paused for testing by 大连市质检院"),
        (paused, Paused, inspector, pass(), "end the pause first"),
        (paused, Paused, reviewer, testing_pause(), "end the pause first"),
        (reviewed, AwaitingDecision, inspector, pass(), "already passed"),
        (reviewed, AwaitingDecision, reviewer, review(), "already completed by reviewer.wang"),
        (granted, Granted, signatory, Command::Grant, "only issuing it remains"),
        (granted, Granted, applicant, withdraw(), "only before the decision"),
        (granted, Granted, head, extend(), "only issuing it remains"),
        (denied, Denied, applicant, withdraw(), "only before the decision"),
        (denied, Denied, clerk, issue(), "only after a grant decision"),
        (happy_path, Issued, clerk, issue(), "already issued"),
        (happy_path, Issued, head, extend(), "case is closed"),
        (withdrawn, Withdrawn, applicant, supplement(), "applicant withdrew"),
        (withdrawn, Withdrawn, ActorRef::system, Command::EnterStep { step: "s".into(), budget_days: 1 }, "case is closed"),
    ]
}

#[test]
fn each_invalid_transition_is_refused_with_its_reason() {
    for (build, status, actor, command, why) in rows() {
        let action = command.action();
        let mut case = build();
        assert_eq!(
            case.state().status(),
            status,
            "{action:?}: the row's status"
        );
        let error = case
            .act(&actor(), date(2026, 5, 6), command)
            .expect_err("refused");
        let message = error.to_string();
        assert!(
            matches!(&error, CaseError::WrongStatus { status: s, .. } if *s == status),
            "{action:?}: {error:?}"
        );
        assert_eq!(error.action(), action);
        let lead = format!("cannot {action} while the case is {status}: ");
        assert!(message.starts_with(&lead), "{message}");
        assert!(message.contains(why), "{action:?} from {status}: {message}");
    }
}
