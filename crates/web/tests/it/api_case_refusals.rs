//! What the case API refuses, and how: each refusal is a problem document with the status that
//! says what kind of refusal it is and the name of the field, part or rule at fault — and
//! nothing is half-written.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::{
    DAY, DISTRICT_CLERK, GUIDE_MATERIALS, ITEM, Part, applicant, application, demo, material,
    moving, pdf, sign_in, text,
};
use support::{Session, TestApp, assert_problem};

async fn bureau() -> TestApp {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    t
}

/// How many cases the clerk's org holds, open or not.
async fn case_count(t: &TestApp, clerk: &Session) -> u64 {
    let reply = t
        .get_as("/api/v1/cases?all_steps=true&include_closed=true", clerk)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    reply.json()["total"].as_u64().expect("a total")
}

fn messages(doc: &Value) -> String {
    doc["errors"]
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| format!("{}: {}", e["name"], e["message"]))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_same_idempotency_key_twice_makes_one_case() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let first = t.submit_at_window(&clerk, "double-click").await;
    let again = t
        .post_parts(
            "/api/v1/cases",
            &clerk,
            &application(),
            &[("idempotency-key", "double-click")],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.describe());
    assert_eq!(again.json()["number"], first["number"]);
    assert_eq!(case_count(&t, &clerk).await, 1);
    let other_key = t
        .post_parts(
            "/api/v1/cases",
            &clerk,
            &application(),
            &[("idempotency-key", "another")],
        )
        .await;
    assert_eq!(other_key.status, StatusCode::CREATED);
    assert_eq!(case_count(&t, &clerk).await, 2);
}

#[tokio::test]
async fn a_stale_version_is_a_409_carrying_the_current_case() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let case = t.submit_at_window(&clerk, "k").await;
    let number = case["number"].as_str().expect("a number");
    let stale = case["version"].as_i64().expect("a version");
    t.act(number, &clerk, moving("acceptance", "accept", json!({})))
        .await;
    let mut refuse = moving("acceptance", "refuse", json!({"reason": "不符合受理条件"}));
    refuse["expected_version"] = json!(stale);
    let reply = t
        .post_json_as(&format!("/api/v1/cases/{number}/moves"), &clerk, &refuse)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.describe());
    assert_eq!(reply.content_type(), "application/problem+json");
    let doc = reply.json();
    assert!(
        doc["type"].as_str().unwrap().ends_with("/conflict"),
        "{doc}"
    );
    assert_eq!(doc["case"]["status"]["key"], "under_review");
    assert!(doc["case"]["version"].as_i64().unwrap() > stale);
}

#[tokio::test]
async fn a_reviewer_cannot_accept_and_is_told_the_rule() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let case = t.submit_at_window(&clerk, "k").await;
    let number = case["number"].as_str().expect("a number");
    let reviewer = sign_in(&t, "reviewer").await;
    assert!(
        t.case_as(number, &reviewer).await["moves"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "no move is offered that would be refused"
    );
    let reply = t
        .try_move(number, &reviewer, moving("acceptance", "accept", json!({})))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.describe());
    let doc = reply.json();
    assert!(
        doc["type"].as_str().unwrap().ends_with("/not-open"),
        "{doc}"
    );
    assert!(
        doc["detail"]
            .as_str()
            .unwrap()
            .contains("a reviewer does not act at this step"),
        "{doc}"
    );
    assert_eq!(doc["case"]["status"]["key"], "submitted", "nothing changed");
}

#[tokio::test]
async fn another_orgs_clerk_finds_no_such_case() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let case = t.submit_at_window(&clerk, "k").await;
    let number = case["number"].as_str().expect("a number");
    let district = sign_in(&t, DISTRICT_CLERK).await;
    for uri in [
        format!("/api/v1/cases/{number}"),
        format!("/api/v1/cases/{number}/clock"),
        case["materials"][0]["download_url"]
            .as_str()
            .expect("a URL")
            .to_owned(),
    ] {
        let reply = t.get_as(&uri, &district).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{uri}: {}",
            reply.describe()
        );
    }
    let mut accept = moving("acceptance", "accept", json!({}));
    accept["expected_version"] = case["version"].clone();
    let reply = t
        .post_json_as(&format!("/api/v1/cases/{number}/moves"), &district, &accept)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.describe());
    assert_eq!(
        t.get_as("/api/v1/cases?all_steps=true", &district)
            .await
            .json()["total"],
        0
    );
}

