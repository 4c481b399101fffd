//! Batches built by hand, so that the writes below are known to share one transaction and one
//! commit (through the public API, which writes share a batch depends on timing).

use jiff::Timestamp;
use onewindow_store::{
    Backend, CaseId, CaseProjection, CaseStore, Created, NewCase, StoreError, StoredEvent,
};
use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

use super::{Answer, Message, Request, Writer, commit_batch};
use crate::case_writes::{CaseWrite, Written};
use crate::{CaseCommits, SqlStore};

/// A migrated SQLite file, a store on it writing one transaction per write (to set up and read
/// back), and the writer's connection options.
pub(super) async fn fixture() -> (tempfile::TempDir, SqlStore, sqlx::any::AnyConnectOptions) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("ow.db").display());
    let store = SqlStore::connect_with(&url, 2, Some(CaseCommits::OneEach))
        .await
        .expect("connect");
    let options = store.pool.connect_options().as_ref().clone();
    (dir, store, options)
}

async fn connection(options: &sqlx::any::AnyConnectOptions) -> AnyConnection {
    crate::connect::open_connection(options, Backend::Sqlite)
        .await
        .expect("open the writer's connection")
}

pub(super) fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_764_000_000 + second).expect("valid")
}

pub(super) fn event(seq: i64, kind: &str, body: &str) -> StoredEvent {
    StoredEvent {
        seq,
        at: at(seq),
        kind: kind.into(),
        body: body.into(),
        prev_hash: format!("h{}", seq - 1),
        hash: format!("h{seq}"),
    }
}

pub(super) fn projection(status: &str) -> CaseProjection {
    CaseProjection {
        status: status.into(),
        step: Some("acceptance".into()),
        acting_org: "210200".into(),
        statutory_due: None,
        promised_due: None,
        due_provisional: false,
        clock_status: "green".into(),
        open: true,
        step_since: None,
        clock_basis: None,
        head: None,
    }
}

pub(super) fn new_case(key: Option<&str>) -> NewCase {
    NewCase {
        item_code: "XK-001".into(),
        definition_code: "industrial".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: key.map(str::to_owned),
        licence_number: None,
        projection: projection("submitted"),
        events: vec![event(1, "submitted", "{}")],
        created_at: at(0),
    }
}

pub(super) fn append(
    id: CaseId,
    expected_version: i64,
    events: Vec<StoredEvent>,
    status: &str,
) -> CaseWrite {
    CaseWrite::Append {
        id,
        expected_version,
        events,
        projection: projection(status),
        at: at(100),
        notifications: Vec::new(),
    }
}

pub(super) async fn create(store: &SqlStore) -> CaseId {
    store
        .create_case(&new_case(None), 2026)
        .await
        .expect("create")
        .id
}

/// (version, status, event kinds) as stored.
pub(super) async fn stored(store: &SqlStore, id: CaseId) -> (i64, String, Vec<String>) {
    let (record, events) = store.case(id).await.expect("read").expect("present");
    let kinds = events.into_iter().map(|e| e.kind).collect();
    (record.version, record.projection.status, kinds)
}

/// Either writer's batch commit, so that each scenario below runs against both: the sqlx task
/// (what PostgreSQL uses) and the SQLite writer's thread (crate::group_commit::direct).
pub(super) enum Batches {
    Sqlx(AnyConnection),
    Direct(rusqlite::Connection),
}

impl Batches {
    pub(super) async fn sqlx(options: &sqlx::any::AnyConnectOptions) -> Batches {
        Batches::Sqlx(connection(options).await)
    }

    pub(super) fn direct(store: &SqlStore) -> Batches {
        let native = store
            .native
            .as_ref()
            .expect("a SQLite store drives its file directly");
        Batches::Direct(native.connection().expect("open the writer's connection"))
    }

