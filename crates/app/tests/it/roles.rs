//! Who sees and does what (issue 4, "Done when"): a table of role × move × own or other org,
//! each row tried on a fresh case at that step. Staff act for their own org (or the org a step
//! was handed to); an enterprise only on its own application; the person who accepted a case
//! does not review it (受理与审核相分离); a district bureau sees only the work delegated to it.

use crate::support;

use onewindow_app::cases::{MoveRequest, Person};
use onewindow_app::{App, AppError};
use onewindow_domain::access::Role;
use onewindow_domain::flow::MoveInput;
use onewindow_domain::identifiers::CreditCode;
use support::cases::{act, apply, demo, enterprise, staff, with};
use support::sqlite_app;

const OWN: &str = "210200";
const OTHER: &str = "210211";
const LAB: &str = "210200-ZJY";

/// How far a fresh case is taken before the move is tried.
#[derive(Clone, Copy, Debug)]
enum Stage {
    Acceptance,
    Site,
    Review,
    Testing,
    Decision,
}

async fn case_at(app: &App, stage: Stage, key: &str) -> String {
    let number = apply(app, key).await;
    let clerk = staff("clerk", Role::WindowClerk, OWN);
    if matches!(stage, Stage::Acceptance) {
        return number;
    }
    act(
        app,
        &clerk,
        &number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
    if matches!(stage, Stage::Site) {
        return number;
    }
    let inspectors = with(|i| i.inspectors = vec!["a".into(), "b".into()]);
    act(
        app,
        &staff("inspector", Role::Inspector, OWN),
        &number,
        "onsite_verification",
        "pass",
        inspectors,
    )
    .await;
    if matches!(stage, Stage::Review) {
        return number;
    }
    let review = with(|i| {
        i.opinion = Some("符合".into());
        i.hand_over.insert("issuance_testing".into(), LAB.into());
    });
    act(
        app,
        &staff("reviewer", Role::Reviewer, OWN),
        &number,
        "document_review",
        "conforms",
        review,
    )
    .await;
    if matches!(stage, Stage::Testing) {
        return number;
    }
    let result = with(|i| i.result = Some("合格".into()));
    act(
        app,
        &staff("lab", Role::InstituteStaff, LAB),
        &number,
        "issuance_testing",
        "pass",
        result,
    )
    .await;
    number
}

fn input_for(outcome: &str) -> MoveInput {
    with(|i| {
        i.inspectors = vec!["a".into(), "b".into()];
        i.opinion = Some("意见".into());
        i.result = Some("合格".into());
        i.reason = Some("理由".into());
        i.hand_over.insert("issuance_testing".into(), LAB.into());
        if outcome == "deny" {
            i.reasons = vec!["不符合条件".into()];
        }
    })
}

async fn attempt(
    app: &App,
    person: &Person,
    number: &str,
    step: &str,
    outcome: &str,
) -> Result<i64, AppError> {
    let version = app
        .case_view(&staff("head", Role::Head, OWN), number)
        .await
        .expect("the head sees it")
        .record
        .version;
    app.make_move(
        person,
        number,
        MoveRequest {
            step: step.into(),
            outcome: outcome.into(),
            expected_version: version,
            input: input_for(outcome),
            uploads: Vec::new(),
        },
    )
    .await
}

fn other_enterprise() -> Person {
    Person::Enterprise {
        user: "other".into(),
        credit_code: CreditCode::complete("91210213MA0QJ5X2").expect("a code"),
    }
}

#[tokio::test]
async fn each_role_does_only_what_it_may_in_its_own_org() {
    let t = sqlite_app().await;
    demo(&t).await;
    let people: Vec<(&str, Person)> = vec![
        ("clerk/own", staff("clerk2", Role::WindowClerk, OWN)),
        ("clerk/other", staff("clerk3", Role::WindowClerk, OTHER)),
        ("reviewer/own", staff("reviewer", Role::Reviewer, OWN)),
        ("reviewer/other", staff("reviewer3", Role::Reviewer, OTHER)),
        ("inspector/own", staff("inspector", Role::Inspector, OWN)),
        (
            "inspector/other",
            staff("inspector3", Role::Inspector, OTHER),
        ),
        ("institute/handed", staff("lab", Role::InstituteStaff, LAB)),
        (
            "institute/other",
            staff("lab3", Role::InstituteStaff, "210200-GJY"),
        ),
        ("signatory/own", staff("signatory", Role::Signatory, OWN)),
        (
            "signatory/other",
            staff("signatory3", Role::Signatory, OTHER),
        ),
        ("head/own", staff("head", Role::Head, OWN)),
        ("admin/own", staff("admin", Role::Administrator, OWN)),
        ("applicant/own", enterprise()),
        ("applicant/other", other_enterprise()),
    ];
    // (stage, step, outcome, the only people who may)
    let table: &[(Stage, &str, &str, &[&str])] = &[
        (Stage::Acceptance, "acceptance", "accept", &["clerk/own"]),
        (
            Stage::Acceptance,
            "acceptance",
            "withdraw",
            &["applicant/own"],
        ),
        (
            Stage::Site,
            "onsite_verification",
            "pass",
            &["inspector/own"],
        ),
        (
            Stage::Review,
            "document_review",
            "conforms",
            &["reviewer/own"],
        ),
        (
            Stage::Testing,
            "issuance_testing",
            "pass",
            &["institute/handed"],
        ),
        (Stage::Decision, "decision", "grant", &["signatory/own"]),
        (Stage::Decision, "decision", "deny", &["signatory/own"]),
        (Stage::Decision, "decision", "withdraw", &["applicant/own"]),
    ];
    let mut key = 0;
    let mut wrong = Vec::new();
    for (stage, step, outcome, allowed) in table {
        for (who, person) in &people {
            key += 1;
            let number = case_at(&t, *stage, &format!("roles-{key}")).await;
            let result = attempt(&t, person, &number, step, outcome).await;
            let may = allowed.contains(who);
            match (&result, may) {
                (Ok(_), true) => {}
                (
                    Err(
                        AppError::NotFound(_)
                        | AppError::Forbidden(_)
                        | AppError::NotOpen(_)
                        | AppError::Refused(_),
                    ),
                    false,
                ) => {}
                _ => wrong.push(format!(
                    "{who} {step}/{outcome} at {stage:?}: {result:?} (allowed: {may})"
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "role table broken:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn the_acceptor_does_not_review_and_only_the_head_extends() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = apply(&t, "sod").await;
    act(
        &t,
        &staff("li", Role::WindowClerk, OWN),
        &number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
    act(
        &t,
        &staff("inspector", Role::Inspector, OWN),
        &number,
        "onsite_verification",
        "pass",
        with(|i| i.inspectors = vec!["a".into(), "b".into()]),
    )
    .await;
    let same_person = staff("li", Role::Reviewer, OWN);
    let refused = attempt(&t, &same_person, &number, "document_review", "conforms").await;
    let text = format!("{refused:?}");
    assert!(text.contains("受理与审核相分离"), "{text}");

    let version = |v: i64| v;
    let current = t
        .case_view(&staff("head", Role::Head, OWN), &number)
        .await
        .expect("visible")
        .record
        .version;
    for person in [
        staff("signatory", Role::Signatory, OWN),
        staff("head", Role::Head, OTHER),
    ] {
        let result = t
            .extend_case(&person, &number, version(current), 5, "复杂".into())
            .await;
        assert!(result.is_err(), "{person:?} may not extend");
    }
    t.extend_case(
        &staff("head", Role::Head, OWN),
        &number,
        current,
        5,
        "需专家论证".into(),
    )
    .await
    .expect("the head of the handling org extends (art. 42)");
}

#[tokio::test]
async fn a_district_bureau_sees_only_the_work_delegated_to_it() {
    use onewindow_app::cases::Submission;
    use onewindow_domain::catalogue::CatalogueCode;
    let t = sqlite_app().await;
    demo(&t).await;
    // The licence-first variant (RULES.md §2): verification after the licence, by a district.
    let item = CatalogueCode::parse("BS-XK-0101-002-XB").expect("a code");
    t.set_item_process("admin", &item, "PROC-XK-LICENCE-FIRST")
        .await
        .expect("set the process");
    let number = t
        .submit_application(
            &enterprise(),
            Submission {
                item,
                applicant: None,
                applicant_name: None,
                applicant_address: None,
                uploads: support::cases::guide_uploads(),
                idempotency_key: None,
                licence: None,
            },
        )
        .await
        .expect("submitted");
    let district = staff("district-inspector", Role::Inspector, OTHER);
    let elsewhere = staff("d2", Role::Inspector, "210213");
    assert!(
        matches!(
            t.case_view(&district, &number).await,
            Err(AppError::NotFound(_))
        ),
        "not delegated yet"
    );
    act(
        &t,
        &staff("clerk", Role::WindowClerk, OWN),
        &number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
    act(
        &t,
        &staff("reviewer", Role::Reviewer, OWN),
        &number,
        "document_review",
        "conforms",
        with(|i| i.opinion = Some("符合".into())),
    )
    .await;
    act(
        &t,
        &staff("signatory", Role::Signatory, OWN),
        &number,
        "decision",
        "grant",
        MoveInput::default(),
    )
    .await;
    act(
        &t,
        &staff("clerk", Role::WindowClerk, OWN),
        &number,
        "certificate",
        "issue",
        with(|i| {
            i.hand_over
                .insert("post_licence_verification".into(), OTHER.into());
        }),
    )
    .await;
    let view = t
        .case_view(&district, &number)
        .await
        .expect("the district sees the delegated case");
    assert_eq!(
        view.moves
            .iter()
            .map(|m| m.outcome.as_str())
            .collect::<Vec<_>>(),
        ["pass", "rectify", "fail"]
    );
    assert!(matches!(
        t.case_view(&elsewhere, &number).await,
        Err(AppError::NotFound(_))
    ));
    let city_inspector = staff("inspector", Role::Inspector, OWN);
    let refused = attempt(
        &t,
        &city_inspector,
        &number,
        "post_licence_verification",
        "pass",
    )
    .await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "the step is the district's: {refused:?}"
    );
    act(
        &t,
        &district,
        &number,
        "post_licence_verification",
        "pass",
        with(|i| i.inspectors = vec!["a".into(), "b".into()]),
    )
    .await;
}
