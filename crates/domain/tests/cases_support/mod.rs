//! Shared cast and journeys for the case tests: one actor per role, a case driven through
//! `decide` and `append` as the app will drive it, and the industrial product licence journey.
#![allow(dead_code)]

use jiff::Timestamp;
use jiff::civil::{Date, date};
use onewindow_domain::access::Role;
use onewindow_domain::cases::{
    ActorRef, CaseError, CaseEvent, CaseState, Channel, Command, Hash, MaterialRef, OnSiteOutcome,
    RIGHTS_NOTICE_ZH, append, decide,
};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::clock::PauseReason;

pub fn bureau() -> OrgCode {
    OrgCode::parse("210200").expect("valid org code")
}

pub fn staff(user: &str, role: Role) -> ActorRef {
    ActorRef::staff(user, role, bureau())
}

pub fn applicant() -> ActorRef {
    ActorRef::applicant("acme.zhang")
}

pub fn clerk() -> ActorRef {
    staff("clerk.li", Role::WindowClerk)
}

pub fn reviewer() -> ActorRef {
    staff("reviewer.wang", Role::Reviewer)
}

pub fn inspector() -> ActorRef {
    staff("inspector.zhao", Role::Inspector)
}

pub fn institute() -> ActorRef {
    ActorRef::staff(
        "lab.sun",
        Role::InstituteStaff,
        OrgCode::parse("210200-ZJY").unwrap(),
    )
}

pub fn signatory() -> ActorRef {
    staff("signatory.zhou", Role::Signatory)
}

pub fn head() -> ActorRef {
    staff("head.wu", Role::Head)
}

/// 09:00 China time on `on`.
pub fn nine_am(on: Date) -> Timestamp {
    let china = jiff::tz::Offset::constant(8);
    china.to_timestamp(on.at(9, 0, 0, 0)).expect("in range")
}

pub fn material(name: &str) -> MaterialRef {
    MaterialRef {
        name: name.to_string(),
        content_hash: Hash::of(name.as_bytes()),
    }
}

pub fn submit() -> Command {
    Command::Submit {
        item: "XK-06-014".to_string(),
        applicant: "91110000600037341L".to_string(),
        materials: vec![material("申请书"), material("营业执照")],
        channel: Channel::Online,
    }
}

pub fn testing_pause() -> Command {
    Command::StartPause {
        reason: PauseReason::Testing,
        by: "大连市质检院".to_string(),
        expected_days: 10,
    }
}

pub fn two_inspectors(outcome: OnSiteOutcome) -> Command {
    Command::RecordOnSite {
        inspectors: vec!["inspector.zhao".to_string(), "inspector.qian".to_string()],
        outcome,
    }
}

/// A case driven the way the app will: fold, decide, append.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub events: Vec<CaseEvent>,
}

impl Case {
    pub fn state(&self) -> CaseState {
        CaseState::fold(&self.events)
    }

    pub fn act(&mut self, actor: &ActorRef, on: Date, command: Command) -> Result<(), CaseError> {
        let kinds = decide(&self.state(), command, actor, on)?;
        let new = append(&self.events, kinds, actor, nine_am(on), on);
        self.events.extend(new);
        Ok(())
    }

    /// Like `act`, for steps that must succeed.
    pub fn ok(&mut self, actor: &ActorRef, on: Date, command: Command) -> &mut Case {
        let what = format!("{command:?}");
        if let Err(error) = self.act(actor, on, command) {
            panic!("{what} refused: {error}");
        }
        self
    }
}

/// Submitted 2 Mar 2026, supplement notice 3 Mar, supplemented 5 Mar.
pub fn submitted_and_supplemented() -> Case {
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit())
        .ok(
            &clerk(),
            date(2026, 3, 3),
            Command::RequestSupplement {
                items: vec!["产品检验报告".into(), "生产场所证明".into()],
            },
        )
        .ok(
            &applicant(),
            date(2026, 3, 5),
            Command::Supplement {
                materials: vec![material("产品检验报告"), material("生产场所证明")],
            },
        );
    case
}

/// Accepted Fri 6 Mar 2026 by clerk.li.
pub fn accepted() -> Case {
    let mut case = submitted_and_supplemented();
    case.ok(&clerk(), date(2026, 3, 6), Command::Accept);
    case
}

/// Reviewed 20 Mar, on site passed 25 Mar.
pub fn reviewed() -> Case {
    let mut case = accepted();
    case.ok(
        &reviewer(),
        date(2026, 3, 20),
        Command::CompleteReview {
            opinion: "材料齐全，符合条件".into(),
        },
    )
    .ok(
        &inspector(),
        date(2026, 3, 25),
        two_inspectors(OnSiteOutcome::Pass),
    );
    case
}

/// Testing at the institute from 1 Apr to 20 Apr.
pub fn tested() -> Case {
    let mut case = reviewed();
    case.ok(&reviewer(), date(2026, 4, 1), testing_pause()).ok(
        &institute(),
        date(2026, 4, 20),
        Command::EndPause {
            result: "检验合格".into(),
        },
    );
    case
}

/// The industrial product licence journey (RULES.md §2): submit → supplement notice →
/// supplement → accept → review → on-site pass → testing pause and resume → grant → licence.
pub fn happy_path() -> Case {
    let mut case = tested();
    case.ok(&signatory(), date(2026, 4, 24), Command::Grant).ok(
        &clerk(),
        date(2026, 4, 28),
        Command::IssueLicence {
            number: "(辽)XK06-014-00001".into(),
        },
    );
    case
}

pub fn decided(command: Command, actor: ActorRef) -> Case {
    let mut case = tested();
    case.ok(&actor, date(2026, 4, 24), command);
    case
}

pub fn granted() -> Case {
    decided(Command::Grant, signatory())
}

pub fn denied() -> Case {
    let reasons = vec!["不符合条件".into()];
    let rights = RIGHTS_NOTICE_ZH.into();
    decided(Command::Deny { reasons, rights }, signatory())
}

pub fn awaiting_supplement() -> Case {
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit()).ok(
        &clerk(),
        date(2026, 3, 3),
        Command::RequestSupplement {
            items: vec!["检验报告".into()],
        },
    );
    case
}

pub fn paused() -> Case {
    let mut case = reviewed();
    case.ok(&reviewer(), date(2026, 4, 1), testing_pause());
    case
}

pub fn withdrawn() -> Case {
    let mut case = accepted();
    let reason = "不再生产".to_string();
    case.ok(&applicant(), date(2026, 3, 9), Command::Withdraw { reason });
    case
}
