//! The read every move starts with: a case, its log and the generations of the calendar and
//! the catalogue in one snapshot, each generation moving when its data changes.

use jiff::Timestamp;
use onewindow_domain::calendar::DayKind;
use onewindow_domain::catalogue::fixtures::org;
use onewindow_domain::identifiers::CreditCode;

use super::{audit, event, holiday, projection};
use crate::{CatalogueBatch, NewCase, Store, Write};

fn new_case() -> NewCase {
    NewCase {
        item_code: "BJ-003".into(),
        definition_code: "simple".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: None,
        licence_number: None,
        projection: projection("submitted", true),
        events: vec![event(1, "00")],
        created_at: Timestamp::from_second(1_764_000_000).expect("valid"),
    }
}

pub(super) async fn a_case_for_change_comes_with_its_log_and_generations(store: &dyn Store) {
    let created = store.create_case(&new_case(), 2026).await.expect("create");
    let at = Timestamp::from_second(1_764_000_500).expect("valid");
    store
        .append_events(
            created.id,
            1,
            &[event(2, "h1")],
            &projection("accepted", true),
            at,
        )
        .await
        .expect("append");
    let (record, log) = store
        .case(created.id)
        .await
        .expect("read")
        .expect("present");
    let read = store
        .case_for_change(&record.number)
        .await
        .expect("read for change")
        .expect("present");
    assert_eq!(read.record, record, "the same row as `case` reads");
    assert_eq!(created.number, record.number, "create answers the number");
    assert_eq!(
        store.generations().await.expect("generations"),
        read.generations,
        "the generations alone read what the case read came with"
    );
    assert_eq!(read.events, log, "the whole log, in order");
    assert_eq!(read.events.len(), 2);
    let after_first = store
        .case_for_change_after(&record.number, 1)
        .await
        .expect("read after the first event")
        .expect("present");
    assert_eq!(
        after_first.record, record,
        "the row whole, whatever the seq"
    );
    assert_eq!(after_first.events, log[1..], "only the events after seq 1");
    assert_eq!(after_first.generations, read.generations);
    let after_all = store
        .case_for_change_after(&record.number, 2)
        .await
        .expect("read after the last event")
        .expect("a case with no newer events is still found");
    assert!(after_all.events.is_empty());
    assert_eq!(after_all.record.version, 2);
    assert_eq!(
        read.applicant_on_record, None,
        "no enterprise is registered under the applicant's code"
    );
    assert_eq!(
        read.generations.calendar,
        store.calendar_version().await.expect("calendar version")
    );
    assert_eq!(
        read.generations.catalogue,
        store.catalogue_version().await.expect("catalogue version")
    );
    assert!(
        store
            .case_for_change("2026-999999")
            .await
            .expect("read")
            .is_none(),
        "an unknown number is no case"
    );

    // An applicant registered as an enterprise comes with its name and address on record.
    let code = CreditCode::complete("91210211MA0Y4K7P").expect("a credit code");
    let registered = store
        .enterprise(&code)
        .await
        .expect("read")
        .expect("registered by the accounts checks");
    let theirs = store
        .create_case(
            &NewCase {
                applicant: code.as_str().to_owned(),
                idempotency_key: Some("generations-registered".into()),
                ..new_case()
            },
            2026,
        )
        .await
        .expect("create");
    let (theirs, _) = store.case(theirs.id).await.expect("read").expect("present");
    let read_theirs = store
        .case_for_change(&theirs.number)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(
        read_theirs.applicant_on_record,
        Some((registered.name, registered.address))
    );

    // A catalogue write moves the catalogue's generation, and only it.
    let renamed = CatalogueBatch {
        orgs: vec![Write::new(org("210200-GEN", "代次检查局"))],
        ..CatalogueBatch::default()
    };
    store
        .write_catalogue(&renamed, &audit("edit"))
        .await
        .expect("write");
    let after_catalogue = store
        .case_for_change(&record.number)
        .await
        .expect("read")
        .expect("present");
    assert!(after_catalogue.generations.catalogue > read.generations.catalogue);
    assert_eq!(
        store.generations().await.expect("generations"),
        after_catalogue.generations
    );
    assert_eq!(
        after_catalogue.generations.calendar,
        read.generations.calendar
    );

    // A calendar import moves the calendar's generation, and only it.
    store
        .replace_schedule_year(
            2027,
            &[holiday("2027-01-01", DayKind::Holiday, "元旦")],
            &audit("import_calendar"),
        )
        .await
        .expect("replace");
    let after_calendar = store
        .case_for_change(&record.number)
        .await
        .expect("read")
        .expect("present");
    assert!(after_calendar.generations.calendar > read.generations.calendar);
    assert_eq!(
        after_calendar.generations.catalogue,
        after_catalogue.generations.catalogue
    );
    assert_eq!(
        store.generations().await.expect("generations"),
        after_calendar.generations
    );

    // A repeated idempotency key answers the first case's number.
    let keyed = NewCase {
        idempotency_key: Some("generations-key".into()),
        ..new_case()
    };
    let first = store.create_case(&keyed, 2026).await.expect("create");
    let again = store.create_case(&keyed, 2026).await.expect("create again");
    assert!(again.existing);
    assert_eq!((again.id, again.number), (first.id, first.number));
}
