//! Licences after the grant: the status a licence has on a day (with the expiry boundary), the
//! changes that may follow each other (Administrative Licensing Law arts. 69–70), the stored form
//! of each status, and the policy that dates and numbers licences (RULES.md §2, §3).

use jiff::civil::Date;
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode, Vocabulary};
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{
    DateCondition, ItemCodes, Licence, LicenceError, LicenceEventKind, LicenceGrant, LicencePolicy,
    LicenceStatus, LicenceType, PolicyError, StatusChange, may_change_status,
};

fn day(text: &str) -> Date {
    text.parse().expect("a date")
}

/// An industrial product licence issued 2026-05-04, valid until 2031-05-03.
fn licence() -> Licence {
    Licence {
        number: LicenceNumber::parse("（辽）XK06-014-00001").expect("a number"),
        grant: LicenceGrant {
            licence_type: LicenceType::IndustrialProduct,
            item_code: CatalogueCode::parse("BS-XK-0101-001-XB").expect("a code"),
            holder_name: "大连海通阀门制造有限公司".into(),
            holder_credit_code: CreditCode::parse("91110000600037341L").expect("valid"),
            production_address: "辽宁省大连市金州区".into(),
            scope: vec!["耐火材料".into()],
            issued_on: day("2026-05-04"),
            valid_until: day("2031-05-03"),
            issuing_org: OrgCode::parse("210200").expect("an org"),
            case_number: "2026-000001".into(),
        },
        events: Vec::new(),
    }
}

/// The licence after `change` on `on`, which must be allowed.
fn after(mut l: Licence, change: StatusChange, on: &str) -> Licence {
    let event = l
        .decide(change, "理由", "signatory", day(on))
        .unwrap_or_else(|e| panic!("{change:?} on {on}: {e}"));
    l.events.push(event);
    l
}

#[test]
fn a_licence_is_valid_through_its_last_day_and_expired_the_next() {
    let l = licence();
    let last = l.status_on(day("2031-05-03"));
    assert_eq!(last.status, LicenceStatus::Valid);
    assert!(last.is_valid());
    assert_eq!(last.en, "valid until 2031-05-03");
    assert_eq!(last.zh, "有效：有效期至2031-05-03");
    let next = l.status_on(day("2031-05-04"));
    assert_eq!(next.status, LicenceStatus::Expired);
    assert!(!next.is_valid());
    assert_eq!(next.since, Some(day("2031-05-04")));
    assert_eq!(
        next.en,
        "expired on 2031-05-04: it was valid until 2031-05-03"
    );
    assert_eq!(next.zh, "已于2031-05-04过期：有效期至2031-05-03");
}

#[test]
fn before_its_issue_date_a_licence_is_not_yet_in_force() {
    let reading = licence().status_on(day("2026-05-03"));
    assert_eq!(reading.status, LicenceStatus::NotYetValid);
    assert_eq!(reading.en, "not yet in force: valid from 2026-05-04");
    assert_eq!(
        licence().status_on(day("2026-05-04")).status,
        LicenceStatus::Valid
    );
}

#[test]
fn a_suspension_reads_with_its_date_and_reason_until_it_is_lifted() {
    let mut l = licence();
    l.events.push(
        l.decide(
            StatusChange::Suspend,
            " 监督抽查不合格 ",
            "signatory",
            day("2027-03-01"),
        )
        .expect("a valid licence can be suspended"),
    );
    let suspended = l.status_on(day("2027-03-10"));
    assert_eq!(suspended.status, LicenceStatus::Suspended);
    assert_eq!(
        suspended.reason.as_deref(),
        Some("监督抽查不合格"),
        "trimmed"
    );
    assert_eq!(suspended.en, "suspended on 2027-03-01: 监督抽查不合格");
    assert_eq!(suspended.zh, "已于2027-03-01暂停：监督抽查不合格");
    assert_eq!(
        l.status_on(day("2027-02-28")).status,
        LicenceStatus::Valid,
        "a change reads from its own date on"
    );
    let l = after(l, StatusChange::Reinstate, "2027-04-01");
    assert_eq!(l.status_on(day("2027-04-01")).status, LicenceStatus::Valid);
    assert_eq!(
        l.status_on(day("2027-03-31")).status,
        LicenceStatus::Suspended
    );
    assert_eq!(l.version(), 2);
}

#[test]
fn revocation_and_cancellation_are_final() {
    for (change, status, word) in [
        (StatusChange::Revoke, LicenceStatus::Revoked, "revoked"),
        (StatusChange::Cancel, LicenceStatus::Cancelled, "cancelled"),
    ] {
        let l = after(licence(), change, "2026-05-05");
        let reading = l.status_on(day("2026-06-01"));
        assert_eq!(reading.status, status);
        assert_eq!(reading.en, format!("{word} on 2026-05-05: 理由"));
        for next in StatusChange::ALL {
            let err = l
                .decide(*next, "again", "signatory", day("2026-06-01"))
                .expect_err("nothing follows a final change");
            assert_eq!(
                err.to_string(),
                format!(
                    "licence （辽）XK06-014-00001 was {word} on 2026-05-05; that is final and \
                     nothing can follow it"
                )
            );
            assert_eq!(err.field(), "change");
        }
        assert_eq!(
            l.status_on(day("2040-01-01")).status,
            status,
            "a revoked or cancelled licence does not read as merely expired later"
        );
    }
}

