//! Cases on an existing licence (arts. 49, 50, 70) through the use cases, on the demo: a change
//! granted changes the licence (same number) and makes the change notice; a renewal applied for
//! in time and undecided at expiry is deemed renewed by the sweeper exactly once — also with two
//! instances sweeping one PostgreSQL — while a late one is not; a cancellation granted cancels
//! the licence with its notice; someone else's licence and a revoked one are refused, naming the
//! field; renewal reminders are made once per validity.

use crate::support;

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use onewindow_app::AppError;
use onewindow_app::cases::{Person, Submission, Upload};
use onewindow_app::documents::DocumentKind;
use onewindow_app::licences::{IssueLicence, LicenceApplication};
use onewindow_domain::access::Role;
use onewindow_domain::cases::{CaseStatus, EventKind};
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{Licence, LicenceEventKind, LicenceStatus, LicenceType};
use support::cases::{act, demo, staff, upload, with};
use support::{TestApp, postgres_app, postgres_app_sharing, sqlite_app};

/// The demo's refractory-materials maker: its licence runs until November 2029.
pub(crate) const HUARUI: &str = "9121020071640101";
/// The demo's electric-blanket maker, whose licence was revoked.
const BLANKETS: &str = "91210213716400K7";

pub(crate) fn holder(stem: &str) -> Person {
    Person::Enterprise {
        user: format!("user-{stem}"),
        credit_code: CreditCode::complete(stem).expect("a credit code"),
    }
}

pub(crate) fn clerk() -> Person {
    staff("clerk", Role::WindowClerk, "210200")
}

pub(crate) fn uploads(names: &[&str]) -> Vec<Upload> {
    names.iter().map(|n| upload(n)).collect()
}

pub(crate) fn change_materials() -> Vec<Upload> {
    uploads(&[
        "《全国工业产品生产许可证变更申请书》",
        "原全国工业产品生产许可证正、副本",
        "生产条件未发生变化的书面承诺",
    ])
}

pub(crate) fn renewal_materials() -> Vec<Upload> {
    uploads(&[
        "《全国工业产品生产许可证申请书》（换证）",
        "有效期内产品质量状况说明（含监督抽查情况）",
        "主要生产设备和检验设备变化情况说明",
    ])
}

fn cancellation_materials() -> Vec<Upload> {
    uploads(&[
        "《全国工业产品生产许可证注销申请书》",
        "全国工业产品生产许可证正、副本",
        "经办人身份证",
    ])
}

