//! What each instance keeps between requests (issue 6) never outlives a change made through
//! another instance on the same database: a bearer token revoked there is refused here within
//! the bound (at once when revoked here), a calendar imported there counts this instance's next
//! move, a catalogue edited there names it, and a case moved there is never moved here on the
//! state this instance read before.

use std::time::Duration;

use crate::support;

use onewindow_app::AppError;
use onewindow_app::cases::MoveRequest;
use onewindow_domain::access::{Role, Username};
use onewindow_domain::flow::MoveInput;
use onewindow_store::UserRecord;
use support::cases::{act, apply, demo, enterprise, staff, version, with};
use support::{TestApp, sqlite_app, sqlite_app_sharing};

async fn admin(t: &TestApp) -> UserRecord {
    let name = Username::parse("admin").expect("a username");
    t.store
        .user_by_name(&name)
        .await
        .expect("read")
        .expect("the demo administrator")
}

#[tokio::test]
async fn a_token_revoked_through_another_instance_is_refused_here_within_the_bound() {
    let t = sqlite_app().await;
    demo(&t).await;
    let mut here = sqlite_app_sharing(&t).await;
    here.app = here.app.with_token_holder_ttl(Duration::from_millis(300));
    let issued = t
        .create_api_token_from_command_line("clerk", "bench")
        .await
        .expect("issued");
    here.api_token_user(&issued.token)
        .await
        .expect("valid, and now remembered here");
    t.revoke_api_token(&admin(&t).await, issued.record.id.0)
        .await
        .expect("revoked through the other instance");
    // Past the bound this instance asks the store again and refuses the token.
    tokio::time::sleep(Duration::from_millis(400)).await;
    match here.api_token_user(&issued.token).await {
        Err(AppError::Unauthenticated(m)) => assert!(m.contains("was revoked"), "{m}"),
        other => panic!("expected the revoked token refused, got {other:?}"),
    }
    // Revoked through this instance: refused on the very next request, however long the bound.
    let second = t
        .create_api_token_from_command_line("clerk", "bench 2")
        .await
        .expect("issued");
    here.api_token_user(&second.token).await.expect("valid");
    here.revoke_api_token(&admin(&t).await, second.record.id.0)
        .await
        .expect("revoked here");
    assert!(matches!(
        here.api_token_user(&second.token).await,
        Err(AppError::Unauthenticated(_))
    ));
}

#[tokio::test]
async fn a_calendar_imported_through_another_instance_counts_the_next_move_here() {
    let t = sqlite_app().await;
    demo(&t).await;
    let other = sqlite_app_sharing(&t).await;
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    let number = apply(&t, "calendar-1").await;
    // This instance accepts: it now holds the shipped calendar, which ends with 2026, so the
    // review's due date in December is provisional (RULES.md §1).
    act(
        &t,
        &clerk,
        &number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
    let before = t.case_view(&clerk, &number).await.expect("visible");
    assert!(before.record.projection.due_provisional);
    let due = |view: &onewindow_app::cases::CaseView| {
        view.record.projection.statutory_due.map(|d| d.to_string())
    };
    assert_eq!(due(&before).as_deref(), Some("2027-02-08"));

    other
        .import_calendar_year("admin", 2027, SCHEDULE_2027.as_bytes(), false)
        .await
        .expect("imported through the other instance");

    // The next move here is counted on the imported calendar, whose spring festival falls on
    // the old due date.
    let inspector = staff("inspector", Role::Inspector, "210200");
    act(
        &t,
        &inspector,
        &number,
        "onsite_verification",
        "pass",
        with(|i| i.inspectors = vec!["inspector".into(), "inspector2".into()]),
    )
    .await;
    let after = t.case_view(&clerk, &number).await.expect("visible");
    assert_eq!(
        due(&after).as_deref(),
        Some("2027-02-10"),
        "counted on the 2027 schedule: {:?}",
        after.record.projection
    );
}

/// A made-up 2027 schedule year (1 Dec 2026 – 30 Nov 2027).
const SCHEDULE_2027: &str = "date,kind,name\n\
2027-01-01,holiday,元旦\n\
2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n\
2027-05-01,holiday,劳动节\n2027-10-01,holiday,国庆节\n";

#[tokio::test]
async fn an_org_renamed_through_another_instance_names_the_next_move_here() {
    let t = sqlite_app().await;
    demo(&t).await;
    let other = sqlite_app_sharing(&t).await;
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    let number = apply(&t, "names-1").await;
    let first = t.case_view(&clerk, &number).await.expect("visible");
    let shown = format!("{:?}", first.names);
    assert!(shown.contains("大连市质量技术监督局"), "{shown}");

    let mut orgs = other.store.orgs().await.expect("orgs");
    let bureau = orgs
        .iter_mut()
        .find(|o| o.code.as_str() == "210200")
        .expect("the demo bureau");
    bureau.name_zh = "大连市市场监督管理局".into();
    let batch = onewindow_store::CatalogueBatch {
        orgs: vec![onewindow_store::Write::new(bureau.clone())],
        ..Default::default()
    };
    other
        .store
        .write_catalogue(&batch, &audit())
        .await
        .expect("renamed through the other instance");

    let expected_version = version(&t, &clerk, &number).await;
    let changed = t
        .make_move_viewed(
            &clerk,
            &number,
            MoveRequest {
                step: "acceptance".into(),
                outcome: "accept".into(),
                expected_version,
                input: MoveInput::default(),
                uploads: Vec::new(),
            },
        )
        .await
        .expect("accepted");
    let shown = format!("{:?}", changed.view.expect("visible").names);
    assert!(shown.contains("大连市市场监督管理局"), "{shown}");
    assert!(!shown.contains("大连市质量技术监督局"), "{shown}");
}

fn audit() -> onewindow_store::AuditEntry {
    onewindow_store::AuditEntry {
        at: "2026-11-16T01:00:00Z".parse().expect("an instant"),
        actor: "admin".into(),
        action: "edit".into(),
        detail: "rename".into(),
    }
}

#[tokio::test]
async fn a_case_moved_through_another_instance_is_never_moved_here_on_the_old_state() {
    let t = sqlite_app().await;
    demo(&t).await;
    let other = sqlite_app_sharing(&t).await;
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    let number = apply(&t, "moved-1").await;
    let seen = version(&t, &clerk, &number).await;
    act(
        &other,
        &clerk,
        &number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
    // Here the clerk still holds the version before the other instance's move.
    let stale = t
        .make_move(
            &clerk,
            &number,
            MoveRequest {
                step: "acceptance".into(),
                outcome: "accept".into(),
                expected_version: seen,
                input: MoveInput::default(),
                uploads: Vec::new(),
            },
        )
        .await;
    assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");
    // Reading again shows the case as the other instance left it: accepted, in review.
    let now = t.case_view(&enterprise(), &number).await.expect("visible");
    assert!(now.record.version > seen);
    assert_eq!(now.record.projection.status, "under_review");
}
