//! The licence register's use cases on a real database: issuing (numbered per series, dated by
//! the type's validity, idempotent per case, every bad field named), the verification view that
//! reads any printed form of a number, status changes by the issuing org's signatory or head
//! only (audited, version-checked, by the domain's rules), the register's filters, and the demo.

use crate::support;

use jiff::civil::Date;
use onewindow_app::AppError;
use onewindow_app::licences::{IssueLicence, LicenceActor, RegisterQuery};
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::fixtures::{item, org, power};
use onewindow_domain::catalogue::{CatalogueCode, OrgCode, Vocabulary};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{
    ItemCodes, LicencePolicy, LicenceStatus, LicenceType, StatusChange,
};
use support::{Catalogue, TestApp, seed, sqlite_app};

const XK_ITEM: &str = "XK-0101-001";
const TS_ITEM: &str = "XK-0103-001";

fn day(text: &str) -> Date {
    text.parse().expect("a date")
}

/// An app (clock at 2026-03-15) with two orgs, two licensing items and a policy numbering them.
async fn register() -> TestApp {
    let t = sqlite_app().await;
    prepare(&t).await;
    t
}

async fn prepare(t: &TestApp) {
    let catalogue = Catalogue {
        orgs: vec![org("210000", "辽宁省局"), org("210200", "大连市局")],
        powers: vec![power("XK-0101", "工业产品生产许可", "210200")],
        items: vec![
            item(XK_ITEM, "工业产品生产许可证核发（泵）", "XK-0101", "210200"),
            item(TS_ITEM, "特种设备生产单位许可", "XK-0101", "210200"),
        ],
        fees: Vec::new(),
    };
    seed(t, &catalogue).await;
    let mut policy = LicencePolicy::default();
    policy.items.insert(
        XK_ITEM.into(),
        ItemCodes::IndustrialProduct {
            industry: 13,
            product: 6,
        },
    );
    policy.items.insert(
        TS_ITEM.into(),
        ItemCodes::SpecialEquipment {
            item: 27,
            region: 21,
        },
    );
    t.set_licence_policy(&actor("admin", Role::Administrator, "210200"), &policy)
        .await
        .expect("an administrator sets the policy");
}

fn actor(username: &str, role: Role, org: &str) -> LicenceActor {
    LicenceActor {
        username: username.into(),
        role,
        org: OrgCode::parse(org).expect("an org"),
    }
}

fn signatory() -> LicenceActor {
    actor("signatory", Role::Signatory, "210200")
}

fn issue(case: &str) -> IssueLicence {
    IssueLicence {
        case_number: case.into(),
        item_code: CatalogueCode::parse(XK_ITEM).expect("a code"),
        licence_type: LicenceType::IndustrialProduct,
        holder_name: "大连深蓝泵业有限公司".into(),
        holder_credit_code: CreditCode::complete("91210211MA0TN2P4").expect("a stem"),
        production_address: "辽宁省大连市甘井子区营城子工业园区".into(),
        scope: vec!["泵：离心泵".into()],
        issuing_org: OrgCode::parse("210200").expect("an org"),
        issued_on: day("2026-03-10"),
        actor: "signatory".into(),
    }
}

