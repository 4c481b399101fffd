//! Cases on an existing licence made safe (arts. 49, 50, 70): one open case per licence — a
//! second application is refused naming the open case, also when two instances race on one
//! PostgreSQL, and the licence is free again once the case is withdrawn; and the licence changes
//! with the grant, never before it — a grant whose append loses to a stale version leaves the
//! licence untouched, and a register change a crash lost after the grant is caught up by the
//! sweeper with the certificate it held back.

use crate::licence_cases::{
    HUARUI, accept_and_review, change_materials, holder, licence_of, naming, problem_field,
    renewal_materials, submit,
};
use crate::support;

use onewindow_app::AppError;
use onewindow_app::cases::MoveRequest;
use onewindow_app::documents::DocumentKind;
use onewindow_app::licences::LicenceApplication;
use onewindow_domain::access::Role;
use onewindow_domain::cases::CaseStatus;
use onewindow_domain::licences::Licence;
use support::cases::{act, demo, staff, version, with};
use support::{TestApp, postgres_app, postgres_app_sharing, sqlite_app};

const NEW_ADDRESS: &str = "辽宁省大连市甘井子区华锐路 8 号";

fn moving(licence: &Licence) -> LicenceApplication {
    LicenceApplication {
        production_address: Some(NEW_ADDRESS.into()),
        ..naming(licence)
    }
}

async fn apply_for_change(t: &TestApp, licence: &Licence) -> Result<String, AppError> {
    submit(
        t,
        &holder(HUARUI),
        "BS-XK-0101-BG",
        moving(licence),
        change_materials(),
    )
    .await
}

fn message(err: &AppError) -> String {
    match err {
        AppError::Invalid { problems, .. } => problems
            .0
            .iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => panic!("expected a field problem, got {other:?}"),
    }
}

#[tokio::test]
async fn a_second_case_on_a_licence_is_refused_naming_the_open_one_until_it_is_withdrawn() {
    let t = sqlite_app().await;
    demo(&t).await;
    let licence = licence_of(&t, HUARUI).await;
    let first = apply_for_change(&t, &licence)
        .await
        .expect("the first case");

    // A renewal (or a second change) while the change is open: refused on the field.
    let renewal = submit(
        &t,
        &holder(HUARUI),
        "BS-XK-0101-YX",
        naming(&licence),
        renewal_materials(),
    )
    .await
    .expect_err("a second open case on the licence");
    assert_eq!(problem_field(&renewal), vec!["licence_number"]);
    assert!(message(&renewal).contains(&first), "{}", message(&renewal));
    let again = apply_for_change(&t, &licence).await.expect_err("refused");
    assert!(message(&again).contains(&first), "{}", message(&again));

    // Withdrawn, the case closes and frees the licence.
    act(
        &t,
        &holder(HUARUI),
        &first,
        "acceptance",
        "withdraw",
        with(|i| i.reason = Some("生产地址另有安排".into())),
    )
    .await;
    let second = apply_for_change(&t, &licence)
        .await
        .expect("a new case once the first was withdrawn");
    assert_ne!(second, first);
}

#[tokio::test]
async fn two_instances_racing_on_one_licence_make_exactly_one_case() {
    let Some(t) = postgres_app().await else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    demo(&t).await;
    let licence = licence_of(&t, HUARUI).await;
    let other = postgres_app_sharing(&t).await;
    // One submission per instance: each instance has its own material folder.
    let (a, b) = tokio::join!(
        apply_for_change(&t, &licence),
        apply_for_change(&other, &licence)
    );
    let made: Vec<&String> = [&a, &b].into_iter().flatten().collect();
    assert_eq!(made.len(), 1, "{a:?} {b:?}");
    for refused in [a.as_ref(), b.as_ref()].into_iter().filter_map(Result::err) {
        assert_eq!(problem_field(refused), vec!["licence_number"]);
        assert!(message(refused).contains(made[0].as_str()), "{refused:?}");
    }
}

