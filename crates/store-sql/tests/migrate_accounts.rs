//! Migration 0004 on a database that already holds users and sessions (made by 0001–0003): every
//! existing user becomes staff with its role and org, and signed-in sessions survive.

mod support;

use jiff::Timestamp;
use onewindow_domain::access::{Membership, Role, Username};
use onewindow_domain::catalogue::OrgCode;
use onewindow_store::AccountStore;
use onewindow_store_sql::SqlStore;
use sqlx::migrate::Migrator;

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// Applies the migrations before 0004 and writes a user and a session as 0001's tables hold them.
async fn prepare_before_accounts(url: &str, all: &Migrator) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("connect");
    support::migrate_before(&pool, all, 4).await;
    sqlx::query(
        "INSERT INTO users (username, display_name, password_hash, role, org_code, created_at) \
         VALUES ('clerk.old', '老受理员', '$argon2id$old', 'window_clerk', '210211', \
         '2026-01-05T01:00:00Z')",
    )
    .execute(&pool)
    .await
    .expect("insert a user");
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) \
         SELECT 'old-session', id, 'old-csrf', 4102444800 FROM users WHERE username = 'clerk.old'",
    )
    .execute(&pool)
    .await
    .expect("insert a session");
    pool.close().await;
}

async fn check_after_accounts(url: &str) {
    let store = SqlStore::connect(url, 2).await.expect("migrate to 0004");
    let name = Username::parse("clerk.old").expect("valid");
    let user = store
        .user_by_name(&name)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(
        user.membership,
        Membership::Staff {
            role: Role::WindowClerk,
            org: OrgCode::parse("210211").expect("valid"),
        }
    );
    let now = Timestamp::from_second(1_800_000_000).expect("valid");
    let session = store
        .session("old-session", now)
        .await
        .expect("read")
        .expect("the session survives");
    assert_eq!(
        (session.user.id, session.csrf_token.as_str()),
        (user.id, "old-csrf")
    );
    store.close().await;
}

#[tokio::test]
async fn sqlite_keeps_existing_users_as_staff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("ow.db").display());
    prepare_before_accounts(&url, &SQLITE).await;
    check_after_accounts(&url).await;
}

#[tokio::test]
async fn postgres_keeps_existing_users_as_staff() {
    let Some(db) = onewindow_testkit::postgres_database() else {
        return;
    };
    prepare_before_accounts(&db.url, &POSTGRES).await;
    check_after_accounts(&db.url).await;
}