    /// Commits `writes` as one batch: the answers, and whether it ran again with savepoints.
    pub(super) async fn run(&mut self, writes: &[CaseWrite]) -> (Vec<Answer>, bool) {
        let writes: Vec<&CaseWrite> = writes.iter().collect();
        let batch = match self {
            Batches::Sqlx(conn) => commit_batch(conn, Backend::Sqlite, &writes)
                .await
                .expect("the batch commits"),
            Batches::Direct(conn) => {
                super::direct::commit_batch(conn, &writes).expect("the batch commits")
            }
        };
        (batch.answers, batch.rerun)
    }
}

/// Which writer a scenario drives.
#[derive(Clone, Copy)]
pub(super) enum Through {
    Sqlx,
    Direct,
}

async fn batches(
    through: Through,
    store: &SqlStore,
    options: &sqlx::any::AnyConnectOptions,
) -> Batches {
    match through {
        Through::Sqlx => Batches::sqlx(options).await,
        Through::Direct => Batches::direct(store),
    }
}

#[tokio::test]
async fn a_failing_write_in_a_batch_rolls_back_alone_and_the_others_commit() {
    a_failing_write_rolls_back_alone(Through::Sqlx).await;
}

pub(super) async fn a_failing_write_rolls_back_alone(through: Through) {
    let (_dir, store, options) = fixture().await;
    let (a, b, c) = (
        create(&store).await,
        create(&store).await,
        create(&store).await,
    );
    let mut batch = batches(through, &store, &options).await;
    let (answers, rerun) = batch
        .run(&[
            append(a, 1, vec![event(2, "accepted", "{}")], "accepted"),
            append(b, 5, vec![event(6, "accepted", "{}")], "accepted"),
            // The version check passes and the projection is updated, then the second event
            // collides with the first: the savepoint must take the update back too.
            append(
                c,
                1,
                vec![event(2, "accepted", "{}"), event(2, "again", "{}")],
                "accepted",
            ),
            append(a, 2, vec![event(3, "reviewed", "{}")], "reviewed"),
        ])
        .await;
    assert!(
        rerun,
        "the write that failed part-way sent the batch round again"
    );
    assert!(matches!(answers[0], Ok(Written::Appended)));
    assert!(
        matches!(
            answers[1],
            Err(StoreError::Conflict {
                expected: 5,
                found: 1,
                ..
            })
        ),
        "{:?}",
        answers[1]
    );
    assert!(
        matches!(answers[2], Err(StoreError::Duplicate(_))),
        "{:?}",
        answers[2]
    );
    assert!(matches!(answers[3], Ok(Written::Appended)));
    assert_eq!(
        stored(&store, a).await,
        (
            3,
            "reviewed".into(),
            vec!["submitted".into(), "accepted".into(), "reviewed".into()]
        )
    );
    assert_eq!(
        stored(&store, b).await,
        (1, "submitted".into(), vec!["submitted".into()])
    );
    assert_eq!(
        stored(&store, c).await,
        (1, "submitted".into(), vec!["submitted".into()]),
        "nothing of the failed write is left, not even its projection update"
    );
}

#[tokio::test]
async fn of_two_appends_from_one_version_in_one_batch_the_first_wins() {
    the_first_of_two_appends_wins(Through::Sqlx).await;
}

pub(super) async fn the_first_of_two_appends_wins(through: Through) {
    let (_dir, store, options) = fixture().await;
    let case = create(&store).await;
    let mut batch = batches(through, &store, &options).await;
    let (answers, rerun) = batch
        .run(&[
            append(
                case,
                1,
                vec![event(2, "accepted", "{\"by\":\"a\"}")],
                "accepted",
            ),
            append(
                case,
                1,
                vec![event(2, "refused", "{\"by\":\"b\"}")],
                "refused",
            ),
        ])
        .await;
    assert!(
        !rerun,
        "a stale version writes nothing: no savepoints needed"
    );
    assert!(matches!(answers[0], Ok(Written::Appended)));
    assert!(
        matches!(
            answers[1],
            Err(StoreError::Conflict {
                expected: 1,
                found: 2,
                ..
            })
        ),
        "{:?}",
        answers[1]
    );
    let (_, events) = store.case(case).await.expect("read").expect("present");
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1].body, "{\"by\":\"a\"}",
        "the loser's event is absent"
    );
    assert_eq!(stored(&store, case).await.1, "accepted");
}

