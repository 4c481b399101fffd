//! Cases on an existing licence through `/api/v1` and the pages, on SQLite and PostgreSQL: the
//! demo enterprise applies to change its licence's holder name, the clerk accepts, the reviewer
//! reviews, the signatory grants — and the register shows the new name under the same number,
//! the case names the licence. Someone else's licence is refused naming `licence_number`; the
//! apply page asks for the licence and shows the form again with the problem; the holder's
//! licence page offers the applications.

use crate::support;

use axum::http::StatusCode;
use jiff::Span;
use onewindow_app::licences::IssueLicence;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::LicenceType;
use serde_json::json;
use support::cases::{DAY, Part, demo, material, moving, pdf, sign_in, text};
use support::{TestApp, assert_problem, encode};

/// The demo enterprise account `enterprise`.
const ENTERPRISE: &str = "91210211MA0Y4K7P";
const CHANGE_ITEM: &str = "BS-XK-0101-BG";
const RENEWAL_ITEM: &str = "BS-XK-0101-YX";

const CHANGE_MATERIALS: [&str; 3] = [
    "《全国工业产品生产许可证变更申请书》",
    "原全国工业产品生产许可证正、副本",
    "生产条件未发生变化的书面承诺",
];

/// A pump licence of `stem`, valid for 200 more days; its printed number.
async fn licence_of(t: &TestApp, stem: &str, case: &str) -> String {
    let valid_until = t.app.today().checked_add(Span::new().days(200)).unwrap();
    let issued_on = valid_until
        .tomorrow()
        .unwrap()
        .checked_sub(Span::new().years(5))
        .unwrap();
    t.app
        .issue_licence(IssueLicence {
            case_number: case.into(),
            item_code: CatalogueCode::parse("BS-XK-0101-002-XB").unwrap(),
            licence_type: LicenceType::IndustrialProduct,
            holder_name: "大连海通泵业有限公司".into(),
            holder_credit_code: CreditCode::complete(stem).unwrap(),
            production_address: "辽宁省大连市甘井子区".into(),
            scope: vec!["泵：离心泵".into()],
            issuing_org: OrgCode::parse("210200").unwrap(),
            issued_on,
            actor: "test".into(),
        })
        .await
        .expect("issued")
        .number
        .to_string()
}

fn change_parts(licence: &str, new_name: &str) -> Vec<Part> {
    let mut parts = vec![
        text("item", CHANGE_ITEM),
        text("licence_number", licence),
        text("holder_name", new_name),
    ];
    parts.extend(
        CHANGE_MATERIALS
            .iter()
            .map(|name| material(name, "scan.pdf", pdf(name))),
    );
    parts
}

async fn change_journey(t: TestApp) {
    demo(&t).await;
    let number = licence_of(&t, ENTERPRISE, "2021-900101").await;
    let enterprise = sign_in(&t, "enterprise").await;
    let reply = t
        .post_parts(
            "/api/v1/cases",
            &enterprise,
            &change_parts(&number, "大连海通泵业集团有限公司"),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
    let case = reply.json();
    let case_number = case["number"].as_str().expect("a number").to_owned();
    assert_eq!(case["about_licence"]["number"], number.as_str());
    assert_eq!(case["about_licence"]["request"], "change");
    assert_eq!(
        case["about_licence"]["holder_name"],
        "大连海通泵业集团有限公司"
    );
    assert_eq!(case["definition"]["code"], "PROC-LICENCE-CHANGE");

    let clerk = sign_in(&t, "clerk").await;
    t.act(
        &case_number,
        &clerk,
        moving("acceptance", "accept", json!({})),
    )
    .await;
    let reviewer = sign_in(&t, "reviewer").await;
    let review = moving(
        "document_review",
        "conforms",
        json!({"opinion": "变更事项属实"}),
    );
    t.act(&case_number, &reviewer, review).await;
    let signatory = sign_in(&t, "signatory").await;
    let after = t
        .act(
            &case_number,
            &signatory,
            moving("decision", "grant", json!({})),
        )
        .await;
    assert_eq!(after["status"]["key"], "issued", "{after}");
    assert_eq!(after["licence_number"], number.as_str());

    let reply = t
        .get(&format!("/api/v1/licences/{}", encode(&number)))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let licence = reply.json();
    assert_eq!(licence["number"], number.as_str(), "same number (art. 49)");
    assert_eq!(
        licence["holder_name"], "大连海通泵业集团有限公司",
        "{licence}"
    );
    let page = t
        .get_as(&format!("/cases/{case_number}"), &enterprise)
        .await;
    assert!(
        page.text().contains("id=\"about-licence-link\""),
        "the case page links the licence"
    );
}

#[tokio::test]
async fn a_licence_change_runs_through_the_api_on_sqlite() {
    change_journey(TestApp::empty_sqlite(DAY).await).await;
}

#[tokio::test]
async fn a_licence_change_runs_through_the_api_on_postgres() {
    let Some(t) = TestApp::empty_postgres(DAY).await else {
        return;
    };
    change_journey(t).await;
}

#[tokio::test]
async fn someone_elses_licence_is_refused_naming_the_field() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    // The demo's second enterprise holds it.
    let number = licence_of(&t, "91210213MA0QJ5X2", "2021-900102").await;
    let enterprise = sign_in(&t, "enterprise").await;
    let reply = t
        .post_parts(
            "/api/v1/cases",
            &enterprise,
            &change_parts(&number, "新名称"),
            &[],
        )
        .await;
    let problem = assert_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "licence_number");
    assert!(
        problem.to_string().contains("another enterprise"),
        "{problem}"
    );
    let reply = t
        .post_parts(
            "/api/v1/cases",
            &enterprise,
            &[text("item", RENEWAL_ITEM), text("licence_numbr", &number)],
            &[],
        )
        .await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "licence_numbr");
}

