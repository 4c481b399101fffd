//! The shipped definitions walked through their journeys, and the moves refused on the way.

use jiff::Timestamp;
use jiff::civil::{Date, date};

use super::*;
use crate::access::Role;
use crate::cases::{CaseStatus, Channel, Command, Hash, MaterialRef};
use crate::catalogue::OrgCode;
use crate::process::DefinitionSet;

struct Case {
    definition: ProcessDefinition,
    events: Vec<CaseEvent>,
    on: Date,
}

fn staff(user: &str, role: Role) -> ActorRef {
    ActorRef::staff(user, role, OrgCode::parse("210200").expect("an org code"))
}

fn applicant() -> ActorRef {
    ActorRef::applicant("enterprise")
}

fn material(name: &str) -> MaterialRef {
    MaterialRef {
        name: name.into(),
        content_hash: Hash::of(name.as_bytes()),
    }
}

impl Case {
    fn submitted(code: &str) -> Case {
        let definition = DefinitionSet::shipped()
            .latest(code)
            .expect("a shipped definition")
            .clone();
        let mut case = Case {
            definition,
            events: Vec::new(),
            on: date(2026, 3, 2),
        };
        let submit = Command::Submit {
            item: "XK-TEST".into(),
            applicant: "91210200MA0QC1234X".into(),
            materials: vec![material("申请书")],
            channel: Channel::Online,
        };
        let planned = Flow::start(&case.definition, submit, &applicant());
        case.run(planned).expect("the submission");
        case
    }

    fn state(&self) -> CaseState {
        CaseState::fold(&self.events)
    }

    fn run(&mut self, planned: Vec<Planned>) -> Result<(), FlowError> {
        let state = self.state();
        let flow = Flow::new(&self.definition, &state);
        let at = Timestamp::from_second(1_772_000_000 + 86_400 * self.events.len() as i64)
            .expect("an instant");
        let events = flow.execute(planned, &flow.policy(), at, self.on)?;
        self.events.extend(events);
        Ok(())
    }

    fn make(
        &mut self,
        step: &str,
        outcome: &str,
        actor: &ActorRef,
        input: MoveInput,
    ) -> Result<(), FlowError> {
        let state = self.state();
        let flow = Flow::new(&self.definition, &state);
        let planned = flow.plan(step, outcome, actor, input)?;
        self.run(planned)
    }

    fn step(&self) -> String {
        self.state()
            .step()
            .map(|(s, _)| s.to_owned())
            .unwrap_or_default()
    }

    fn moves(&self, actor: &ActorRef) -> Vec<String> {
        let state = self.state();
        let flow = Flow::new(&self.definition, &state);
        flow.moves(process_actor(actor).expect("a person"))
            .iter()
            .map(|m| format!("{}/{}", m.step.id.as_str(), m.outcome.key.as_str()))
            .collect()
    }
}

fn with<F: FnOnce(&mut MoveInput)>(f: F) -> MoveInput {
    let mut input = MoveInput::default();
    f(&mut input);
    input
}

const ONSITE_FIRST: &str = "PROC-XK-ONSITE-FIRST";

