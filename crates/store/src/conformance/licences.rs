//! Conformance of the licence register: serials drawn once per series even when two issues run
//! at once, issuing idempotent per case, a full series refused, the version check on status
//! changes, and the register's filters (text, status on a day, holder, org) with its paging.

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::{CreditCode, LicenceFormat, SpecialEquipmentFormat};
use onewindow_domain::licences::{
    Licence, LicenceEvent, LicenceEventKind, LicenceGrant, LicenceNumbering, LicenceStatus,
    LicenceType,
};

use crate::{AuditEntry, LicenceFilter, NewLicence, Store, StoreError};

pub(super) fn day(text: &str) -> Date {
    text.parse().expect("a date")
}

pub(super) fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        at: Timestamp::from_second(1_780_000_000).expect("valid"),
        actor: "conformance".into(),
        action: action.into(),
        detail: format!("{action} detail"),
    }
}

pub(super) fn pumps() -> LicenceNumbering {
    LicenceNumbering::IndustrialProduct(
        LicenceFormat::new(13, 6)
            .and_then(|f| f.with_province("辽"))
            .expect("valid format"),
    )
}

/// A licence to issue for `case`, held by `holder` (a 16-character credit code stem).
pub(super) fn new_licence(
    case: &str,
    holder: &str,
    stem: &str,
    numbering: LicenceNumbering,
) -> NewLicence {
    NewLicence {
        numbering,
        grant: LicenceGrant {
            licence_type: LicenceType::IndustrialProduct,
            item_code: CatalogueCode::parse("BJ-001").expect("a code"),
            holder_name: holder.into(),
            holder_credit_code: CreditCode::complete(stem).expect("a stem"),
            production_address: "辽宁省大连市金州区".into(),
            scope: vec!["泵".into(), "管件 B级".into()],
            issued_on: day("2026-05-04"),
            valid_until: day("2031-05-03"),
            issuing_org: OrgCode::parse("210200").expect("an org"),
            case_number: case.into(),
        },
        issued_at: Timestamp::from_second(1_780_000_000).expect("valid"),
    }
}

pub(super) async fn licences_are_numbered_once_and_found(store: &dyn Store) {
    let first = store
        .issue_licence(
            &new_licence(
                "L-1",
                "大连海通阀门制造有限公司",
                "9121020000000001",
                pumps(),
            ),
            &audit("issue_licence"),
        )
        .await
        .expect("issue");
    assert!(!first.existing);
    assert_eq!(first.licence.number.to_string(), "（辽）XK13-006-00001");
    assert_eq!(first.licence.version(), 0);
    let again = store
        .issue_licence(
            &new_licence(
                "L-1",
                "大连海通阀门制造有限公司",
                "9121020000000001",
                pumps(),
            ),
            &audit("issue_licence"),
        )
        .await
        .expect("retry");
    assert!(again.existing, "one case, one licence");
    assert_eq!(again.licence, first.licence);
    assert_eq!(
        store.catalogue_audit(1).await.expect("audit")[0].action,
        "issue_licence"
    );
    // Two issues at once, and a retry racing its original: distinct serials, one licence per case.
    let (l2, l3) = (
        new_licence("L-2", "大连深蓝泵业有限公司", "9121020000000002", pumps()),
        new_licence("L-3", "大连金州水泵厂", "9121020000000003", pumps()),
    );
    let issue = audit("issue_licence");
    let (a, b, c) = tokio::join!(
        store.issue_licence(&l2, &issue),
        store.issue_licence(&l3, &issue),
        store.issue_licence(&l3, &issue),
    );
    let (a, b, c) = (a.expect("L-2"), b.expect("L-3"), c.expect("L-3 again"));
    assert_eq!(
        b.licence.number, c.licence.number,
        "the racing retry finds the first"
    );
    assert!(b.existing != c.existing, "exactly one of the two issued it");
    let mut serials = vec![a.licence.number.serial(), b.licence.number.serial()];
    serials.sort_unstable();
    assert_eq!(serials, vec![2, 3], "no serial drawn twice, none skipped");
    let found = store
        .licence(&first.licence.number)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(found, first.licence, "read back unchanged");
    assert_eq!(
        store.licence_of_case("L-2").await.expect("read"),
        Some(a.licence.clone())
    );
    let unknown = onewindow_domain::identifiers::LicenceNumber::parse("（辽）XK13-006-09999")
        .expect("a number");
    assert!(store.licence(&unknown).await.expect("read").is_none());
    assert!(store.licence_of_case("nope").await.expect("read").is_none());
}

