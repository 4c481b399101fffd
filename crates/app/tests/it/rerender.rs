//! Licence documents: `onewindow documents render --licences` renders every licence's
//! certificate, original and copy, with the current templates, and a second run (e.g. after an
//! interruption) finds what the first made and makes nothing twice; a cancellation is notified
//! in writing (art. 70).

use crate::support;

use onewindow_app::documents::DocumentKind;
use support::{set_clock, sqlite_app};

#[tokio::test]
async fn every_licence_is_rendered_once_per_template_revision() {
    let t = sqlite_app().await;
    set_clock(&t, "2026-11-16T06:00:00Z");
    t.seed_demo().await.expect("the demo with its licences");
    let mut seen = Vec::new();
    let first = t
        .rerender_licences(|done, total| seen.push((done, total)))
        .await
        .expect("render");
    assert!(first.licences >= 5, "{first:?}");
    assert_eq!(
        first.rendered,
        2 * first.licences,
        "original and copy of each"
    );
    assert_eq!(
        seen.last().map(|(done, _)| *done),
        Some(first.licences),
        "progress reaches the end"
    );
    let again = t.rerender_licences(|_, _| {}).await.expect("render again");
    assert_eq!(
        (again.rendered, again.already),
        (0, 2 * first.licences),
        "resumes, makes nothing twice"
    );
    let licence = t
        .licence_register(&Default::default(), 0, 1)
        .await
        .expect("register")
        .entries[0]
        .licence
        .clone();
    let documents = t
        .documents_for_licence(&licence.number.to_string())
        .await
        .expect("documents");
    assert!(
        documents
            .iter()
            .any(|d| d.kind == DocumentKind::LicenceOriginal)
    );
    let pdf = t.document_pdf(&documents[0].number).await.expect("the PDF");
    assert!(
        t.verify_document_pdf(pdf)
            .await
            .expect("checked")
            .is_authentic()
    );
}

#[tokio::test]
async fn a_cancelled_licence_gets_its_written_cancellation_notice() {
    use onewindow_app::licences::LicenceActor;
    use onewindow_domain::access::Role;
    use onewindow_domain::catalogue::OrgCode;
    use onewindow_domain::licences::{LicenceStatus, StatusChange};
    let t = sqlite_app().await;
    set_clock(&t, "2026-11-16T06:00:00Z");
    t.seed_demo().await.expect("the demo with its licences");
    let query = onewindow_app::licences::RegisterQuery {
        status: Some(LicenceStatus::Valid),
        ..Default::default()
    };
    let entry = t
        .licence_register(&query, 0, 1)
        .await
        .expect("register")
        .entries[0]
        .clone();
    let number = entry.licence.number.to_string();
    let head = LicenceActor {
        username: "head".into(),
        role: Role::Head,
        org: OrgCode::parse(entry.licence.grant.issuing_org.as_str()).expect("org"),
    };
    t.change_licence_status(&head, &number, StatusChange::Cancel, "企业申请注销", None)
        .await
        .expect("cancelled");
    let documents = t.documents_for_licence(&number).await.expect("documents");
    let notice = documents
        .iter()
        .find(|d| d.kind == DocumentKind::CancellationNotice)
        .expect("a cancellation notice");
    assert_eq!(
        notice.data.fields.get("ground").map(String::as_str),
        Some("企业申请注销")
    );
}
