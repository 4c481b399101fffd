//! Every refusal of the state machine, with its reason: a table of invalid transitions from
//! each status, then the rules of RULES.md §1 one by one — the one-time supplement notice
//! (art. 32), acceptance and review by different people, two inspectors (art. 34), denial
//! reasons (art. 38), the head's one extension (art. 42), issuance after a grant (art. 44),
//! withdrawal before a decision, and who may act at all.

mod cases_support;

use cases_support::*;
use jiff::civil::{Date, date};
use onewindow_domain::access::Role;
use onewindow_domain::cases::{
    Action, ActorRef, CaseError, CasePolicy, Command, OnSiteOutcome, RIGHTS_NOTICE_ZH, decide,
    decide_with,
};

fn later() -> Date {
    date(2026, 5, 6)
}

fn refusal(mut case: Case, actor: &ActorRef, command: Command) -> CaseError {
    let what = format!("{command:?}");
    case.act(actor, later(), command)
        .expect_err(&format!("{what} should be refused"))
}

fn review() -> Command {
    Command::CompleteReview {
        opinion: "符合".into(),
    }
}

#[test]
fn the_second_supplement_notice_is_refused_as_one_time_notice() {
    let items = || Command::RequestSupplement {
        items: vec!["营业执照副本".into()],
    };
    for case in [awaiting_supplement(), submitted_and_supplemented()] {
        let error = refusal(case, &clerk(), items());
        assert_eq!(
            error,
            CaseError::SupplementAlreadyRequested {
                action: Action::RequestSupplement,
                sent_on: date(2026, 3, 3),
            }
        );
        assert!(error.to_string().contains("art. 32"), "{error}");
    }
    let mut case = Case::default();
    case.ok(&applicant(), date(2026, 3, 2), submit());
    let empty = Command::RequestSupplement { items: vec![] };
    assert!(matches!(
        refusal(case, &clerk(), empty),
        CaseError::Invalid { field: "items", .. }
    ));
}

#[test]
fn the_person_who_accepted_cannot_review() {
    let same_person = staff("clerk.li", Role::Reviewer);
    let error = refusal(accepted(), &same_person, review());
    assert_eq!(
        error,
        CaseError::SeparationOfDuties {
            action: Action::CompleteReview,
            user: "clerk.li".into(),
        }
    );
    assert!(error.to_string().contains("受理与审核相分离"));
    accepted().ok(&reviewer(), later(), review());
}

#[test]
fn one_inspector_is_refused_and_two_names_must_differ() {
    let on_site = |names: &[&str]| Command::RecordOnSite {
        inspectors: names.iter().map(|n| n.to_string()).collect(),
        outcome: OnSiteOutcome::Pass,
    };
    for names in [
        &["inspector.zhao"][..],
        &["inspector.zhao", " inspector.zhao "],
        &[],
    ] {
        let error = refusal(accepted(), &inspector(), on_site(names));
        assert!(
            matches!(
                &error,
                CaseError::Invalid {
                    field: "inspectors",
                    ..
                }
            ),
            "{names:?}: {error:?}"
        );
    }
    let error = refusal(accepted(), &inspector(), on_site(&["inspector.zhao"]));
    assert!(error.to_string().contains("art. 34"), "{error}");
    accepted().ok(&inspector(), later(), on_site(&["a", "b", "c"]));
}

