//! The electronic licence identifier (RULES.md §8, optional) on certificates issued from a
//! case: configured, a change case's re-issued certificate prints it with version 002 and the
//! register's view gives the same; not configured, the certificate prints none and the view has
//! none. Needs the CJK font (`fonts-noto-cjk`) and `pdftotext` (poppler-utils).

use crate::support;

use std::process::Command;

use onewindow_app::cases::{Person, Submission, Upload};
use onewindow_app::documents::DocumentKind;
use onewindow_app::licences::{LicenceActor, LicenceApplication, RegisterQuery};
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::{CreditCode, ElectronicLicenceId};
use onewindow_domain::licences::{Licence, LicencePolicy};
use support::cases::{act, demo, staff, upload, with};
use support::{TestApp, sqlite_app};

/// The demo's refractory-materials maker, whose licence has had no change yet.
const HUARUI: &str = "9121020071640101";
const ISSUER: &str = "11430000006122244L";
const TYPE_CODE: &str = "11100000000013338W011";

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is missing: apt-get install -y poppler-utils");
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

async fn set_policy(t: &TestApp, configure: impl FnOnce(&mut LicencePolicy)) {
    let mut policy = t.licence_policy().await.expect("policy");
    configure(&mut policy);
    let admin = LicenceActor {
        username: "admin".into(),
        role: Role::Administrator,
        org: OrgCode::parse("210200").unwrap(),
    };
    t.set_licence_policy(&admin, &policy).await.expect("saved");
}

async fn huarui_licence(t: &TestApp) -> Licence {
    let query = RegisterQuery {
        holder_credit_code: Some(CreditCode::complete(HUARUI).unwrap()),
        ..Default::default()
    };
    let page = t.licence_register(&query, 0, 10).await.expect("register");
    page.entries.into_iter().next().expect("a licence").licence
}

/// A change of the holder's name granted: the certificate is re-issued under the case (art. 49).
/// Returns the text of the re-issued original certificate.
async fn granted_change(t: &TestApp, licence: &Licence) -> String {
    let person = Person::Enterprise {
        user: format!("user-{HUARUI}"),
        credit_code: CreditCode::complete(HUARUI).unwrap(),
    };
    let materials: Vec<Upload> = [
        "《全国工业产品生产许可证变更申请书》",
        "原全国工业产品生产许可证正、副本",
        "生产条件未发生变化的书面承诺",
    ]
    .iter()
    .map(|n| upload(n))
    .collect();
    let submission = Submission {
        item: CatalogueCode::parse("BS-XK-0101-BG").unwrap(),
        applicant: None,
        applicant_name: None,
        applicant_address: None,
        uploads: materials,
        idempotency_key: None,
        licence: Some(LicenceApplication {
            number: licence.number.to_string(),
            holder_name: Some("大连华锐重工耐火材料有限公司".into()),
            production_address: Some(licence.grant.production_address.clone()),
            ..Default::default()
        }),
    };
    let number = t
        .submit_application(&person, submission)
        .await
        .expect("submitted");
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    act(
        t,
        &clerk,
        &number,
        "acceptance",
        "accept",
        Default::default(),
    )
    .await;
    let reviewer = staff("reviewer", Role::Reviewer, "210200");
    let opinion = with(|i| i.opinion = Some("符合".into()));
    act(
        t,
        &reviewer,
        &number,
        "document_review",
        "conforms",
        opinion,
    )
    .await;
    let signatory = staff("signatory", Role::Signatory, "210200");
    act(
        t,
        &signatory,
        &number,
        "decision",
        "grant",
        Default::default(),
    )
    .await;
    let original = t
        .documents_for_case(&number)
        .await
        .expect("documents")
        .into_iter()
        .find(|d| d.kind == DocumentKind::LicenceOriginal)
        .expect("the certificate is re-issued under the change case");
    pdftotext(&t.document_pdf(&original.number).await.expect("the PDF"))
}

#[tokio::test]
async fn a_re_issued_certificate_prints_the_identifier_with_the_next_version() {
    let t = sqlite_app().await;
    demo(&t).await;
    set_policy(&t, |p| {
        p.electronic_issuer = Some(CreditCode::parse(ISSUER).unwrap());
        p.industrial_product.electronic_type_code = Some(TYPE_CODE.into());
    })
    .await;
    let licence = huarui_licence(&t).await;
    assert_eq!(licence.certificate_count(), 1, "no change yet");
    let serial = licence.electronic_serial();
    let first = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found")
        .electronic_id
        .expect("configured");
    assert_eq!(
        first,
        ElectronicLicenceId::new(TYPE_CODE, &CreditCode::parse(ISSUER).unwrap(), &serial, 1)
            .unwrap()
    );

    let text = granted_change(&t, &licence).await;
    let expected = ElectronicLicenceId::parse(&format!(
        "1.2.156.3005.2.{TYPE_CODE}.{ISSUER}.{serial}.002.{}",
        ElectronicLicenceId::new(TYPE_CODE, &CreditCode::parse(ISSUER).unwrap(), &serial, 2)
            .unwrap()
            .check()
    ))
    .expect("the parse accepts its own check");
    assert!(
        text.contains(&format!("电子证照标识{expected}")),
        "{expected} not in {text}"
    );
    let view = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found");
    assert_eq!(view.electronic_id, Some(expected));
}

#[tokio::test]
async fn without_configuration_a_certificate_prints_no_identifier() {
    let t = sqlite_app().await;
    demo(&t).await;
    set_policy(&t, |p| {
        p.electronic_issuer = None;
        p.industrial_product.electronic_type_code = None;
        p.special_equipment.electronic_type_code = None;
    })
    .await;
    let licence = huarui_licence(&t).await;
    let text = granted_change(&t, &licence).await;
    assert!(text.contains("大连华锐重工耐火材料有限公司"), "{text}");
    assert!(!text.contains("电子证照标识"), "{text}");
    assert!(!text.contains("1.2.156.3005.2"), "{text}");
    let view = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found");
    assert_eq!(view.electronic_id, None);
}

#[tokio::test]
async fn the_demo_bureau_has_identifiers_configured() {
    let t = sqlite_app().await;
    demo(&t).await;
    let licence = huarui_licence(&t).await;
    let id = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found")
        .electronic_id
        .expect("the demo configures identifiers");
    assert_eq!(id.serial(), licence.electronic_serial());
    assert_eq!(ElectronicLicenceId::parse(&id.to_string()), Ok(id));
}
