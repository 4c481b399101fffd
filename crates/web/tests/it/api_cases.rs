//! The whole industrial licence journey through `/api/v1`, on SQLite and on PostgreSQL: an
//! enterprise applies online (or the clerk registers it at the window), the clerk sends the one
//! supplement notice, the applicant supplements and the clerk accepts; two inspectors pass the site; the
//! reviewer hands the issuance testing to the institute, whose staff report; the signatory
//! grants and the clerk issues. At each step the case says who may do what next, and at the
//! end it is issued with a licence number and a stopped clock that explains itself. Also the
//! head's extension of the time limit (art. 42).

use crate::support;

use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use support::TestApp;
use support::cases::{
    APPLICANT_ADDRESS, APPLICANT_NAME, DAY, DISTRICT_CLERK, INSPECTOR2, INSTITUTE, ITEM, Part,
    application, demo, material, moving, pdf, sign_in, text,
};

/// The outcomes offered, as `step/outcome`.
fn moves(case: &Value) -> Vec<String> {
    case["moves"]
        .as_array()
        .expect("a moves array")
        .iter()
        .map(|m| format!("{}/{}", m["step"]["id"], m["outcome"]["id"]).replace('"', ""))
        .collect()
}

fn need<'a>(case: &'a Value, outcome: &str, field: &str) -> &'a Value {
    case["moves"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["outcome"]["id"] == outcome))
        .and_then(|m| m["needs"].as_array())
        .and_then(|ns| ns.iter().find(|n| n["field"] == field))
        .unwrap_or_else(|| panic!("{outcome} needs {field}: {case}"))
}