#[test]
fn an_expired_licence_can_only_be_cancelled() {
    let l = licence();
    let after_expiry = day("2031-06-01");
    for change in [
        StatusChange::Suspend,
        StatusChange::Revoke,
        StatusChange::Reinstate,
    ] {
        let err = l
            .decide(change, "理由", "signatory", after_expiry)
            .expect_err("refused");
        assert!(
            matches!(&err, LicenceError::Expired { expired_on, .. } if *expired_on == day("2031-05-04"))
                || matches!(err, LicenceError::NotSuspended { .. }),
            "{change:?}: {err}"
        );
    }
    assert_eq!(l.allowed_changes(after_expiry), vec![StatusChange::Cancel]);
    let l = after(l, StatusChange::Cancel, "2031-06-01");
    assert_eq!(l.status_on(after_expiry).status, LicenceStatus::Cancelled);
}

#[test]
fn a_suspended_licence_that_expires_reads_as_expired() {
    let l = after(licence(), StatusChange::Suspend, "2030-01-01");
    assert_eq!(
        l.status_on(day("2031-05-04")).status,
        LicenceStatus::Expired
    );
    assert_eq!(
        l.allowed_changes(day("2031-05-04")),
        vec![StatusChange::Cancel]
    );
}

#[test]
fn changes_that_make_no_sense_are_refused_with_the_reason() {
    let l = licence();
    let on = day("2026-06-01");
    let err = l.decide(StatusChange::Reinstate, "x", "s", on).unwrap_err();
    assert_eq!(
        err.to_string(),
        "licence （辽）XK06-014-00001 is not suspended, so there is nothing to reinstate"
    );
    let l = after(l, StatusChange::Suspend, "2026-06-01");
    let err = l.decide(StatusChange::Suspend, "x", "s", on).unwrap_err();
    assert!(
        err.to_string()
            .contains("already suspended since 2026-06-01"),
        "{err}"
    );
    assert_eq!(
        l.allowed_changes(on),
        vec![
            StatusChange::Reinstate,
            StatusChange::Revoke,
            StatusChange::Cancel
        ]
    );
    let err = l
        .decide(StatusChange::Revoke, "x", "s", day("2026-05-31"))
        .unwrap_err();
    assert!(matches!(err, LicenceError::Backdated { .. }), "{err}");
    let err = licence()
        .decide(StatusChange::Revoke, "x", "s", day("2026-05-01"))
        .unwrap_err();
    assert!(matches!(err, LicenceError::BeforeIssue { .. }), "{err}");
}

#[test]
fn every_change_needs_a_reason_of_reasonable_length() {
    let l = licence();
    let on = day("2026-06-01");
    let err = l.decide(StatusChange::Suspend, "  ", "s", on).unwrap_err();
    assert_eq!(err, LicenceError::ReasonMissing);
    assert_eq!(err.field(), "reason");
    let long = "很".repeat(501);
    let err = l.decide(StatusChange::Suspend, &long, "s", on).unwrap_err();
    assert_eq!(err, LicenceError::ReasonTooLong { found: 501 });
    assert!(
        l.decide(StatusChange::Suspend, &"很".repeat(500), "s", on)
            .is_ok()
    );
}

#[test]
fn events_are_stored_as_tagged_json() {
    let l = after(licence(), StatusChange::Revoke, "2026-07-01");
    let json = serde_json::to_string(&l.events[0]).expect("serialises");
    assert_eq!(
        json,
        r#"{"on":"2026-07-01","kind":{"kind":"revoked","reason":"理由"},"actor":"signatory"}"#
    );
    let back: onewindow_domain::licences::LicenceEvent =
        serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, l.events[0]);
    assert_eq!(back.kind.key(), "revoked");
    assert_eq!(back.kind.change(), Some(StatusChange::Revoke));
    assert!(matches!(back.kind, LicenceEventKind::Revoked { .. }));
}

