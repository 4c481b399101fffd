//! Overload (issue 6): past the configured number of requests in flight a request is answered
//! at once with 503 and Retry-After — problem+json on the API, a page elsewhere — and health
//! and metrics still answer.

use axum::http::{StatusCode, header};
use onewindow_web::Admission;

use crate::support::TestApp;

#[tokio::test]
async fn past_the_limit_a_request_is_turned_away_at_once_and_health_still_answers() {
    let t = TestApp::new().await.admitting(Admission::at_most(0));
    let api = t.get("/api/v1/powers").await;
    assert_eq!(
        api.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        api.describe()
    );
    assert_eq!(api.content_type(), "application/problem+json");
    assert_eq!(api.header(header::RETRY_AFTER), "1");
    let problem = api.json();
    assert_eq!(problem["status"], 503);
    assert!(
        problem["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("/busy")),
        "{problem}"
    );
    let page = t.get("/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.content_type().starts_with("text/html"));
    assert!(page.text().contains("服务繁忙"), "{}", page.text());
    assert_eq!(page.header(header::RETRY_AFTER), "1");
    let health = t.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.describe());
}

#[tokio::test]
async fn a_request_handled_gives_its_place_back() {
    let t = TestApp::new().await.admitting(Admission::at_most(1));
    for _ in 0..3 {
        let reply = t.get("/api/v1/powers").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    }
}
