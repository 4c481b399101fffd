//! Case writes under concurrency, through the public store API, with group commit on SQLite and
//! (switched on by hand) on PostgreSQL; and the conformance suite in the mode each backend does
//! not use by default, so both commit paths stay correct. The batches these writes land in depend
//! on timing; src/group_commit/tests.rs builds batches by hand.

use jiff::Timestamp;
use onewindow_domain::catalogue::fixtures::org;
use onewindow_store::{
    AuditEntry, CaseId, CaseProjection, CaseStore, CatalogueBatch, CatalogueStore, NewCase,
    SettingsStore, StoreError, StoredEvent, Write, conformance,
};
use onewindow_store_sql::{CaseCommits, SqlStore};

const TASKS: usize = 64;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_764_000_000 + second).expect("valid")
}

fn event(seq: i64, body: &str) -> StoredEvent {
    StoredEvent {
        seq,
        at: at(seq),
        kind: format!("step-{seq}"),
        body: body.into(),
        prev_hash: format!("h{}", seq - 1),
        hash: format!("h{seq}"),
    }
}

fn projection(status: &str) -> CaseProjection {
    CaseProjection {
        status: status.into(),
        step: Some("review".into()),
        acting_org: "210200".into(),
        statutory_due: Some("2026-12-10".parse().expect("date")),
        promised_due: None,
        due_provisional: false,
        clock_status: "green".into(),
        open: true,
        step_since: Some(at(0)),
        clock_basis: None,
        head: None,
    }
}

fn new_case(key: Option<String>) -> NewCase {
    NewCase {
        item_code: "XK-001".into(),
        definition_code: "industrial".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: key,
        licence_number: None,
        projection: projection("submitted"),
        events: vec![event(1, "{}")],
        created_at: at(0),
    }
}

async fn create(store: &SqlStore) -> CaseId {
    store
        .create_case(&new_case(None), 2026)
        .await
        .expect("create")
        .id
}

async fn append(store: &SqlStore, id: CaseId, version: i64, body: &str) -> Result<(), StoreError> {
    let next = version + 1;
    store
        .append_events(
            id,
            version,
            &[event(next, body)],
            &projection(&format!("at-{next}")),
            at(next),
        )
        .await
}

