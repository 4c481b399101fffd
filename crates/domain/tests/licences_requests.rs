//! Cases on an existing licence (arts. 49, 50, 70): which requests a licence may be the subject
//! of, each refusal naming its field; what a grant records on it; the renewal's dates by the
//! policy (条例 第二十四条: 6 months' lead, 5 more years from the old expiry); and the case log's
//! deemed renewal (art. 50 ¶2) — only for a renewal applied for in time, only after expiry.

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::cases::{
    ActorRef, CaseState, Channel, Command, EventKind, MaterialRef, decide,
};
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{
    Licence, LicenceEventKind, LicenceGrant, LicencePolicy, LicenceRequest, LicenceStatus,
    LicenceType, RequestError, StatusChange,
};

fn day(text: &str) -> Date {
    text.parse().expect("a date")
}

fn holder() -> CreditCode {
    CreditCode::parse("91110000600037341L").expect("valid")
}

/// Valid until 2031-05-03.
fn licence() -> Licence {
    Licence {
        number: LicenceNumber::parse("（辽）XK06-014-00001").expect("a number"),
        grant: LicenceGrant {
            licence_type: LicenceType::IndustrialProduct,
            item_code: CatalogueCode::parse("BS-XK-0101-001-XB").expect("a code"),
            holder_name: "大连海通阀门制造有限公司".into(),
            holder_credit_code: holder(),
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

fn with(mut l: Licence, change: StatusChange, on: &str) -> Licence {
    let event = l
        .decide(change, "理由", "signatory", day(on))
        .expect("allowed");
    l.record(event);
    l
}

fn rename(name: &str) -> LicenceRequest {
    LicenceRequest::Change {
        holder_name: Some(name.into()),
        production_address: None,
        scope: Vec::new(),
    }
}

#[test]
fn only_the_holder_applies_and_a_final_or_expired_licence_refuses_what_the_law_refuses() {
    let today = day("2027-01-04");
    let other = CreditCode::complete("9121020071640101").expect("a code");
    let err = licence()
        .check_request(&other, LicenceRequest::Renewal, today)
        .expect_err("not the holder");
    assert!(matches!(err, RequestError::NotHolder { .. }));
    assert_eq!(err.field(), "licence_number");

    let revoked = with(licence(), StatusChange::Revoke, "2026-12-01");
    for request in [LicenceRequest::Renewal, rename("新名")] {
        let err = revoked
            .check_request(&holder(), request, today)
            .expect_err("revoked is final");
        assert!(err.to_string().contains("revoked"), "{err}");
        assert_eq!(err.field(), "licence_number");
    }
    let expired = day("2031-05-04");
    assert!(
        licence()
            .check_request(&holder(), LicenceRequest::Renewal, expired)
            .is_err()
    );
    assert!(
        licence()
            .check_request(&holder(), rename("新名"), expired)
            .is_err()
    );
    let cancel = LicenceRequest::Cancellation {
        reason: "有效期届满未延续".into(),
    };
    assert!(
        licence().check_request(&holder(), cancel, expired).is_ok(),
        "art. 70(1)"
    );

    let suspended = with(licence(), StatusChange::Suspend, "2026-12-01");
    assert!(
        suspended
            .check_request(&holder(), LicenceRequest::Renewal, today)
            .is_ok()
    );
}

#[test]
fn a_change_names_something_new_and_a_cancellation_its_reason() {
    let today = day("2027-01-04");
    let same = licence().check_request(&holder(), rename("  大连海通阀门制造有限公司 "), today);
    assert_eq!(same.expect_err("nothing new").field(), "holder_name");
    let long = licence().check_request(&holder(), rename(&"名".repeat(201)), today);
    assert_eq!(long.expect_err("too long").field(), "holder_name");
    let cancel = LicenceRequest::Cancellation { reason: " ".into() };
    let err = licence()
        .check_request(&holder(), cancel, today)
        .expect_err("no reason");
    assert_eq!(err.field(), "reason");
    let trimmed = licence()
        .check_request(&holder(), rename(" 大连海通阀门集团 "), today)
        .expect("a change");
    assert_eq!(trimmed, rename("大连海通阀门集团"));
}

#[test]
fn a_grant_changes_the_particulars_renews_from_the_old_expiry_or_cancels() {
    let policy = LicencePolicy::default();
    let on = day("2027-01-04");
    let l = licence();
    let change = l
        .event_for_grant(
            &rename("大连海通阀门集团"),
            "2027-000009",
            &policy,
            false,
            "s",
            on,
        )
        .expect("an event");
    assert_eq!(
        l.changed_lines(&change),
        ["企业名称：原“大连海通阀门制造有限公司”变更为“大连海通阀门集团”"]
    );
    let mut changed = l.clone();
    changed.record(change);
    assert_eq!(changed.grant.holder_name, "大连海通阀门集团");
    assert_eq!(changed.grant.production_address, l.grant.production_address);
    assert_eq!(changed.number, l.number);
    assert_eq!(changed.recorded_status(), LicenceStatus::Valid);
    assert!(changed.event_of_case("2027-000009").is_some());

    let renewal = l
        .event_for_grant(
            &LicenceRequest::Renewal,
            "2031-000001",
            &policy,
            true,
            "system",
            on,
        )
        .expect("an event");
    assert!(matches!(
        renewal.kind,
        LicenceEventKind::Renewed { valid_until, deemed: true, .. } if valid_until == day("2036-05-03")
    ));
    assert!(renewal.kind.reason().contains("第五十条"));

    let cancel = LicenceRequest::Cancellation {
        reason: "停产".into(),
    };
    let event = l
        .event_for_grant(&cancel, "2027-000010", &policy, false, "s", on)
        .expect("an event");
    let mut cancelled = l.clone();
    cancelled.record(event);
    assert_eq!(cancelled.status_on(on).status, LicenceStatus::Cancelled);
    assert!(cancelled.status_on(on).zh.contains("2027-000010"));
}

#[test]
fn the_renewal_lead_is_six_months_for_industrial_product_licences() {
    let policy = LicencePolicy::default();
    let due = policy.renewal_due_by(LicenceType::IndustrialProduct, day("2031-05-03"));
    assert_eq!(due, Some(day("2030-11-03")));
    assert_eq!(
        policy.renewed_until(LicenceType::SpecialEquipment, day("2030-05-03")),
        Ok(day("2034-05-03")),
        "4 years for special equipment, from the day after the old expiry"
    );
}

fn case_with(in_time: bool) -> CaseState {
    let at = Timestamp::from_second(1_800_000_000).expect("valid");
    let applicant = ActorRef::applicant("haitong");
    let mut state = CaseState::default();
    let commands = [
        Command::Submit {
            item: "BS-XK-0101-YX".into(),
            applicant: holder().to_string(),
            materials: vec![MaterialRef {
                name: "申请书".into(),
                content_hash: onewindow_domain::cases::Hash::of(b"x"),
            }],
            channel: Channel::Online,
        },
        Command::NameLicence {
            number: "（辽）XK06-014-00001".into(),
            request: LicenceRequest::Renewal,
            valid_until: day("2031-05-03"),
            in_time,
        },
    ];
    let mut events = Vec::new();
    for command in commands {
        let kinds = decide(&state, command, &applicant, day("2030-10-01")).expect("decided");
        let new = state
            .head()
            .append(kinds, &applicant, at, day("2030-10-01"));
        for e in &new {
            state.apply(e);
        }
        events.extend(new);
    }
    assert!(matches!(events[1].kind, EventKind::LicenceNamed { .. }));
    state
}

#[test]
fn an_in_time_renewal_undecided_after_expiry_is_deemed_granted_and_a_late_one_is_not() {
    let state = case_with(true);
    assert_eq!(
        state.deemed_renewal_due(day("2031-05-03")),
        None,
        "the last day"
    );
    assert_eq!(
        state.deemed_renewal_due(day("2031-05-04")),
        Some(day("2031-05-04"))
    );
    let kinds = decide(
        &state,
        Command::DeemRenewal,
        &ActorRef::system(),
        day("2031-05-04"),
    )
    .expect("deemed");
    assert_eq!(
        kinds,
        [EventKind::RenewalDeemed {
            expired_on: day("2031-05-04")
        }]
    );
    let late = case_with(false);
    assert_eq!(late.deemed_renewal_due(day("2031-06-01")), None);
    assert!(
        decide(
            &late,
            Command::DeemRenewal,
            &ActorRef::system(),
            day("2031-06-01")
        )
        .is_err()
    );
    let err = decide(
        &state,
        Command::DeemRenewal,
        &ActorRef::applicant("haitong"),
        day("2031-06-01"),
    );
    assert!(err.is_err(), "only the system deems");
}
