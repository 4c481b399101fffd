//! The notifications page and API (issue 3): the applicant hears of its acceptance, sees it
//! linked to the case with the unread count in the header, marks it read on the page or through
//! the API; another person sees none of it and cannot mark it; forms need their CSRF token; bad
//! bodies and addresses are refused with the field named.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;
use support::TestApp;
use support::cases::{GUIDE_MATERIALS, ITEM, Part, demo, material, moving, pdf, sign_in, text};

/// An application the demo enterprise makes online, accepted by the clerk: its case number.
async fn accepted_online(t: &TestApp) -> String {
    let me = sign_in(t, "enterprise").await;
    let mut parts: Vec<Part> = vec![text("item", ITEM)];
    parts.extend(
        GUIDE_MATERIALS
            .iter()
            .map(|name| material(name, "scan.pdf", pdf(name))),
    );
    let reply = t.post_parts("/api/v1/cases", &me, &parts, &[]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let number = reply.json()["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    let clerk = sign_in(t, "clerk").await;
    t.act(&number, &clerk, moving("acceptance", "accept", json!({})))
        .await;
    number
}

#[tokio::test]
async fn the_applicant_reads_its_acceptance_on_the_page_and_through_the_api() {
    let t = TestApp::empty_sqlite(support::cases::DAY).await;
    demo(&t).await;
    let number = accepted_online(&t).await;
    let me = sign_in(&t, "enterprise").await;

    let page = t.get_as("/notifications", &me).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    let html = page.text();
    assert!(
        html.contains(r#"<span class="badge" id="unread-count">1</span>"#),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"href="/cases/{number}""#)),
        "{html}"
    );
    assert!(html.contains("已受理"), "{html}");

    let listed = t.get_as("/api/v1/me/notifications", &me).await.json();
    assert_eq!(listed["unread"], 1);
    let first = &listed["notifications"][0];
    assert_eq!(first["kind"], "accepted");
    assert_eq!(first["case_link"], format!("/cases/{number}"));
    let id = first["id"].as_i64().expect("an id");

    // Someone else: an empty inbox, and the applicant's notification is not theirs to mark.
    let reviewer = sign_in(&t, "reviewer").await;
    let theirs = t.get_as("/api/v1/me/notifications", &reviewer).await.json();
    assert_eq!(theirs["notifications"], json!([]));
    let refused = t
        .post_json_as(
            "/api/v1/me/notifications/read",
            &reviewer,
            &json!({"ids": [id]}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::NOT_FOUND,
        "{}",
        refused.describe()
    );
    let unknown = t
        .post_json_as(
            "/api/v1/me/notifications/read",
            &me,
            &json!({"ids": [id, 999_999]}),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::NOT_FOUND,
        "{}",
        unknown.describe()
    );
    assert_eq!(
        t.get_as("/api/v1/me/notifications", &me).await.json()["unread"],
        1,
        "nothing was marked"
    );
    let empty = t
        .post_json_as("/api/v1/me/notifications/read", &me, &json!({}))
        .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.describe()
    );
    assert!(empty.text().contains("ids"), "{}", empty.text());
    let odd = t
        .post_json_as(
            "/api/v1/me/notifications/read",
            &me,
            &json!({"every": true}),
        )
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST, "{}", odd.describe());

    // The page's form: refused without the CSRF token, then marks it read.
    let id = id.to_string();
    let forged = t
        .post_form(
            "/notifications/read",
            Some(&me.cookie),
            &[("_csrf", "forged"), ("id", &id)],
        )
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "{}",
        forged.describe()
    );
    let marked = t
        .post_form(
            "/notifications/read",
            Some(&me.cookie),
            &[("_csrf", &me.csrf), ("id", &id)],
        )
        .await;
    assert_eq!(
        marked.status,
        StatusCode::SEE_OTHER,
        "{}",
        marked.describe()
    );
    let page = t.get_as("/notifications", &me).await.text();
    assert!(!page.contains(r#"id="unread-count""#), "{page}");
    let all = t
        .post_json_as("/api/v1/me/notifications/read", &me, &json!({"all": true}))
        .await;
    assert_eq!(all.json(), json!({"marked": 0, "unread": 0}));
}

#[tokio::test]
async fn the_email_address_is_checked_and_kept() {
    let t = TestApp::empty_sqlite(support::cases::DAY).await;
    demo(&t).await;
    let me = sign_in(&t, "enterprise").await;
    let bad = t
        .post_form(
            "/notifications/email",
            Some(&me.cookie),
            &[("_csrf", &me.csrf), ("email", "li.na at haitong")],
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.describe()
    );
    assert!(bad.text().contains(r#"id="problem""#) && bad.text().contains("email"));
    assert!(
        bad.text().contains(r#"value="li.na at haitong""#),
        "the form shows what was typed"
    );
    let good = t
        .post_form(
            "/notifications/email",
            Some(&me.cookie),
            &[("_csrf", &me.csrf), ("email", "li.na@haitong.example.cn")],
        )
        .await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.describe());
    assert!(good.text().contains(r#"value="li.na@haitong.example.cn""#));

    let uri = "/api/v1/me/notifications/email";
    let put = |body: serde_json::Value| {
        let bytes = serde_json::to_vec(&body).expect("JSON");
        t.send_as(
            axum::http::Method::PUT,
            uri,
            &me,
            "application/json",
            bytes,
            &[],
        )
    };
    let refused = put(json!({"email": "a@b@c.cn"})).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.describe()
    );
    assert_eq!(
        refused.json()["errors"][0]["name"],
        "email",
        "{}",
        refused.text()
    );
    let removed = put(json!({"email": ""})).await;
    assert_eq!(removed.json(), json!({"email": null}));
    let set = put(json!({"email": "ops@haitong.example.cn"})).await;
    assert_eq!(set.json(), json!({"email": "ops@haitong.example.cn"}));
}