#[test]
fn the_industrial_licence_walks_from_submission_to_issue() {
    let mut case = Case::submitted(ONSITE_FIRST);
    let clerk = staff("clerk", Role::WindowClerk);
    assert_eq!(case.step(), "acceptance");
    assert_eq!(
        case.moves(&clerk),
        [
            "acceptance/accept",
            "acceptance/request_supplement",
            "acceptance/refuse"
        ]
    );
    case.make(
        "acceptance",
        "request_supplement",
        &clerk,
        with(|i| i.items = vec!["营业执照副本".into()]),
    )
    .expect("the notice");
    assert_eq!(case.state().status(), CaseStatus::AwaitingSupplement);
    case.make(
        "supplement",
        "supplemented",
        &applicant(),
        with(|i| i.materials = vec![material("营业执照副本")]),
    )
    .expect("the supplement");
    assert_eq!(case.step(), "acceptance");
    assert!(
        !case
            .moves(&clerk)
            .contains(&"acceptance/request_supplement".to_owned()),
        "one notice only (art. 32)"
    );
    case.make("acceptance", "accept", &clerk, MoveInput::default())
        .expect("acceptance");
    assert_eq!(case.step(), "document_review");

    let reviewer = staff("reviewer", Role::Reviewer);
    assert_eq!(
        case.moves(&reviewer),
        Vec::<String>::new(),
        "waits for the site"
    );
    let inspector = staff("inspector", Role::Inspector);
    assert_eq!(
        case.moves(&inspector),
        [
            "onsite_verification/pass",
            "onsite_verification/rectify",
            "onsite_verification/fail"
        ]
    );
    let one = case.make(
        "onsite_verification",
        "pass",
        &inspector,
        with(|i| i.inspectors = vec!["inspector".into()]),
    );
    assert!(
        matches!(
            one,
            Err(FlowError::Missing {
                field: "inspectors",
                ..
            })
        ),
        "{one:?}"
    );
    case.on = date(2026, 3, 10);
    case.make(
        "onsite_verification",
        "rectify",
        &inspector,
        with(|i| {
            i.inspectors = vec!["inspector".into(), "inspector2".into()];
            i.deadline = Some(date(2026, 3, 20));
        }),
    )
    .expect("rectification");
    assert!(
        case.moves(&reviewer).is_empty(),
        "a rectification keeps the site pending"
    );
    case.make(
        "onsite_verification",
        "pass",
        &inspector,
        with(|i| i.inspectors = vec!["inspector".into(), "inspector2".into()]),
    )
    .expect("the second visit");

    assert_eq!(
        case.moves(&reviewer),
        [
            "document_review/conforms",
            "document_review/does_not_conform"
        ]
    );
    let no_institute = case.make(
        "document_review",
        "conforms",
        &reviewer,
        with(|i| i.opinion = Some("齐全".into())),
    );
    assert!(
        matches!(
            no_institute,
            Err(FlowError::Missing {
                field: "hand_over_org",
                ..
            })
        ),
        "{no_institute:?}"
    );
    case.make(
        "document_review",
        "conforms",
        &reviewer,
        with(|i| {
            i.opinion = Some("材料齐全".into());
            i.hand_over
                .insert("issuance_testing".into(), "DL-ZJY".into());
        }),
    )
    .expect("the review");
    let state = case.state();
    assert_eq!(state.status(), CaseStatus::Paused);
    assert_eq!(state.handed_to("issuance_testing"), Some("DL-ZJY"));

    let institute = staff("lab", Role::InstituteStaff);
    case.make(
        "issuance_testing",
        "pass",
        &institute,
        with(|i| i.result = Some("检验合格".into())),
    )
    .expect("the test report");
    let signatory = staff("signatory", Role::Signatory);
    case.make("decision", "grant", &signatory, MoveInput::default())
        .expect("the grant");
    assert_eq!(case.state().status(), CaseStatus::Granted);
    case.make(
        "certificate",
        "issue",
        &clerk,
        with(|i| i.licence_number = Some("XK13-014-00001".into())),
    )
    .expect("the certificate");
    assert_eq!(case.state().status(), CaseStatus::Issued);
    assert!(case.moves(&clerk).is_empty());
    crate::cases::verify_chain(&case.events).expect("a sound chain");
}

#[test]
fn the_person_who_accepted_cannot_review() {
    let mut case = Case::submitted(ONSITE_FIRST);
    let both = staff("li", Role::WindowClerk);
    case.make("acceptance", "accept", &both, MoveInput::default())
        .expect("acceptance");
    let inspector = staff("inspector", Role::Inspector);
    case.make(
        "onsite_verification",
        "pass",
        &inspector,
        with(|i| i.inspectors = vec!["a".into(), "b".into()]),
    )
    .expect("site");
    let same_person = staff("li", Role::Reviewer);
    let refused = case.make(
        "document_review",
        "conforms",
        &same_person,
        with(|i| {
            i.opinion = Some("ok".into());
            i.hand_over
                .insert("issuance_testing".into(), "DL-ZJY".into());
        }),
    );
    assert!(
        matches!(
            refused,
            Err(FlowError::Case(
                crate::cases::CaseError::SeparationOfDuties { .. }
            ))
        ),
        "{refused:?}"
    );
}