/// The stored form of each status finds exactly the licences `status_on` gives that status.
#[test]
fn the_stored_form_of_a_status_agrees_with_status_on() {
    let histories: Vec<Licence> = vec![
        licence(),
        after(licence(), StatusChange::Suspend, "2027-01-01"),
        after(
            after(licence(), StatusChange::Suspend, "2027-01-01"),
            StatusChange::Reinstate,
            "2027-02-01",
        ),
        after(licence(), StatusChange::Revoke, "2027-01-01"),
        after(
            after(licence(), StatusChange::Suspend, "2027-01-01"),
            StatusChange::Cancel,
            "2027-03-01",
        ),
    ];
    let days = [
        "2026-05-03",
        "2026-05-04",
        "2027-06-01",
        "2031-05-03",
        "2031-05-04",
    ];
    for l in &histories {
        for d in days.map(day) {
            if l.events.last().is_some_and(|e| e.on > d) {
                continue; // the stored form holds from the last change on
            }
            let actual = l.status_on(d).status;
            for status in LicenceStatus::ALL {
                let stored = status.stored_as();
                let dates = match stored.dates {
                    DateCondition::Any => true,
                    DateCondition::InForce => l.grant.issued_on <= d && d <= l.grant.valid_until,
                    DateCondition::Expired => l.grant.valid_until < d,
                    DateCondition::NotYetValid => d < l.grant.issued_on,
                };
                let found = stored.recorded.contains(&l.recorded_status()) && dates;
                assert_eq!(
                    found,
                    actual == *status,
                    "{status:?} on {d} for a licence {:?}",
                    l.events
                );
            }
        }
    }
}

#[test]
fn the_default_policy_dates_and_numbers_as_rules_md_says() {
    let mut policy = LicencePolicy::default();
    assert_eq!(
        policy.valid_until(LicenceType::IndustrialProduct, day("2026-05-04")),
        Ok(day("2031-05-03"))
    );
    assert_eq!(
        policy.valid_until(LicenceType::SpecialEquipment, day("2026-05-04")),
        Ok(day("2030-05-03"))
    );
    let err = policy
        .numbering(
            LicenceType::IndustrialProduct,
            "BS-XK-0101-001-XB",
            day("2031-05-03"),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("item BS-XK-0101-001-XB has no licence number codes"),
        "{err}"
    );
    policy.items.insert(
        "BS-XK-0101-001-XB".into(),
        ItemCodes::IndustrialProduct {
            industry: 6,
            product: 14,
        },
    );
    policy.items.insert(
        "BS-XK-0103-001-XB".into(),
        ItemCodes::SpecialEquipment {
            item: 27,
            region: 21,
        },
    );
    let xk = policy
        .numbering(
            LicenceType::IndustrialProduct,
            "BS-XK-0101-001-XB",
            day("2031-05-03"),
        )
        .expect("configured");
    assert_eq!(xk.number(42).unwrap().to_string(), "（辽）XK06-014-00042");
    let ts = policy
        .numbering(
            LicenceType::SpecialEquipment,
            "BS-XK-0103-001-XB",
            day("2030-05-03"),
        )
        .expect("configured");
    assert_eq!(
        ts.number(1).unwrap().to_string(),
        "TS2721001-2030",
        "the year is the year the licence expires"
    );
    assert!(matches!(
        policy.numbering(
            LicenceType::SpecialEquipment,
            "BS-XK-0101-001-XB",
            day("2030-01-01")
        ),
        Err(PolicyError::WrongType { .. })
    ));
    assert_eq!(policy.check(), Ok(()));
}

#[test]
fn a_policy_that_cannot_work_is_refused_whole() {
    let mut zero = LicencePolicy::default();
    zero.special_equipment.validity_years = 0;
    assert!(
        zero.check()
            .unwrap_err()
            .to_string()
            .contains("validity_years of special_equipment")
    );
    let mut province = LicencePolicy::default();
    province.industrial_product.province = Some("LN".into());
    assert!(
        province
            .check()
            .unwrap_err()
            .to_string()
            .contains("1–4 Chinese characters")
    );
    let mut codes = LicencePolicy::default();
    codes.items.insert(
        "X".into(),
        ItemCodes::IndustrialProduct {
            industry: 100,
            product: 1,
        },
    );
    assert!(
        codes
            .check()
            .unwrap_err()
            .to_string()
            .contains("numbering of item X")
    );
}

#[test]
fn only_the_signatory_or_head_of_the_issuing_org_changes_a_status() {
    let l = licence();
    let dalian = OrgCode::parse("210200").unwrap();
    let province = OrgCode::parse("210000").unwrap();
    assert_eq!(may_change_status(Role::Signatory, &dalian, &l), Ok(()));
    assert_eq!(may_change_status(Role::Head, &dalian, &l), Ok(()));
    for role in [
        Role::Administrator,
        Role::WindowClerk,
        Role::Reviewer,
        Role::Inspector,
        Role::InstituteStaff,
    ] {
        let why = may_change_status(role, &dalian, &l).unwrap_err();
        assert!(
            why.contains("a signatory or the head of the issuing org (210200)"),
            "{why}"
        );
    }
    let why = may_change_status(Role::Signatory, &province, &l).unwrap_err();
    assert_eq!(
        why,
        "licence （辽）XK06-014-00001 was issued by 210200; staff of 210000 may not change its status"
    );
}