#[tokio::test]
async fn one_idempotency_key_twice_in_one_batch_makes_one_case_and_uses_one_number() {
    one_key_twice_makes_one_case(Through::Sqlx).await;
}

pub(super) async fn one_key_twice_makes_one_case(through: Through) {
    let (_dir, store, options) = fixture().await;
    let mut batch = batches(through, &store, &options).await;
    let create = || CaseWrite::Create {
        case: new_case(Some("submission-1")),
        year: 2026,
    };
    let (answers, _) = batch.run(&[create(), create()]).await;
    let first = match &answers[0] {
        Ok(Written::Created(created)) => created.clone(),
        other => panic!("the first create makes the case, got {other:?}"),
    };
    assert_eq!(
        (first.number.as_str(), first.existing),
        ("2026-000001", false)
    );
    assert!(
        matches!(&answers[1], Ok(Written::Created(Created { id, existing: true, .. })) if *id == first.id),
        "{:?}",
        answers[1]
    );
    let (all, total) = store.cases(&Default::default(), 0, 10).await.expect("list");
    assert_eq!((total, all[0].number.as_str()), (1, "2026-000001"));
    let next = store
        .create_case(&new_case(None), 2026)
        .await
        .expect("create");
    let (record, _) = store.case(next.id).await.expect("read").expect("present");
    assert_eq!(
        (next.number.as_str(), record.number.as_str()),
        ("2026-000002", "2026-000002"),
        "no case number was spent on the repeat"
    );
}

#[tokio::test]
async fn a_failed_commit_answers_every_write_of_the_batch_with_an_error_and_keeps_none() {
    let (_dir, store, options) = fixture().await;
    let (a, b) = (create(&store).await, create(&store).await);
    // A deferred foreign key is only checked at COMMIT: an event of kind "poison" makes the
    // commit itself fail after every write of the batch has succeeded.
    sqlx::raw_sql(
        "CREATE TABLE commit_guard (case_id BIGINT REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED); \
         CREATE TRIGGER poison AFTER INSERT ON case_events WHEN NEW.kind = 'poison' \
         BEGIN INSERT INTO commit_guard (case_id) VALUES (-1); END;",
    )
    .execute(&store.pool)
    .await
    .expect("install the poison");
    let mut writer = Writer {
        conn: Some(connection(&options).await),
        options: options.clone(),
        backend: Backend::Sqlite,
        gate: store.write_gate.clone(),
        counters: Default::default(),
    };
    let (batch, answers) = requests(vec![
        append(a, 1, vec![event(2, "accepted", "{}")], "accepted"),
        append(b, 1, vec![event(2, "poison", "{}")], "accepted"),
    ]);
    writer.commit(batch).await;
    for answer in answers {
        let answer = answer.await.expect("answered");
        assert!(
            matches!(&answer, Err(StoreError::Database(m)) if m.contains("failed to commit") && m.contains("FOREIGN KEY")),
            "{answer:?}"
        );
    }
    assert_eq!(
        stored(&store, a).await.0,
        1,
        "the healthy write was not kept either"
    );
    assert_eq!(stored(&store, b).await.0, 1);
    // The writer opens a fresh connection and goes on.
    let (batch, answers) = requests(vec![append(
        a,
        1,
        vec![event(2, "accepted", "{}")],
        "accepted",
    )]);
    writer.commit(batch).await;
    for answer in answers {
        assert!(matches!(
            answer.await.expect("answered"),
            Ok(Written::Appended)
        ));
    }
    assert_eq!(stored(&store, a).await.0, 2);
}

