//! The sweeper's and the recompute's port: open cases a page at a time with their logs, a batch
//! of version-checked appends, and provisional due dates settled in one statement.

use jiff::Timestamp;
use jiff::civil::Date;

use super::{event, projection};
use crate::{BatchAppend, CaseId, CaseProjection, LogHeadRow, NewCase, OpenCases, Store};

fn date(text: &str) -> Date {
    text.parse().expect("a date")
}

fn case_with(statutory: &str, promised: Option<&str>, provisional: bool, open: bool) -> NewCase {
    NewCase {
        item_code: "BJ-003".into(),
        definition_code: "simple".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: None,
        licence_number: None,
        projection: CaseProjection {
            statutory_due: Some(date(statutory)),
            promised_due: promised.map(date),
            due_provisional: provisional,
            ..projection("accepted", open)
        },
        events: vec![event(1, "00"), event(2, "h1")],
        created_at: Timestamp::from_second(1_764_000_000).expect("valid"),
    }
}

/// The row's head after event `seq` (as `event` names its hash).
fn head(seq: i64, on: &str) -> Option<LogHeadRow> {
    Some(LogHeadRow {
        hash: format!("h{seq}"),
        on: date(on),
    })
}

pub(super) async fn open_cases_are_paged_with_their_logs_and_appended_together(store: &dyn Store) {
    let cases = [
        case_with("2026-12-10", None, true, true), // a: before the change
        case_with("2027-01-05", None, true, true), // b: reaches it
        case_with("2026-12-10", Some("2027-02-01"), true, true), // c: its promise reaches it
        case_with("2027-03-01", None, false, true), // d: exact
        case_with("2027-01-05", None, true, false), // e: closed
    ];
    let mut ids = Vec::new();
    for case in &cases {
        ids.push(store.create_case(case, 2026).await.expect("create").id);
    }
    let [a, b, c, d, _] = ids[..] else {
        unreachable!("five cases")
    };
    let before = CaseId(a.0 - 1);
    let page = |which: OpenCases, limit: u32| async move {
        store
            .open_cases_with_logs(before, which, limit)
            .await
            .expect("page")
    };
    let ids_of = |found: &[(crate::CaseRecord, Option<Vec<crate::StoredEvent>>)]| {
        found.iter().map(|(r, _)| r.id).collect::<Vec<_>>()
    };
    let reaching = OpenCases::Provisional {
        reaching: Some(date("2027-01-01")),
    };
    let found = page(reaching, 10).await;
    assert_eq!(
        ids_of(&found),
        vec![b, c],
        "provisional and reaching the day"
    );
    assert!(
        found
            .iter()
            .all(|(_, log)| log.as_ref() == Some(&vec![event(1, "00"), event(2, "h1")])),
        "each with its whole log"
    );
    let every = OpenCases::Provisional { reaching: None };
    assert_eq!(ids_of(&page(every, 10).await), vec![a, b, c]);
    assert_eq!(ids_of(&page(OpenCases::All, 10).await), vec![a, b, c, d]);
    let first = page(OpenCases::All, 1).await;
    assert_eq!(ids_of(&first), vec![a]);
    assert_eq!(
        first[0].1.as_ref().map(Vec::len),
        Some(2),
        "a page's logs are whole"
    );

    // b at its version is written; c from a stale version is not, and nothing of it is.
    let moved = CaseProjection {
        statutory_due: Some(date("2027-01-06")),
        due_provisional: false,
        ..projection("accepted", true)
    };
    let appends = [
        BatchAppend {
            id: b,
            expected_version: 2,
            events: vec![event(3, "h2")],
            projection: moved.clone(),
        },
        BatchAppend {
            id: c,
            expected_version: 1,
            events: vec![event(3, "h2")],
            projection: moved.clone(),
        },
    ];
    let at = Timestamp::from_second(1_764_000_300).expect("valid");
    let written = store
        .append_batch(appends.to_vec(), at)
        .await
        .expect("batch");
    assert_eq!(written, vec![b], "the stale append is a conflict");
    let (record, log) = store.case(b).await.expect("read").expect("b");
    assert_eq!((record.version, log.len()), (3, 3));
    assert_eq!(log[2], event(3, "h2"));
    assert_eq!(record.projection, moved);
    assert_eq!(record.updated_at, at);
    let (record, log) = store.case(c).await.expect("read").expect("c");
    assert_eq!((record.version, log.len()), (2, 2), "nothing of c written");
    assert!(record.projection.due_provisional);
    assert!(
        store
            .append_batch(Vec::new(), at)
            .await
            .expect("empty")
            .is_empty()
    );

    // Settling before 1 Jan 2027: a's dates lie wholly before it, c's promise does not.
    let settled = store
        .settle_provisional_due_dates(date("2027-01-01"), at)
        .await
        .expect("settle");
    assert!(settled >= 1, "a at least: {settled}");
    let (record, _) = store.case(a).await.expect("read").expect("a");
    assert!(!record.projection.due_provisional);
    assert_eq!(record.version, 2, "settling records no event");
    assert_eq!(ids_of(&page(every, 10).await), vec![c]);
}