#[test]
fn the_applicant_may_withdraw_but_not_accept() {
    let mut case = Case::submitted(ONSITE_FIRST);
    assert_eq!(case.moves(&applicant()), ["acceptance/withdraw"]);
    let refused = case.make("acceptance", "accept", &applicant(), MoveInput::default());
    assert!(
        matches!(refused, Err(FlowError::NotOpen { .. })),
        "{refused:?}"
    );
    let no_reason = case.make("acceptance", "withdraw", &applicant(), MoveInput::default());
    assert!(matches!(
        no_reason,
        Err(FlowError::Missing {
            field: "reason",
            ..
        })
    ));
    case.make(
        "acceptance",
        "withdraw",
        &applicant(),
        with(|i| i.reason = Some("不再生产".into())),
    )
    .expect("withdrawal");
    assert_eq!(case.state().status(), CaseStatus::Withdrawn);
    assert!(case.moves(&applicant()).is_empty());
}

#[test]
fn a_move_at_another_step_says_where_the_case_is() {
    let case = Case::submitted(ONSITE_FIRST);
    let state = case.state();
    let flow = Flow::new(&case.definition, &state);
    let signatory = staff("s", Role::Signatory);
    let err = flow
        .plan("decision", "grant", &signatory, MoveInput::default())
        .unwrap_err();
    assert!(
        err.to_string().contains("the case is at Acceptance"),
        "{err}"
    );
    let err = flow
        .plan("decision", "approve", &signatory, MoveInput::default())
        .unwrap_err();
    assert!(err.to_string().contains("grant, deny, withdraw"), "{err}");
}

#[test]
fn deemed_acceptance_moves_the_case_on_by_the_system() {
    let mut case = Case::submitted(ONSITE_FIRST);
    let state = case.state();
    let planned = Flow::new(&case.definition, &state)
        .deemed_acceptance()
        .expect("at acceptance");
    case.run(planned).expect("deemed acceptance");
    let state = case.state();
    assert!(state.acceptance().expect("accepted").deemed);
    assert_eq!(case.step(), "document_review");
}

#[test]
fn an_item_decided_on_the_spot_needs_no_review() {
    let mut case = Case::submitted("PROC-ON-THE-SPOT");
    let clerk = staff("clerk", Role::WindowClerk);
    case.make("acceptance", "accept", &clerk, MoveInput::default())
        .expect("acceptance");
    let signatory = staff("s", Role::Signatory);
    case.make(
        "decision_at_window",
        "grant",
        &signatory,
        with(|i| i.licence_number = Some("DL-2026-1".into())),
    )
    .expect("decided on the spot");
    assert_eq!(case.state().status(), CaseStatus::Issued);
}

#[test]
fn licence_first_verifies_the_site_after_issue() {
    let mut case = Case::submitted("PROC-XK-LICENCE-FIRST");
    let clerk = staff("clerk", Role::WindowClerk);
    case.make("acceptance", "accept", &clerk, MoveInput::default())
        .expect("acceptance");
    case.make(
        "document_review",
        "conforms",
        &staff("r", Role::Reviewer),
        with(|i| i.opinion = Some("ok".into())),
    )
    .expect("review");
    case.make(
        "decision",
        "grant",
        &staff("s", Role::Signatory),
        MoveInput::default(),
    )
    .expect("grant");
    let needs_district = case.make(
        "certificate",
        "issue",
        &clerk,
        with(|i| i.licence_number = Some("XK13-014-00002".into())),
    );
    assert!(matches!(
        needs_district,
        Err(FlowError::Missing {
            field: "hand_over_org",
            ..
        })
    ));
    case.make(
        "certificate",
        "issue",
        &clerk,
        with(|i| {
            i.licence_number = Some("XK13-014-00002".into());
            i.hand_over
                .insert("post_licence_verification".into(), "DL-GJZ".into());
        }),
    )
    .expect("issue");
    assert_eq!(case.state().status(), CaseStatus::Issued);
    let inspector = staff("i", Role::Inspector);
    case.make(
        "post_licence_verification",
        "pass",
        &inspector,
        with(|i| i.inspectors = vec!["a".into(), "b".into()]),
    )
    .expect("post-licence verification");
    let state = case.state();
    assert_eq!(
        Flow::new(&case.definition, &state).ended(),
        Some(Terminal::Issued)
    );
}
