//! The move forms on the case page when a move is refused: each field's message under that
//! field, what was typed kept; and a move sent after someone else moved the case says so
//! plainly, with what the case is now and the moves open now.

use crate::support;

use axum::http::StatusCode;
use support::TestApp;
use support::cases::{DAY, demo, sign_in, text};

/// A case registered at the window, and its version.
async fn window_case(t: &TestApp) -> (String, String) {
    demo(t).await;
    let clerk = sign_in(t, "clerk").await;
    let case = t.submit_at_window(&clerk, "forms").await;
    let number = case["number"].as_str().expect("a number").to_owned();
    (number, case["version"].to_string())
}

#[tokio::test]
async fn a_refused_move_shows_the_message_under_its_field_and_keeps_what_was_typed() {
    let t = TestApp::empty_sqlite(DAY).await;
    let (number, version) = window_case(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    let refused = t
        .post_parts(
            &format!("/cases/{number}/moves"),
            &clerk,
            &[
                text("csrf", &clerk.csrf),
                text("step", "acceptance"),
                text("outcome", "refuse"),
                text("expected_version", &version),
                text("competent_org", "辽宁省市场监督管理局"),
            ],
            &[],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.describe()
    );
    let page = refused.text();
    let form_at = page
        .find(r#"data-move="acceptance/refuse""#)
        .expect("the refusal form");
    let form = &page[form_at
        ..page[form_at..]
            .find("</form>")
            .map_or(page.len(), |e| form_at + e)];
    assert!(
        form.contains(r#"data-error-for="reason""#),
        "the message sits under the reason field: {form}"
    );
    assert!(
        form.contains(r#"value="辽宁省市场监督管理局""#),
        "what was typed is kept: {form}"
    );
    let other_at = page
        .find(r#"data-move="acceptance/accept""#)
        .expect("the accept form");
    let other = &page[other_at..];
    let other = &other[..other.find("</form>").unwrap_or(other.len())];
    assert!(!other.contains("field-error"), "other forms stay clean");
}

#[tokio::test]
async fn a_move_after_someone_else_moved_the_case_says_so_and_what_it_is_now() {
    let t = TestApp::empty_sqlite(DAY).await;
    let (number, version) = window_case(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    let accept = [
        text("csrf", &clerk.csrf),
        text("step", "acceptance"),
        text("outcome", "accept"),
        text("expected_version", &version),
    ];
    let moves = format!("/cases/{number}/moves");
    let first = t.post_parts(&moves, &clerk, &accept, &[]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.describe());
    let late = t.post_parts(&moves, &clerk, &accept, &[]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.describe());
    let page = late.text();
    assert!(
        page.contains("您提交之前，其他人已办理了此办件，您的操作未执行。现在：审查中（材料审查）"),
        "{page}"
    );
    assert!(
        !page.contains(r#"data-move="acceptance/accept""#),
        "only the moves open now are offered"
    );
    let english = support::Session {
        cookie: format!("{}; ow_lang=en", clerk.cookie),
        csrf: clerk.csrf.clone(),
    };
    let late = t.post_parts(&moves, &english, &accept, &[]).await;
    assert!(
        late.text()
            .contains("your move was not made. Now: under review (Document review)"),
        "{}",
        late.text()
    );
}