#[tokio::test]
async fn the_apply_page_asks_for_the_licence_and_shows_a_refusal_with_the_form() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let number = licence_of(&t, ENTERPRISE, "2021-900103").await;
    let enterprise = sign_in(&t, "enterprise").await;

    // The holder's licence page offers the applications, linking the apply page.
    let page = t
        .get_as(&format!("/licences/{}", encode(&number)), &enterprise)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"licence-applications\""), "{html}");
    let link = format!("/apply/{RENEWAL_ITEM}?licence=");
    assert!(html.contains(&link), "a renewal link");
    let public = t.get(&format!("/licences/{}", encode(&number))).await;
    assert!(
        !public.text().contains("licence-applications"),
        "not for the public"
    );

    let form = t
        .get_as(
            &format!("/apply/{RENEWAL_ITEM}?licence={}", encode(&number)),
            &enterprise,
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("name=\"licence_number\""));
    assert!(form.text().contains(&number), "filled in from the link");

    let typo = "（辽）XK13-006-99999";
    let reply = t
        .post_parts(
            &format!("/apply/{RENEWAL_ITEM}"),
            &enterprise,
            &[
                text("csrf", &enterprise.csrf),
                text("idempotency_key", "k1"),
                text("licence_number", typo),
            ],
            &[],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let html = reply.text();
    assert!(html.contains("licence_number"), "names the field: {html}");
    assert!(html.contains(typo), "the typed number is shown again");
}

#[tokio::test]
async fn a_second_case_on_a_licence_is_refused_on_the_api_and_under_the_field_on_the_page() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let number = licence_of(&t, ENTERPRISE, "2021-900104").await;
    let enterprise = sign_in(&t, "enterprise").await;
    let first = t
        .post_parts(
            "/api/v1/cases",
            &enterprise,
            &change_parts(&number, "大连海通泵业集团有限公司"),
            &[],
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.describe());
    let open = first.json()["number"]
        .as_str()
        .expect("a number")
        .to_owned();

    let again = t
        .post_parts(
            "/api/v1/cases",
            &enterprise,
            &change_parts(&number, "另一个名称"),
            &[],
        )
        .await;
    let problem = assert_problem(&again, StatusCode::UNPROCESSABLE_ENTITY, "licence_number");
    assert!(problem.to_string().contains(&open), "{problem}");

    let mut parts = change_parts(&number, "另一个名称");
    parts.retain(|p| !matches!(p, Part::Text(name, _) if name == "item"));
    parts.push(text("csrf", &enterprise.csrf));
    parts.push(text("idempotency_key", "k2"));
    let page = t
        .post_parts(&format!("/apply/{CHANGE_ITEM}"), &enterprise, &parts, &[])
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.describe()
    );
    let html = page.text();
    let under_field = html
        .split(r#"data-error-for="licence_number">"#)
        .nth(1)
        .and_then(|rest| rest.split("</span>").next())
        .unwrap_or_else(|| panic!("no message under licence_number: {html}"));
    assert!(under_field.contains(&open), "{under_field}");

    // The clerk's queue names the holder, its credit code small beside it.
    let clerk = sign_in(&t, "clerk").await;
    let queue = t.get_as("/workbench", &clerk).await.text();
    let row = queue
        .split(&format!(r#"data-case="{open}""#))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("case {open} not in the clerk's queue: {queue}"));
    assert!(
        row.contains(r#"大连海通阀门制造有限公司<div class="meta code">91210211MA0Y4K7P"#),
        "{row}"
    );
}
