//! Staff accounts and sessions.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::{OrgCode, Vocabulary};
use onewindow_store::{AccountStore, NewUser, SessionRecord, StoreError, UserId, UserRecord};
// Dynamic SQL here only ever splices this file's own column lists; values are bound.
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::{SqlStore, db_error};

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.password_hash, u.role, u.org_code";

fn corrupt(detail: String) -> StoreError {
    StoreError::Corrupt {
        what: "user".into(),
        detail,
    }
}

fn user_from_row(row: &AnyRow) -> Result<UserRecord, StoreError> {
    let get = |i: usize| row.try_get::<String, _>(i).map_err(db_error("user"));
    let role = get(4)?;
    Ok(UserRecord {
        id: UserId(row.try_get(0).map_err(db_error("user"))?),
        username: Username::parse(&get(1)?).map_err(corrupt)?,
        display_name: get(2)?,
        password_hash: get(3)?,
        role: Role::parse_key(&role).ok_or_else(|| corrupt(format!("unknown role {role}")))?,
        org: OrgCode::parse(&get(5)?).map_err(|e| corrupt(e.to_string()))?,
    })
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, user: NewUser) -> Result<UserId, StoreError> {
        let what = format!("user {}", user.username);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, role, org_code, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.username.to_string())
        .bind(user.display_name)
        .bind(user.password_hash)
        .bind(user.role.key().to_owned())
        .bind(user.org.to_string())
        .bind(user.created_at.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(db_error(&what))?;
        Ok(UserId(id))
    }

    async fn user_by_name(&self, username: &Username) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(username.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("user"))?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash.to_owned())
        .bind(user.0)
        .bind(csrf_token.to_owned())
        .bind(expires_at.as_second())
        .execute(&self.pool)
        .await
        .map_err(db_error("session"))?;
        Ok(())
    }

    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash.to_owned())
            .bind(now.as_second())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("session"))?;
        let Some(row) = row else { return Ok(None) };
        let expires: i64 = row.try_get(7).map_err(db_error("session"))?;
        Ok(Some(SessionRecord {
            user: user_from_row(&row)?,
            csrf_token: row.try_get(6).map_err(db_error("session"))?,
            expires_at: Timestamp::from_second(expires).map_err(|e| corrupt(e.to_string()))?,
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&self.pool)
            .await
            .map_err(db_error("session"))?;
        Ok(())
    }
}
