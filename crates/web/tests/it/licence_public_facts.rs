//! What the licence's public page and API add beside its certificate: the grant decisions
//! behind it, which anyone downloads (行政许可法 art. 40: 准予行政许可决定应当予以公开) while the
//! case's other documents still need sign-in; and the certificate's electronic identifier
//! (RULES.md §8) only when the bureau configured one. Needs the CJK font.

use crate::support;

use std::collections::BTreeMap;

use axum::http::{StatusCode, header};
use onewindow_app::documents::{DocumentKind, DocumentRequest, Holder, StoredDocument};
use onewindow_app::licences::{IssueLicence, LicenceActor};
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{ItemCodes, LicencePolicy, LicenceType};
use support::{ADMIN, PUMP_GUIDE, TestApp, encode};

const NUMBER: &str = "（辽）XK13-006-00001";
const CASE: &str = "2026-000001";
const ISSUER: &str = "11430000006122244L";
const TYPE_CODE: &str = "11100000000013338W011";

fn document(kind: DocumentKind, case: &str, credit_code: &str) -> DocumentRequest {
    DocumentRequest {
        kind,
        bureau: "大连市市场监督管理局".into(),
        case_number: Some(case.into()),
        licence_number: None,
        holder: Holder {
            name: "大连海通阀门制造有限公司".into(),
            credit_code: credit_code.into(),
        },
        dates: BTreeMap::from([("submitted_on".into(), "2026-10-20".parse().unwrap())]),
        fields: BTreeMap::from([
            ("item".into(), "工业产品生产许可证核发".into()),
            ("product".into(), "泵：离心泵".into()),
        ]),
        items: vec!["《全国工业产品生产许可证申请书》".into()],
        idempotency: format!("{kind:?}"),
    }
}

/// A licence granted in case `CASE` with `policy`, and the case's documents: (its grant
/// decision, its acceptance voucher, its supplement notice), plus a grant decision of another
/// case, which is not this licence's.
async fn licensed(mut policy: LicencePolicy) -> (TestApp, [StoredDocument; 4]) {
    let t = TestApp::new().await;
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
    t.app.set_licence_policy(&admin, &policy).await.unwrap();
    let credit_code = CreditCode::complete("91210213MA0QK3L8").expect("a stem");
    t.app
        .issue_licence(IssueLicence {
            case_number: CASE.into(),
            item_code: CatalogueCode::parse(PUMP_GUIDE).expect("a code"),
            licence_type: LicenceType::IndustrialProduct,
            holder_name: "大连海通阀门制造有限公司".into(),
            holder_credit_code: credit_code,
            production_address: "辽宁省大连市".into(),
            scope: vec!["泵：离心泵".into()],
            issuing_org: OrgCode::parse("210200").expect("an org"),
            issued_on: "2026-11-01".parse().unwrap(),
            actor: "signatory".into(),
        })
        .await
        .expect("issue");
    let code = credit_code.as_str();
    let mut made = Vec::new();
    for (kind, case) in [
        (DocumentKind::GrantDecision, CASE),
        (DocumentKind::Acceptance, CASE),
        (DocumentKind::SupplementNotice, CASE),
        (DocumentKind::GrantDecision, "2026-000002"),
    ] {
        let request = document(kind, case, code);
        made.push(t.app.issue_document(request).await.expect("a document"));
    }
    let made: [StoredDocument; 4] = made.try_into().expect("four");
    (t, made)
}

#[tokio::test]
async fn anyone_fetches_the_grant_decision_of_a_licence_but_not_its_cases_other_documents() {
    let (t, [decision, voucher, notice, other_decision]) = licensed(LicencePolicy::default()).await;
    let page = t.get(&format!("/licences/{}", encode(NUMBER))).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    let text = page.text();
    assert!(text.contains("准予行政许可决定书"), "{text}");
    let link = format!(r#"href="/documents/{0}">{0}"#, decision.number);
    assert!(text.contains(&link), "{link} in {text}");
    for absent in [&voucher, &notice, &other_decision] {
        assert!(
            !text.contains(&absent.number),
            "{} in {text}",
            absent.number
        );
    }
    let pdf = t.get(&format!("/documents/{}", decision.number)).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.describe());
    assert_eq!(pdf.content_type(), "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
    for private in [&voucher, &notice] {
        let answer = t.get(&format!("/documents/{}", private.number)).await;
        assert!(
            answer.status.is_redirection(),
            "{:?} needs sign-in: {}",
            private.kind,
            answer.describe()
        );
        assert!(answer.header(header::LOCATION).contains("login"));
    }
    let api = t.get(&format!("/api/v1/licences/{}", encode(NUMBER))).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.describe());
    let listed = api.json()["grant_decisions"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["kind"], "grant-decision");
    assert_eq!(listed[0]["url"], format!("/documents/{}", decision.number));
    assert_eq!(listed[0]["verify_url"], decision.verify_url.as_str());
}

#[tokio::test]
async fn the_electronic_identifier_shows_on_the_page_and_in_the_api_only_when_configured() {
    let mut policy = LicencePolicy {
        electronic_issuer: Some(CreditCode::parse(ISSUER).unwrap()),
        ..Default::default()
    };
    policy.industrial_product.electronic_type_code = Some(TYPE_CODE.into());
    let (t, _) = licensed(policy).await;
    let api = t.get(&format!("/api/v1/licences/{}", encode(NUMBER))).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.describe());
    let id = api.json()["electronic_identifier"].clone();
    let id = id.as_str().expect("configured: a string");
    let prefix = format!("1.2.156.3005.2.{TYPE_CODE}.{ISSUER}.XK1300600001.001.");
    assert!(id.starts_with(&prefix), "{id}");
    let page = t.get(&format!("/licences/{}", encode(NUMBER))).await;
    assert!(page.text().contains("电子证照标识"), "{}", page.text());
    assert!(page.text().contains(id), "{}", page.text());

    let (t, _) = licensed(LicencePolicy::default()).await;
    let api = t.get(&format!("/api/v1/licences/{}", encode(NUMBER))).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.describe());
    assert!(
        api.json().get("electronic_identifier").is_none(),
        "{}",
        api.json()
    );
    let page = t.get(&format!("/licences/{}", encode(NUMBER))).await;
    assert!(!page.text().contains("电子证照标识"), "{}", page.text());
}