#[tokio::test]
async fn writes_queued_behind_a_close_are_refused_and_those_before_it_commit() {
    let (_dir, store, options) = fixture().await;
    let (a, b) = (create(&store).await, create(&store).await);
    let (sender, receiver) = mpsc::channel(8);
    let (before, mut before_answer) = requests(vec![append(
        a,
        1,
        vec![event(2, "accepted", "{}")],
        "accepted",
    )]);
    let (after, mut after_answer) = requests(vec![append(
        b,
        1,
        vec![event(2, "accepted", "{}")],
        "accepted",
    )]);
    let (ack, acked) = oneshot::channel();
    for message in before
        .into_iter()
        .map(Message::Write)
        .chain([Message::Close(ack)])
        .chain(after.into_iter().map(Message::Write))
    {
        assert!(sender.send(message).await.is_ok());
    }
    let writer = Writer {
        conn: Some(connection(&options).await),
        options,
        backend: Backend::Sqlite,
        gate: store.write_gate.clone(),
        counters: Default::default(),
    };
    writer.run(receiver).await;
    acked.await.expect("the close is acknowledged");
    let before = before_answer.pop().expect("one").await.expect("answered");
    assert!(matches!(before, Ok(Written::Appended)), "{before:?}");
    let after = after_answer.pop().expect("one").await.expect("answered");
    assert!(
        matches!(&after, Err(StoreError::Database(m)) if m.contains("closed")),
        "{after:?}"
    );
    assert_eq!(stored(&store, a).await.0, 2);
    assert_eq!(stored(&store, b).await.0, 1);
    assert!(
        sender
            .send(Message::Close(oneshot::channel().0))
            .await
            .is_err(),
        "the writer takes nothing more"
    );
}

pub(super) type Answers = Vec<oneshot::Receiver<Answer>>;

pub(super) fn requests(writes: Vec<CaseWrite>) -> (Vec<Request>, Answers) {
    writes
        .into_iter()
        .map(|write| {
            let (answer, answered) = oneshot::channel();
            (Request { write, answer }, answered)
        })
        .unzip()
}

pub(super) async fn count_settings(tx: &mut AnyConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM settings")
        .fetch_one(tx)
        .await
        .expect("read")
}

pub(super) async fn insert_setting(tx: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, 'x')")
        .bind(key.to_owned())
        .execute(tx)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn a_pool_transaction_that_reads_before_it_writes_waits_for_the_writer_instead_of_failing() {
    let (_dir, store, options) = fixture().await;
    let case = create(&store).await;
    // Why the pool's write transactions begin IMMEDIATE: a deferred one holds a read snapshot
    // from its first read, and once the writer commits, WAL cannot upgrade that snapshot.
    let mut deferred = store.pool.begin().await.expect("begin");
    count_settings(&mut deferred).await;
    let (answers, _) = Batches::sqlx(&options)
        .await
        .run(&[append(case, 1, vec![event(2, "a", "{}")], "a")])
        .await;
    assert!(matches!(answers[0], Ok(Written::Appended)));
    let stale = insert_setting(&mut deferred, "deferred").await;
    assert!(stale.is_err(), "a stale snapshot cannot write: {stale:?}");
    drop(deferred);

    let (gate, mut tx) = store.begin_write("test").await.expect("begin");
    count_settings(&mut tx).await;
    let mut writer = Writer {
        conn: Some(connection(&options).await),
        options,
        backend: Backend::Sqlite,
        gate: store.write_gate.clone(),
        counters: Default::default(),
    };
    let (batch, mut answers) = requests(vec![append(case, 2, vec![event(3, "b", "{}")], "b")]);
    let waiting = tokio::spawn(async move { writer.commit(batch).await });
    tokio::task::yield_now().await;
    insert_setting(&mut tx, "immediate")
        .await
        .expect("write after read");
    tx.commit().await.expect("commit");
    drop(gate);
    waiting.await.expect("the writer's turn came");
    let answer = answers.pop().expect("one").await.expect("answered");
    assert!(matches!(answer, Ok(Written::Appended)), "{answer:?}");
    assert_eq!(stored(&store, case).await.0, 3);
}