/// Every case gets its appends, from many tasks at once; each log is whole and chained.
async fn concurrent_appends_to_different_cases_all_commit(store: &SqlStore) {
    const CASES: usize = 128;
    const APPENDS: i64 = 6;
    let mut ids = Vec::new();
    for _ in 0..CASES {
        ids.push(create(store).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in ids.chunks(CASES / TASKS) {
        let (store, chunk) = (store.clone(), chunk.to_vec());
        tasks.spawn(async move {
            for version in 1..=APPENDS {
                for &id in &chunk {
                    append(&store, id, version, "{}").await.expect("append");
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task");
    }
    for id in ids {
        let (record, events) = store.case(id).await.expect("read").expect("present");
        assert_eq!(record.version, APPENDS + 1);
        assert_eq!(record.projection.status, format!("at-{}", APPENDS + 1));
        let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, (1..=APPENDS + 1).collect::<Vec<_>>());
        for pair in events.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash, "the chain is unbroken");
        }
    }
}

/// Two people act on one case at once: one wins, the other is told, and only the winner's
/// event is in the log.
async fn two_appends_from_one_version_one_wins(store: &SqlStore) {
    for _ in 0..24 {
        let id = create(store).await;
        let (a, b) = tokio::join!(append(store, id, 1, "\"a\""), append(store, id, 1, "\"b\""));
        let winner = match (&a, &b) {
            (
                Ok(()),
                Err(StoreError::Conflict {
                    expected: 1,
                    found: 2,
                    ..
                }),
            ) => "\"a\"",
            (
                Err(StoreError::Conflict {
                    expected: 1,
                    found: 2,
                    ..
                }),
                Ok(()),
            ) => "\"b\"",
            other => panic!("exactly one must win, got {other:?}"),
        };
        let (record, events) = store.case(id).await.expect("read").expect("present");
        assert_eq!((record.version, events.len()), (2, 2));
        assert_eq!(events[1].body, winner, "the loser's event is absent");
    }
}

/// A double click sent many times at once makes one case.
async fn concurrent_creates_with_one_key_make_one_case(store: &SqlStore) {
    let key = Some("double-click".to_owned());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (store, case) = (store.clone(), new_case(key.clone()));
        tasks.spawn(async move { store.create_case(&case, 2027).await.expect("create") });
    }
    let created = tasks.join_all().await;
    assert!(created.iter().all(|c| c.id == created[0].id), "{created:?}");
    assert_eq!(created.iter().filter(|c| !c.existing).count(), 1);
}

/// Case writes at full speed do not starve or fail the pool's own writes (a settings write, and
/// a catalogue write that reads before it writes).
async fn pool_writes_succeed_beside_a_busy_case_writer(store: &SqlStore) {
    let mut ids = Vec::new();
    for _ in 0..TASKS {
        ids.push(create(store).await);
    }
    let mut load = tokio::task::JoinSet::new();
    for id in ids {
        let store = store.clone();
        load.spawn(async move {
            for version in 1..=30 {
                append(&store, id, version, "{}").await.expect("append");
            }
        });
    }
    for round in 0..20 {
        store
            .set_setting("load-test", &round.to_string())
            .await
            .expect("a setting is written beside the case writer");
        let batch = CatalogueBatch {
            orgs: vec![Write::new(org("210299", &format!("测试局{round}")))],
            ..Default::default()
        };
        let audit = AuditEntry {
            at: at(round),
            actor: "admin".into(),
            action: "edit".into(),
            detail: "load test".into(),
        };
        store
            .write_catalogue(&batch, &audit)
            .await
            .expect("a catalogue write is made beside the case writer");
    }
    while let Some(done) = load.join_next().await {
        done.expect("task");
    }
}

/// Closing while writes wait: each is either answered Ok and stored, or answered with an error
/// and absent — none is left without an answer, none acknowledged and lost.
async fn closing_answers_every_waiting_write(url: &str, commits: CaseCommits) {
    let store = SqlStore::connect_with(url, 4, Some(commits))
        .await
        .expect("connect");
    let mut ids = Vec::new();
    for _ in 0..200 {
        ids.push(create(&store).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for &id in &ids {
        let store = store.clone();
        tasks.spawn(async move { (id, append(&store, id, 1, "\"late\"").await) });
    }
    tokio::task::yield_now().await;
    store.close().await;
    let answers = tasks.join_all().await;
    assert!(
        append(&store, ids[0], 1, "{}").await.is_err(),
        "a closed store writes nothing"
    );
    let acknowledged = answers.iter().filter(|(_, a)| a.is_ok()).count();
    eprintln!("closing: {acknowledged} of {} acknowledged", answers.len());
    let reopened = SqlStore::connect(url, 2).await.expect("reopen");
    for (id, answer) in answers {
        let (record, _) = reopened.case(id).await.expect("read").expect("present");
        match answer {
            Ok(()) => assert_eq!(record.version, 2, "an acknowledged write is stored"),
            Err(StoreError::Database(_)) => {
                assert_eq!(record.version, 1, "a refused write is absent")
            }
            Err(other) => panic!("unexpected answer {other:?}"),
        }
    }
    reopened.close().await;
}

async fn all_scenarios(url: &str) {
    let store = SqlStore::connect_with(url, 4, Some(CaseCommits::Grouped))
        .await
        .expect("connect");
    assert_eq!(store.case_commits(), CaseCommits::Grouped);
    concurrent_appends_to_different_cases_all_commit(&store).await;
    two_appends_from_one_version_one_wins(&store).await;
    concurrent_creates_with_one_key_make_one_case(&store).await;
    pool_writes_succeed_beside_a_busy_case_writer(&store).await;
    store.close().await;
    closing_answers_every_waiting_write(url, CaseCommits::Grouped).await;
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("ow.db").display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_group_commit_keeps_every_write_whole_and_separate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqlStore::connect(&sqlite_url(&dir), 4)
        .await
        .expect("connect");
    assert_eq!(
        store.case_commits(),
        CaseCommits::Grouped,
        "the SQLite default"
    );
    store.close().await;
    all_scenarios(&sqlite_url(&dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_group_commit_keeps_every_write_whole_and_separate() {
    let Some(db) = onewindow_testkit::postgres_database() else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    let store = SqlStore::connect(&db.url, 4).await.expect("connect");
    assert_eq!(
        store.case_commits(),
        CaseCommits::OneEach,
        "the PostgreSQL default"
    );
    store.close().await;
    all_scenarios(&db.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_with_one_commit_per_case_write_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqlStore::connect_with(&sqlite_url(&dir), 4, Some(CaseCommits::OneEach))
        .await
        .expect("connect");
    conformance::run(&store).await;
    concurrent_appends_to_different_cases_all_commit(&store).await;
    two_appends_from_one_version_one_wins(&store).await;
    concurrent_creates_with_one_key_make_one_case(&store).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_with_grouped_case_commits_passes_the_conformance_suite() {
    let Some(db) = onewindow_testkit::postgres_database() else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    let store = SqlStore::connect_with(&db.url, 4, Some(CaseCommits::Grouped))
        .await
        .expect("connect");
    conformance::run(&store).await;
    store.close().await;
}
