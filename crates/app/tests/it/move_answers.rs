//! The request path of a move (issue 6): a move answers with the case built from the state it
//! decided on, not read back, so that answer must be exactly what reading the case gives; and
//! the process definition a move uses comes from this instance's cache, which must pick up a
//! version another instance saved since.

use crate::support;

use onewindow_app::cases::{Changed, MoveRequest, Person};
use onewindow_app::{App, AppError};
use onewindow_domain::access::Role;
use onewindow_domain::flow::MoveInput;
use support::cases::{apply, demo, enterprise, staff, version, with};
use support::{TestApp, sqlite_app, sqlite_app_sharing};

/// A move made through `make_move_viewed`, with the answer it gave.
async fn viewed(
    app: &App,
    person: &Person,
    number: &str,
    (step, outcome): (&str, &str),
    input: MoveInput,
) -> Changed {
    let expected_version = version(app, person, number).await;
    let request = MoveRequest {
        step: step.into(),
        outcome: outcome.into(),
        expected_version,
        input,
        uploads: Vec::new(),
    };
    app.make_move_viewed(person, number, request)
        .await
        .unwrap_or_else(|e| panic!("{step}/{outcome}: {e}"))
}

/// The answer to a move equals the case as read afterwards, field for field.
async fn answers_as_read(app: &App, person: &Person, number: &str, changed: &Changed) {
    let read = app.case_view(person, number).await;
    match (&changed.view, read) {
        (Some(answered), Ok(read)) => {
            assert_eq!(format!("{answered:?}"), format!("{read:?}"));
            assert_eq!(changed.version, read.record.version);
        }
        (None, Err(AppError::NotFound(_))) => {}
        (answered, read) => panic!("answered {answered:?}, but reading gives {read:?}"),
    }
}

#[tokio::test]
async fn every_answer_to_a_move_is_the_case_as_read_after_it() {
    let t = sqlite_app().await;
    demo(&t).await;
    let app: &App = &t;
    let number = apply(app, "answers-1").await;
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    let inspector = staff("inspector", Role::Inspector, "210200");
    let reviewer = staff("reviewer", Role::Reviewer, "210200");
    let lab = staff("lab", Role::InstituteStaff, "210200-ZJY");
    let signatory = staff("signatory", Role::Signatory, "210200");
    let moves: [(&Person, (&str, &str), MoveInput); 6] = [
        (&clerk, ("acceptance", "accept"), MoveInput::default()),
        (
            &inspector,
            ("onsite_verification", "pass"),
            with(|i| i.inspectors = vec!["inspector".into(), "inspector2".into()]),
        ),
        (
            &reviewer,
            ("document_review", "conforms"),
            with(|i| {
                i.opinion = Some("材料齐全，符合要求".into());
                i.hand_over
                    .insert("issuance_testing".into(), "210200-ZJY".into());
            }),
        ),
        (
            &lab,
            ("issuance_testing", "pass"),
            with(|i| i.result = Some("样品检验合格（报告 2026-0456）".into())),
        ),
        (&signatory, ("decision", "grant"), MoveInput::default()),
        (&clerk, ("certificate", "issue"), MoveInput::default()),
    ];
    for (person, step, input) in moves {
        let changed = viewed(app, person, &number, step, input).await;
        answers_as_read(app, person, &number, &changed).await;
        if step.0 == "issuance_testing" {
            // The institute keeps read-only sight of the case it worked on.
            let view = changed
                .view
                .as_ref()
                .expect("the institute still sees the case");
            assert!(
                view.moves.is_empty(),
                "after its report nothing is the institute's to do: {:?}",
                view.moves.iter().map(|m| &m.step).collect::<Vec<_>>()
            );
        }
    }
    // The applicant's answer too (a different person sees different moves).
    let view = app
        .case_view(&enterprise(), &number)
        .await
        .expect("visible");
    assert!(view.state.licence_number().is_some());
}

#[tokio::test]
async fn a_definition_saved_by_another_instance_is_used_on_the_next_move() {
    let t = sqlite_app().await;
    demo(&t).await;
    let other: TestApp = sqlite_app_sharing(&t).await;
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    // This instance moves a case under the shipped version: its cache now holds the set.
    let first = apply(&t, "cache-1").await;
    let accepted = viewed(
        &t,
        &clerk,
        &first,
        ("acceptance", "accept"),
        MoveInput::default(),
    )
    .await
    .view
    .expect("the clerk sees the case");
    assert_eq!(accepted.definition.version(), 1);

    // The other instance saves version 2 (its acceptance outcome renamed) and takes a case
    // under it.
    let admin = staff("admin", Role::Administrator, "210200");
    let source =
        include_str!("../../../domain/data/processes/industrial_product_onsite_first.toml")
            .replace("version = 1", "version = 2")
            .replace("name_en = \"Accept\"", "name_en = \"Accept (v2)\"");
    assert!(
        source.contains("Accept (v2)"),
        "the shipped text names the outcome Accept"
    );
    other
        .save_definition(admin.user(), &source)
        .await
        .expect("version 2 is saved");
    let second = apply(&other, "cache-2").await;

    // This instance offers and makes the moves of version 2 on that case, and keeps version 1
    // for the case that started under it.
    let offered = t.case_view(&clerk, &second).await.expect("visible");
    assert_eq!(offered.definition.version(), 2);
    assert!(
        offered
            .moves
            .iter()
            .any(|m| m.outcome_name_en == "Accept (v2)"),
        "{:?}",
        offered.moves
    );
    let moved = viewed(
        &t,
        &clerk,
        &second,
        ("acceptance", "accept"),
        MoveInput::default(),
    )
    .await
    .view
    .expect("the clerk sees the case");
    assert_eq!(moved.definition.version(), 2);
    assert!(moved.record.version > offered.record.version);
    let kept = t.case_view(&clerk, &first).await.expect("visible");
    assert_eq!(kept.definition.version(), 1);
}
