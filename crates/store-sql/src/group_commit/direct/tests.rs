//! The writer thread's batches built by hand (as in crate::group_commit's tests, whose fixtures
//! these share), so that the writes below are known to share one transaction and one commit.
//! Its loop and gate block, so they run on blocking threads, as the writer's own thread does.

use std::sync::Arc;

use onewindow_store::{CaseStore, Created, StoreError};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::{Writer, commit_batch};
use crate::SqlStore;
use crate::case_writes::{CaseWrite, Written};
use crate::group_commit::tests::{
    Through, a_failing_write_rolls_back_alone, append, count_settings, create, event, fixture,
    insert_setting, new_case, one_key_twice_makes_one_case, requests, stored,
    the_first_of_two_appends_wins,
};
use crate::group_commit::{Answer, Message, Request};
use crate::native::NativeSqlite;

fn native(store: &SqlStore) -> NativeSqlite {
    store
        .native
        .clone()
        .expect("a SQLite store drives its file directly")
}

fn writer(store: &SqlStore) -> Writer {
    Writer::new(native(store), store.write_gate.clone(), Arc::default())
}

/// Commits `writes` as one batch: the answers, and whether it ran again with savepoints.
fn run_batch(conn: &mut Connection, writes: &[CaseWrite]) -> (Vec<Answer>, bool) {
    let writes: Vec<&CaseWrite> = writes.iter().collect();
    let batch = commit_batch(conn, &writes).expect("the batch commits");
    (batch.answers, batch.rerun)
}

/// The writer's `commit` on a blocking thread (it waits at the gate as the writer thread does).
async fn commit(mut writer: Writer, batch: Vec<Request>) -> Writer {
    tokio::task::spawn_blocking(move || {
        writer.commit(batch);
        writer
    })
    .await
    .expect("the writer's turn came")
}

// The scenarios both writers must pass are written once, in crate::group_commit's tests.

#[tokio::test]
async fn a_failing_write_in_a_batch_rolls_back_alone_and_the_others_commit() {
    a_failing_write_rolls_back_alone(Through::Direct).await;
}

#[tokio::test]
async fn of_two_appends_from_one_version_in_one_batch_the_first_wins_without_a_rerun() {
    the_first_of_two_appends_wins(Through::Direct).await;
}

#[tokio::test]
async fn one_idempotency_key_twice_in_one_batch_makes_one_case_and_uses_one_number() {
    one_key_twice_makes_one_case(Through::Direct).await;
}

#[tokio::test]
async fn a_create_refused_part_way_takes_back_its_case_number_and_the_others_commit() {
    let (_dir, store, _) = fixture().await;
    let on_licence = |key: &str| {
        let mut case = new_case(Some(key));
        case.licence_number = Some("XK-2026-0001".into());
        case
    };
    let first = store
        .create_case(&on_licence("first"), 2026)
        .await
        .expect("create");
    let mut conn = native(&store).connection().expect("open");
    // The case number is counted, then the row meets `cases_one_open_per_licence`: the write
    // fails part-way, and its key finds no case to answer with.
    let (answers, rerun) = run_batch(
        &mut conn,
        &[
            CaseWrite::Create {
                case: on_licence("second"),
                year: 2026,
            },
            CaseWrite::Create {
                case: new_case(None),
                year: 2026,
            },
        ],
    );
    assert!(rerun);
    assert!(
        matches!(&answers[0], Err(StoreError::Duplicate(_))),
        "{:?}",
        answers[0]
    );
    assert!(
        matches!(&answers[1], Ok(Written::Created(Created { number, existing: false, .. })) if number == "2026-000002"),
        "the refused create spent no number: {:?}",
        answers[1]
    );
    assert_eq!(first.number, "2026-000001");
}

#[tokio::test]
async fn a_failed_commit_fails_the_whole_batch_and_the_reopened_connection_takes_the_next() {
    let (_dir, store, _) = fixture().await;
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
    let (batch, answers) = requests(vec![
        append(a, 1, vec![event(2, "accepted", "{}")], "accepted"),
        append(b, 1, vec![event(2, "poison", "{}")], "accepted"),
    ]);
    let writer = commit(writer(&store), batch).await;
    assert!(
        writer.conn.is_none(),
        "the failed batch's connection is dropped"
    );
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
    let (batch, answers) = requests(vec![append(
        a,
        1,
        vec![event(2, "accepted", "{}")],
        "accepted",
    )]);
    let writer = commit(writer, batch).await;
    assert!(writer.conn.is_some(), "a fresh connection took the batch");
    for answer in answers {
        let answer = answer.await.expect("answered");
        assert!(matches!(answer, Ok(Written::Appended)), "{answer:?}");
    }
    assert_eq!(stored(&store, a).await.0, 2);
    assert_eq!(
        (writer
            .counters
            .commits
            .load(std::sync::atomic::Ordering::Relaxed)),
        1,
        "only the committed batch counts"
    );
}

#[tokio::test]
async fn writes_queued_behind_a_close_are_refused_and_those_before_it_commit() {
    let (_dir, store, _) = fixture().await;
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
    let writer = writer(&store);
    tokio::task::spawn_blocking(move || writer.run(receiver))
        .await
        .expect("the writer ends");
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

#[tokio::test]
async fn a_pool_write_holding_the_gate_is_waited_for_and_then_the_batch_commits() {
    let (_dir, store, _) = fixture().await;
    let case = create(&store).await;
    let (gate, mut tx) = store.begin_write("test").await.expect("begin");
    count_settings(&mut tx).await;
    let (batch, mut answers) = requests(vec![append(case, 1, vec![event(2, "b", "{}")], "b")]);
    let waiting = tokio::spawn(commit(writer(&store), batch));
    tokio::task::yield_now().await;
    insert_setting(&mut tx, "immediate")
        .await
        .expect("write after read: the writer did not take the lock meanwhile");
    tx.commit().await.expect("commit");
    drop(gate);
    waiting.await.expect("the writer's turn came");
    let answer = answers.pop().expect("one").await.expect("answered");
    assert!(matches!(answer, Ok(Written::Appended)), "{answer:?}");
    assert_eq!(stored(&store, case).await.0, 2);
}

#[tokio::test]
async fn the_writer_thread_waits_its_turn_at_the_write_gate() {
    let (_dir, store, _) = fixture().await;
    let case = create(&store).await;
    // The gate alone, no SQLite lock: only the gate can hold the batch back.
    let turn = store.pass_write_gate().await;
    let (batch, mut answers) = requests(vec![append(case, 1, vec![event(2, "b", "{}")], "b")]);
    let waiting = tokio::spawn(commit(writer(&store), batch));
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut answer = answers.pop().expect("one");
    assert!(
        answer.try_recv().is_err(),
        "nothing is written while another writer of this process holds the gate"
    );
    assert_eq!(stored(&store, case).await.0, 1);
    drop(turn);
    waiting.await.expect("the writer's turn came");
    let answer = answer.await.expect("answered");
    assert!(matches!(answer, Ok(Written::Appended)), "{answer:?}");
    assert_eq!(stored(&store, case).await.0, 2);
}
