//! Templates an administrator edits: a broken one is refused with its line and nothing is
//! saved; a good one becomes the newest version, is used by the next document and is audited;
//! restoring the shipped template adds a version; only an administrator may do any of it.

use crate::support;

use std::collections::BTreeMap;
use std::process::Command;

use onewindow_app::AppError;
use onewindow_app::documents::{DocumentKind, DocumentRequest, Holder, Template};
use onewindow_domain::access::Role;
use support::{sqlite_app, user};

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

fn supplement_request() -> DocumentRequest {
    DocumentRequest {
        kind: DocumentKind::SupplementNotice,
        bureau: "大连市市场监督管理局".into(),
        case_number: Some("2026-000021".into()),
        licence_number: None,
        holder: Holder {
            name: "大连华信阀门制造有限公司".into(),
            credit_code: "91110000600037341L".into(),
        },
        dates: BTreeMap::from([("submitted_on".into(), "2026-03-12".parse().unwrap())]),
        fields: BTreeMap::from([("item".into(), "工业产品生产许可证核发".into())]),
        items: vec!["生产场所平面布置图".into()],
        idempotency: "supplement".into(),
    }
}

#[tokio::test]
async fn a_broken_template_is_refused_with_its_line_and_nothing_is_saved() {
    let t = sqlite_app().await;
    let admin = user(&t, "admin", Role::Administrator).await;
    let kind = DocumentKind::SupplementNotice;
    let broken = Template::builtin(kind).replacen("#addressee()", "#addressee()\n#nonsense()", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("#nonsense"))
        .expect("the broken line")
        + 1;
    match t.save_document_template(&admin, kind, &broken).await {
        Err(AppError::Invalid { problems, .. }) => {
            let p = &problems.0[0];
            assert_eq!((p.field, p.line), ("source", Some(line)), "{problems}");
            assert!(p.message.contains("nonsense"), "{problems}");
        }
        other => panic!("a broken template must be refused: {other:?}"),
    }
    let detail = t.document_template(kind).await.expect("detail");
    assert!(detail.versions.is_empty(), "nothing saved");
    assert_eq!(detail.source, detail.shipped);
}

#[tokio::test]
async fn a_saved_template_is_used_for_the_next_document_and_can_be_restored() {
    let t = sqlite_app().await;
    let admin = user(&t, "admin", Role::Administrator).await;
    let clerk = user(&t, "clerk", Role::WindowClerk).await;
    let kind = DocumentKind::SupplementNotice;
    let edited = Template::builtin(kind).replacen(
        "#addressee()",
        "#addressee()\n\n本通知书一次性告知全部补正内容。",
        1,
    );
    assert!(matches!(
        t.save_document_template(&clerk, kind, &edited).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        t.save_document_template(&admin, kind, &edited)
            .await
            .expect("save"),
        1
    );
    let audit = t.store.catalogue_audit(1).await.unwrap();
    assert_eq!(
        (audit[0].action.as_str(), audit[0].actor.as_str()),
        ("save_document_template", "admin")
    );
    let summary = t.document_templates().await.expect("list");
    let row = summary.iter().find(|s| s.name == kind.template()).unwrap();
    assert_eq!(row.version, Some(1));
    let doc = t.issue_document(supplement_request()).await.expect("issue");
    let text = pdftotext(&t.document_pdf(&doc.number).await.unwrap());
    assert!(text.contains("本通知书一次性告知全部补正内容"), "{text}");

    assert_eq!(
        t.restore_shipped_template(&admin, kind)
            .await
            .expect("restore"),
        2
    );
    let detail = t.document_template(kind).await.unwrap();
    assert_eq!(detail.source, detail.shipped);
    assert_eq!(detail.versions.len(), 2, "the edited version is kept");
    assert!(matches!(
        t.restore_shipped_template(&admin, kind).await,
        Err(AppError::Refused(_))
    ));
    let mut next = supplement_request();
    next.idempotency = "supplement-2".into();
    let doc = t.issue_document(next).await.expect("issue");
    let text = pdftotext(&t.document_pdf(&doc.number).await.unwrap());
    assert!(!text.contains("本通知书一次性告知全部补正内容"), "{text}");
}
