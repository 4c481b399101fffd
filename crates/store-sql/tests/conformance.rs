//! The store conformance suite against both backends: a temporary SQLite file, and a database in
//! a throwaway PostgreSQL cluster that the test kit starts (and removes) itself.

use onewindow_store::{Backend, Store, conformance};
use onewindow_store_sql::SqlStore;

#[tokio::test]
async fn sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ow.db").display());
    let store = SqlStore::connect(&url, 4).await.expect("connect");
    assert_eq!(store.backend(), Backend::Sqlite);
    conformance::run(&store).await;
    store.close().await;
}

#[tokio::test]
async fn postgres_passes_the_conformance_suite() {
    let Some(db) = onewindow_testkit::postgres_database() else {
        eprintln!("skipped: ONEWINDOW_SKIP_POSTGRES=1");
        return;
    };
    let store = SqlStore::connect(&db.url, 4).await.expect("connect");
    assert_eq!(store.backend(), Backend::Postgres);
    conformance::run(&store).await;
    store.close().await;
}

#[tokio::test]
async fn migrations_are_idempotent_across_restarts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ow.db").display());
    SqlStore::connect(&url, 1)
        .await
        .expect("first start")
        .close()
        .await;
    SqlStore::connect(&url, 1)
        .await
        .expect("second start")
        .close()
        .await;
}