pub(super) async fn provisional_rows_keep_their_log_head_and_clock_basis(store: &dyn Store) {
    let with_basis = |statutory: &str, basis: Option<&str>, provisional: bool| {
        let mut case = case_with(statutory, None, provisional, true);
        case.projection.clock_basis = basis.map(str::to_owned);
        case.projection.head = head(2, "2026-12-01");
        case
    };
    let cases = [
        with_basis("2027-01-05", Some("a2026-12-01 s20 p13"), true),
        with_basis("2027-01-06", None, true), // written before migration 0011
        with_basis("2026-12-10", Some("a2026-11-20 s20"), true), // before the day
        with_basis("2027-01-07", Some("a2026-12-03 s20"), false), // exact
    ];
    let mut ids = Vec::new();
    for case in &cases {
        ids.push(store.create_case(case, 2026).await.expect("create").id);
    }
    let [a, b, c, _] = ids[..] else {
        unreachable!("four cases")
    };
    let before = CaseId(a.0 - 1);
    let rows = |reaching: Option<Date>| async move {
        store
            .provisional_case_rows(before, reaching, 10)
            .await
            .expect("rows")
    };
    let found = rows(Some(date("2027-01-01"))).await;
    let ids_of = |found: &[crate::CaseRecord]| found.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids_of(&found),
        vec![a, b],
        "provisional and reaching the day"
    );
    assert!(
        found
            .iter()
            .all(|r| r.projection.head == head(2, "2026-12-01") && r.version == 2),
        "each with its log's head as written: {found:?}"
    );
    let bases: Vec<_> = found
        .iter()
        .map(|r| r.projection.clock_basis.as_deref())
        .collect();
    assert_eq!(bases, vec![Some("a2026-12-01 s20 p13"), None]);
    assert_eq!(ids_of(&rows(None).await), vec![a, b, c]);
    let one = store
        .provisional_case_rows(before, None, 1)
        .await
        .expect("a page of one");
    assert_eq!(ids_of(&one), vec![a]);

    // Every write of a projection writes its basis and head: an append, and a batch.
    let at = Timestamp::from_second(1_764_000_400).expect("valid");
    let basis = |text: &str| CaseProjection {
        clock_basis: Some(text.into()),
        ..cases[1].projection.clone()
    };
    let appended = CaseProjection {
        head: head(3, "2026-12-02"),
        ..basis("a2026-12-02 s20")
    };
    store
        .append_events(b, 2, &[event(3, "h2")], &appended, at)
        .await
        .expect("append");
    // A batch writes the clock's columns and the head only: the status and step stay as
    // stored.
    let batch = BatchAppend {
        id: a,
        expected_version: 2,
        events: vec![event(3, "h2")],
        projection: CaseProjection {
            status: "granted".into(),
            step: None,
            head: head(3, "2026-12-03"),
            ..basis("a2026-12-01 s30 c2026-12-02/2026-12-04")
        },
    };
    assert_eq!(
        store.append_batch(vec![batch], at).await.expect("batch"),
        vec![a]
    );
    let found = rows(Some(date("2027-01-01"))).await;
    let bases: Vec<_> = found
        .iter()
        .map(|r| (r.projection.clock_basis.clone(), r.projection.head.clone()))
        .collect();
    assert_eq!(
        bases,
        vec![
            (
                Some("a2026-12-01 s30 c2026-12-02/2026-12-04".into()),
                head(3, "2026-12-03")
            ),
            (Some("a2026-12-02 s20".into()), head(3, "2026-12-02")),
        ],
        "the new bases, and b's new head"
    );
    let (record, _) = store.case(a).await.expect("read").expect("a");
    assert_eq!(
        (
            record.projection.status.as_str(),
            record.projection.step.as_deref()
        ),
        ("accepted", Some("acceptance"))
    );
    assert_eq!(record.projection.statutory_due, Some(date("2027-01-06")));
}

pub(super) async fn open_rows_are_paged_alone_and_logs_read_at_their_versions(store: &dyn Store) {
    let open = case_with("2027-04-01", None, false, true);
    let closed = case_with("2027-04-01", None, false, false);
    let first = store.create_case(&open, 2026).await.expect("create").id;
    let shut = store.create_case(&closed, 2026).await.expect("create").id;
    let second = store.create_case(&open, 2026).await.expect("create").id;
    let before = CaseId(first.0 - 1);
    let rows = store.open_case_rows(before, 10).await.expect("rows");
    let ids: Vec<CaseId> = rows
        .iter()
        .map(|r| r.id)
        .take_while(|id| id.0 <= second.0)
        .collect();
    assert_eq!(ids, [first, second], "open cases only, in id order");
    let one = store.open_case_rows(before, 1).await.expect("rows");
    assert_eq!(
        one.iter().map(|r| r.id).collect::<Vec<_>>(),
        [first],
        "a page's limit"
    );
    assert!(rows.iter().all(|r| r.id != shut));

    // Logs as of the versions asked for, in the order asked; a version the log does not reach
    // yet (or a case without events) is no whole log.
    let at = Timestamp::from_second(1_764_000_900).expect("valid");
    store
        .append_events(
            second,
            2,
            &[event(3, "h2")],
            &projection("accepted", true),
            at,
        )
        .await
        .expect("append");
    let logs = store
        .logs_at(&[
            (second, 2),
            (first, 2),
            (first, 5),
            (CaseId(first.0 + 10_000), 1),
        ])
        .await
        .expect("logs");
    let seqs = |log: &Option<Vec<crate::StoredEvent>>| {
        log.as_ref()
            .map(|l| l.iter().map(|e| e.seq).collect::<Vec<_>>())
    };
    assert_eq!(
        seqs(&logs[0]),
        Some(vec![1, 2]),
        "the event appended since is left out"
    );
    assert_eq!(seqs(&logs[1]), Some(vec![1, 2]));
    assert_eq!(seqs(&logs[2]), None, "version 5 is not stored");
    assert_eq!(seqs(&logs[3]), None, "no such case");
    let (_, whole) = store.case(second).await.expect("read").expect("present");
    assert_eq!(
        store.logs_at(&[(second, 3)]).await.expect("logs")[0].as_deref(),
        Some(&whole[..]),
        "the whole log, as `case` reads it"
    );
    assert!(store.logs_at(&[]).await.expect("none").is_empty());
}
