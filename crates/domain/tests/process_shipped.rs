//! The shipped process definitions: they parse cleanly and answer the case flow's questions the
//! way RULES.md §1–3 and issue 4 describe.

use onewindow_domain::access::Role;
use onewindow_domain::clock::PauseReason;
use onewindow_domain::process::{
    Actor, DefinitionSet, Next, ProcessDefinition, SHIPPED_SOURCES, StepKind, Terminal, shipped,
};

fn definition(code: &str) -> ProcessDefinition {
    shipped()
        .into_iter()
        .find(|d| d.code().as_str() == code)
        .unwrap_or_else(|| panic!("{code} is shipped"))
}

#[test]
fn every_shipped_definition_parses_without_problems_or_warnings() {
    for (file, text) in SHIPPED_SOURCES {
        let definition = ProcessDefinition::parse(text)
            .unwrap_or_else(|problems| panic!("{file}: {problems:#?}"));
        assert!(
            definition.warnings().is_empty(),
            "{file}: {:#?}",
            definition.warnings()
        );
        assert_eq!(definition.source(), *text);
    }
    assert_eq!(shipped().len(), 7);
    assert_eq!(DefinitionSet::shipped().latest_all().count(), 7);
}

#[test]
fn every_shipped_definition_starts_at_acceptance_with_the_one_time_supplement_loop() {
    for definition in shipped() {
        let start = definition.start();
        assert_eq!(start.kind, StepKind::Acceptance, "{}", definition.key());
        let notice = start
            .outcome("request_supplement")
            .expect("supplement outcome");
        assert!(notice.once, "art. 32: one notice");
        let Next::Step(supplement) = &notice.next else {
            panic!("the notice leads to the applicant's step")
        };
        let back = definition
            .outcome(supplement.as_str(), "supplemented")
            .unwrap();
        assert_eq!(back.next, Next::Step(start.id.clone()));
        assert!(definition.may_act(supplement.as_str(), Actor::Applicant));
        for end in ["refuse", "withdraw"] {
            assert!(start.outcome(end).unwrap().next.is_terminal());
        }
    }
}

#[test]
fn the_applicant_may_withdraw_at_every_step_before_the_decision_but_only_clerks_accept() {
    let definition = definition("PROC-XK-ONSITE-FIRST");
    for step in [
        "acceptance",
        "document_review",
        "issuance_testing",
        "decision",
    ] {
        assert!(
            definition.may_choose(step, "withdraw", Actor::Applicant),
            "{step}"
        );
    }
    assert!(!definition.may_choose("certificate", "withdraw", Actor::Applicant));
    assert!(definition.may_choose("acceptance", "accept", Role::WindowClerk));
    assert!(!definition.may_choose("acceptance", "accept", Actor::Applicant));
    assert!(!definition.may_choose("acceptance", "withdraw", Role::WindowClerk));
    assert!(definition.may_act("decision", Role::Signatory));
    assert!(!definition.may_act("decision", Role::Reviewer));
    assert!(!definition.may_act("no_such_step", Role::Signatory));
}

#[test]
fn on_site_first_verifies_beside_document_review_and_pauses_for_testing() {
    let definition = definition("PROC-XK-ONSITE-FIRST");
    assert_eq!(definition.statutory_limit_days(), 60);
    let onsite = definition.step("onsite_verification").unwrap();
    assert_eq!((onsite.min_actors, onsite.max_actors), (2, Some(4)));
    assert_eq!(onsite.budget_days, Some(30));
    let group: Vec<&str> = definition
        .parallel_group("onsite_verification")
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(group, ["document_review"]);
    let pausing: Vec<_> = definition.pausing_steps().collect();
    assert_eq!(pausing.len(), 1);
    let pause = pausing[0].pause.as_ref().unwrap();
    assert_eq!(
        (&pause.reason, pause.expected_days),
        (&PauseReason::Testing, 15)
    );
    assert_eq!(definition.outcomes("decision").len(), 3);
    assert!(definition.outcomes("nowhere").is_empty());
    assert!(definition.is_terminal("issued") && !definition.is_terminal("decision"));
}

#[test]
fn licence_first_decides_on_documents_and_verifies_after_the_certificate() {
    let definition = definition("PROC-XK-LICENCE-FIRST");
    assert!(definition.pausing_steps().next().is_none());
    let issue = definition.outcome("certificate", "issue").unwrap();
    assert_eq!(issue.next.key(), "post_licence_verification");
    let after = definition.step("post_licence_verification").unwrap();
    assert!(after.delegate_to_lower_org && after.kind == StepKind::Onsite);
    assert_eq!(
        after.outcome("fail").unwrap().next,
        Next::End(Terminal::Revoked)
    );
}

#[test]
fn special_equipment_pauses_the_clock_for_the_appraisal_institution() {
    let definition = definition("PROC-TS-PRODUCTION");
    assert_eq!(definition.statutory_limit_days(), 30);
    let appraisal = definition.step("appraisal").unwrap();
    assert_eq!(
        appraisal.pause.as_ref().unwrap().reason,
        PauseReason::Appraisal
    );
    assert!(definition.may_act("appraisal", Role::InstituteStaff));
    assert_eq!(definition.time_limits().budget_for("appraisal"), None);
    assert_eq!(definition.time_limits().budget_for("decision"), Some(5));
}

#[test]
fn the_on_the_spot_item_promises_the_same_day() {
    let definition = definition("PROC-ON-THE-SPOT");
    let limits = definition.time_limits();
    assert_eq!((limits.statutory_days, limits.promised_days), (20, Some(0)));
    assert_eq!(limits.max_extension_days, 10);
    let grant = definition.outcome("decision_at_window", "grant").unwrap();
    assert_eq!(grant.next, Next::End(Terminal::Issued));
}

#[test]
fn each_step_knows_the_line_it_was_written_on() {
    let text = SHIPPED_SOURCES[0].1;
    let definition = ProcessDefinition::parse(text).unwrap();
    for step in definition.steps() {
        let line = text.lines().nth(step.line - 1).unwrap();
        assert_eq!(line, format!("id = \"{}\"", step.id));
    }
}
