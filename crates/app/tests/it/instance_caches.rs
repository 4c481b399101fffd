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
use support::cases::{accept, apply, demo, enterprise, pass_on_site, staff, version, with};
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
    accept(&t, &number).await;
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
    pass_on_site(&t, &number).await;
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
    accept(&other, &number).await;
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

/// Accepts `number` here (so this instance keeps its log), then has the inspector pass the
/// on-site verification through `other`.
async fn accepted_here_verified_there(t: &TestApp, other: &TestApp, number: &str) {
    accept(t, number).await;
    pass_on_site(other, number).await;
}

/// The reviewer's move on `number` here, at the version the store holds now (showing the
/// case would read its log whole; this leaves the kept log to the move).
async fn review_here(t: &TestApp, number: &str, input: MoveInput) -> Result<i64, AppError> {
    let seen = t
        .store
        .case_for_change(number)
        .await
        .expect("read")
        .expect("present");
    t.make_move(
        &staff("reviewer", Role::Reviewer, "210200"),
        number,
        MoveRequest {
            step: "document_review".into(),
            outcome: "conforms".into(),
            expected_version: seen.record.version,
            input,
            uploads: Vec::new(),
        },
    )
    .await
}

#[tokio::test]
async fn a_log_kept_here_is_continued_with_the_events_another_instance_appended() {
    let t = sqlite_app().await;
    demo(&t).await;
    let other = sqlite_app_sharing(&t).await;
    let number = apply(&t, "kept-1").await;
    accepted_here_verified_there(&t, &other, &number).await;
    // The next move here starts from the log kept at the acceptance plus the event appended
    // there.
    let review = with(|i| {
        i.opinion = Some("材料齐全，符合要求".into());
        i.hand_over
            .insert("issuance_testing".into(), "210200-ZJY".into());
    });
    review_here(&t, &number, review)
        .await
        .expect("the review, on the kept log and the other instance's event");
    let reviewer = staff("reviewer", Role::Reviewer, "210200");
    let view = t.case_view(&reviewer, &number).await.expect("visible");
    let seqs: Vec<u64> = view.events.iter().map(|e| e.seq).collect();
    let whole: Vec<u64> = (1..=view.record.version as u64).collect();
    assert_eq!(seqs, whole, "every event once, in order");
    let at = |key: &str| view.events.iter().position(|e| e.kind.key() == key);
    let (verified, reviewed) = (at("on_site_verified"), at("review_completed"));
    assert!(
        verified.is_some() && verified < reviewed,
        "the other instance's verification, then the review made here: {:?}",
        view.events.iter().map(|e| e.kind.key()).collect::<Vec<_>>()
    );
    let report = t.audit_verify(|_| {}).await.expect("verify");
    assert!(report.faults.is_empty(), "{report:?}");
}

#[tokio::test]
async fn an_event_altered_after_this_instance_kept_the_log_is_refused_here() {
    let t = sqlite_app().await;
    demo(&t).await;
    let other = sqlite_app_sharing(&t).await;
    let number = apply(&t, "kept-2").await;
    accepted_here_verified_there(&t, &other, &number).await;
    // Someone edits, by hand, the event the other instance appended.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&t.url).await.expect("connect");
    let changed = sqlx::query(
        "UPDATE case_events SET body = replace(body, 'inspector2', 'inspector9') \
         WHERE case_id = (SELECT id FROM cases WHERE number = $1) \
         AND seq = (SELECT version FROM cases WHERE number = $1)",
    )
    .bind(number.clone())
    .execute(&pool)
    .await
    .expect("tamper");
    assert_eq!(changed.rows_affected(), 1);
    let refused = review_here(&t, &number, with(|i| i.opinion = Some("符合".into()))).await;
    let refused = refused.expect_err("a damaged event is not built on");
    assert!(refused.to_string().contains("damaged"), "{refused}");
}
