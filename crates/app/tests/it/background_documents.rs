//! Case documents made off the request's path (issue 6): with background documents a move
//! returns once its events are stored and the acceptance voucher appears shortly after; a
//! document that went missing (a queued job lost in a crash) is made by the sweeper's next
//! pass over the open case. Needs the CJK font (`fonts-noto-cjk`).

use crate::support;

use std::time::Duration;

use onewindow_app::App;
use onewindow_app::documents::DocumentKind;
use support::cases::{accept, apply, demo};
use support::sqlite_app;

async fn kinds(app: &App, number: &str) -> Vec<DocumentKind> {
    let documents = app.documents_for_case(number).await.expect("documents");
    documents.iter().map(|d| d.kind).collect()
}

#[tokio::test]
async fn in_the_background_the_acceptance_voucher_is_issued_after_the_move_returns() {
    let t = sqlite_app().await;
    demo(&t).await;
    let app = t.app.clone().with_background_documents();
    assert!(app.documents_in_background());
    let number = apply(&app, "bg-1").await;
    accept(&app, &number).await;
    let mut waited = Duration::ZERO;
    while !kinds(&app, &number)
        .await
        .contains(&DocumentKind::Acceptance)
    {
        assert!(
            waited < Duration::from_secs(60),
            "no acceptance voucher after {waited:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    assert_eq!(app.documents_deferred(), 0);
}

#[tokio::test]
async fn the_sweeper_makes_a_document_that_went_missing_on_an_open_case() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = apply(&t, "lost-1").await;
    accept(&t, &number).await;
    assert!(kinds(&t, &number).await.contains(&DocumentKind::Acceptance));

    // As if the process had died with the job still queued: the event is stored, the voucher
    // is not.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&t.url).await.expect("connect");
    sqlx::query("DELETE FROM documents WHERE case_number = $1")
        .bind(number.clone())
        .execute(&pool)
        .await
        .expect("delete");
    pool.close().await;
    assert!(kinds(&t, &number).await.is_empty());

    let report = t.sweep().await.expect("sweep");
    assert_eq!(report.documents_made, 1, "{report:?}");
    assert_eq!(kinds(&t, &number).await, [DocumentKind::Acceptance]);
    assert_eq!(
        t.sweep().await.expect("again").documents_made,
        0,
        "nothing is missing any more"
    );
}

#[tokio::test]
async fn after_a_restart_only_the_cases_changed_since_the_last_completed_pass_are_checked() {
    let t = sqlite_app().await;
    demo(&t).await; // 16 Nov 2026, 01:00
    let before = apply(&t, "restart-1").await;
    support::cases::accept(&t, &before).await;
    support::set_clock(&t, "2026-11-16T02:00:00Z");
    t.sweep().await.expect("a pass that completes");
    support::set_clock(&t, "2026-11-16T03:00:00Z");
    let after = apply(&t, "restart-2").await;
    support::cases::accept(&t, &after).await;

    // Both vouchers go missing; then a new process starts (nothing in memory).
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&t.url).await.expect("connect");
    sqlx::query("DELETE FROM documents WHERE case_number IN ($1, $2)")
        .bind(before.clone())
        .bind(after.clone())
        .execute(&pool)
        .await
        .expect("delete");
    pool.close().await;
    let restarted = support::sqlite_app_sharing(&t).await;
    support::set_clock(&restarted, "2026-11-16T04:00:00Z");
    let report = restarted
        .sweep()
        .await
        .expect("the first pass after the restart");
    assert_eq!(report.documents_made, 1, "{report:?}");
    assert_eq!(
        kinds(&restarted, &after).await,
        [DocumentKind::Acceptance],
        "changed since the last completed pass: checked"
    );
    assert!(
        kinds(&restarted, &before).await.is_empty(),
        "checked by the pass before the restart: not again"
    );
}