pub(crate) async fn licence_of(t: &TestApp, stem: &str) -> Licence {
    let code = CreditCode::complete(stem).expect("a credit code");
    let page = t
        .licence_register(
            &onewindow_app::licences::RegisterQuery {
                holder_credit_code: Some(code),
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .expect("register");
    page.entries
        .into_iter()
        .next()
        .expect("the holder has a licence")
        .licence
}

pub(crate) async fn submit(
    t: &TestApp,
    person: &Person,
    item: &str,
    licence: LicenceApplication,
    materials: Vec<Upload>,
) -> Result<String, AppError> {
    t.submit_application(
        person,
        Submission {
            item: CatalogueCode::parse(item).expect("a code"),
            applicant: None,
            applicant_name: None,
            applicant_address: None,
            uploads: materials,
            idempotency_key: None,
            licence: Some(licence),
        },
    )
    .await
}

pub(crate) fn naming(licence: &Licence) -> LicenceApplication {
    LicenceApplication {
        number: licence.number.to_string(),
        ..Default::default()
    }
}

/// Accept and review (by different people, 受理与审核相分离).
pub(crate) async fn accept_and_review(t: &TestApp, number: &str) {
    act(
        t,
        &clerk(),
        number,
        "acceptance",
        "accept",
        Default::default(),
    )
    .await;
    let reviewer = staff("reviewer", Role::Reviewer, "210200");
    let opinion = with(|i| i.opinion = Some("符合".into()));
    act(t, &reviewer, number, "document_review", "conforms", opinion).await;
}

pub(crate) fn problem_field(err: &AppError) -> Vec<&'static str> {
    match err {
        AppError::Invalid { problems, .. } => problems.0.iter().map(|p| p.field).collect(),
        other => panic!("expected a field problem, got {other:?}"),
    }
}

#[tokio::test]
async fn a_granted_change_changes_the_licence_keeps_its_number_and_makes_the_notice() {
    let t = sqlite_app().await;
    demo(&t).await;
    let before = licence_of(&t, HUARUI).await;
    let person = holder(HUARUI);
    let application = LicenceApplication {
        holder_name: Some("大连华锐重工耐火材料有限公司".into()),
        production_address: Some(before.grant.production_address.clone()),
        ..naming(&before)
    };
    let number = submit(
        &t,
        &person,
        "BS-XK-0101-BG",
        application,
        change_materials(),
    )
    .await
    .expect("submitted");
    let view = t.case_view(&person, &number).await.expect("visible");
    let about = view.state.licence_case().expect("about a licence");
    assert_eq!(about.number, before.number.to_string());
    assert!(
        matches!(view.events[1].kind, EventKind::LicenceNamed { .. }),
        "recorded with the submission"
    );
    accept_and_review(&t, &number).await;
    let signatory = staff("signatory", Role::Signatory, "210200");
    act(
        &t,
        &signatory,
        &number,
        "decision",
        "grant",
        Default::default(),
    )
    .await;

    let after = t
        .licence_view(&before.number.to_string())
        .await
        .expect("found")
        .licence;
    assert_eq!(after.number, before.number, "same number (art. 49)");
    assert_eq!(after.grant.holder_name, "大连华锐重工耐火材料有限公司");
    assert_eq!(after.grant.valid_until, before.grant.valid_until);
    assert_eq!(
        after.events.last().map(|e| e.kind.case_number()),
        Some(Some(number.as_str()))
    );
    let view = t.case_view(&person, &number).await.expect("visible");
    assert_eq!(view.state.status(), CaseStatus::Issued);
    assert_eq!(
        view.state.licence_number(),
        Some(after.number.to_string().as_str())
    );
    let kinds: Vec<DocumentKind> = t
        .documents_for_case(&number)
        .await
        .expect("documents")
        .iter()
        .map(|d| d.kind)
        .collect();
    assert!(kinds.contains(&DocumentKind::ChangeNotice), "{kinds:?}");
    assert!(
        kinds.contains(&DocumentKind::LicenceOriginal),
        "re-issued: {kinds:?}"
    );
    let notice = t
        .documents_for_case(&number)
        .await
        .expect("documents")
        .into_iter()
        .find(|d| d.kind == DocumentKind::ChangeNotice)
        .expect("the notice");
    assert!(
        notice
            .data
            .items
            .iter()
            .any(|l| l.contains("大连华锐耐火材料有限公司")
                && l.contains("大连华锐重工耐火材料有限公司")),
        "{:?}",
        notice.data.items
    );
}

#[tokio::test]
async fn someone_elses_licence_a_revoked_one_and_a_change_without_changes_are_refused_by_field() {
    let t = sqlite_app().await;
    demo(&t).await;
    let huarui = licence_of(&t, HUARUI).await;
    let other = holder(BLANKETS);
    let err = submit(
        &t,
        &other,
        "BS-XK-0101-YX",
        naming(&huarui),
        renewal_materials(),
    )
    .await
    .expect_err("not the holder");
    assert_eq!(problem_field(&err), ["licence_number"]);
    assert!(err.to_string().contains("another enterprise"), "{err}");

    let revoked = licence_of(&t, BLANKETS).await;
    let err = submit(
        &t,
        &other,
        "BS-XK-0101-YX",
        naming(&revoked),
        renewal_materials(),
    )
    .await
    .expect_err("revoked");
    assert_eq!(problem_field(&err), ["licence_number"]);
    assert!(err.to_string().contains("revoked"), "{err}");

    let err = submit(
        &t,
        &holder(HUARUI),
        "BS-XK-0101-BG",
        naming(&huarui),
        change_materials(),
    )
    .await
    .expect_err("nothing changes");
    assert_eq!(problem_field(&err), ["holder_name"]);

    // A special-equipment licence (power XK-0103) under the industrial renewal item (XK-0101).
    let valves = "91210213MA0QK3L8";
    let special = licence_of(&t, valves).await;
    let err = submit(
        &t,
        &holder(valves),
        "BS-XK-0101-YX",
        naming(&special),
        renewal_materials(),
    )
    .await
    .expect_err("another power's item");
    assert_eq!(problem_field(&err), ["licence_number"]);
    assert!(err.to_string().contains("not granted under"), "{err}");

    let missing = LicenceApplication {
        number: "（辽）XK06-014-99999".into(),
        ..Default::default()
    };
    let err = submit(
        &t,
        &holder(HUARUI),
        "BS-XK-0101-YX",
        missing,
        renewal_materials(),
    )
    .await
    .expect_err("no such licence");
    assert_eq!(problem_field(&err), ["licence_number"]);

    let err = t
        .submit_application(
            &holder(HUARUI),
            Submission {
                item: CatalogueCode::parse("BS-XK-0101-ZX").expect("a code"),
                applicant: None,
                applicant_name: None,
                applicant_address: None,
                uploads: cancellation_materials(),
                idempotency_key: None,
                licence: None,
            },
        )
        .await
        .expect_err("the licence is required");
    assert_eq!(problem_field(&err), ["licence_number"]);
    let queue = t
        .case_queue(
            &clerk(),
            &onewindow_app::cases::QueueFilter::default(),
            onewindow_app::catalogue::PageRequest::first(),
        )
        .await
        .expect("queue");
    assert_eq!(queue.total, 0, "nothing half-written");
}

#[tokio::test]
async fn a_granted_cancellation_cancels_the_licence_with_its_notice() {
    let t = sqlite_app().await;
    demo(&t).await;
    let licence = licence_of(&t, HUARUI).await;
    let person = holder(HUARUI);
    let application = LicenceApplication {
        reason: Some("企业停止生产耐火材料".into()),
        ..naming(&licence)
    };
    let number = submit(
        &t,
        &person,
        "BS-XK-0101-ZX",
        application,
        cancellation_materials(),
    )
    .await
    .expect("submitted");
    accept_and_review(&t, &number).await;
    let signatory = staff("signatory", Role::Signatory, "210200");
    act(
        &t,
        &signatory,
        &number,
        "decision",
        "grant",
        Default::default(),
    )
    .await;
    let view = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found");
    assert_eq!(view.status.status, LicenceStatus::Cancelled);
    assert!(
        view.status.zh.contains("企业停止生产耐火材料"),
        "{}",
        view.status.zh
    );
    assert!(
        view.status.zh.contains(&number),
        "names the case: {}",
        view.status.zh
    );
    assert_eq!(
        t.case_view(&person, &number)
            .await
            .expect("visible")
            .state
            .status(),
        CaseStatus::Granted
    );
    let kinds: Vec<DocumentKind> = t
        .documents_for_licence(&licence.number.to_string())
        .await
        .expect("documents")
        .iter()
        .map(|d| d.kind)
        .collect();
    assert!(
        kinds.contains(&DocumentKind::CancellationNotice),
        "{kinds:?}"
    );
}

/// A licence for the demo enterprise `stem` that expires `days` days after today.
async fn expiring_licence(t: &TestApp, stem: &str, days: i64) -> Licence {
    let today = t.today();
    let policy = t.licence_policy().await.expect("policy");
    let target = today.checked_add(Span::new().days(days)).expect("a date");
    // Valid until the day before the fifth anniversary of the issue date.
    let issued_on = target
        .tomorrow()
        .expect("a date")
        .checked_sub(Span::new().years(5))
        .expect("a date");
    let licence = t
        .issue_licence(IssueLicence {
            case_number: format!("2021-8{days:05}"),
            item_code: CatalogueCode::parse("BS-XK-0101-002-XB").expect("a code"),
            licence_type: LicenceType::IndustrialProduct,
            holder_name: "大连测试泵业有限公司".into(),
            holder_credit_code: CreditCode::complete(stem).expect("a code"),
            production_address: "辽宁省大连市".into(),
            scope: vec!["泵：离心泵".into()],
            issuing_org: OrgCode::parse("210200").expect("an org"),
            issued_on,
            actor: "test".into(),
        })
        .await
        .expect("issued");
    assert_eq!(licence.grant.valid_until, target);
    assert_eq!(
        policy.valid_until(LicenceType::IndustrialProduct, issued_on),
        Ok(target)
    );
    licence
}

async fn reminders(t: &TestApp, licence: &Licence) -> usize {
    t.documents_for_licence(&licence.number.to_string())
        .await
        .expect("documents")
        .into_iter()
        .filter(|d| d.kind == DocumentKind::RenewalReminder)
        .count()
}

const PUMPS: &str = "91210211MA0Y4K7P";

fn at(day: Date) -> Timestamp {
    // 10:00 in China.
    format!("{day}T02:00:00Z").parse().expect("an instant")
}

async fn renewal_case(t: &TestApp, licence: &Licence) -> String {
    let number = submit(
        t,
        &holder(PUMPS),
        "BS-XK-0101-YX",
        naming(licence),
        renewal_materials(),
    )
    .await
    .expect("submitted");
    act(
        t,
        &clerk(),
        &number,
        "acceptance",
        "accept",
        Default::default(),
    )
    .await;
    number
}

#[tokio::test]
async fn a_renewal_undecided_at_expiry_is_deemed_granted_by_the_sweeper_exactly_once() {
    let t = sqlite_app().await;
    demo(&t).await;
    let licence = expiring_licence(&t, PUMPS, 200).await;
    let number = renewal_case(&t, &licence).await;
    let named = t.case_view(&holder(PUMPS), &number).await.expect("visible");
    assert!(named.state.licence_case().expect("named").in_time);

    t.clock.set(at(licence.grant.valid_until));
    assert_eq!(
        t.sweep().await.expect("sweep").renewals_deemed,
        0,
        "last day"
    );
    t.clock
        .set(at(licence.grant.valid_until.tomorrow().expect("a date")));
    let report = t.sweep().await.expect("sweep");
    assert_eq!(report.renewals_deemed, 1);
    assert_eq!(t.sweep().await.expect("again").renewals_deemed, 0, "once");

    let renewed = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found");
    assert_eq!(renewed.status.status, LicenceStatus::Valid);
    assert_eq!(
        renewed.licence.grant.valid_until,
        licence
            .grant
            .valid_until
            .checked_add(Span::new().years(5))
            .expect("a date"),
        "five more years from the old expiry"
    );
    let renewals: Vec<_> = renewed
        .licence
        .events
        .iter()
        .filter(|e| matches!(e.kind, LicenceEventKind::Renewed { deemed: true, .. }))
        .collect();
    assert_eq!(renewals.len(), 1);
    let view = t.case_view(&holder(PUMPS), &number).await.expect("visible");
    assert_eq!(view.state.status(), CaseStatus::Issued);
    assert!(
        view.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::RenewalDeemed { .. }) && e.actor.user == "system")
    );
    let kinds: Vec<DocumentKind> = t
        .documents_for_case(&number)
        .await
        .expect("documents")
        .iter()
        .map(|d| d.kind)
        .collect();
    assert!(kinds.contains(&DocumentKind::LicenceOriginal), "{kinds:?}");
}