pub(super) async fn a_full_series_is_refused(store: &dyn Store) {
    let narrow = || LicenceNumbering::SpecialEquipment {
        format: SpecialEquipmentFormat::new(27, 21)
            .and_then(|f| f.with_serial_width(1))
            .expect("valid"),
        year: 2030,
    };
    for i in 1..=9 {
        let issued = store
            .issue_licence(
                &new_licence(
                    &format!("TS-{i}"),
                    "大连管件厂",
                    "9121020000000009",
                    narrow(),
                ),
                &audit("issue_licence"),
            )
            .await
            .expect("fits");
        assert_eq!(issued.licence.number.to_string(), format!("TS2721{i}-2030"));
    }
    match store
        .issue_licence(
            &new_licence("TS-10", "大连管件厂", "9121020000000009", narrow()),
            &audit("issue_licence"),
        )
        .await
    {
        Err(StoreError::Exhausted(message)) => assert!(message.contains("is full"), "{message}"),
        other => panic!("a full series must be refused, got {other:?}"),
    }
    assert!(
        store
            .licence_of_case("TS-10")
            .await
            .expect("read")
            .is_none(),
        "nothing half-written"
    );
}

fn event(on: &str, kind: LicenceEventKind) -> LicenceEvent {
    LicenceEvent {
        on: day(on),
        kind,
        actor: "signatory".into(),
    }
}

pub(super) async fn number_of(store: &dyn Store, case: &str) -> Licence {
    store
        .licence_of_case(case)
        .await
        .expect("read")
        .expect("issued")
}

pub(super) async fn status_changes_check_the_version(store: &dyn Store) {
    let licence = number_of(store, "L-2").await;
    let suspend = event(
        "2026-06-01",
        LicenceEventKind::Suspended {
            reason: "监督抽查不合格".into(),
        },
    );
    let changed = store
        .append_licence_event(
            &licence.number,
            0,
            &suspend,
            &audit("change_licence_status"),
        )
        .await
        .expect("append")
        .expect("present");
    assert_eq!(
        (changed.version(), changed.events.clone()),
        (1, vec![suspend.clone()])
    );
    match store
        .append_licence_event(
            &licence.number,
            0,
            &suspend,
            &audit("change_licence_status"),
        )
        .await
    {
        Err(StoreError::Conflict {
            expected: 0,
            found: 1,
            ..
        }) => {}
        other => panic!("a stale version must conflict, got {other:?}"),
    }
    assert_eq!(
        store
            .licence(&licence.number)
            .await
            .expect("read")
            .expect("present")
            .events
            .len(),
        1,
        "nothing half-written"
    );
    let unknown =
        onewindow_domain::identifiers::LicenceNumber::parse("TS2799001-2030").expect("a number");
    assert!(
        store
            .append_licence_event(&unknown, 0, &suspend, &audit("x"))
            .await
            .expect("no error")
            .is_none()
    );
    let revoked = number_of(store, "L-3").await;
    let revoke = event(
        "2026-07-01",
        LicenceEventKind::Revoked {
            reason: "以欺骗手段取得许可".into(),
        },
    );
    store
        .append_licence_event(&revoked.number, 0, &revoke, &audit("change_licence_status"))
        .await
        .expect("append");
}

