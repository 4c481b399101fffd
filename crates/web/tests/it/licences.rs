//! The licence register over HTTP: the public verification page and API say valid, or not valid
//! and why; malformed and unknown numbers are answered clearly; the register searches and pages;
//! and only the issuing org's signatory or head changes a status — through the page's form (with
//! CSRF) or the API (bearer token, or the cookie with its CSRF header).

use crate::support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use onewindow_app::licences::{IssueLicence, LicenceActor};
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{ItemCodes, LicencePolicy, LicenceType, StatusChange};
use support::{
    ADMIN, CLERK, PASSWORD, PUMP_GUIDE, Reply, Session, TestApp, assert_problem, encode,
};

/// Valid since 2026-11-01, until 2031-10-31.
const VALID: &str = "（辽）XK13-006-00001";
/// Revoked on 2026-11-28 (the tests' today).
const REVOKED: &str = "（辽）XK13-006-00002";
/// Issued 2021-01-01, valid until 2025-12-31: expired on 2026-01-01.
const EXPIRED: &str = "（辽）XK13-006-00003";

const SIGNATORY: &str = "signatory";
const OTHER_SIGNATORY: &str = "zhongshan.signatory";

/// The test app with two signatories (the issuing org's and a district's), a licence policy
/// for the pump guide, and three licences: valid, revoked, expired.
async fn register() -> TestApp {
    let t = TestApp::new().await;
    for (name, org) in [(SIGNATORY, "210200"), (OTHER_SIGNATORY, "210202")] {
        t.app
            .create_user(
                Username::parse(name).expect("a user name"),
                "签批人",
                PASSWORD,
                Role::Signatory,
                OrgCode::parse(org).expect("an org"),
            )
            .await
            .expect("create a signatory");
    }
    let mut policy = LicencePolicy::default();
    policy.items.insert(
        PUMP_GUIDE.into(),
        ItemCodes::IndustrialProduct {
            industry: 13,
            product: 6,
        },
    );
    let admin = LicenceActor {
        username: ADMIN.into(),
        role: Role::Administrator,
        org: OrgCode::parse("210200").expect("an org"),
    };
    t.app
        .set_licence_policy(&admin, &policy)
        .await
        .expect("set the policy");
    for (case, holder, stem, issued_on) in [
        (
            "2026-000001",
            "大连海通阀门制造有限公司",
            "91210213MA0QK3L8",
            "2026-11-01",
        ),
        (
            "2026-000002",
            "大连金州电热毯厂",
            "91210213716400K7",
            "2026-06-01",
        ),
        (
            "2021-000003",
            "大连普兰店泵业有限公司",
            "91210214MA0U4X7P",
            "2021-01-01",
        ),
    ] {
        t.app
            .issue_licence(IssueLicence {
                case_number: case.into(),
                item_code: CatalogueCode::parse(PUMP_GUIDE).expect("a code"),
                licence_type: LicenceType::IndustrialProduct,
                holder_name: holder.into(),
                holder_credit_code: CreditCode::complete(stem).expect("a stem"),
                production_address: "辽宁省大连市".into(),
                scope: vec!["泵：离心泵".into()],
                issuing_org: OrgCode::parse("210200").expect("an org"),
                issued_on: issued_on.parse().expect("a date"),
                actor: SIGNATORY.into(),
            })
            .await
            .expect("issue");
    }
    let signatory = LicenceActor {
        username: SIGNATORY.into(),
        role: Role::Signatory,
        org: OrgCode::parse("210200").expect("an org"),
    };
    t.app
        .change_licence_status(
            &signatory,
            REVOKED,
            StatusChange::Revoke,
            "以欺骗手段取得许可",
            None,
        )
        .await
        .expect("revoke");
    t
}

fn page_of(number: &str) -> String {
    format!("/licences/{}", encode(number))
}

fn api_of(number: &str) -> String {
    format!("/api/v1/licences/{}", encode(number))
}

/// A JSON POST, with a bearer token or a cookie and extra headers.
async fn post_json(
    t: &TestApp,
    uri: &str,
    headers: &[(&str, &str)],
    body: serde_json::Value,
) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    t.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