/// The fields an `Invalid` error names.
fn fields(err: AppError) -> Vec<&'static str> {
    match err {
        AppError::Invalid { problems, .. } => problems.0.iter().map(|p| p.field).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

#[tokio::test]
async fn licences_are_numbered_per_series_and_valid_for_their_type() {
    let t = register().await;
    let first = t.issue_licence(issue("2026-000001")).await.expect("issued");
    assert_eq!(first.number.to_string(), "（辽）XK13-006-00001");
    assert_eq!(first.grant.valid_until, day("2031-03-09"), "five years");
    let second = t.issue_licence(issue("2026-000002")).await.expect("issued");
    assert_eq!(second.number.to_string(), "（辽）XK13-006-00002");
    let ts = t
        .issue_licence(IssueLicence {
            item_code: CatalogueCode::parse(TS_ITEM).expect("a code"),
            licence_type: LicenceType::SpecialEquipment,
            scope: vec!["压力管道元件制造：管件 B级".into()],
            ..issue("2026-000003")
        })
        .await
        .expect("issued");
    assert_eq!(ts.grant.valid_until, day("2030-03-09"), "four years");
    assert_eq!(ts.number.to_string(), "TS2721001-2030");
    let audit = t.store.catalogue_audit(1).await.expect("audit");
    assert_eq!(
        (audit[0].action.as_str(), audit[0].actor.as_str()),
        ("issue_licence", "signatory")
    );
}

#[tokio::test]
async fn issuing_again_for_a_case_returns_its_licence_and_draws_no_serial() {
    let t = register().await;
    let first = t.issue_licence(issue("2026-000001")).await.expect("issued");
    let retry = t
        .issue_licence(issue("2026-000001"))
        .await
        .expect("a retry");
    assert_eq!(retry, first);
    let next = t.issue_licence(issue("2026-000002")).await.expect("issued");
    assert_eq!(next.number.serial(), 2, "the retry drew no serial");
}

#[tokio::test]
async fn every_bad_field_of_an_issue_is_named_and_nothing_is_issued() {
    let t = register().await;
    let bad = IssueLicence {
        holder_name: "  ".into(),
        production_address: String::new(),
        scope: vec!["泵".into(), " ".into()],
        issued_on: day("2026-03-16"),
        issuing_org: OrgCode::parse("210299").expect("an org code"),
        ..issue("2026-000001")
    };
    let err = t.issue_licence(bad).await.expect_err("refused");
    assert_eq!(
        fields(err),
        [
            "holder_name",
            "production_address",
            "scope",
            "issued_on",
            "issuing_org"
        ]
    );
    let unknown_item = IssueLicence {
        item_code: CatalogueCode::parse("XK-9999").expect("a code"),
        ..issue("2026-000001")
    };
    assert_eq!(
        fields(t.issue_licence(unknown_item).await.unwrap_err()),
        ["item_code", "item_code"],
        "unknown in the catalogue and without codes in the policy"
    );
    let wrong_type = IssueLicence {
        licence_type: LicenceType::SpecialEquipment,
        ..issue("2026-000001")
    };
    match t.issue_licence(wrong_type).await.unwrap_err() {
        AppError::Invalid { problems, .. } => assert!(
            problems.0[0]
                .message
                .contains("issues industrial_product licences"),
            "{problems}"
        ),
        other => panic!("{other:?}"),
    }
    let (_, total) = t
        .store
        .licences(&Default::default(), 0, 10)
        .await
        .expect("list");
    assert_eq!(total.count, 0, "nothing issued");
}

#[tokio::test]
async fn the_verification_view_reads_every_printed_form() {
    let t = register().await;
    t.issue_licence(issue("2026-000001")).await.expect("issued");
    for typed in [
        "（辽）XK13-006-00001",
        "(辽)XK13-006-00001",
        "XK13-006-00001",
        " xk13-006-00001 ",
        "ＸＫ１３－００６－０００01",
    ] {
        let view = t
            .licence_view(typed)
            .await
            .unwrap_or_else(|e| panic!("{typed}: {e}"));
        assert_eq!(view.licence.number.to_string(), "（辽）XK13-006-00001");
        assert_eq!(view.status.status, LicenceStatus::Valid);
        assert_eq!(view.status.en, "valid until 2031-03-09");
        assert_eq!(view.issuing_org.map(|o| o.name_zh), Some("大连市局".into()));
    }
    match t.licence_view("XK13-06-00001").await.unwrap_err() {
        AppError::Invalid { problems, .. } => {
            assert_eq!(problems.0[0].field, "number");
            assert!(
                problems.0[0]
                    .message
                    .contains("at character 8, expected a digit of the product code"),
                "{problems}"
            );
        }
        other => panic!("{other:?}"),
    }
    match t.licence_view("XK13-006-00077").await.unwrap_err() {
        AppError::NotFound(what) => assert_eq!(what, "licence XK13-006-00077"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn only_the_issuing_orgs_signatory_or_head_changes_a_status() {
    let t = register().await;
    let licence = t.issue_licence(issue("2026-000001")).await.expect("issued");
    let number = licence.number.to_string();
    for who in [
        actor("clerk", Role::WindowClerk, "210200"),
        actor("admin", Role::Administrator, "210200"),
        actor("other", Role::Signatory, "210000"),
    ] {
        let err = t
            .change_licence_status(&who, &number, StatusChange::Suspend, "抽查不合格", None)
            .await
            .expect_err("refused");
        assert!(
            matches!(err, AppError::Forbidden(_)),
            "{}: {err}",
            who.username
        );
    }
    let view = t
        .change_licence_status(
            &signatory(),
            "XK13-006-00001",
            StatusChange::Suspend,
            "抽查不合格",
            Some(0),
        )
        .await
        .expect("the signatory suspends");
    assert_eq!(view.status.status, LicenceStatus::Suspended);
    assert_eq!(view.status.en, "suspended on 2026-03-15: 抽查不合格");
    let audit = t.store.catalogue_audit(1).await.expect("audit");
    assert_eq!(audit[0].action, "change_licence_status");
    assert_eq!(
        audit[0].detail,
        "（辽）XK13-006-00001: suspend — 抽查不合格"
    );
    let stale = t
        .change_licence_status(&signatory(), &number, StatusChange::Revoke, "理由", Some(0))
        .await
        .expect_err("stale");
    assert!(matches!(stale, AppError::Conflict(_)), "{stale}");
    let head = actor("head", Role::Head, "210200");
    assert_eq!(
        t.licence_changes_for(&head, &view),
        [
            StatusChange::Reinstate,
            StatusChange::Revoke,
            StatusChange::Cancel
        ]
    );
    assert!(
        t.licence_changes_for(&actor("c", Role::WindowClerk, "210200"), &view)
            .is_empty()
    );
    let revoked = t
        .change_licence_status(
            &head,
            &number,
            StatusChange::Revoke,
            "以欺骗手段取得",
            Some(1),
        )
        .await
        .expect("the head revokes");
    assert_eq!(revoked.status.status, LicenceStatus::Revoked);
    assert_eq!(
        fields(
            t.change_licence_status(&head, &number, StatusChange::Cancel, "x", None)
                .await
                .unwrap_err()
        ),
        ["change"],
        "revocation is final"
    );
    let fresh = t.issue_licence(issue("2026-000002")).await.expect("issued");
    assert_eq!(
        fields(
            t.change_licence_status(
                &head,
                &fresh.number.to_string(),
                StatusChange::Suspend,
                " ",
                None
            )
            .await
            .unwrap_err()
        ),
        ["reason"]
    );
}

#[tokio::test]
async fn the_register_filters_by_status_text_and_holder() {
    let t = register().await;
    for case in ["2026-000001", "2026-000002", "2026-000003"] {
        t.issue_licence(issue(case)).await.expect("issued");
    }
    t.issue_licence(IssueLicence {
        holder_name: "大连旅顺泵阀有限公司".into(),
        holder_credit_code: CreditCode::complete("91210212MA0Y7D2K").expect("a stem"),
        ..issue("2026-000004")
    })
    .await
    .expect("issued");
    t.change_licence_status(
        &signatory(),
        "XK13-006-00002",
        StatusChange::Suspend,
        "整改",
        None,
    )
    .await
    .expect("suspended");
    let all = t
        .licence_register(&RegisterQuery::default(), 0, 2)
        .await
        .expect("list");
    assert_eq!((all.total, all.entries.len()), (4, 2));
    assert_eq!(
        all.entries[0].licence.grant.case_number, "2026-000004",
        "newest first"
    );
    let rest = t
        .licence_register(&RegisterQuery::default(), 3, 1000)
        .await
        .expect("list");
    assert_eq!(
        (rest.entries.len(), rest.limit),
        (1, 200),
        "the limit is held to 200"
    );
    let suspended = RegisterQuery {
        status: Some(LicenceStatus::Suspended),
        ..Default::default()
    };
    let found = t.licence_register(&suspended, 0, 50).await.expect("list");
    assert_eq!(found.total, 1);
    assert_eq!(found.entries[0].status.status, LicenceStatus::Suspended);
    let text = RegisterQuery {
        text: Some("旅顺 泵阀".into()),
        ..Default::default()
    };
    assert_eq!(
        t.licence_register(&text, 0, 50).await.expect("list").total,
        1
    );
    let holder = RegisterQuery {
        holder_credit_code: Some(CreditCode::complete("91210211MA0TN2P4").expect("a stem")),
        status: Some(LicenceStatus::Valid),
        ..Default::default()
    };
    assert_eq!(
        t.licence_register(&holder, 0, 50)
            .await
            .expect("list")
            .total,
        2
    );
}

#[tokio::test]
async fn the_licence_policy_is_kept_by_administrators_and_checked_whole() {
    let t = register().await;
    let mut policy = t.licence_policy().await.expect("policy");
    assert_eq!(policy.items.len(), 2);
    policy.industrial_product.validity_years = 0;
    assert_eq!(
        fields(
            t.set_licence_policy(&actor("admin", Role::Administrator, "210200"), &policy)
                .await
                .unwrap_err()
        ),
        ["policy"]
    );
    assert!(matches!(
        t.set_licence_policy(&signatory(), &LicencePolicy::default())
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        t.licence_policy().await.expect("policy").items.len(),
        2,
        "unchanged"
    );
}

#[tokio::test]
async fn the_same_register_works_on_postgres() {
    let Some(t) = support::postgres_app().await else {
        return;
    };
    prepare(&t).await;
    let first = t.issue_licence(issue("2026-000001")).await.expect("issued");
    assert_eq!(
        t.issue_licence(issue("2026-000001")).await.expect("retry"),
        first
    );
    let view = t
        .change_licence_status(
            &signatory(),
            "xk13-006-00001",
            StatusChange::Cancel,
            "企业申请注销",
            None,
        )
        .await
        .expect("cancelled");
    assert_eq!(view.status.status, LicenceStatus::Cancelled);
    assert_eq!(view.status.zh, "已于2026-03-15注销：企业申请注销");
}

#[tokio::test]
async fn the_demo_register_holds_a_licence_in_every_status() {
    let t = sqlite_app().await;
    t.clock
        .set(onewindow_app::Clock::now(&onewindow_app::SystemClock));
    t.seed_demo().await.expect("the demo seeds");
    let all = t
        .licence_register(&RegisterQuery::default(), 0, 50)
        .await
        .expect("list");
    assert_eq!(all.total, 8);
    for status in [
        LicenceStatus::Valid,
        LicenceStatus::Suspended,
        LicenceStatus::Revoked,
        LicenceStatus::Expired,
        LicenceStatus::Cancelled,
    ] {
        assert!(
            all.entries.iter().any(|e| e.status.status == status),
            "no demo licence is {}",
            status.key()
        );
    }
    let reinstated = all
        .entries
        .iter()
        .find(|e| e.licence.events.len() == 2)
        .expect("one was suspended and reinstated");
    assert_eq!(reinstated.status.status, LicenceStatus::Valid);
    let view = t
        .licence_view("XK06-014-00001")
        .await
        .expect("found without the province");
    assert_eq!(view.licence.grant.holder_name, "大连华锐耐火材料有限公司");
}
