//! Documents over HTTP: the published keys, the public verification page (the QR link, a
//! payload, an uploaded PDF — good and tampered), the JSON verification API, and the
//! administrator's template editor refusing a broken template with its line. Needs the CJK font.

use crate::support;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use onewindow_app::documents::{DocumentKind, DocumentRequest, Holder, StoredDocument, Template};
use support::{ADMIN, CLERK, TestApp, assert_problem, encode};

fn request(case: &str) -> DocumentRequest {
    DocumentRequest {
        kind: DocumentKind::Acceptance,
        bureau: "大连市市场监督管理局".into(),
        case_number: Some(case.into()),
        licence_number: None,
        holder: Holder {
            name: "大连华信阀门制造有限公司".into(),
            credit_code: "91110000600037341L".into(),
        },
        dates: BTreeMap::from([("submitted_on".into(), "2026-11-25".parse().unwrap())]),
        fields: BTreeMap::from([("item".into(), "工业产品生产许可证核发".into())]),
        items: Vec::new(),
        idempotency: "accepted".into(),
    }
}

async fn issued(t: &TestApp) -> (StoredDocument, Vec<u8>) {
    let doc = t
        .app
        .issue_document(request("2026-000001"))
        .await
        .expect("issue");
    let pdf = t.app.document_pdf(&doc.number).await.expect("the PDF");
    (doc, pdf)
}

async fn upload(t: &TestApp, pdf: &[u8]) -> support::Reply {
    t.post_multipart("/verify", "", &[("file", Some("doc.pdf"), pdf)])
        .await
}