/// The signed-in session's bearer header value.
/// An API token the administrator made for `username` (systems sign in this way).
async fn bearer(t: &TestApp, username: &str) -> String {
    let admin = t
        .app
        .store
        .user_by_name(&onewindow_domain::access::Username::parse(support::ADMIN).expect("a name"))
        .await
        .expect("read")
        .expect("the administrator");
    let issued = t
        .app
        .create_api_token(&admin, username, "licence tests")
        .await
        .expect("a token");
    format!("Bearer {}", issued.token)
}

fn status_form<'a>(
    session: &'a Session,
    change: &'a str,
    reason: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", session.csrf.as_str()),
        ("_version", "0"),
        ("change", change),
        ("reason", reason),
    ]
}

#[tokio::test]
async fn the_verification_page_says_valid_in_both_languages() {
    let t = register().await;
    let reply = t.get(&page_of(VALID)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let html = reply.text();
    assert!(html.contains(r#"class="verdict valid""#), "{html}");
    assert!(html.contains("<b>有效</b>"));
    assert!(html.contains("有效：有效期至2031-10-31"));
    assert!(html.contains("大连海通阀门制造有限公司"));
    assert!(html.contains("泵：离心泵"));
    assert!(
        html.contains("大连市市场监督管理局"),
        "the issuing org by name"
    );
    assert!(!html.contains("status-form"), "the public sees no form");
    let english = t.get_with(&page_of(VALID), "ow_lang=en").await.text();
    assert!(english.contains("<b>Valid</b>"));
    assert!(english.contains("valid until 2031-10-31"));
}

#[tokio::test]
async fn the_verification_page_says_not_valid_and_why() {
    let t = register().await;
    let html = t.get(&page_of(REVOKED)).await.text();
    assert!(html.contains(r#"class="verdict invalid""#));
    assert!(html.contains("<b>无效</b>"));
    assert!(
        html.contains("已于2026-11-28撤销：以欺骗手段取得许可"),
        "{html}"
    );
    assert!(
        html.contains(r#"id="licence-history""#),
        "the history is shown"
    );
    let html = t.get_with(&page_of(EXPIRED), "ow_lang=en").await.text();
    assert!(html.contains("<b>Not valid</b>"));
    assert!(html.contains("expired on 2026-01-01: it was valid until 2025-12-31"));
}

#[tokio::test]
async fn printed_forms_malformed_and_unknown_numbers_on_the_page() {
    let t = register().await;
    for typed in ["xk13-006-00001", "(辽)XK13-006-00001", "XK13-006-00001"] {
        let reply = t.get(&page_of(typed)).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{typed}: {}",
            reply.describe()
        );
        assert!(reply.text().contains(VALID), "{typed}");
    }
    let reply = t.get(&page_of("XK13-06-00001")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("at character 8"), "{}", reply.text());
    let reply = t.get(&page_of("XK13-006-00099")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text().contains("XK13-006-00099"));
}

#[tokio::test]
async fn the_api_answers_valid_or_not_and_why() {
    let t = register().await;
    let reply = t.get(&api_of("xk13-006-00001")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let doc = reply.json();
    assert_eq!(doc["number"], VALID);
    assert_eq!(doc["status"], "valid");
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["reason_zh"], "有效：有效期至2031-10-31");
    assert_eq!(doc["reason_en"], "valid until 2031-10-31");
    assert_eq!(doc["holder_name"], "大连海通阀门制造有限公司");
    assert_eq!(
        doc["holder_credit_code"],
        CreditCode::complete("91210213MA0QK3L8").unwrap().as_str()
    );
    assert_eq!(doc["scope"], serde_json::json!(["泵：离心泵"]));
    assert_eq!(
        (doc["issued_on"].as_str(), doc["valid_until"].as_str()),
        (Some("2026-11-01"), Some("2031-10-31"))
    );
    assert_eq!(doc["issuing_org"]["code"], "210200");
    assert_eq!(doc["licence_type"]["key"], "industrial_product");
    let doc = t.get(&api_of(REVOKED)).await.json();
    assert_eq!(
        (doc["status"].as_str(), doc["valid"].as_bool()),
        (Some("revoked"), Some(false))
    );
    assert_eq!(
        doc["reason_en"],
        "revoked on 2026-11-28: 以欺骗手段取得许可"
    );
    assert_eq!(doc["status_since"], "2026-11-28");
    assert_eq!(doc["history"][0]["change"], "revoked");
    assert_eq!(doc["version"], 1);
    assert!(
        doc["history"][0].get("actor").is_none(),
        "staff names stay internal"
    );
}

#[tokio::test]
async fn the_api_names_a_malformed_number_and_an_unknown_one() {
    let t = register().await;
    let doc = assert_problem(
        &t.get(&api_of("XK13-006-0000A")).await,
        StatusCode::BAD_REQUEST,
        "number",
    );
    assert!(
        doc["detail"].as_str().unwrap().contains("at character 14"),
        "{doc}"
    );
    let reply = t.get(&api_of("XK13-006-00099")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(reply.json()["detail"], "licence XK13-006-00099 not found");
}

#[tokio::test]
async fn the_register_searches_filters_and_pages() {
    let t = register().await;
    let doc = t
        .get(&format!("/api/v1/licences?q={}", encode("海通")))
        .await
        .json();
    assert_eq!(doc["total"], 1);
    assert_eq!(doc["items"][0]["number"], VALID);
    let doc = t.get("/api/v1/licences?status=expired").await.json();
    assert_eq!(
        (doc["total"].as_u64(), doc["items"][0]["number"].as_str()),
        (Some(1), Some(EXPIRED))
    );
    let doc = t.get("/api/v1/licences?limit=2&offset=2").await.json();
    assert_eq!(
        (doc["total"].as_u64(), doc["items"].as_array().map(Vec::len)),
        (Some(3), Some(1))
    );
    assert_problem(
        &t.get("/api/v1/licences?status=lost").await,
        StatusCode::BAD_REQUEST,
        "status",
    );
    assert_problem(
        &t.get("/api/v1/licences?limit=0").await,
        StatusCode::BAD_REQUEST,
        "limit",
    );
    assert_problem(
        &t.get("/api/v1/licences?page=2").await,
        StatusCode::BAD_REQUEST,
        "page",
    );
    assert_problem(
        &t.get("/api/v1/licences?holder=91210213").await,
        StatusCode::BAD_REQUEST,
        "holder",
    );
    let html = t
        .get(&format!("/licences?q={}&status=revoked", encode("电热毯")))
        .await
        .text();
    assert!(html.contains(REVOKED), "{html}");
    assert!(!html.contains(VALID));
    let reply = t.get("/licences?per_page=1").await;
    assert!(reply.text().contains(r#"rel="next""#), "paged");
    assert_eq!(
        t.get("/licences?status=lost").await.status,
        StatusCode::BAD_REQUEST
    );
    assert!(
        t.get("/").await.text().contains(r#"href="/licences""#),
        "linked from home"
    );
}

#[tokio::test]
async fn only_the_issuing_orgs_signatory_changes_a_status_on_the_page() {
    let t = register().await;
    let uri = format!("{}/status", page_of(VALID));
    for name in [CLERK, OTHER_SIGNATORY] {
        let session = t.sign_in(name).await;
        assert!(
            !t.get_with(&page_of(VALID), &session.cookie)
                .await
                .text()
                .contains("status-form")
        );
        let reply = t
            .post_form(
                &uri,
                Some(&session.cookie),
                &status_form(&session, "suspend", "整改"),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{name}: {}",
            reply.describe()
        );
    }
    let session = t.sign_in(SIGNATORY).await;
    let page = t.get_with(&page_of(VALID), &session.cookie).await.text();
    assert!(
        page.contains(r#"id="status-form""#),
        "the signatory sees the form"
    );
    assert!(
        page.contains(r#"<option value="suspend""#)
            && !page.contains(r#"<option value="reinstate""#)
    );
    let reply = t
        .post_form(
            &uri,
            Some(&session.cookie),
            &status_form(&session, "suspend", "监督抽查不合格"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.describe());
    let location = reply.header(header::LOCATION).to_owned();
    let html = t.get_with(&location, &session.cookie).await.text();
    assert!(html.contains("证书状态已变更"));
    assert!(html.contains("已于2026-11-28暂停：监督抽查不合格"));
    assert!(
        html.contains("<td>signatory</td>"),
        "staff see who recorded it"
    );
    assert!(
        !t.get(&page_of(VALID))
            .await
            .text()
            .contains("<td>signatory</td>")
    );
}

#[tokio::test]
async fn the_status_form_checks_csrf_and_shows_each_problem_by_its_field() {
    let t = register().await;
    let uri = format!("{}/status", page_of(VALID));
    let session = t.sign_in(SIGNATORY).await;
    let forged = [
        ("_csrf", "forged"),
        ("_version", "0"),
        ("change", "revoke"),
        ("reason", "x"),
    ];
    let reply = t.post_form(&uri, Some(&session.cookie), &forged).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.text().contains("CSRF"));
    let reply = t
        .post_form(
            &uri,
            Some(&session.cookie),
            &status_form(&session, "revoke", "   "),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = reply.text();
    assert!(
        html.contains(r#"id="e-reason""#) && html.contains("a reason is required"),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="revoke" selected>"#),
        "the choice is kept"
    );
    let reply = t
        .post_form(
            &uri,
            Some(&session.cookie),
            &status_form(&session, "reinstate", "理由"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains(r#"id="e-change""#));
    assert!(reply.text().contains("not suspended"));
    let doc = t.get(&api_of(VALID)).await.json();
    assert_eq!(
        (doc["status"].as_str(), doc["version"].as_i64()),
        (Some("valid"), Some(0)),
        "nothing changed"
    );
    let signed_out = t
        .post_form(&uri, None, &[("change", "revoke"), ("reason", "x")])
        .await;
    assert!(signed_out.status.is_redirection(), "sent to sign in");
}

#[tokio::test]
async fn the_status_api_takes_a_bearer_token_or_the_cookie_with_its_csrf_header() {
    let t = register().await;
    let uri = format!("{}/status", api_of(VALID));
    let suspend =
        serde_json::json!({"change": "suspend", "reason": "监督抽查不合格", "version": 0});
    assert_eq!(
        post_json(&t, &uri, &[], suspend.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let clerk = bearer(&t, CLERK).await;
    let reply = post_json(&t, &uri, &[("authorization", &clerk)], suspend.clone()).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.describe());
    let other = bearer(&t, OTHER_SIGNATORY).await;
    let reply = post_json(&t, &uri, &[("authorization", &other)], suspend.clone()).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let session = t.sign_in(SIGNATORY).await;
    let no_header = post_json(&t, &uri, &[("cookie", &session.cookie)], suspend.clone()).await;
    assert_eq!(
        no_header.status,
        StatusCode::FORBIDDEN,
        "a cookie alone is not enough"
    );
    let reply = post_json(
        &t,
        &uri,
        &[("cookie", &session.cookie), ("x-csrf-token", &session.csrf)],
        suspend.clone(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(reply.json()["status"], "suspended");
    let token = bearer(&t, SIGNATORY).await;
    let auth = [("authorization", token.as_str())];
    let stale = post_json(
        &t,
        &uri,
        &auth,
        serde_json::json!({"change": "revoke", "reason": "x", "version": 0}),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.describe());
    assert_problem(
        &post_json(
            &t,
            &uri,
            &auth,
            serde_json::json!({"change": "lose", "reason": "x"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "change",
    );
    assert_problem(
        &post_json(&t, &uri, &auth, serde_json::json!({"reason": "x"})).await,
        StatusCode::BAD_REQUEST,
        "body",
    );
    let reinstated = post_json(
        &t,
        &uri,
        &auth,
        serde_json::json!({"change": "reinstate", "reason": "整改完成", "version": 1}),
    )
    .await;
    assert_eq!(
        reinstated.json()["valid"],
        true,
        "{}",
        reinstated.describe()
    );
    let final_one = format!("{}/status", api_of(REVOKED));
    let doc = assert_problem(
        &post_json(
            &t,
            &final_one,
            &auth,
            serde_json::json!({"change": "cancel", "reason": "x"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "change",
    );
    assert!(doc["detail"].as_str().unwrap().contains("final"), "{doc}");
    assert_problem(
        &post_json(
            &t,
            &format!("{}/status", api_of("XK13-006")),
            &auth,
            suspend,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "number",
    );
}
