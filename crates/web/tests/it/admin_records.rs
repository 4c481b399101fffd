//! Keeping the power list through the administration pages: creating a power from its form,
//! editing one (history kept, version checked), and appending a dated change with its decree.

use crate::support;

use axum::http::{StatusCode, header};
use support::{ADMIN, CABLE, PUMP, PUMP_GUIDE, Session, TestApp, new_power};

/// The new-power form turned into an edit of `code` read at `version`.
fn edit_of<'a>(session: &'a Session, code: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = new_power(session, code);
    form.retain(|(k, _)| *k != "_version");
    form.push(("_version", version));
    form
}

#[tokio::test]
async fn editing_a_power_keeps_its_history_whatever_the_form_says() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.power_version(PUMP).await.to_string();
    let uri = format!("/admin/powers/{PUMP}");
    let reply = t
        .post_form(&uri, Some(&admin.cookie), &edit_of(&admin, PUMP, &version))
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    let doc = t.api_power(PUMP).await;
    assert_eq!(doc["name_zh"], "压力容器生产许可");
    assert_eq!(doc["history"].as_array().unwrap().len(), 1);
    assert_eq!(doc["history"][0]["decree"], "国务院令第412号");
}

#[tokio::test]
async fn an_edit_read_at_a_stale_version_is_a_409_showing_the_form_again() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let stale = t.power_version(PUMP).await.to_string();
    let uri = format!("/admin/powers/{PUMP}");
    let mut first = edit_of(&admin, PUMP, &stale);
    for (name, value) in &mut first {
        if *name == "name_zh" {
            *value = "泵类产品生产许可（修订）";
        }
    }
    let reply = t.post_form(&uri, Some(&admin.cookie), &first).await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());

    let reply = t
        .post_form(&uri, Some(&admin.cookie), &edit_of(&admin, PUMP, &stale))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.describe());
    let html = reply.text();
    assert!(html.contains(r#"id="form-problems""#));
    assert!(
        html.contains(r#"value="压力容器生产许可""#),
        "keeps what was typed"
    );
    assert_eq!(
        t.api_power(PUMP).await["name_zh"],
        "泵类产品生产许可（修订）"
    );
}

#[tokio::test]
async fn the_edit_form_of_one_power_cannot_overwrite_another() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.power_version(CABLE).await.to_string();
    let uri = format!("/admin/powers/{PUMP}");
    let reply = t
        .post_form(&uri, Some(&admin.cookie), &edit_of(&admin, CABLE, &version))
        .await;
    assert!(reply.status.is_client_error(), "{}", reply.describe());
    assert_eq!(t.api_power(CABLE).await["name_zh"], "电线电缆生产许可");
    assert_eq!(t.api_power(PUMP).await["name_zh"], "泵类产品生产许可");
}

#[tokio::test]
async fn a_guide_has_no_history_to_append_to() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.item_version(PUMP_GUIDE).await.to_string();
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("_version", version.as_str()),
        ("date", "2026-11-01"),
        ("kind", "cancelled"),
        ("decree", "辽政发〔2026〕9号"),
    ];
    let uri = format!("/admin/items/{PUMP_GUIDE}/changes");
    let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{}",
        reply.describe()
    );
    assert!(reply.text().contains("guides have no history"));
}

#[tokio::test]
async fn a_new_power_form_missing_fields_is_shown_again_with_every_problem() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("code", "XK-0101-050"),
        ("name_zh", "压力容器生产许可"),
    ];
    let reply = t
        .post_form("/admin/powers/new", Some(&admin.cookie), &form)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let html = reply.text();
    assert!(html.contains(r#"id="form-problems""#));
    for field in [
        "category",
        "source",
        "implementing_org",
        "handling_level",
        "legal_basis",
        "history",
    ] {
        assert!(html.contains(&format!("<li>{field}: ")), "names {field}");
    }
    assert!(
        html.contains(r#"value="压力容器生产许可""#),
        "keeps what was typed"
    );
    assert!(t.get("/api/v1/powers/XK-0101-050").await.status == StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_valid_new_power_is_saved_and_served_by_the_api() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let form = new_power(&admin, "XK-0101-050");
    let reply = t
        .post_form("/admin/powers/new", Some(&admin.cookie), &form)
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(
        reply.header(header::LOCATION),
        "/admin/powers/XK-0101-050?saved=1"
    );

    let doc = t.api_power("XK-0101-050").await;
    assert_eq!(doc["name_zh"], "压力容器生产许可");
    assert_eq!(doc["status"]["key"], "in_force");
    assert_eq!(doc["history"][0]["decree"], "国发〔2020〕1号");
    assert_eq!(doc["responsibilities"][0]["stage"], "受理责任");

    let edit = t
        .get_with("/admin/powers/XK-0101-050?saved=1", &admin.cookie)
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.describe());
    assert!(
        edit.text().contains(r#"role="status""#),
        "says it was saved"
    );
}

#[tokio::test]
async fn creating_a_power_whose_code_exists_is_a_conflict() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let form = new_power(&admin, PUMP);
    let reply = t
        .post_form("/admin/powers/new", Some(&admin.cookie), &form)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.describe());
    assert_eq!(t.api_power(PUMP).await["name_zh"], "泵类产品生产许可");
}

#[tokio::test]
async fn appending_a_cancellation_cancels_the_power() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.power_version(PUMP).await.to_string();
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("_version", version.as_str()),
        ("date", "2026-11-01"),
        ("kind", "cancelled"),
        ("decree", "辽政发〔2026〕9号"),
        ("org", ""),
        ("note", ""),
    ];
    let uri = format!("/admin/powers/{PUMP}/changes");
    let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());

    let doc = t.api_power(PUMP).await;
    assert_eq!(doc["status"]["key"], "cancelled");
    assert_eq!(doc["history"][1]["decree"], "辽政发〔2026〕9号");
    let cancelled = t.get("/api/v1/powers?status=cancelled").await.json();
    assert_eq!(cancelled["total"], 2);
}

#[tokio::test]
async fn a_change_sent_with_a_stale_version_is_a_409_and_not_applied() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let stale = t.power_version(PUMP).await.to_string();
    let uri = format!("/admin/powers/{PUMP}/changes");
    let change = |kind, date| {
        [
            ("_csrf", admin.csrf.as_str()),
            ("_version", stale.as_str()),
            ("date", date),
            ("kind", kind),
            ("decree", "辽政发〔2026〕9号"),
        ]
    };
    let reply = t
        .post_form(&uri, Some(&admin.cookie), &change("amended", "2026-10-01"))
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());

    let reply = t
        .post_form(
            &uri,
            Some(&admin.cookie),
            &change("cancelled", "2026-11-01"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.describe());
    assert!(reply.text().contains(r#"id="form-problems""#));
    assert_eq!(t.api_power(PUMP).await["status"]["key"], "in_force");
}

#[tokio::test]
async fn a_change_without_its_decree_is_a_422_naming_the_decree() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.power_version(PUMP).await.to_string();
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("_version", version.as_str()),
        ("date", "2026-11-01"),
        ("kind", "cancelled"),
        ("decree", ""),
    ];
    let uri = format!("/admin/powers/{PUMP}/changes");
    let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    assert!(reply.text().contains("decree (文号) is required"));
    assert_eq!(t.api_power(PUMP).await["status"]["key"], "in_force");
    assert_eq!(t.power_version(PUMP).await.to_string(), version);
}
