//! Accounts through the whole router: enterprise registration (page and API), sign-in landing
//! pages, the account administration with its CSRF checks, and API tokens as bearer
//! credentials — accepted while valid, refused with a clear 401 once revoked.

use crate::support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use onewindow_domain::access::Username;
use onewindow_domain::identifiers::CreditCode;
use support::{ADMIN, CLERK, PASSWORD, Reply, TestApp, assert_problem};

fn haitong() -> String {
    CreditCode::complete("91210211MA0Y4K7P")
        .expect("a stem")
        .to_string()
}

fn jintai() -> String {
    CreditCode::complete("91210213MA0QJ5X2")
        .expect("a stem")
        .to_string()
}

/// The registration form's fields, all valid, for `code` and `username`.
fn register_form<'a>(code: &'a str, username: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "大连海通阀门制造有限公司"),
        ("credit_code", code),
        ("address", "辽宁省大连市甘井子区营城子工业园区18号"),
        ("contact_name", "王海涛"),
        ("contact_phone", "0411-86601234"),
        ("username", username),
        ("password", "valves-since-1998"),
        ("password_again", "valves-since-1998"),
    ]
}

/// Opens /register and returns the cookie pair and the form's CSRF value.
async fn open_register(t: &TestApp) -> (String, String) {
    let reply = t.get("/register").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let set_cookie = reply.header(header::SET_COOKIE).to_owned();
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let pair = set_cookie.split(';').next().expect("a pair").to_owned();
    let value = pair.split_once('=').expect("name=value").1.to_owned();
    assert!(
        reply
            .text()
            .contains(&format!(r#"name="_csrf" value="{value}""#))
    );
    (pair, value)
}

async fn register_on_page(t: &TestApp, code: &str, username: &str) -> Reply {
    let (cookie, csrf) = open_register(t).await;
    let mut form = register_form(code, username);
    form.push(("_csrf", &csrf));
    t.post_form("/register", Some(&cookie), &form).await
}

async fn user_exists(t: &TestApp, name: &str) -> bool {
    let name = Username::parse(name).expect("valid");
    t.app
        .store
        .user_by_name(&name)
        .await
        .expect("read")
        .is_some()
}

async fn post_json(t: &TestApp, uri: &str, body: serde_json::Value) -> Reply {
    t.send(
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("a request"),
    )
    .await
}

fn registration_json(code: &str, username: &str) -> serde_json::Value {
    serde_json::json!({
        "credit_code": code,
        "name": "大连海通阀门制造有限公司",
        "address": "辽宁省大连市甘井子区营城子工业园区18号",
        "contact_name": "王海涛",
        "contact_phone": "0411-86601234",
        "username": username,
        "password": "valves-since-1998",
    })
}

async fn get_bearer(t: &TestApp, uri: &str, authorization: &str) -> Reply {
    t.send(
        Request::builder()
            .uri(uri)
            .header(header::AUTHORIZATION, authorization)
            .body(Body::empty())
            .expect("a request"),
    )
    .await
}

/// An API token for `username`, made by the administrator through the use case.
async fn token_for(t: &TestApp, username: &str) -> (String, i64) {
    let admin = t.app.sign_in(ADMIN, PASSWORD).await.expect("sign in").user;
    let issued = t
        .app
        .create_api_token(&admin, username, "测试系统")
        .await
        .expect("a token");
    (issued.token, issued.record.id.0)
}

#[tokio::test]
async fn an_enterprise_registers_on_the_page_and_lands_among_its_cases() {
    let t = TestApp::new().await;
    let reply = register_on_page(&t, &haitong(), "haitong").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let html = reply.text();
    assert!(html.contains("注册成功"), "{html}");
    assert!(html.contains(&haitong()));

    let form = [("username", "haitong"), ("password", "valves-since-1998")];
    let reply = t.post_form("/admin/login", None, &form).await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(reply.header(header::LOCATION), "/my/cases");
}

#[tokio::test]
async fn a_wrong_credit_code_comes_back_in_the_form_with_its_position() {
    let t = TestApp::new().await;
    let lower = haitong().to_lowercase();
    let reply = register_on_page(&t, &lower, "haitong").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let html = reply.text();
    assert!(
        html.contains("position 9: &#39;m&#39; is lowercase")
            || html.contains("position 9: &#x27;m&#x27; is lowercase"),
        "{html}"
    );
    assert!(html.contains(&format!("perhaps you meant {}", haitong())));
    assert!(
        html.contains(&format!(r#"value="{lower}""#)),
        "what was typed is kept"
    );
    assert!(html.contains(r#"value="大连海通阀门制造有限公司""#));
    assert!(
        !html.contains("valves-since-1998"),
        "passwords are not sent back"
    );
    assert!(!user_exists(&t, "haitong").await);
}

#[tokio::test]
async fn a_registration_without_the_form_cookie_is_refused() {
    let t = TestApp::new().await;
    let (_, csrf) = open_register(&t).await;
    let code = haitong();
    let mut form = register_form(&code, "haitong");
    form.push(("_csrf", &csrf));
    let reply = t.post_form("/register", None, &form).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
    assert!(reply.text().contains("CSRF"));
    assert!(!user_exists(&t, "haitong").await);
}

#[tokio::test]
async fn the_api_registers_an_enterprise_and_names_each_bad_field() {
    let t = TestApp::new().await;
    let reply = post_json(
        &t,
        "/api/v1/enterprises",
        registration_json(&haitong(), "haitong"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let body = reply.json();
    assert_eq!(body["enterprise"]["credit_code"], haitong());
    assert_eq!(body["enterprise"]["registered_at"], support::NOW);
    assert_eq!(body["username"], "haitong");

    let again = post_json(
        &t,
        "/api/v1/enterprises",
        registration_json(&haitong(), "other"),
    )
    .await;
    let doc = assert_problem(&again, StatusCode::UNPROCESSABLE_ENTITY, "credit_code");
    assert!(doc.to_string().contains("is already registered"), "{doc}");

    let taken = post_json(
        &t,
        "/api/v1/enterprises",
        registration_json(&jintai(), "haitong"),
    )
    .await;
    assert_problem(&taken, StatusCode::UNPROCESSABLE_ENTITY, "username");

    let mut wrong = jintai();
    wrong.replace_range(17..18, if wrong.ends_with('0') { "1" } else { "0" });
    let reply = post_json(
        &t,
        "/api/v1/enterprises",
        registration_json(&wrong, "jintai"),
    )
    .await;
    let doc = assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "credit_code");
    let message = doc["errors"][0]["message"].as_str().expect("a message");
    assert!(
        message.starts_with("position 18: check character should be"),
        "{message}"
    );
    assert!(!user_exists(&t, "jintai").await);
}

#[tokio::test]
async fn the_api_refuses_a_body_it_cannot_read() {
    let t = TestApp::new().await;
    let mut body = registration_json(&haitong(), "haitong");
    body["fax"] = "0411-1".into();
    let reply = post_json(&t, "/api/v1/enterprises", body).await;
    let doc = assert_problem(&reply, StatusCode::BAD_REQUEST, "body");
    assert!(
        doc["detail"].as_str().unwrap_or_default().contains("fax"),
        "{doc}"
    );
    let reply = t
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/enterprises")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .expect("a request"),
        )
        .await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "body");
}

#[tokio::test]
async fn me_answers_for_a_bearer_token_and_for_a_session() {
    let t = TestApp::new().await;
    let (token, _) = token_for(&t, CLERK).await;
    let reply = get_bearer(&t, "/api/v1/me", &format!("Bearer {token}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let me = reply.json();
    assert_eq!(me["username"], CLERK);
    assert_eq!(me["membership"]["kind"]["key"], "staff");
    assert_eq!(me["membership"]["role"]["key"], "window_clerk");
    assert_eq!(me["membership"]["org"], "210200");
    assert_eq!(me["signed_in_with"], "api_token");

    let session = t.sign_in(ADMIN).await;
    let reply = t.get_with("/api/v1/me", &session.cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(reply.json()["signed_in_with"], "session");

    let reply = t.get("/api/v1/me").await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        reply.describe()
    );
    assert_eq!(reply.content_type(), "application/problem+json");
    assert!(reply.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
}

#[tokio::test]
async fn an_enterprise_user_sees_its_enterprise_in_me() {
    let t = TestApp::new().await;
    let reply = post_json(
        &t,
        "/api/v1/enterprises",
        registration_json(&haitong(), "haitong"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let (token, _) = token_for(&t, "haitong").await;
    let me = get_bearer(&t, "/api/v1/me", &format!("Bearer {token}"))
        .await
        .json();
    assert_eq!(me["membership"]["kind"]["key"], "enterprise");
    assert_eq!(me["membership"]["credit_code"], haitong());
    assert!(me["membership"]["role"].is_null());
    assert_eq!(me["enterprise"]["name"], "大连海通阀门制造有限公司");
}

#[tokio::test]
async fn a_revoked_or_unknown_token_is_a_401_problem() {
    let t = TestApp::new().await;
    let (token, id) = token_for(&t, CLERK).await;
    let admin = t.app.sign_in(ADMIN, PASSWORD).await.expect("sign in").user;
    t.app.revoke_api_token(&admin, id).await.expect("revoke");
    for authorization in [
        format!("Bearer {token}"),
        "Bearer ow_0000000000000000000000000000000000000000".to_owned(),
        "Bearer not-a-token".to_owned(),
        "Basic YWRtaW46cGFzc3dvcmQ=".to_owned(),
    ] {
        let reply = get_bearer(&t, "/api/v1/me", &authorization).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{authorization}: {}",
            reply.describe()
        );
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(
            reply.header(header::WWW_AUTHENTICATE),
            r#"Bearer realm="onewindow""#
        );
    }
    let reply = get_bearer(&t, "/api/v1/me", &format!("Bearer {token}")).await;
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("was revoked")
    );
}

#[tokio::test]
async fn sign_in_lands_each_kind_of_account_on_its_home_or_on_next() {
    let t = TestApp::new().await;
    let land = |name: &'static str, next: Option<&'static str>| {
        let t = &t;
        async move {
            let mut form = vec![("username", name), ("password", PASSWORD)];
            if let Some(next) = next {
                form.push(("next", next));
            }
            let reply = t.post_form("/admin/login", None, &form).await;
            assert!(reply.status.is_redirection(), "{}", reply.describe());
            reply.header(header::LOCATION).to_owned()
        }
    };
    assert_eq!(land(ADMIN, None).await, "/admin");
    assert_eq!(land(CLERK, None).await, "/workbench");
    assert_eq!(land(CLERK, Some("/items?q=泵")).await, "/items?q=%E6%B3%B5");
    assert_eq!(
        land(CLERK, Some("//elsewhere.example/")).await,
        "/workbench"
    );
    assert_eq!(
        land(CLERK, Some("https://elsewhere.example/")).await,
        "/workbench"
    );
    let reply = t.get("/admin/login?next=/items").await;
    assert!(reply.text().contains(r#"name="next" value="/items""#));
}

#[tokio::test]
async fn an_enterprise_user_may_not_enter_the_administration() {
    let t = TestApp::new().await;
    let reply = register_on_page(&t, &haitong(), "haitong").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let session = t
        .app
        .sign_in("haitong", "valves-since-1998")
        .await
        .expect("sign in");
    let cookie = format!("ow_session={}", session.token);
    for uri in ["/admin", "/admin/users"] {
        let reply = t.get_with(uri, &cookie).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{uri}: {}",
            reply.describe()
        );
    }
    let (token, _) = token_for(&t, "haitong").await;
    let reply = get_bearer(&t, "/admin/users", &format!("Bearer {token}")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
}

fn staff_form<'a>(csrf: &'a str, username: &'a str, org: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("username", username),
        ("display_name", "中山区核查员"),
        ("role", "inspector"),
        ("org", org),
        ("password", "a-long-password-2"),
    ]
}

#[tokio::test]
async fn an_administrator_creates_staff_on_the_page_with_every_problem_named() {
    let t = TestApp::new().await;
    let s = t.sign_in(ADMIN).await;
    let reply = t.get_with("/admin/users", &s.cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert!(reply.text().contains("新建工作人员账户"));

    let mut bad = staff_form(&s.csrf, "Inspector Zhao", "210299");
    bad[5] = ("password", "short");
    let reply = t.post_form("/admin/users", Some(&s.cookie), &bad).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let html = reply.text();
    assert!(html.contains(r#"id="e-username""#), "{html}");
    assert!(html.contains("210299 is not an org of the catalogue"));
    assert!(html.contains("must be at least 10 characters"));
    assert!(
        html.contains(r#"value="Inspector Zhao""#),
        "what was typed is kept"
    );
    assert!(!user_exists(&t, "inspector.zhao").await);

    let good = staff_form(&s.csrf, "inspector.zhao", "210202");
    let reply = t.post_form("/admin/users", Some(&s.cookie), &good).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    assert!(reply.text().contains("inspector.zhao"));
    let user = t
        .app
        .sign_in("inspector.zhao", "a-long-password-2")
        .await
        .expect("sign in");
    assert_eq!(user.user.org().map(|o| o.as_str()), Some("210202"));
}

#[tokio::test]
async fn the_account_forms_check_the_csrf_token_and_the_role() {
    let t = TestApp::new().await;
    let s = t.sign_in(ADMIN).await;
    let clerk = t.sign_in(CLERK).await;
    for (uri, form) in [
        ("/admin/users", staff_form("wrong", "x.y", "210200")),
        (
            "/admin/tokens",
            vec![("_csrf", "wrong"), ("token_user", CLERK), ("label", "x")],
        ),
        ("/admin/tokens/1/revoke", vec![("_csrf", "wrong")]),
    ] {
        let reply = t.post_form(uri, Some(&s.cookie), &form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{uri}: {}",
            reply.describe()
        );
        assert!(reply.text().contains("CSRF"), "{uri}");
    }
    let reply = t
        .post_form(
            "/admin/users",
            Some(&clerk.cookie),
            &staff_form(&clerk.csrf, "x.y", "210200"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
    assert!(!user_exists(&t, "x.y").await);
    assert!(t.app.store.api_tokens().await.expect("list").is_empty());
}

#[tokio::test]
async fn a_token_is_shown_once_then_listed_and_revoked_on_the_page() {
    let t = TestApp::new().await;
    let s = t.sign_in(ADMIN).await;
    let form = [
        ("_csrf", s.csrf.as_str()),
        ("token_user", CLERK),
        ("label", "质检院 LIMS"),
    ];
    let reply = t.post_form("/admin/tokens", Some(&s.cookie), &form).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let html = reply.text();
    let start = html
        .find(r#"<code class="token">"#)
        .expect("the token is shown")
        + 20;
    let token = html[start..start + 43].to_owned();
    assert!(token.starts_with("ow_"), "{token}");

    let listed = t.get_with("/admin/users", &s.cookie).await.text();
    assert!(listed.contains("质检院 LIMS"));
    assert!(!listed.contains(&token), "shown once only");

    let reply = get_bearer(&t, "/api/v1/me", &format!("Bearer {token}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());

    let id = t.app.store.api_tokens().await.expect("list")[0].id.0;
    let revoke = [("_csrf", s.csrf.as_str())];
    let reply = t
        .post_form(
            &format!("/admin/tokens/{id}/revoke"),
            Some(&s.cookie),
            &revoke,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert!(reply.text().contains("已吊销"));
    let reply = get_bearer(&t, "/api/v1/me", &format!("Bearer {token}")).await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        reply.describe()
    );
}

#[tokio::test]
async fn a_bearer_request_needs_no_csrf_token_on_a_form() {
    let t = TestApp::new().await;
    let (token, _) = token_for(&t, ADMIN).await;
    let body =
        serde_urlencoded::to_string(staff_form("", "inspector.qian", "210200")).expect("encode");
    let reply = t
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/admin/users")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("a request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    assert!(user_exists(&t, "inspector.qian").await);
}
