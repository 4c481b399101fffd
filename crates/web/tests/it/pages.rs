//! The public pages through the whole router: each renders in Chinese with the demo banner, the
//! power list filters, a bad filter is a 400 page saying what is wrong, and the language switch
//! sets its cookie and only ever returns to a path on this site.

use crate::support;

use axum::http::{StatusCode, header};
use support::{CABLE, CABLE_DRAFT, PENALTY, PUMP, PUMP_GUIDE, TestApp, encode};

#[track_caller]
fn assert_page(reply: &support::Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.describe());
    assert!(
        reply.content_type().starts_with("text/html"),
        "{}",
        reply.content_type()
    );
    reply.text()
}

#[tokio::test]
async fn every_public_page_renders_in_chinese_with_the_demo_banner() {
    let t = TestApp::new().await;
    for uri in [
        "/".to_owned(),
        "/powers".to_owned(),
        format!("/powers/{PUMP}"),
        format!("/powers/{PENALTY}"),
        "/items".to_owned(),
        format!("/items/{PUMP_GUIDE}"),
        "/overview".to_owned(),
    ] {
        let html = assert_page(&t.get(&uri).await, StatusCode::OK);
        assert!(html.contains(r#"<html lang="zh-CN">"#), "{uri}");
        assert!(html.contains(r#"class="demo-banner""#), "{uri}");
    }
}

#[tokio::test]
async fn a_site_without_demo_data_shows_no_banner() {
    let t = TestApp::with_demo_flag(false).await;
    let html = assert_page(&t.get("/").await, StatusCode::OK);
    assert!(!html.contains("demo-banner"));
}

#[tokio::test]
async fn the_power_list_page_lists_every_power() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/powers").await, StatusCode::OK);
    assert_eq!(html.matches(r#"class="power-link""#).count(), 3);
    for code in [PUMP, CABLE, PENALTY] {
        assert!(
            html.contains(&format!(r#"href="/powers/{code}""#)),
            "{code}"
        );
    }
}

#[tokio::test]
async fn searching_the_power_page_for_one_character_lists_only_matching_rows() {
    let t = TestApp::new().await;
    let reply = t.get(&format!("/powers?q={}", encode("泵"))).await;
    let html = assert_page(&reply, StatusCode::OK);
    assert_eq!(html.matches(r#"class="power-link""#).count(), 1);
    assert!(html.contains(&format!(r#"href="/powers/{PUMP}""#)));
    assert!(html.contains("泵类产品生产许可"));
    assert!(!html.contains("电线电缆生产许可"));
    assert!(
        html.contains(r#"value="泵""#),
        "the search box keeps the text"
    );
}

#[tokio::test]
async fn a_bad_filter_on_the_power_page_is_a_400_page_saying_what_is_wrong() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/powers?category=99").await, StatusCode::BAD_REQUEST);
    assert!(html.contains(r#"role="alert""#));
    assert!(html.contains("category"), "names the parameter");
    assert!(html.contains("99"), "quotes the value");
    assert!(!html.contains(r#"class="power-link""#), "lists nothing");
}

#[tokio::test]
async fn a_bad_filter_on_the_guide_list_is_a_400_page() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/items?page=0").await, StatusCode::BAD_REQUEST);
    assert!(html.contains("page"));
}

#[tokio::test]
async fn a_repeated_parameter_on_a_page_is_a_400_page_not_a_problem_document() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/powers?q=a&q=b").await, StatusCode::BAD_REQUEST);
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains("q"));
}

#[tokio::test]
async fn an_unknown_power_is_a_404_page() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/powers/XK-9999-999").await, StatusCode::NOT_FOUND);
    assert!(html.contains("未找到"));
    assert!(html.contains("XK-9999-999"));
}

#[tokio::test]
async fn a_malformed_power_code_is_a_400_page() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/powers/abc").await, StatusCode::BAD_REQUEST);
    assert!(html.contains("uppercase"));
}

#[tokio::test]
async fn a_draft_guide_page_is_not_found_by_the_public_but_shown_to_staff() {
    let t = TestApp::new().await;
    let uri = format!("/items/{CABLE_DRAFT}");
    assert_page(&t.get(&uri).await, StatusCode::NOT_FOUND);
    let admin = t.sign_in(support::ADMIN).await;
    let html = assert_page(&t.get_with(&uri, &admin.cookie).await, StatusCode::OK);
    assert!(html.contains("电线电缆生产许可证核发"));
}

#[tokio::test]
async fn the_guide_page_has_the_time_limit_fee_material_and_contact_sections() {
    let t = TestApp::new().await;
    let html = assert_page(
        &t.get(&format!("/items/{PUMP_GUIDE}")).await,
        StatusCode::OK,
    );
    for id in ["time-limits", "fees", "materials", "contact"] {
        assert!(
            html.contains(&format!(r#"<section id="{id}">"#)),
            "section {id}"
        );
    }
    assert!(html.contains("0411-00000000"));
    assert!(html.contains("20个工作日"));
}

#[tokio::test]
async fn the_language_switch_sets_its_cookie_and_returns_to_the_page() {
    let t = TestApp::new().await;
    let reply = t.get("/lang/en?back=/powers").await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(reply.header(header::LOCATION), "/powers");
    let cookie = reply.header(header::SET_COOKIE);
    assert!(cookie.starts_with("ow_lang=en;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    let html = assert_page(&t.get_with("/powers", "ow_lang=en").await, StatusCode::OK);
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Power list"));
    assert!(!html.contains("权力清单"));
}

#[tokio::test]
async fn the_language_switch_back_to_chinese_sets_zh() {
    let t = TestApp::new().await;
    let reply = t.get("/lang/zh?back=/overview").await;
    assert_eq!(reply.header(header::LOCATION), "/overview");
    assert!(reply.header(header::SET_COOKIE).starts_with("ow_lang=zh;"));
}

#[tokio::test]
async fn the_language_switch_never_sends_the_reader_off_the_site() {
    let t = TestApp::new().await;
    for back in [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "evil.example",
    ] {
        let reply = t.get(&format!("/lang/en?back={}", encode(back))).await;
        assert!(
            reply.status.is_redirection(),
            "{back}: {}",
            reply.describe()
        );
        assert_eq!(reply.header(header::LOCATION), "/", "{back}");
    }
}

/// Browsers drop tabs and line breaks from a URL before resolving it (WHATWG URL parser), so
/// `Location: /<TAB>/evil.example` goes to `//evil.example`: another site.
#[tokio::test]
async fn the_language_switch_refuses_a_back_path_with_a_tab() {
    let t = TestApp::new().await;
    let reply = t.get("/lang/en?back=/%09/evil.example").await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(reply.header(header::LOCATION), "/");
}

#[tokio::test]
async fn the_language_switch_refuses_a_back_path_with_a_line_break() {
    let t = TestApp::new().await;
    let reply = t.get("/lang/en?back=/%0D%0ASet-Cookie:x=1").await;
    assert!(reply.status.is_redirection(), "{}", reply.describe());
    assert_eq!(reply.header(header::LOCATION), "/");
}

#[tokio::test]
async fn the_language_switch_link_returns_to_the_same_search() {
    let t = TestApp::new().await;
    let here = format!("/powers?q={}", encode("泵"));
    let html = assert_page(&t.get(&here).await, StatusCode::OK);
    let link = html
        .split(r#"id="lang-switch" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a language switch");
    let reply = t.get(link).await;
    assert!(
        reply.status.is_redirection(),
        "{link}: {}",
        reply.describe()
    );
    assert_eq!(reply.header(header::LOCATION), here);
}

#[tokio::test]
async fn the_overview_counts_the_powers_in_force() {
    let t = TestApp::new().await;
    let html = assert_page(&t.get("/overview").await, StatusCode::OK);
    assert!(html.contains(r#"id="figures""#));
    assert!(html.contains(r#"id="by-category""#));
}

#[tokio::test]
async fn the_power_page_pager_keeps_the_filters() {
    let t = TestApp::new().await;
    let html = assert_page(
        &t.get("/powers?category=01&per_page=1&page=1").await,
        StatusCode::OK,
    );
    assert_eq!(html.matches(r#"class="power-link""#).count(), 1);
    assert!(
        html.contains(r#"<a href="/powers?category=01&#38;per_page=1&#38;page=2" rel="next">"#)
    );
    assert!(
        !html.contains(r#"rel="prev""#),
        "the first page has no previous"
    );
    assert!(html.contains("1 / 2"));
}

#[tokio::test]
async fn searching_the_guide_list_finds_the_published_guide() {
    let t = TestApp::new().await;
    let html = assert_page(
        &t.get(&format!("/items?q={}", encode("泵"))).await,
        StatusCode::OK,
    );
    assert!(html.contains(&format!(r#"href="/items/{PUMP_GUIDE}""#)));
    let html = assert_page(
        &t.get(&format!("/items?q={}", encode("电缆"))).await,
        StatusCode::OK,
    );
    assert!(!html.contains(CABLE_DRAFT), "drafts are not listed");
}
