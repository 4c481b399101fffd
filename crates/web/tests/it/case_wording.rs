//! What people read on a case page: the clock's explanation, the clock panel and the timeline
//! name steps, orgs and roles (材料审查, 大连市质检院, 机关负责人) in both languages, never their
//! keys; and the institute that reported a test still sees the case it worked on, read-only.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;
use support::TestApp;
use support::cases::{DAY, INSPECTOR2, INSTITUTE, demo, moving, sign_in};

/// The same person reading in English.
fn in_english(session: &support::Session) -> support::Session {
    support::Session {
        cookie: format!("{}; ow_lang=en", session.cookie),
        csrf: session.csrf.clone(),
    }
}

/// A window case taken to the institute's test report, extended by the head on the way.
async fn tested_case(t: &TestApp) -> String {
    demo(t).await;
    let clerk = sign_in(t, "clerk").await;
    let number = t.submit_at_window(&clerk, "wording").await["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    t.act(&number, &clerk, moving("acceptance", "accept", json!({})))
        .await;
    let head = sign_in(t, "head").await;
    let version = t.case_as(&number, &head).await["version"].clone();
    let extended = t
        .post_json_as(
            &format!("/api/v1/cases/{number}/extension"),
            &head,
            &json!({"days": 10, "reason": "需组织专家论证", "expected_version": version}),
        )
        .await;
    assert_eq!(extended.status, StatusCode::OK, "{}", extended.describe());
    let inspector = sign_in(t, "inspector").await;
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
    let reviewer = sign_in(t, "reviewer").await;
    t.act(
        &number,
        &reviewer,
        moving(
            "document_review",
            "conforms",
            json!({"opinion": "材料齐全", "hand_over": {"issuance_testing": INSTITUTE}}),
        ),
    )
    .await;
    number
}

#[tokio::test]
async fn the_case_page_names_steps_orgs_and_roles_in_chinese_and_english() {
    let t = TestApp::empty_sqlite(DAY).await;
    let number = tested_case(&t).await;
    let reviewer = sign_in(&t, "reviewer").await;

    let zh = t.get_as(&format!("/cases/{number}"), &reviewer).await;
    assert_eq!(zh.status, StatusCode::OK, "{}", zh.describe());
    let zh = zh.text();
    for named in [
        "进入“材料审查”环节",
        "经机关负责人批准延长10个工作日",
        "大连市质检院",
        "“发证检验”交由大连市产品质量监督检验所（大连市质检院）办理",
        "机关负责人 head",
        "受理通知书 SL-",
    ] {
        assert!(zh.contains(named), "{named} in {zh}");
    }
    let en = t
        .get_as(&format!("/cases/{number}"), &in_english(&reviewer))
        .await
        .text();
    for named in [
        "step “Document review” began",
        "Head of organ approved an extension",
        "“Issuance testing” handed to Dalian Institute of Product Quality",
    ] {
        assert!(en.contains(named), "{named} in {en}");
    }
    for page in [&zh, &en] {
        for key in [
            "“document_review”",
            "“issuance_testing”",
            "经head批准",
            "(head)",
            "210200-ZJY",
            "acceptance SL-",
        ] {
            assert!(!page.contains(key), "no key {key} on the page: {page}");
        }
    }
}

#[tokio::test]
async fn the_institute_still_sees_the_case_it_reported_on_but_may_do_nothing_there() {
    let t = TestApp::empty_sqlite(DAY).await;
    let number = tested_case(&t).await;
    let lab = sign_in(&t, "institute").await;
    let reported = t
        .try_move(
            &number,
            &lab,
            moving(
                "issuance_testing",
                "pass",
                json!({"result": "样品检验合格"}),
            ),
        )
        .await;
    assert_eq!(reported.status, StatusCode::OK, "{}", reported.describe());
    let case = reported.json();
    assert_eq!(case["status"]["key"], "awaiting_decision");
    assert_eq!(case["moves"], json!([]), "read-only: {case}");

    let page = t.get_as(&format!("/cases/{number}"), &lab).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    assert!(page.text().contains("样品检验合格"), "{}", page.text());
    assert!(!page.text().contains(r#"id="moves""#), "no move forms");

    // Staff of an org nothing was handed to still see nothing.
    let district = sign_in(&t, support::cases::DISTRICT_CLERK).await;
    let hidden = t.get_as(&format!("/cases/{number}"), &district).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_workbench_names_the_item_and_the_step_a_case_waits_at() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    let number = t.submit_at_window(&clerk, "queue").await["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    let bench = t.get_as("/workbench", &clerk).await;
    assert_eq!(bench.status, StatusCode::OK, "{}", bench.describe());
    let page = bench.text();
    let row = &page[page
        .find(&format!(r#"data-case="{number}""#))
        .expect("the row")..];
    let row = &row[..row.find("</tr>").unwrap_or(row.len())];
    assert!(row.contains("等待：受理"), "{row}");
    assert!(
        row.contains("工业产品生产许可证核发（泵）"),
        "the item by its name: {row}"
    );
    assert!(!row.contains("acceptance"), "no step key: {row}");
    let english = t.get_as("/workbench", &in_english(&clerk)).await.text();
    assert!(english.contains("Waiting at: Acceptance"), "{english}");
}
