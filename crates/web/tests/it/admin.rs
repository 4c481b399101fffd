//! The administration pages through the whole router: sign-in and sign-out, who may enter, the
//! CSRF check on every form, and publishing or retiring a guide.

use crate::support;

use axum::http::{StatusCode, header};
use support::{ADMIN, CABLE_DRAFT, CLERK, PASSWORD, PUMP, PUMP_GUIDE, TestApp, new_power};

#[tokio::test]
async fn the_administration_without_a_session_redirects_to_sign_in() {
    let t = TestApp::new().await;
    for uri in [
        "/admin",
        "/admin/powers/new",
        &format!("/admin/powers/{PUMP}"),
    ] {
        let reply = t.get(uri).await;
        assert!(reply.status.is_redirection(), "{uri}: {}", reply.describe());
        assert_eq!(reply.header(header::LOCATION), "/admin/login", "{uri}");
    }
}

#[tokio::test]
async fn a_wrong_password_is_a_401_page_saying_so() {
    let t = TestApp::new().await;
    let form = [("username", ADMIN), ("password", "not-the-password")];
    let reply = t.post_form("/admin/login", None, &form).await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        reply.describe()
    );
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    let html = reply.text();
    assert!(html.contains("wrong user name or password"));
    assert!(html.contains(r#"value="admin""#), "the user name is kept");
}

#[tokio::test]
async fn the_right_password_signs_in_with_an_http_only_session_cookie() {
    let t = TestApp::new().await;
    let form = [("username", ADMIN), ("password", PASSWORD)];
    let reply = t.post_form("/admin/login", None, &form).await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(reply.header(header::LOCATION), "/admin");
    let set_cookie = reply.header(header::SET_COOKIE);
    assert!(set_cookie.starts_with("ow_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("Max-Age=43200"), "{set_cookie}");

    let cookie = set_cookie.split(';').next().unwrap();
    let reply = t.get_with("/admin", cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert!(reply.text().contains("事项目录维护"));
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_user_name_for_a_while() {
    let t = TestApp::new().await;
    let wrong = [("username", ADMIN), ("password", "not-the-password")];
    for _ in 0..5 {
        let reply = t.post_form("/admin/login", None, &wrong).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{}",
            reply.describe()
        );
    }
    let right = [("username", ADMIN), ("password", PASSWORD)];
    let reply = t.post_form("/admin/login", None, &right).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.describe()
    );
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    assert!(reply.text().contains("too many failed sign-ins"));
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let form = [("csrf", admin.csrf.as_str())];
    let reply = t
        .post_form("/admin/logout", Some(&admin.cookie), &form)
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert!(reply.header(header::SET_COOKIE).contains("Max-Age=0"));
    let reply = t.get_with("/admin", &admin.cookie).await;
    assert_eq!(reply.header(header::LOCATION), "/admin/login");
}

#[tokio::test]
async fn a_clerk_is_forbidden_the_administration() {
    let t = TestApp::new().await;
    let clerk = t.sign_in(CLERK).await;
    let reply = t.get_with("/admin", &clerk.cookie).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
    assert!(reply.text().contains("may not keep the catalogue"));

    let before = t.power_count().await;
    let form = new_power(&clerk, "XK-0101-050");
    let reply = t
        .post_form("/admin/powers/new", Some(&clerk.cookie), &form)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
    assert_eq!(t.power_count().await, before);
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_forbidden_and_changes_nothing() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.power_version(PUMP).await.to_string();
    let uri = format!("/admin/powers/{PUMP}/changes");
    for csrf in [None, Some("0000"), Some("")] {
        let mut form = vec![
            ("_version", version.as_str()),
            ("date", "2026-11-01"),
            ("kind", "cancelled"),
            ("decree", "辽政发〔2026〕9号"),
        ];
        if let Some(token) = csrf {
            form.push(("_csrf", token));
        }
        let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{csrf:?}: {}",
            reply.describe()
        );
        assert!(reply.text().contains("CSRF"));
    }
    assert_eq!(t.api_power(PUMP).await["status"]["key"], "in_force");

    let before = t.power_count().await;
    let mut form = new_power(&admin, "XK-0101-050");
    form.retain(|(k, _)| *k != "_csrf");
    let reply = t
        .post_form("/admin/powers/new", Some(&admin.cookie), &form)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
    assert_eq!(t.power_count().await, before);
}

#[tokio::test]
async fn publishing_an_incomplete_guide_is_a_422_naming_phone_and_fees() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.item_version(CABLE_DRAFT).await.to_string();
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("_version", version.as_str()),
        ("status", "published"),
    ];
    let uri = format!("/admin/items/{CABLE_DRAFT}/status");
    let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let html = reply.text();
    assert!(html.contains("<li>phone: "), "names phone");
    assert!(html.contains("<li>fees: "), "names fees");
    assert!(!html.contains("<li>place: "), "names only what is missing");
    assert_eq!(t.item_status(CABLE_DRAFT).await.to_string(), "draft");
    let api = t.get(&format!("/api/v1/items/{CABLE_DRAFT}")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn retiring_a_guide_takes_it_off_the_public_list() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.item_version(PUMP_GUIDE).await.to_string();
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("_version", version.as_str()),
        ("status", "retired"),
    ];
    let uri = format!("/admin/items/{PUMP_GUIDE}/status");
    let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(t.get("/api/v1/items").await.json()["total"], 0);
}

#[tokio::test]
async fn an_unknown_guide_status_is_refused() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let version = t.item_version(PUMP_GUIDE).await.to_string();
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("_version", version.as_str()),
        ("status", "gone"),
    ];
    let uri = format!("/admin/items/{PUMP_GUIDE}/status");
    let reply = t.post_form(&uri, Some(&admin.cookie), &form).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{}",
        reply.describe()
    );
    assert_eq!(t.item_status(PUMP_GUIDE).await.to_string(), "published");
}

#[tokio::test]
async fn an_unknown_record_kind_is_a_404_page() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let reply = t.get_with("/admin/widgets/new", &admin.cookie).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.describe());
    assert!(reply.content_type().starts_with("text/html"));
}