fn event_types(case: &Value) -> Vec<&str> {
    case["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .map(|e| e["type"].as_str().expect("a type"))
        .collect()
}

/// Where the application comes in: online by the enterprise's own user, or registered by a
/// window clerk for an applicant at the counter.
#[derive(Clone, Copy, PartialEq)]
enum Channel {
    Online,
    Window,
}

async fn journey(t: TestApp, channel: Channel) {
    demo(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    // The demo enterprise `enterprise` applies for itself; at the window the clerk names the
    // applicant.
    let applicant = match channel {
        Channel::Online => sign_in(&t, "enterprise").await,
        Channel::Window => clerk.clone(),
    };
    let created = match channel {
        Channel::Online => {
            let parts: Vec<Part> = application()
                .into_iter()
                .filter(|p| !matches!(p, Part::Text(name, _) if name.starts_with("applicant")))
                .collect();
            let reply = t
                .post_parts(
                    "/api/v1/cases",
                    &applicant,
                    &parts,
                    &[("idempotency-key", "online-1")],
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
            let again = t
                .post_parts(
                    "/api/v1/cases",
                    &applicant,
                    &parts,
                    &[("idempotency-key", "online-1")],
                )
                .await;
            assert_eq!(
                again.status,
                StatusCode::OK,
                "a retry makes no second case: {}",
                again.describe()
            );
            assert_eq!(again.json()["number"], reply.json()["number"]);
            reply.json()
        }
        Channel::Window => t.submit_at_window(&clerk, "window-1").await,
    };
    let number = created["number"].as_str().expect("a number").to_owned();
    assert_eq!(created["item"]["id"], ITEM);
    assert_eq!(
        created["channel"],
        match channel {
            Channel::Online => "online",
            Channel::Window => "window",
        }
    );
    assert_eq!(created["status"]["key"], "submitted");
    assert_eq!(created["materials"].as_array().map(Vec::len), Some(6));
    let case = t.case_as(&number, &clerk).await;
    assert_eq!(
        moves(&case),
        [
            "acceptance/accept",
            "acceptance/request_supplement",
            "acceptance/refuse"
        ]
    );
    assert_eq!(need(&case, "request_supplement", "items")["kind"], "list");

    let case = t
        .act(
            &number,
            &clerk,
            moving(
                "acceptance",
                "request_supplement",
                json!({"items": ["营业执照副本（加盖公章）"]}),
            ),
        )
        .await;
    assert_eq!(case["status"]["key"], "awaiting_supplement");
    let case = t.case_as(&number, &applicant).await;
    assert_eq!(
        moves(&case),
        ["supplement/supplemented", "supplement/withdraw"],
        "the applicant (or the clerk at the counter) supplements"
    );

    // The supplement with its file: multipart.
    let version = case["version"].to_string();
    let reply = t
        .post_parts(
            &format!("/api/v1/cases/{number}/moves"),
            &applicant,
            &[
                text("step", "supplement"),
                text("outcome", "supplemented"),
                text("expected_version", &version),
                material("营业执照", "licence.pdf", pdf("营业执照")),
            ],
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(reply.json()["status"]["key"], "submitted");
    assert_eq!(reply.json()["materials"].as_array().map(Vec::len), Some(7));

    let case = t
        .act(&number, &clerk, moving("acceptance", "accept", json!({})))
        .await;
    assert_eq!(case["status"]["key"], "under_review");
    assert!(moves(&case).is_empty(), "nothing more for the clerk now");
    assert_eq!(case["clock"]["statutory_days"], 60);

    let inspector = sign_in(&t, "inspector").await;
    let queue = t.get_as("/api/v1/cases", &inspector).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.describe());
    let row = &queue.json()["items"][0];
    assert_eq!(row["number"], number.as_str(), "in the inspector's queue");
    assert!(row["waiting_seconds"].is_i64());
    let case = t.case_as(&number, &inspector).await;
    let inspectors = need(&case, "pass", "inspectors");
    assert_eq!(
        (inspectors["kind"].as_str(), inspectors["min"].as_u64()),
        (Some("users"), Some(2))
    );
    t.act(
        &number,
        &inspector,
        moving(
            "onsite_verification",
            "pass",
            json!({"inspectors": ["inspector", INSPECTOR2]}),
        ),
    )
    .await;

    let reviewer = sign_in(&t, "reviewer").await;
    let case = t.case_as(&number, &reviewer).await;
    let hand_over = need(&case, "conforms", "hand_over");
    assert_eq!(hand_over["step"], "issuance_testing");
    assert_eq!(hand_over["institute"], true);
    let case = t
        .act(
            &number,
            &reviewer,
            moving(
                "document_review",
                "conforms",
                json!({"opinion": "材料齐全，符合要求", "hand_over": {"issuance_testing": INSTITUTE}}),
            ),
        )
        .await;
    assert_eq!(case["status"]["key"], "paused");
    assert_eq!(case["clock_status"], "paused");
    assert_eq!(case["clock"]["open_pause"]["reason"]["key"], "testing");

    let lab = sign_in(&t, "institute").await;
    let case = t.case_as(&number, &lab).await;
    assert_eq!(case["acting_org"], INSTITUTE);
    let reported = t
        .try_move(
            &number,
            &lab,
            moving(
                "issuance_testing",
                "pass",
                json!({"result": "样品检验合格（报告 2026-0456）"}),
            ),
        )
        .await;
    assert_eq!(
        reported.status,
        StatusCode::OK,
        "the institute still sees the case it reported on: {}",
        reported.describe()
    );
    assert!(moves(&reported.json()).is_empty(), "but only to read it");

    let signatory = sign_in(&t, "signatory").await;
    let waiting = t.get_as("/api/v1/cases", &signatory).await.json();
    assert_eq!(waiting["items"][0]["number"], number.as_str());
    t.act(&number, &signatory, moving("decision", "grant", json!({})))
        .await;
    let case = t
        .act(&number, &clerk, moving("certificate", "issue", json!({})))
        .await;

    assert_eq!(case["status"]["key"], "issued");
    assert_eq!(case["status"]["zh"], "已发证");
    assert!(case["licence_number"].is_string(), "{case}");
    if channel == Channel::Window {
        // The licence carries the name and domicile declared at the counter (RULES.md §2).
        let number = case["licence_number"].as_str().expect("a number");
        let licence = t
            .get(&format!("/api/v1/licences/{}", support::encode(number)))
            .await
            .json();
        let text = licence.to_string();
        assert!(text.contains(APPLICANT_NAME), "{licence}");
        assert!(text.contains(APPLICANT_ADDRESS), "{licence}");
        assert!(!text.contains("统一社会信用代码 "), "{licence}");
        // The case names its applicant as declared, too.
        assert_eq!(case["applicant_name"], APPLICANT_NAME, "{case}");
    } else {
        // An online applicant is a registered enterprise: its record names it.
        let name = case["applicant_name"].as_str().expect("a name");
        assert!(
            !name.trim().is_empty() && name != case["applicant"],
            "{case}"
        );
    }
    assert_eq!(case["open"], false);
    assert!(moves(&case).is_empty());
    assert_eq!(case["clock"]["stopped"]["outcome"]["key"], "decided");
    let explanation = case["clock"]["explanation"].as_array().expect("lines");
    assert!(explanation.len() >= 3, "{explanation:?}");
    assert!(
        explanation
            .iter()
            .all(|l| l["zh"].is_string() && l["en"].is_string())
    );
    let types = event_types(&case);
    for expected in [
        "submitted",
        "supplement_requested",
        "supplemented",
        "accepted",
        "on_site_verified",
        "handed_over",
        "pause_started",
        "pause_ended",
        "granted",
        "licence_issued",
    ] {
        assert!(types.contains(&expected), "{expected} in {types:?}");
    }
    let handed = case["timeline"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["type"] == "handed_over"))
        .expect("a hand-over");
    assert_eq!(handed["fields"]["org"], INSTITUTE);
    assert_eq!(handed["actor"]["role"], "system");

    let clock = t
        .get_as(&format!("/api/v1/cases/{number}/clock"), &clerk)
        .await;
    assert_eq!(clock.status, StatusCode::OK, "{}", clock.describe());
    assert_eq!(clock.json()["clock"], case["clock"]);

    let first = &case["materials"][0];
    let download = t
        .get_as(first["download_url"].as_str().expect("a URL"), &clerk)
        .await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.describe());
    assert_eq!(download.content_type(), "application/pdf");
    assert_eq!(
        download.header(header::CONTENT_DISPOSITION),
        format!(
            "attachment; filename=\"{}.pdf\"",
            first["content_hash"].as_str().unwrap()
        )
    );
    assert_eq!(download.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(download.body.starts_with(b"%PDF-"));

    if channel == Channel::Online {
        let mine = t.case_as(&number, &applicant).await;
        assert_eq!(
            mine["status"]["key"], "issued",
            "the applicant sees the licence"
        );
        let stranger = sign_in(&t, "enterprise2").await;
        let hidden = t
            .get_as(&format!("/api/v1/cases/{number}"), &stranger)
            .await;
        assert_eq!(
            hidden.status,
            StatusCode::NOT_FOUND,
            "{}",
            hidden.describe()
        );
    }

    let district = sign_in(&t, DISTRICT_CLERK).await;
    let hidden = t
        .get_as(&format!("/api/v1/cases/{number}"), &district)
        .await;
    assert_eq!(
        hidden.status,
        StatusCode::NOT_FOUND,
        "{}",
        hidden.describe()
    );
}

#[tokio::test]
async fn the_industrial_licence_journey_runs_through_the_api_on_sqlite() {
    journey(TestApp::empty_sqlite(DAY).await, Channel::Online).await;
}

#[tokio::test]
async fn the_industrial_licence_journey_runs_through_the_api_on_postgres() {
    let Some(t) = TestApp::empty_postgres(DAY).await else {
        return;
    };
    journey(t, Channel::Online).await;
}

#[tokio::test]
async fn an_application_registered_at_the_window_takes_the_same_journey() {
    journey(TestApp::empty_sqlite(DAY).await, Channel::Window).await;
}

#[tokio::test]
async fn the_head_extends_the_limit_once_with_reasons_and_no_one_else_may() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    let number = t.submit_at_window(&clerk, "k").await["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    t.act(&number, &clerk, moving("acceptance", "accept", json!({})))
        .await;
    let uri = format!("/api/v1/cases/{number}/extension");
    let head = sign_in(&t, "head").await;
    let case = t.case_as(&number, &head).await;
    assert_eq!(case["may_extend"], true);
    let body = |version: &Value| json!({"days": 10, "reason": "需组织专家论证", "expected_version": version});

    let refused = t.post_json_as(&uri, &clerk, &body(&case["version"])).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "{}",
        refused.describe()
    );

    let extended = t.post_json_as(&uri, &head, &body(&case["version"])).await;
    assert_eq!(extended.status, StatusCode::OK, "{}", extended.describe());
    let case = extended.json();
    assert_eq!(case["clock"]["extension_days"], 10);
    assert_eq!(case["may_extend"], false);
    let extension = case["timeline"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["type"] == "extended"))
        .expect("an extension event");
    assert_eq!(extension["fields"]["reason"], "需组织专家论证");
    assert_eq!(extension["actor"]["role"], "head");

    let again = t.post_json_as(&uri, &head, &body(&case["version"])).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.describe());
    assert!(again.json()["detail"].as_str().unwrap().contains("art. 42"));
    assert_eq!(again.json()["case"]["clock"]["extension_days"], 10);
}