/// Where the first material's file part is in an application's parts.
fn first_material(parts: &[Part]) -> usize {
    parts
        .iter()
        .position(|p| matches!(p, Part::File(..)))
        .expect("a material part")
}

#[tokio::test]
async fn a_missing_required_material_is_a_422_naming_it_and_nothing_is_written() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let mut parts = application();
    parts.remove(first_material(&parts)); // the application form
    let reply = t.post_parts("/api/v1/cases", &clerk, &parts, &[]).await;
    let doc = assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "materials");
    assert!(
        messages(&doc).contains(&format!("{}: required by the guide", GUIDE_MATERIALS[0])),
        "{doc}"
    );
    assert_eq!(case_count(&t, &clerk).await, 0);
}

#[tokio::test]
async fn a_file_that_is_not_pdf_jpeg_png_or_ofd_is_a_422() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let mut parts = application();
    let at = first_material(&parts);
    parts[at] = material(GUIDE_MATERIALS[0], "form.docx", b"PK\x03\x04word".to_vec());
    let reply = t.post_parts("/api/v1/cases", &clerk, &parts, &[]).await;
    let doc = assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "materials");
    assert!(
        messages(&doc).contains("not a PDF, JPEG, PNG or OFD"),
        "{doc}"
    );
    assert_eq!(case_count(&t, &clerk).await, 0);
}

#[tokio::test]
async fn a_file_over_20_mib_is_a_413_naming_the_limit() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let mut big = pdf("big");
    big.resize(20 * 1024 * 1024 + 1, b' ');
    let mut parts = application();
    let at = first_material(&parts);
    parts[at] = material(GUIDE_MATERIALS[0], "form.pdf", big);
    let reply = t.post_parts("/api/v1/cases", &clerk, &parts, &[]).await;
    let name = format!("material:{}", GUIDE_MATERIALS[0]);
    let doc = assert_problem(&reply, StatusCode::PAYLOAD_TOO_LARGE, &name);
    assert!(doc["detail"].as_str().unwrap().contains("20 MiB"), "{doc}");
    assert_eq!(case_count(&t, &clerk).await, 0);
}

#[tokio::test]
async fn a_bad_applicant_code_and_an_unknown_part_are_named() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let mut parts: Vec<Part> = application();
    parts[1] = text("applicant", "91210211ma0y8k3l0k");
    let reply = t.post_parts("/api/v1/cases", &clerk, &parts, &[]).await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "applicant");

    let mut parts = application();
    parts.push(text("colour", "blue"));
    let reply = t.post_parts("/api/v1/cases", &clerk, &parts, &[]).await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "colour");

    let parts = vec![text("applicant", &applicant())];
    let reply = t.post_parts("/api/v1/cases", &clerk, &parts, &[]).await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "item");
    assert_eq!(case_count(&t, &clerk).await, 0);
}

#[tokio::test]
async fn bad_json_is_a_400_saying_where_and_a_missing_field_a_422_naming_it() {
    let t = bureau().await;
    let clerk = sign_in(&t, "clerk").await;
    let case = t.submit_at_window(&clerk, "k").await;
    let uri = format!("/api/v1/cases/{}/moves", case["number"].as_str().unwrap());
    let reply = t
        .send_as(
            Method::POST,
            &uri,
            &clerk,
            "application/json",
            b"{\"step\": \"acceptance\",".to_vec(),
            &[],
        )
        .await;
    let doc = assert_problem(&reply, StatusCode::BAD_REQUEST, "body");
    assert!(doc["detail"].as_str().unwrap().contains("line 1"), "{doc}");

    let no_version = moving("acceptance", "accept", json!({}));
    let reply = t.post_json_as(&uri, &clerk, &no_version).await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "expected_version");

    let reply = t
        .try_move(
            case["number"].as_str().unwrap(),
            &clerk,
            moving("acceptance", "request_supplement", json!({})),
        )
        .await;
    let doc = assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "items");
    assert!(messages(&doc).contains("art. 32"), "{doc}");

    let reply = t
        .try_move(
            case["number"].as_str().unwrap(),
            &clerk,
            moving("acceptance", "accept", json!({"colour": "blue"})),
        )
        .await;
    assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "colour");
}

