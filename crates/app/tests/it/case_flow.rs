//! The case flow through the app on both databases: an enterprise applies with the guide's
//! materials, the clerk sends the one supplement notice, the enterprise supplements, the clerk
//! accepts, two inspectors pass the site, the reviewer hands the samples to an institute, the
//! institute reports, the signatory grants, the clerk issues. And what is refused on the way:
//! missing materials, a file that is not what it claims, a stale version, another org's case.

use crate::support;

use onewindow_app::cases::{MoveRequest, Person, QueueFilter, Submission};
use onewindow_app::catalogue::PageRequest;
use onewindow_app::documents::DocumentKind;
use onewindow_app::{App, AppError};
use onewindow_domain::access::Role;
use onewindow_domain::cases::CaseStatus;
use onewindow_domain::catalogue::CatalogueCode;
use onewindow_domain::flow::MoveInput;
use onewindow_domain::identifiers::CreditCode;
use support::cases::{
    ITEM, accept, act, apply, demo, enterprise, guide_uploads, pass_on_site, staff, upload,
    version, with,
};
use support::{TestApp, postgres_app, sqlite_app};

async fn journey(t: TestApp) {
    demo(&t).await;
    let app: &App = &t;
    let number = apply(app, "k-1").await;
    assert_eq!(
        apply(app, "k-1").await,
        number,
        "the same key makes one case"
    );

    let clerk = staff("clerk", Role::WindowClerk, "210200");
    act(
        app,
        &clerk,
        &number,
        "acceptance",
        "request_supplement",
        with(|i| i.items = vec!["营业执照副本（加盖公章）".into()]),
    )
    .await;
    let me = enterprise();
    let view = app
        .case_view(&me, &number)
        .await
        .expect("the applicant sees it");
    assert_eq!(view.status, CaseStatus::AwaitingSupplement);
    assert_eq!(
        view.moves
            .iter()
            .map(|m| m.outcome.as_str())
            .collect::<Vec<_>>(),
        ["supplemented", "withdraw"]
    );
    let v = view.record.version;
    app.make_move(
        &me,
        &number,
        MoveRequest {
            step: "supplement".into(),
            outcome: "supplemented".into(),
            expected_version: v,
            input: MoveInput::default(),
            uploads: vec![upload("营业执照")],
        },
    )
    .await
    .expect("the supplement");
    accept(app, &number).await;

    let inspector = staff("inspector", Role::Inspector, "210200");
    let queue = app
        .case_queue(&inspector, &QueueFilter::default(), PageRequest::first())
        .await
        .expect("queue");
    assert!(
        queue.items.iter().any(|r| r.record.number == number),
        "in the inspector's queue"
    );
    pass_on_site(app, &number).await;
    let reviewer = staff("reviewer", Role::Reviewer, "210200");
    act(
        app,
        &reviewer,
        &number,
        "document_review",
        "conforms",
        with(|i| {
            i.opinion = Some("材料齐全，符合要求".into());
            i.hand_over
                .insert("issuance_testing".into(), "210200-ZJY".into());
        }),
    )
    .await;
    let lab = staff("lab", Role::InstituteStaff, "210200-ZJY");
    let view = app
        .case_view(&lab, &number)
        .await
        .expect("the institute sees the case handed to it");
    assert_eq!(view.status, CaseStatus::Paused);
    assert_eq!(view.record.projection.clock_status, "paused");
    act(
        app,
        &lab,
        &number,
        "issuance_testing",
        "pass",
        with(|i| i.result = Some("样品检验合格（报告 2026-0456）".into())),
    )
    .await;
    let other_lab = staff("lab2", Role::InstituteStaff, "210200-GJY");
    assert!(
        matches!(
            app.case_view(&other_lab, &number).await,
            Err(AppError::NotFound(_))
        ),
        "another institute sees nothing"
    );

    let signatory = staff("signatory", Role::Signatory, "210200");
    let waiting = app
        .case_queue(&signatory, &QueueFilter::default(), PageRequest::first())
        .await
        .expect("queue");
    let row = waiting
        .items
        .iter()
        .find(|r| r.record.number == number)
        .expect("waits for signature");
    assert!(row.waiting.is_some());
    act(
        app,
        &signatory,
        &number,
        "decision",
        "grant",
        MoveInput::default(),
    )
    .await;
    act(
        app,
        &clerk,
        &number,
        "certificate",
        "issue",
        MoveInput::default(),
    )
    .await;
    let view = app.case_view(&me, &number).await.expect("visible");
    assert_eq!(view.status, CaseStatus::Issued);
    let licence_number = view.state.licence_number().expect("a licence number");
    let licence = app
        .licence_view(licence_number)
        .await
        .expect("in the register");
    assert_eq!(licence.licence.grant.case_number, number);
    assert_eq!(licence.licence.grant.scope, ["泵"]);
    assert!(licence_number.contains("XK"), "{licence_number}");
    assert!(view.moves.is_empty());
    assert!(!view.record.projection.open);
    let clock = view.clock.expect("a clock");
    assert!(clock.stopped.is_some());
    // Each written document the law asks for was issued when its event happened (issue 5).
    let documents = app.documents_for_case(&number).await.expect("documents");
    let kinds: Vec<DocumentKind> = documents.iter().map(|d| d.kind).collect();
    for kind in [
        DocumentKind::SupplementNotice,
        DocumentKind::Acceptance,
        DocumentKind::SpecialProcedureNotice,
        DocumentKind::GrantDecision,
        DocumentKind::LicenceOriginal,
        DocumentKind::LicenceCopy,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} in {kinds:?}");
    }
    let notice = documents
        .iter()
        .find(|d| d.kind == DocumentKind::SupplementNotice)
        .expect("notice");
    assert_eq!(notice.data.items, ["营业执照副本（加盖公章）"]);
    let pdf = app.document_pdf(&notice.number).await.expect("the PDF");
    assert!(
        app.verify_document_pdf(pdf)
            .await
            .expect("checked")
            .is_authentic()
    );
    assert!(clock.explanation.len() >= 3, "{:?}", clock.explanation);
}

