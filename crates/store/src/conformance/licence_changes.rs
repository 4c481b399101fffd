//! Conformance of changes and renewals on a licence (arts. 49–50): the row takes the
//! particulars in force — the register finds the new name and no longer the old one, a renewal
//! moves the expiry the status filters read — while the recorded status stays as it was, and
//! the history keeps the event.

use onewindow_domain::licences::{LicenceEvent, LicenceEventKind, LicenceStatus};

use super::licences::{audit, day, find_cases as find, number_of, text};
use crate::{LicenceCursor, LicenceFilter, Store};

pub(super) async fn changes_and_renewals_update_the_particulars(store: &dyn Store) {
    let licence = number_of(store, "L-1").await;
    let changed = LicenceEvent {
        on: day("2026-09-01"),
        kind: LicenceEventKind::Changed {
            case_number: "2026-000101".into(),
            holder_name: "大连新海阀门制造有限公司".into(),
            production_address: "辽宁省大连市甘井子区".into(),
            scope: vec!["阀门".into()],
        },
        actor: "signatory".into(),
    };
    let after = store
        .append_licence_event(&licence.number, licence.version(), &changed, &audit("x"))
        .await
        .expect("append")
        .expect("present");
    assert_eq!(after.grant.holder_name, "大连新海阀门制造有限公司");
    assert_eq!(after.grant.production_address, "辽宁省大连市甘井子区");
    assert_eq!(after.grant.scope, ["阀门"]);
    assert_eq!(after.number, licence.number, "same number (art. 49)");
    assert_eq!(after.events.last(), Some(&changed));
    assert_eq!(after.recorded_status(), LicenceStatus::Valid);
    assert_eq!(find(store, text("新海阀门")).await.0, ["L-1"]);
    assert_eq!(
        find(store, text("海通阀门")).await.1,
        0,
        "the old name is gone"
    );

    // L-2 is suspended: a renewal moves its expiry and leaves it suspended.
    let suspended = number_of(store, "L-2").await;
    let renewed = LicenceEvent {
        on: day("2026-09-02"),
        kind: LicenceEventKind::Renewed {
            case_number: "2026-000102".into(),
            valid_until: day("2036-05-03"),
            deemed: true,
        },
        actor: "system".into(),
    };
    let after = store
        .append_licence_event(
            &suspended.number,
            suspended.version(),
            &renewed,
            &audit("x"),
        )
        .await
        .expect("append")
        .expect("present");
    assert_eq!(after.grant.valid_until, day("2036-05-03"));
    assert_eq!(after.recorded_status(), LicenceStatus::Suspended);
    let expired = LicenceFilter {
        status_on: Some((LicenceStatus::Expired, day("2031-05-04"))),
        ..Default::default()
    };
    assert!(
        !find(store, expired).await.0.contains(&"L-2".to_owned()),
        "renewed: not expired on the old expiry"
    );
    let suspended_later = LicenceFilter {
        status_on: Some((LicenceStatus::Suspended, day("2031-05-04"))),
        ..Default::default()
    };
    assert_eq!(find(store, suspended_later).await.0, ["L-2"]);
}

pub(super) async fn expiring_licences_are_walked_once(store: &dyn Store) {
    let (from, through) = (day("2031-05-01"), day("2031-05-03"));
    let mut cursor = LicenceCursor::default();
    let mut seen = Vec::new();
    loop {
        let (page, next) = store
            .expiring_licences(from, through, cursor, 4)
            .await
            .expect("walk");
        assert!(page.len() <= 4);
        if page.is_empty() {
            assert_eq!(next, cursor, "nothing more: the cursor stays");
            break;
        }
        seen.extend(page.into_iter().map(|l| l.grant.case_number));
        cursor = next;
    }
    assert_eq!(seen.len(), 10, "every valid one once: {seen:?}");
    assert!(!seen.contains(&"L-2".to_owned()), "suspended (and renewed)");
    assert!(!seen.contains(&"L-3".to_owned()), "revoked");
    let later = store
        .expiring_licences(
            day("2031-05-04"),
            day("2032-01-01"),
            LicenceCursor::default(),
            50,
        )
        .await
        .expect("walk");
    assert!(later.0.is_empty());
}