/// The grant on a change case accepted and reviewed, as the signatory asks for it at `version`.
fn grant(version: i64) -> MoveRequest {
    MoveRequest {
        step: "decision".into(),
        outcome: "grant".into(),
        expected_version: version,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_grant_whose_append_loses_to_a_stale_version_leaves_the_licence_untouched() {
    let Some(t) = postgres_app().await else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    demo(&t).await;
    let before = licence_of(&t, HUARUI).await;
    let number = apply_for_change(&t, &before).await.expect("submitted");
    accept_and_review(&t, &number).await;
    let signatory = staff("signatory", Role::Signatory, "210200");
    let seen = version(&t, &signatory, &number).await;

    // Someone else holds the case row while the grant runs, and moves its version on before
    // letting go: the grant's version-checked append then finds it stale.
    let pool = sqlx::PgPool::connect(&t.url).await.expect("connect");
    let mut other = pool.begin().await.expect("begin");
    sqlx::query("SELECT id FROM cases WHERE number = $1 FOR UPDATE")
        .bind(&number)
        .execute(&mut *other)
        .await
        .expect("hold the row");
    let meanwhile = async {
        // Wait until the grant is blocked on the row: everything before its append has run.
        for _ in 0..200 {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
                 AND query LIKE 'UPDATE cases SET version%'",
            )
            .fetch_one(&pool)
            .await
            .expect("activity");
            if waiting > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        sqlx::query("UPDATE cases SET version = version + 1 WHERE number = $1")
            .bind(&number)
            .execute(&mut *other)
            .await
            .expect("move the version on");
        other.commit().await.expect("commit");
    };
    let (granted, ()) = tokio::join!(t.make_move(&signatory, &number, grant(seen)), meanwhile);
    assert!(
        matches!(granted, Err(AppError::Conflict(_))),
        "the grant lost: {granted:?}"
    );
    let after = t
        .licence_view(&before.number.to_string())
        .await
        .expect("found")
        .licence;
    assert_eq!(after, before, "the licence is as it was");
    assert_eq!(
        after.grant.production_address,
        before.grant.production_address
    );
}

#[tokio::test]
async fn a_register_change_a_crash_lost_after_the_grant_is_caught_up_by_the_sweeper() {
    let t = sqlite_app().await;
    demo(&t).await;
    let before = licence_of(&t, HUARUI).await;
    let number = apply_for_change(&t, &before).await.expect("submitted");
    accept_and_review(&t, &number).await;

    // The register cannot be written right after the grant is stored (the process "dies").
    let pool = sqlx::SqlitePool::connect(&t.url).await.expect("connect");
    sqlx::query(
        "CREATE TRIGGER lost BEFORE INSERT ON licence_events BEGIN SELECT RAISE(ABORT, 'crash'); END",
    )
    .execute(&pool)
    .await
    .expect("trigger");
    let signatory = staff("signatory", Role::Signatory, "210200");
    act(
        &t,
        &signatory,
        &number,
        "decision",
        "grant",
        Default::default(),
    )
    .await;
    let view = t
        .case_view(&holder(HUARUI), &number)
        .await
        .expect("visible");
    assert_eq!(
        view.state.status(),
        CaseStatus::Issued,
        "the grant is stored"
    );
    let unchanged = licence_of(&t, HUARUI).await;
    assert_eq!(
        unchanged.grant.production_address,
        before.grant.production_address
    );
    let held_back = kinds(&t, &number).await;
    assert!(
        !held_back.contains(&DocumentKind::LicenceOriginal),
        "no certificate with the old address: {held_back:?}"
    );

    sqlx::query("DROP TRIGGER lost")
        .execute(&pool)
        .await
        .expect("drop");
    let report = t.sweep().await.expect("sweep");
    assert_eq!(report.licence_grants_caught_up, 1, "{report:?}");
    let changed = licence_of(&t, HUARUI).await;
    assert_eq!(changed.number, before.number);
    assert_eq!(changed.grant.production_address, NEW_ADDRESS);
    let made = kinds(&t, &number).await;
    assert!(made.contains(&DocumentKind::LicenceOriginal), "{made:?}");
    assert!(made.contains(&DocumentKind::ChangeNotice), "{made:?}");
    let again = t.sweep().await.expect("sweep again");
    assert_eq!(again.licence_grants_caught_up, 0, "once");
}

async fn kinds(t: &TestApp, number: &str) -> Vec<DocumentKind> {
    t.documents_for_case(number)
        .await
        .expect("documents")
        .iter()
        .map(|d| d.kind)
        .collect()
}
