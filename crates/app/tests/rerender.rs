//! `onewindow documents render --licences`: every licence's certificate, original and copy, is
//! rendered with the current templates; a second run (e.g. after an interruption) finds what the
//! first made and makes nothing twice.

mod support;

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