#[test]
fn a_rectification_deadline_lies_after_the_visit() {
    let command = two_inspectors(OnSiteOutcome::Rectify { deadline: later() });
    let error = refusal(accepted(), &inspector(), command);
    assert!(
        matches!(
            error,
            CaseError::Invalid {
                field: "deadline",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_denial_without_reasons_or_rights_is_refused() {
    let deny = |reasons: Vec<&str>, rights: &str| Command::Deny {
        reasons: reasons.into_iter().map(str::to_string).collect(),
        rights: rights.to_string(),
    };
    let cases = [
        (deny(vec![], RIGHTS_NOTICE_ZH), "reasons"),
        (deny(vec!["  "], RIGHTS_NOTICE_ZH), "reasons"),
        (deny(vec!["不符合条件"], ""), "rights"),
    ];
    for (command, field) in cases {
        let error = refusal(tested(), &signatory(), command);
        assert!(
            matches!(&error, CaseError::Invalid { field: f, .. } if *f == field),
            "{error:?}"
        );
    }
    let error = refusal(accepted(), &signatory(), deny(vec!["x"], RIGHTS_NOTICE_ZH));
    assert!(
        error.to_string().contains("review is not completed"),
        "{error}"
    );
}

#[test]
fn withdrawal_after_a_decision_is_refused() {
    let withdraw = || Command::Withdraw {
        reason: "改变计划".into(),
    };
    for case in [granted(), denied(), happy_path()] {
        let error = refusal(case, &applicant(), withdraw());
        assert!(
            error.to_string().contains("only before the decision"),
            "{error}"
        );
    }
    for case in [awaiting_supplement(), accepted(), paused(), tested()] {
        case.clone().ok(&applicant(), later(), withdraw());
    }
}

#[test]
fn an_extension_needs_the_head_a_reason_and_comes_once_within_ten_days() {
    let extend = |days, reason: &str| Command::Extend {
        days,
        reason: reason.into(),
    };
    let not_head = refusal(accepted(), &signatory(), extend(10, "案情复杂"));
    assert!(
        matches!(not_head, CaseError::NotPermitted { .. }),
        "{not_head:?}"
    );
    let no_reason = refusal(accepted(), &head(), extend(10, " "));
    assert!(matches!(
        no_reason,
        CaseError::Invalid {
            field: "reason",
            ..
        }
    ));
    let too_long = refusal(accepted(), &head(), extend(11, "案情复杂"));
    assert!(
        matches!(too_long, CaseError::ExtensionRefused { .. }),
        "{too_long:?}"
    );
    let zero = refusal(accepted(), &head(), extend(0, "案情复杂"));
    assert!(matches!(zero, CaseError::Invalid { field: "days", .. }));
    let mut case = accepted();
    case.ok(&head(), date(2026, 3, 30), extend(5, "案情复杂"));
    let twice = refusal(case.clone(), &head(), extend(5, "仍需时间"));
    assert!(
        twice.to_string().contains("already extended 1 time"),
        "{twice}"
    );
    assert_eq!(case.state().extension_days(), 5);
    // Joint handling (art. 42 ¶2): +15.
    let joint = CasePolicy {
        max_extension_days: 15,
        ..CasePolicy::default()
    };
    let kinds = decide_with(
        &accepted().state(),
        extend(15, "联合办理"),
        &head(),
        later(),
        &joint,
    );
    assert!(kinds.is_ok(), "{kinds:?}");
}

#[test]
fn only_the_capacities_of_an_action_may_take_it() {
    let cases = [
        (reviewer(), Command::Accept),
        (applicant(), Command::Accept),
        (clerk(), review()),
        (clerk(), two_inspectors(OnSiteOutcome::Pass)),
        (reviewer(), Command::Grant),
        (clerk(), Command::DeemAccepted),
        (staff("admin", Role::Administrator), Command::Accept),
        (applicant(), testing_pause()),
    ];
    for (actor, command) in cases {
        let error = decide(&accepted().state(), command, &actor, later()).unwrap_err();
        assert!(matches!(error, CaseError::NotPermitted { .. }), "{error:?}");
        assert!(error.to_string().contains("may not"), "{error}");
    }
}

#[test]
fn the_channel_says_who_submits() {
    let at_window = Command::Submit {
        item: "XK-06-014".into(),
        applicant: "91110000600037341L".into(),
        materials: vec![material("申请书")],
        channel: onewindow_domain::cases::Channel::Window,
    };
    let error = refusal(Case::default(), &applicant(), at_window.clone());
    assert!(
        matches!(
            error,
            CaseError::Invalid {
                field: "channel",
                ..
            }
        ),
        "{error:?}"
    );
    Case::default().ok(&clerk(), later(), at_window);
}

#[test]
fn a_submission_needs_a_valid_item_code_and_materials() {
    let with = |item: &str, materials| Command::Submit {
        item: item.into(),
        applicant: "91110000600037341L".into(),
        materials,
        channel: onewindow_domain::cases::Channel::Online,
    };
    let lower = refusal(
        Case::default(),
        &applicant(),
        with("xk-06", vec![material("a")]),
    );
    assert!(
        matches!(lower, CaseError::Invalid { field: "item", .. }),
        "{lower:?}"
    );
    let none = refusal(Case::default(), &applicant(), with("XK-06", vec![]));
    assert!(
        matches!(
            none,
            CaseError::Invalid {
                field: "materials",
                ..
            }
        ),
        "{none:?}"
    );
}

#[test]
fn history_does_not_go_back_in_time() {
    let error = decide(&accepted().state(), review(), &reviewer(), date(2026, 3, 5)).unwrap_err();
    assert_eq!(
        error,
        CaseError::Backdated {
            action: Action::CompleteReview,
            on: date(2026, 3, 5),
            last_on: date(2026, 3, 6),
        }
    );
}

#[test]
fn staff_act_for_an_org_and_applicants_do_not() {
    let mut orphan = reviewer();
    orphan.org = None;
    let error = decide(&accepted().state(), review(), &orphan, later()).unwrap_err();
    assert!(matches!(error, CaseError::BadActor { .. }), "{error:?}");
}
