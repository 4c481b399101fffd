//! The licence certificate is public (Administrative Licensing Law art. 40): the register, the
//! licence's page and its API answer link its PDFs, original and copy, which anyone downloads without signing in;
//! other documents still need someone who may see their case; and the page a certificate's QR
//! code opens links back to the licence in the register. Needs the CJK font.

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
const HOLDER: &str = "大连海通阀门制造有限公司";

fn certificate(kind: DocumentKind, credit_code: &str) -> DocumentRequest {
    DocumentRequest {
        kind,
        bureau: "大连市市场监督管理局".into(),
        case_number: Some("2026-000001".into()),
        licence_number: Some(NUMBER.into()),
        holder: Holder {
            name: HOLDER.into(),
            credit_code: credit_code.into(),
        },
        dates: BTreeMap::from([("valid_until".into(), "2031-10-31".parse().unwrap())]),
        fields: BTreeMap::from([
            ("domicile".into(), "辽宁省大连市".into()),
            ("production_address".into(), "辽宁省大连市".into()),
            ("product".into(), "泵：离心泵".into()),
        ]),
        items: Vec::new(),
        idempotency: "event-9".into(),
    }
}

/// A licence in the register with its certificate, original and copy, and an acceptance
/// voucher of its case (not public).
async fn licensed() -> (TestApp, Vec<StoredDocument>, StoredDocument) {
    let t = TestApp::new().await;
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
    t.app.set_licence_policy(&admin, &policy).await.unwrap();
    let credit_code = CreditCode::complete("91210213MA0QK3L8").expect("a stem");
    t.app
        .issue_licence(IssueLicence {
            case_number: "2026-000001".into(),
            item_code: CatalogueCode::parse(PUMP_GUIDE).expect("a code"),
            licence_type: LicenceType::IndustrialProduct,
            holder_name: HOLDER.into(),
            holder_credit_code: credit_code,
            production_address: "辽宁省大连市".into(),
            scope: vec!["泵：离心泵".into()],
            issuing_org: OrgCode::parse("210200").expect("an org"),
            issued_on: "2026-11-01".parse().unwrap(),
            actor: "signatory".into(),
        })
        .await
        .expect("issue");
    let mut certificates = Vec::new();
    for kind in [DocumentKind::LicenceOriginal, DocumentKind::LicenceCopy] {
        let request = certificate(kind, credit_code.as_str());
        certificates.push(t.app.issue_document(request).await.expect("a certificate"));
    }
    let mut voucher = certificate(DocumentKind::Acceptance, credit_code.as_str());
    voucher.licence_number = None;
    voucher.dates = BTreeMap::from([("submitted_on".into(), "2026-10-20".parse().unwrap())]);
    voucher.fields = BTreeMap::from([("item".into(), "工业产品生产许可证核发".into())]);
    let voucher = t.app.issue_document(voucher).await.expect("a voucher");
    (t, certificates, voucher)
}

#[tokio::test]
async fn anyone_downloads_the_certificate_from_the_register_and_the_licence_page() {
    let (t, certificates, voucher) = licensed().await;
    let register = t.get("/licences").await;
    assert_eq!(register.status, StatusCode::OK, "{}", register.describe());
    let licence = t.get(&format!("/licences/{}", encode(NUMBER))).await;
    assert_eq!(licence.status, StatusCode::OK, "{}", licence.describe());
    for page in [register.text(), licence.text()] {
        for (document, label) in certificates.iter().zip(["正本（PDF）", "副本（PDF）"]) {
            let link = format!(r#"href="/documents/{}">{label}"#, document.number);
            assert!(page.contains(&link), "{link} in {page}");
        }
    }
    for document in &certificates {
        let pdf = t.get(&format!("/documents/{}", document.number)).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.describe());
        assert_eq!(pdf.content_type(), "application/pdf");
        assert!(pdf.body.starts_with(b"%PDF-"));
    }
    let api = t.get(&format!("/api/v1/licences/{}", encode(NUMBER))).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.describe());
    let listed = api.json()["certificates"].clone();
    for (i, (document, kind)) in certificates
        .iter()
        .zip(["licence-original", "licence-copy"])
        .enumerate()
    {
        assert_eq!(listed[i]["kind"], kind, "{listed}");
        assert_eq!(listed[i]["url"], format!("/documents/{}", document.number));
        assert_eq!(listed[i]["verify_url"], document.verify_url.as_str());
    }
    let private = t.get(&format!("/documents/{}", voucher.number)).await;
    assert!(
        private.status.is_redirection(),
        "a voucher needs sign-in: {}",
        private.describe()
    );
    assert!(private.header(header::LOCATION).contains("login"));
}

#[tokio::test]
async fn the_page_a_certificates_qr_code_opens_links_back_to_the_licence() {
    let (t, certificates, voucher) = licensed().await;
    let path_of = |url: &str| {
        let at = url.find("/verify/").expect("a verification link");
        url[at..].to_owned()
    };
    let page = t.get(&path_of(&certificates[0].verify_url)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    let back = format!(r#"id="licence-link" href="/licences/{}""#, encode(NUMBER));
    assert!(page.text().contains(&back), "{back} in {}", page.text());
    let other = t.get(&path_of(&voucher.verify_url)).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.describe());
    assert!(!other.text().contains(r#"id="licence-link""#));
}
