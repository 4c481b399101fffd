//! The JSON API under `/api/v1`, `/healthz` and `/metrics`, through the whole router: list and
//! detail shapes, every filter, and that every bad input is a 4xx problem document naming the
//! parameter at fault, never a 500.

use crate::support;

use axum::http::StatusCode;
use support::{CABLE, CABLE_DRAFT, PENALTY, PUMP, PUMP_GUIDE, TestApp, assert_problem, encode};

fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["items"]
        .as_array()
        .expect("an items array")
        .iter()
        .map(|i| i["code"].as_str().expect("a code").to_owned())
        .collect()
}

#[tokio::test]
async fn the_power_list_answers_with_a_page_of_summaries() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/powers").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert!(reply.content_type().starts_with("application/json"));
    let doc = reply.json();
    assert_eq!(doc["total"], 3);
    assert_eq!(doc["page"], 1);
    assert_eq!(doc["per_page"], 50);
    assert_eq!(doc["pages"], 1);
    assert_eq!(codes(&doc), [PENALTY, PUMP, CABLE]);
    let pump = &doc["items"][1];
    assert_eq!(pump["name_zh"], "泵类产品生产许可");
    assert_eq!(pump["category"]["key"], "01");
    assert_eq!(pump["category"]["zh"], "行政许可");
    assert_eq!(pump["status"]["key"], "in_force");
    assert_eq!(pump["source"]["key"], "statutory");
    assert_eq!(pump["implementing_org"], "210200");
}

#[tokio::test]
async fn one_chinese_character_finds_the_power_whose_name_holds_it() {
    let t = TestApp::new().await;
    let doc = t
        .get(&format!("/api/v1/powers?q={}", encode("泵")))
        .await
        .json();
    assert_eq!(codes(&doc), [PUMP]);
    assert_eq!(doc["total"], 1);
}

#[tokio::test]
async fn category_status_org_and_source_each_narrow_the_power_list() {
    let t = TestApp::new().await;
    for (query, expected) in [
        ("category=02", vec![PENALTY]),
        ("category=01", vec![PUMP, CABLE]),
        ("status=cancelled", vec![PENALTY]),
        ("status=in_force", vec![PUMP, CABLE]),
        ("status=delegated_down", vec![]),
        ("org=210202", vec![CABLE]),
        ("source=entrusted", vec![PENALTY]),
        ("source=delegated", vec![CABLE]),
        ("category=01&org=210200", vec![PUMP]),
    ] {
        let reply = t.get(&format!("/api/v1/powers?{query}")).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{query}: {}",
            reply.describe()
        );
        assert_eq!(codes(&reply.json()), expected, "{query}");
    }
}

#[tokio::test]
async fn per_page_and_page_cut_the_list() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/powers?per_page=1&page=2").await.json();
    assert_eq!(codes(&doc), [PUMP]);
    assert_eq!(doc["total"], 3);
    assert_eq!(doc["page"], 2);
    assert_eq!(doc["per_page"], 1);
    assert_eq!(doc["pages"], 3);
    let past_the_end = t.get("/api/v1/powers?per_page=1&page=9").await.json();
    assert_eq!(codes(&past_the_end), Vec::<String>::new());
    assert_eq!(past_the_end["total"], 3);
}

#[tokio::test]
async fn every_bad_list_parameter_is_a_400_problem_naming_it() {
    let t = TestApp::new().await;
    let long = "泵".repeat(101);
    let cases = [
        ("colour=red", "colour"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=-1", "page"),
        ("page=99999999999", "page"),
        ("per_page=1000", "per_page"),
        ("per_page=0", "per_page"),
        ("category=99", "category"),
        ("status=gone", "status"),
        ("source=x", "source"),
        ("org=abc", "org"),
        ("category=01&category=02", "category"),
        ("q=a&q=b", "q"),
    ];
    for (query, name) in cases {
        let reply = t.get(&format!("/api/v1/powers?{query}")).await;
        let doc = assert_problem(&reply, StatusCode::BAD_REQUEST, name);
        assert!(
            doc["detail"].as_str().unwrap().contains(name),
            "{query}: the detail names {name}: {doc}"
        );
    }
    let reply = t.get(&format!("/api/v1/powers?q={}", encode(&long))).await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "q");
}

#[tokio::test]
async fn every_bad_item_list_parameter_is_a_400_problem_naming_it() {
    let t = TestApp::new().await;
    for (query, name) in [
        ("status=draft", "status"),
        ("power=abc", "power"),
        ("page=0", "page"),
        ("per_page=201", "per_page"),
    ] {
        let reply = t.get(&format!("/api/v1/items?{query}")).await;
        assert_problem(&reply, StatusCode::BAD_REQUEST, name);
    }
}