#[tokio::test]
async fn the_industrial_licence_journey_on_sqlite() {
    journey(sqlite_app().await).await;
}

#[tokio::test]
async fn the_industrial_licence_journey_on_postgres() {
    let Some(t) = postgres_app().await else {
        return;
    };
    journey(t).await;
}

#[tokio::test]
async fn bad_submissions_are_refused_whole_and_name_the_material() {
    let t = sqlite_app().await;
    demo(&t).await;
    let mut uploads = guide_uploads();
    uploads.remove(0);
    uploads[0].bytes = b"PK\x03\x04not an ofd".to_vec();
    uploads.push(upload("不在指南里的材料"));
    let err = t
        .submit_application(
            &enterprise(),
            Submission {
                item: CatalogueCode::parse(ITEM).expect("a code"),
                applicant: None,
                applicant_name: None,
                applicant_address: None,
                uploads,
                idempotency_key: None,
                licence: None,
            },
        )
        .await
        .expect_err("refused");
    let text = err_text(&err);
    assert!(
        text.contains("《全国工业产品生产许可证申请书》: required"),
        "{text}"
    );
    assert!(
        text.contains("不在指南里的材料: the guide lists no such material"),
        "{text}"
    );
    let (list, _) = t
        .store
        .cases(&Default::default(), 0, 10)
        .await
        .expect("list");
    assert!(list.is_empty(), "nothing half-written");

    let mut bad_type = guide_uploads();
    bad_type[0].bytes = b"PK\x03\x04not an ofd".to_vec();
    let err = t
        .submit_application(
            &enterprise(),
            Submission {
                item: CatalogueCode::parse(ITEM).expect("a code"),
                applicant: None,
                applicant_name: None,
                applicant_address: None,
                uploads: bad_type,
                idempotency_key: None,
                licence: None,
            },
        )
        .await
        .expect_err("refused");
    assert!(
        err_text(&err).contains("not a PDF, JPEG, PNG or OFD"),
        "{}",
        err_text(&err)
    );
}

fn err_text(err: &AppError) -> String {
    match err {
        AppError::Invalid { problems, .. } => problems.to_string(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_other_orgs_see_nothing() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = apply(&t, "k-2").await;
    let clerk = staff("clerk", Role::WindowClerk, "210200");
    let stale = version(&t, &clerk, &number).await;
    accept(&t, &number).await;
    let second = t
        .make_move(
            &clerk,
            &number,
            MoveRequest {
                step: "acceptance".into(),
                outcome: "refuse".into(),
                expected_version: stale,
                input: with(|i| i.reason = Some("不符合".into())),
                uploads: Vec::new(),
            },
        )
        .await;
    assert!(matches!(second, Err(AppError::Conflict(_))), "{second:?}");

    let district = staff("d", Role::WindowClerk, "210211");
    assert!(matches!(
        t.case_view(&district, &number).await,
        Err(AppError::NotFound(_))
    ));
    let stranger = Person::Enterprise {
        user: "other".into(),
        credit_code: CreditCode::complete("91210211MA0Y8K3M").expect("a code"),
    };
    assert!(matches!(
        t.case_view(&stranger, &number).await,
        Err(AppError::NotFound(_))
    ));
    let mine = t
        .case_queue(&stranger, &QueueFilter::default(), PageRequest::first())
        .await
        .expect("queue");
    assert_eq!(mine.total, 0);
}

#[tokio::test]
async fn audit_verify_names_the_first_event_that_does_not_match() {
    let t = sqlite_app().await;
    demo(&t).await;
    let first = apply(&t, "a-1").await;
    let second = apply(&t, "a-2").await;
    accept(&t, &second).await;
    let clean = t.audit_verify(|_| {}).await.expect("verify");
    assert_eq!((clean.cases, clean.faults.len()), (2, 0));
    assert!(clean.events >= 6);

    // Someone edits the acceptance in the database by hand.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&t.url).await.expect("connect");
    let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE number = $1")
        .bind(second.clone())
        .fetch_one(&pool)
        .await
        .expect("the case");
    let body: String =
        sqlx::query_scalar("SELECT body FROM case_events WHERE case_id = $1 AND seq = 4")
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("event 4");
    let forged = body.replace("\"user\":\"clerk\"", "\"user\":\"someone-else\"");
    assert_ne!(forged, body, "the event names its actor: {body}");
    sqlx::query("UPDATE case_events SET body = $1 WHERE case_id = $2 AND seq = 4")
        .bind(forged)
        .bind(id)
        .execute(&pool)
        .await
        .expect("tamper");
    let report = t.audit_verify(|_| {}).await.expect("verify");
    assert_eq!(report.faults.len(), 1, "{report:?}");
    let fault = &report.faults[0];
    assert_eq!(
        (fault.case_number.as_str(), fault.seq),
        (second.as_str(), Some(4))
    );
    assert!(fault.reason.contains("altered"), "{}", fault.reason);
    assert!(
        t.case_view(&enterprise(), &first).await.is_ok(),
        "other cases unaffected"
    );
    let refused = t
        .case_view(&enterprise(), &second)
        .await
        .expect_err("a damaged log is not acted on");
    assert!(refused.to_string().contains("event 4"), "{refused}");
}
