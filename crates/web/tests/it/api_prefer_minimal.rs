//! `Prefer: return=minimal` on the requests that change a case: the number and new version
//! only, the preference said to be applied, the change made all the same; refusals unchanged.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::TestApp;
use support::cases::{DAY, demo, moving, sign_in};

#[tokio::test]
async fn a_minimal_answer_holds_the_number_and_version_and_the_move_is_made() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    let case = t.submit_at_window(&clerk, "prefer-minimal").await;
    let number = case["number"].as_str().expect("a number").to_owned();
    let version = case["version"].as_i64().expect("a version");
    let uri = format!("/api/v1/cases/{number}/moves");
    let mut accept = moving("acceptance", "accept", json!({}));
    accept["expected_version"] = json!(version);
    let body = serde_json::to_vec(&accept).expect("JSON");

    let reply = t
        .send_as(
            Method::POST,
            &uri,
            &clerk,
            "application/json",
            body.clone(),
            &[("prefer", "respond-async, return=minimal")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let after = t.case_as(&number, &clerk).await;
    assert_eq!(after["status"]["key"], "under_review", "the move was made");
    let new_version = after["version"].as_i64().expect("a version");
    assert!(new_version > version);
    assert_eq!(
        reply.json(),
        json!({"number": number, "version": new_version}),
        "nothing but the number and the new version"
    );
    assert_eq!(
        reply.header(axum::http::HeaderName::from_static("preference-applied")),
        "return=minimal"
    );

    // The same move again is stale: the refusal still carries the case as it is now.
    let stale = t
        .send_as(
            Method::POST,
            &uri,
            &clerk,
            "application/json",
            body,
            &[("prefer", "return=minimal")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.describe());
    assert_eq!(stale.json()["case"]["version"], json!(new_version));
}