#[tokio::test]
async fn an_unknown_power_code_is_a_404_problem() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/powers/XK-9999-999").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.describe());
    assert_eq!(reply.content_type(), "application/problem+json");
    let doc = reply.json();
    assert_eq!(doc["status"], 404);
    assert!(
        doc["detail"].as_str().unwrap().contains("XK-9999-999"),
        "{doc}"
    );
}

#[tokio::test]
async fn a_malformed_power_code_is_a_400_problem_naming_the_code() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/powers/abc").await;
    let doc = assert_problem(&reply, StatusCode::BAD_REQUEST, "code");
    assert!(
        doc["detail"].as_str().unwrap().contains("uppercase"),
        "{doc}"
    );
    let reply = t.get(&format!("/api/v1/powers/{}", encode("泵"))).await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "code");
}

#[tokio::test]
async fn the_detail_endpoints_refuse_any_query_parameter() {
    let t = TestApp::new().await;
    let reply = t.get(&format!("/api/v1/powers/{PUMP}?lang=en")).await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "lang");
    let reply = t.get(&format!("/api/v1/items/{PUMP_GUIDE}?x=1")).await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "x");
}

#[tokio::test]
async fn a_power_shows_its_history_and_only_its_published_guides() {
    let t = TestApp::new().await;
    let reply = t.get(&format!("/api/v1/powers/{PENALTY}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let doc = reply.json();
    assert_eq!(doc["code"], PENALTY);
    assert_eq!(doc["status"]["key"], "cancelled");
    assert_eq!(doc["history"][1]["kind"]["key"], "cancelled");
    assert_eq!(doc["history"][1]["decree"], "辽政发〔2020〕1号");
    assert_eq!(doc["legal_basis"][0]["article"], "第三十二条");

    let pump = t.get(&format!("/api/v1/powers/{PUMP}")).await.json();
    assert_eq!(pump["item_codes"], serde_json::json!([PUMP_GUIDE]));
    let cable = t.get(&format!("/api/v1/powers/{CABLE}")).await.json();
    assert_eq!(
        cable["item_codes"],
        serde_json::json!([]),
        "the draft is not shown"
    );
}

#[tokio::test]
async fn the_item_list_shows_only_published_guides() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/items").await.json();
    assert_eq!(codes(&doc), [PUMP_GUIDE]);
    assert_eq!(doc["total"], 1);
    let by_power = t.get(&format!("/api/v1/items?power={CABLE}")).await.json();
    assert_eq!(by_power["total"], 0);
}

#[tokio::test]
async fn a_published_guide_is_served_whole() {
    let t = TestApp::new().await;
    let reply = t.get(&format!("/api/v1/items/{PUMP_GUIDE}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let doc = reply.json();
    assert_eq!(doc["code"], PUMP_GUIDE);
    assert_eq!(doc["fees"], "不收费");
    assert_eq!(doc["phone"], "0411-00000000");
}

#[tokio::test]
async fn a_draft_guide_is_not_found_by_the_public() {
    let t = TestApp::new().await;
    let reply = t.get(&format!("/api/v1/items/{CABLE_DRAFT}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.describe());
    assert_eq!(reply.content_type(), "application/problem+json");
    assert!(
        !reply.text().contains("电线电缆"),
        "nothing of the draft leaks"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_catalogue_paths() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("application/json"));
    let doc = reply.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with('3'),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/api/v1/powers",
        "/api/v1/powers/{code}",
        "/api/v1/items",
        "/api/v1/items/{code}",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
}

#[tokio::test]
async fn healthz_answers_ok_when_the_database_does() {
    let t = TestApp::new().await;
    let reply = t.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["database"], "sqlite");
}

#[tokio::test]
async fn metrics_are_not_found_when_they_are_off() {
    let t = TestApp::new().await;
    let reply = t.get("/metrics").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text().contains("not enabled"), "{}", reply.describe());
}

#[tokio::test]
async fn search_ignores_case_and_takes_like_wildcards_literally() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/powers?q=xk-0101-001").await.json();
    assert_eq!(codes(&doc), [PUMP]);
    for wildcard in ["%25", "_", "%5C"] {
        let doc = t.get(&format!("/api/v1/powers?q={wildcard}")).await.json();
        assert_eq!(doc["total"], 0, "q={wildcard}");
    }
}

#[tokio::test]
async fn a_page_far_past_the_end_is_empty_not_an_error() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/powers?per_page=1&page=4294967295").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(reply.json()["items"], serde_json::json!([]));
}

#[tokio::test]
async fn a_code_that_is_not_utf8_is_a_problem_naming_the_code() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/powers/%FF").await;
    assert_problem(&reply, StatusCode::BAD_REQUEST, "code");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_problem() {
    let t = TestApp::new().await;
    let reply = t.get("/api/v1/no-such-endpoint").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.content_type(), "application/problem+json");
}