#[tokio::test]
async fn changes_need_a_session_and_its_csrf_token() {
    let t = bureau().await;
    let anonymous = t.get("/api/v1/cases").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.content_type(), "application/problem+json");

    let clerk = sign_in(&t, "clerk").await;
    let forged = Session {
        cookie: clerk.cookie.clone(),
        csrf: "not-the-token".into(),
    };
    let reply = t
        .post_parts("/api/v1/cases", &forged, &application(), &[])
        .await;
    assert_problem(&reply, StatusCode::FORBIDDEN, "X-CSRF-Token");
    assert_eq!(case_count(&t, &clerk).await, 0);
}

/// The shipped definition of items decided on the spot.
fn on_the_spot() -> &'static str {
    onewindow_domain::process::SHIPPED_SOURCES
        .iter()
        .find(|(file, _)| *file == "on_the_spot.toml")
        .map(|(_, source)| *source)
        .expect("the shipped on-the-spot definition")
}

async fn post_toml(t: &TestApp, session: &Session, source: &str) -> support::Reply {
    t.send_as(
        Method::POST,
        "/api/v1/processes",
        session,
        "application/toml",
        source.as_bytes().to_vec(),
        &[],
    )
    .await
}

/// The shipped on-the-spot definition as a new code, with one more step nothing leads to.
fn unreachable_definition() -> (String, usize) {
    let mut source = on_the_spot().replace("PROC-ON-THE-SPOT", "PROC-TEST-ORPHAN");
    let line = source.lines().count() + 3;
    source.push_str(
        "\n[[steps]]\nid = \"orphan\"\nkind = \"review\"\nname_zh = \"孤立步骤\"\nname_en = \"Orphan\"\nroles = [\"reviewer\"]\nbudget_days = 1\n\n[[steps.outcomes]]\nkey = \"done\"\nname_zh = \"完成\"\nname_en = \"Done\"\nnext = \"issued\"\n",
    );
    (source, line)
}

#[tokio::test]
async fn a_definition_with_an_unreachable_step_is_a_422_with_its_line() {
    let t = bureau().await;
    let admin = sign_in(&t, "admin").await;
    let (source, line) = unreachable_definition();
    let reply = post_toml(&t, &admin, &source).await;
    let doc = assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "definition");
    assert!(
        messages(&doc).contains(&format!("line {line}: ")),
        "line {line}: {doc}"
    );
    assert!(messages(&doc).contains("can never be reached"), "{doc}");
    let listed = t.get_as("/api/v1/processes", &admin).await.json();
    assert!(
        !listed.to_string().contains("PROC-TEST-ORPHAN"),
        "nothing saved"
    );
}

#[tokio::test]
async fn only_an_administrator_saves_definitions_and_sets_an_items_process() {
    let t = bureau().await;
    let source = on_the_spot().replace("version = 1", "version = 2");
    let clerk = sign_in(&t, "clerk").await;
    let admin = sign_in(&t, "admin").await;
    let refused = post_toml(&t, &clerk, &source).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "{}",
        refused.describe()
    );
    let saved = post_toml(&t, &admin, &source).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.describe());
    assert_eq!(saved.json()["version"], 2);
    let again = post_toml(&t, &admin, &source).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "versions never change");
    let detail = t
        .get_as("/api/v1/processes/PROC-ON-THE-SPOT", &clerk)
        .await
        .json();
    assert_eq!(detail["versions"].as_array().map(Vec::len), Some(2));

    let uri = format!("/api/v1/items/{ITEM}/process");
    let body = serde_json::to_vec(&json!({"definition": "PROC-ON-THE-SPOT"})).unwrap();
    let put = |s| t.send_as(Method::PUT, &uri, s, "application/json", body.clone(), &[]);
    assert_eq!(put(&clerk).await.status, StatusCode::FORBIDDEN);
    let set = put(&admin).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.describe());
    let case = t.submit_at_window(&clerk, "k").await;
    assert_eq!(case["definition"]["code"], "PROC-ON-THE-SPOT");
    assert_eq!(case["definition"]["version"], 2);
}
