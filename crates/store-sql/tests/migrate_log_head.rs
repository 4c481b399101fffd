//! Migration 0013 on a database that already holds cases (made by 0001–0012): each case's row
//! gets its log's head — the hash and day of the event at its version, whether the body was
//! written whole or without its columns — a case without events gets none, and a damaged body
//! (not JSON) never stops the upgrade: its case gets no head (SQLite reads the body as JSON),
//! or the day its text names (PostgreSQL reads it as text), and still reads.

mod support;

use onewindow_store::{CaseId, CaseStore, LogHeadRow};
use onewindow_store_sql::SqlStore;
use sqlx::migrate::Migrator;

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

const CASE_COLUMNS: &str = "number, item_code, definition_code, definition_version, \
     handling_org, applicant, version, status, acting_org, due_provisional, clock_status, \
     is_open, created_at, updated_at";

/// Applies the migrations before 0013 and writes two cases as those tables hold them: one with
/// three events (the last not yet at the row's version: an append that lost), one with none.
async fn prepare_before_heads(url: &str, all: &Migrator) -> [CaseId; 3] {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("connect");
    support::migrate_before(&pool, all, 13).await;
    let mut ids = [CaseId(0); 3];
    for (at, number, version) in [
        (0, "2026-000001", 2),
        (1, "2026-000002", 0),
        (2, "2026-000003", 1),
    ] {
        let id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "INSERT INTO cases ({CASE_COLUMNS}) VALUES ($1, 'BJ-001', 'simple', 1, '210200', \
             '91110000600037341L', $2, 'accepted', '210200', 0, 'green', 1, \
             '2026-03-02T01:00:00Z', '2026-03-02T01:00:00Z') RETURNING id"
        )))
        .bind(number)
        .bind(version)
        .fetch_one(&pool)
        .await
        .expect("insert a case");
        ids[at] = CaseId(id);
    }
    let whole = r#"{"seq":1,"at":"2026-03-02T01:00:00Z","on":"2026-03-02","actor":{"user":"a","role":"enterprise","org":null},"kind":{"type":"submitted"},"prev_hash":"00","hash":"aa"}"#;
    let compact = r#"{"on":"2026-03-04","actor":{"user":"c","role":"window_clerk","org":"210200"},"kind":{"type":"accepted"}}"#;
    let unversioned = r#"{"on":"2026-03-05","actor":{"user":"c","role":"window_clerk","org":"210200"},"kind":{"type":"accepted"}}"#;
    let damaged = r#"{"on":"2026-03-04","actor":{"user":"c""#;
    for (case, seq, body, prev, hash) in [
        (ids[0], 1, whole, "00", "aa"),
        (ids[0], 2, compact, "aa", "bb"),
        (ids[0], 3, unversioned, "bb", "cc"),
        (ids[2], 1, damaged, "00", "dd"),
    ] {
        sqlx::query(
            "INSERT INTO case_events (case_id, seq, at, kind, body, prev_hash, hash) \
             VALUES ($1, $2, '2026-03-02T01:00:00Z', 'accepted', $3, $4, $5)",
        )
        .bind(case.0)
        .bind(seq)
        .bind(body)
        .bind(prev)
        .bind(hash)
        .execute(&pool)
        .await
        .expect("insert an event");
    }
    pool.close().await;
    ids
}

async fn check_heads(url: &str, [logged, empty, damaged]: [CaseId; 3]) {
    let store = SqlStore::connect(url, 2).await.expect("migrate to 0013");
    let (logged, _) = store.case(logged).await.expect("read").expect("case 1");
    assert_eq!(
        logged.projection.head,
        Some(LogHeadRow {
            hash: "bb".into(),
            on: "2026-03-04".parse().expect("date"),
        }),
        "the event at the row's version (2), not the last row"
    );
    let (empty, _) = store.case(empty).await.expect("read").expect("case 2");
    assert_eq!(empty.projection.head, None);
    let (damaged, _) = store.case(damaged).await.expect("read").expect("case 3");
    let head = damaged.projection.head;
    assert!(
        head.is_none() || head.as_ref().is_some_and(|h| h.hash == "dd"),
        "no head, or the damaged event's own: {head:?}"
    );
    store.close().await;
}

#[tokio::test]
async fn sqlite_rows_get_their_logs_heads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("ow.db").display());
    let ids = prepare_before_heads(&url, &SQLITE).await;
    check_heads(&url, ids).await;
}

#[tokio::test]
async fn postgres_rows_get_their_logs_heads() {
    let Some(db) = onewindow_testkit::postgres_database() else {
        return;
    };
    let ids = prepare_before_heads(&db.url, &POSTGRES).await;
    check_heads(&db.url, ids).await;
}