#[tokio::test]
async fn the_public_keys_are_published_with_cache_headers_and_an_etag() {
    let t = TestApp::new().await;
    let first = t.app.prepare_signing_key().await.unwrap();
    let reply = t.get("/.well-known/onewindow/keys.json").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(reply.content_type(), "application/jwk-set+json");
    assert!(reply.header(header::CACHE_CONTROL).contains("max-age="));
    let jwks = reply.json();
    let keys = jwks["keys"].as_array().expect("a JWK Set");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kid"], first.key_id.as_str());
    assert_eq!(
        (keys[0]["kty"].as_str(), keys[0]["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    assert!(keys[0].get("d").is_none(), "no private part");
    let etag = reply.header(header::ETAG).to_owned();
    let again = t
        .send(
            Request::get("/.well-known/onewindow/keys.json")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    t.app.rotate_signing_key("admin").await.unwrap();
    let rotated = t.get("/.well-known/onewindow/keys.json").await;
    assert_ne!(rotated.header(header::ETAG), etag);
    assert_eq!(
        rotated.json()["keys"].as_array().unwrap().len(),
        2,
        "the retired key stays published"
    );
    let page = t.get("/verify").await;
    assert!(
        page.text()
            .contains("href=\"/.well-known/onewindow/keys.json\"")
    );
}

#[tokio::test]
async fn the_verify_page_says_authentic_for_a_good_pdf_and_why_not_for_a_tampered_one() {
    let t = TestApp::new().await;
    let (doc, pdf) = issued(&t).await;
    let good = upload(&t, &pdf).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.describe());
    let text = good.text();
    assert!(text.contains("class=\"verdict authentic\""), "{text}");
    for shown in [
        doc.number.as_str(),
        "大连华信阀门制造有限公司",
        "91110000600037341L",
        "2026-000001",
        "受理通知书",
    ] {
        assert!(text.contains(shown), "`{shown}` missing from {text}");
    }
    let mut tampered = pdf.clone();
    let at = tampered.len() / 3;
    tampered[at] ^= 0x01;
    let bad = upload(&t, &tampered).await;
    assert_eq!(bad.status, StatusCode::OK);
    let text = bad.text();
    assert!(text.contains("class=\"verdict not-authentic\""), "{text}");
    assert!(text.contains("文件在出具后被改动过"), "{text}");
    let nothing = t
        .post_multipart("/verify", "", &[("other", None, b"x")])
        .await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert!(nothing.text().contains("file:"));
}

#[tokio::test]
async fn the_link_in_the_qr_code_opens_the_verification_page() {
    let t = TestApp::new().await;
    let (doc, _) = issued(&t).await;
    let path = doc
        .verify_url
        .strip_prefix(t.app.public_url())
        .expect("the link starts with the public URL");
    assert!(path.starts_with("/verify/acceptance/"), "{path}");
    let reply = t.get(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert!(
        reply.text().contains("class=\"verdict authentic\""),
        "{}",
        reply.text()
    );
    let by_payload = t.get(&format!("/verify?p={}", doc.payload)).await;
    assert!(by_payload.text().contains("class=\"verdict authentic\""));
    let moved = path.replace("SL-2026-000001", "SL-2026-000002");
    assert!(
        t.get(&moved)
            .await
            .text()
            .contains("class=\"verdict not-authentic\"")
    );
    let mut changed = doc.payload.clone().into_bytes();
    changed[20] = if changed[20] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8(changed).unwrap();
    let reply = t.get(&format!("/verify?p={changed}")).await;
    assert!(
        reply.text().contains("class=\"verdict not-authentic\""),
        "{}",
        reply.text()
    );
}

#[tokio::test]
async fn the_api_verifies_a_payload_and_a_pdf_and_names_what_is_missing() {
    let t = TestApp::new().await;
    let (doc, pdf) = issued(&t).await;
    let reply = t
        .get(&format!(
            "/api/v1/documents/verify?p={}",
            encode(&doc.payload)
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    let json = reply.json();
    assert_eq!(json["authentic"], true);
    assert_eq!(json["document"]["number"], doc.number.as_str());
    assert_eq!(json["document"]["kind"], "acceptance");
    let post = |body: Vec<u8>| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/documents/verify")
            .header(header::CONTENT_TYPE, "application/pdf")
            .body(Body::from(body))
            .unwrap()
    };
    let json = t.send(post(pdf.clone())).await.json();
    assert_eq!(json["authentic"], true, "{json}");
    assert_eq!(json["document"]["case_number"], "2026-000001");
    let mut tampered = pdf;
    let last = tampered.len() - 10;
    tampered[last] ^= 0x01;
    let json = t.send(post(tampered)).await.json();
    assert_eq!(json["authentic"], false, "{json}");
    assert_eq!(json["reason"], "altered");
    assert_problem(
        &t.send(post(Vec::new())).await,
        StatusCode::BAD_REQUEST,
        "body",
    );
    assert_problem(
        &t.get("/api/v1/documents/verify").await,
        StatusCode::BAD_REQUEST,
        "p",
    );
}

#[tokio::test]
async fn a_broken_template_is_refused_with_its_line_and_a_good_one_is_saved() {
    let t = TestApp::new().await;
    let admin = t.sign_in(ADMIN).await;
    let list = t.get_with("/admin/templates", &admin.cookie).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.describe());
    assert!(
        list.text()
            .contains("href=\"/admin/templates/licence-original\"")
    );
    let kind = DocumentKind::Acceptance;
    let broken =
        Template::builtin(kind).replacen("#addressee()", "#addressee()\n#undefined-helper()", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("#undefined-helper"))
        .unwrap()
        + 1;
    let reply = t
        .post_form(
            "/admin/templates/acceptance",
            Some(&admin.cookie),
            &[("_csrf", &admin.csrf), ("source", &broken)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.describe()
    );
    let text = reply.text();
    assert!(text.contains(&format!("line {line}:")), "{text}");
    assert!(
        text.contains("undefined-helper"),
        "the submitted source is shown again: {text}"
    );
    assert!(
        t.app
            .document_template(kind)
            .await
            .unwrap()
            .versions
            .is_empty(),
        "nothing saved"
    );

    let edited =
        Template::builtin(kind).replacen("#addressee()", "#addressee()\n\n请携带身份证件。", 1);
    let reply = t
        .post_form(
            "/admin/templates/acceptance",
            Some(&admin.cookie),
            &[("_csrf", &admin.csrf), ("source", &edited)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
    assert_eq!(
        t.app.document_template(kind).await.unwrap().summary.version,
        Some(1)
    );
    let forged = t
        .post_form(
            "/admin/templates/acceptance/restore",
            Some(&admin.cookie),
            &[("_csrf", "wrong")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let restored = t
        .post_form(
            "/admin/templates/acceptance/restore",
            Some(&admin.cookie),
            &[("_csrf", &admin.csrf)],
        )
        .await;
    assert_eq!(
        restored.status,
        StatusCode::SEE_OTHER,
        "{}",
        restored.describe()
    );
    assert_eq!(
        t.app.document_template(kind).await.unwrap().summary.version,
        Some(2)
    );
    let clerk = t.sign_in(CLERK).await;
    let denied = t.get_with("/admin/templates", &clerk.cookie).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}