/// The numbers of the licences a filter finds, newest first, and the total.
pub(super) async fn find_cases(store: &dyn Store, filter: LicenceFilter) -> (Vec<String>, u64) {
    let (list, total) = store.licences(&filter, 0, 50).await.expect("search");
    assert!(total.exact, "a small register is counted exactly");
    (
        list.iter().map(|l| l.grant.case_number.clone()).collect(),
        total.count,
    )
}

pub(super) fn text(q: &str) -> LicenceFilter {
    LicenceFilter {
        text: Some(q.into()),
        ..Default::default()
    }
}

pub(super) async fn the_register_filters_and_pages(store: &dyn Store) {
    let all = find_cases(store, LicenceFilter::default()).await;
    assert_eq!(all.1, 12);
    assert_eq!(all.0[..3], ["TS-9", "TS-8", "TS-7"], "newest first");
    let (page, total) = store
        .licences(&LicenceFilter::default(), 10, 5)
        .await
        .expect("page");
    assert_eq!((page.len(), total.count), (2, 12), "the last page");
    assert_eq!(
        find_cases(store, text("海通阀门")).await,
        (vec!["L-1".into()], 1)
    );
    assert_eq!(find_cases(store, text("泵业")).await.0, ["L-2"]);
    assert_eq!(
        find_cases(store, text("泵")).await.1,
        12,
        "one character: the scope of all"
    );
    assert_eq!(find_cases(store, text("大连 水泵")).await.0, ["L-3"]);
    assert_eq!(
        find_cases(store, text("(辽)xk13-006-00002")).await.1,
        1,
        "printed forms"
    );
    assert_eq!(find_cases(store, text("XK13-006")).await.1, 3);
    assert_eq!(
        find_cases(store, text("006-00003")).await.1,
        1,
        "without the letters"
    );
    assert_eq!(find_cases(store, text("TS2721")).await.1, 9);
    let code = CreditCode::complete("9121020000000001").expect("a stem");
    assert_eq!(
        find_cases(store, text(&code.as_str()[..16])).await.0,
        ["L-1"]
    );
    assert_eq!(
        find_cases(store, text(&code.as_str().to_lowercase()))
            .await
            .0,
        ["L-1"]
    );
    assert_eq!(find_cases(store, text("沈阳")).await.1, 0);
    assert_eq!(
        find_cases(store, text("%_")).await.1,
        0,
        "punctuation finds nothing"
    );
    let on = |status: LicenceStatus, d: &str| LicenceFilter {
        status_on: Some((status, day(d))),
        ..Default::default()
    };
    assert_eq!(
        find_cases(store, on(LicenceStatus::Suspended, "2026-08-01"))
            .await
            .0,
        ["L-2"]
    );
    assert_eq!(
        find_cases(store, on(LicenceStatus::Revoked, "2026-08-01"))
            .await
            .0,
        ["L-3"]
    );
    assert_eq!(
        find_cases(store, on(LicenceStatus::Valid, "2026-08-01"))
            .await
            .1,
        10
    );
    assert_eq!(
        find_cases(store, on(LicenceStatus::Cancelled, "2026-08-01"))
            .await
            .1,
        0
    );
    assert_eq!(
        find_cases(store, on(LicenceStatus::Expired, "2031-05-03"))
            .await
            .1,
        0
    );
    assert_eq!(
        find_cases(store, on(LicenceStatus::Expired, "2031-05-04"))
            .await
            .1,
        11,
        "valid and suspended ones expire; the revoked one stays revoked"
    );
    assert_eq!(
        find_cases(store, on(LicenceStatus::NotYetValid, "2026-05-03"))
            .await
            .1,
        11
    );
    let holder = LicenceFilter {
        holder_credit_code: Some(CreditCode::complete("9121020000000009").expect("a stem")),
        text: Some("管件".into()),
        ..Default::default()
    };
    assert_eq!(find_cases(store, holder).await.1, 9);
    let other_org = LicenceFilter {
        issuing_org: Some(OrgCode::parse("210000").expect("an org")),
        ..Default::default()
    };
    assert_eq!(find_cases(store, other_org).await.1, 0);
}