#[tokio::test]
async fn a_renewal_applied_for_too_late_is_accepted_but_not_deemed_at_expiry() {
    let t = sqlite_app().await;
    demo(&t).await;
    // Six months' lead (条例 第二十四条): 100 days before expiry is too late.
    let licence = expiring_licence(&t, PUMPS, 100).await;
    let number = renewal_case(&t, &licence).await;
    let view = t.case_view(&holder(PUMPS), &number).await.expect("visible");
    assert!(!view.state.licence_case().expect("named").in_time);
    t.clock
        .set(at(licence.grant.valid_until.tomorrow().expect("a date")));
    assert_eq!(t.sweep().await.expect("sweep").renewals_deemed, 0);
    let after = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found");
    assert_eq!(after.status.status, LicenceStatus::Expired);
}

#[tokio::test]
async fn two_instances_sweeping_one_postgres_deem_a_renewal_exactly_once() {
    let Some(t) = postgres_app().await else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    demo(&t).await;
    let licence = expiring_licence(&t, PUMPS, 200).await;
    let number = renewal_case(&t, &licence).await;
    let expired = at(licence.grant.valid_until.tomorrow().expect("a date"));
    t.clock.set(expired);
    let other = postgres_app_sharing(&t).await;
    let (a, b) = tokio::join!(t.sweep(), other.sweep());
    let (a, b) = (a.expect("sweep a"), b.expect("sweep b"));
    assert_eq!(a.renewals_deemed + b.renewals_deemed, 1);
    let renewed = t
        .licence_view(&licence.number.to_string())
        .await
        .expect("found")
        .licence;
    let renewals = renewed
        .events
        .iter()
        .filter(|e| matches!(e.kind, LicenceEventKind::Renewed { .. }))
        .count();
    assert_eq!(renewals, 1, "the licence renewed once");
    let view = t.case_view(&holder(PUMPS), &number).await.expect("visible");
    let deemed = view
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::RenewalDeemed { .. }))
        .count();
    assert_eq!(deemed, 1, "the case decided once");
}

#[tokio::test]
async fn a_licence_entering_its_renewal_window_gets_one_reminder() {
    let t = sqlite_app().await;
    demo(&t).await;
    // Lead 6 months, reminded a month before: 200 days out is not yet due, 190 is.
    let licence = expiring_licence(&t, PUMPS, 230).await;
    t.sweep().await.expect("sweep");
    assert_eq!(reminders(&t, &licence).await, 0, "not due yet");
    let later = t.today().checked_add(Span::new().days(40)).expect("a date");
    t.clock.set(at(later));
    t.sweep().await.expect("sweep");
    assert_eq!(reminders(&t, &licence).await, 1);
    t.sweep().await.expect("again");
    assert_eq!(reminders(&t, &licence).await, 1, "once");
    let reminder = t
        .documents_for_licence(&licence.number.to_string())
        .await
        .expect("documents")
        .into_iter()
        .find(|d| d.kind == DocumentKind::RenewalReminder)
        .expect("the reminder");
    let policy = t.licence_policy().await.expect("policy");
    assert_eq!(
        reminder.data.dates.get("apply_before"),
        policy
            .renewal_due_by(LicenceType::IndustrialProduct, licence.grant.valid_until)
            .as_ref()
    );
}
