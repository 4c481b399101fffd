//! API tokens: hashes only, each tied to a user; revoking stamps `revoked_at` and keeps the row.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::Username;
use onewindow_store::{
    ApiTokenId, ApiTokenRecord, AuditEntry, NewApiToken, StoreError, TokenHolder, TokenStore,
    UserId,
};
use sqlx::any::AnyRow;
// Dynamic SQL here only splices this file's and accounts.rs's column lists; values are bound.
use sqlx::{AssertSqlSafe, Row};

use crate::accounts::{USER_COLUMN_COUNT, USER_COLUMNS, user_from_row};
use crate::{SqlStore, db_error, insert_audit};

/// Token columns, read by [`token_from_row`] from `offset` on (6 columns).
const TOKEN_COLUMNS: &str = "t.id, t.user_id, tu.username, t.label, t.created_at, t.revoked_at";

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "API token".into(),
        detail: detail.to_string(),
    }
}

fn token_from_row(row: &AnyRow, offset: usize) -> Result<ApiTokenRecord, StoreError> {
    let err = db_error("API token");
    let text = |i: usize| row.try_get::<String, _>(offset + i).map_err(&err);
    let revoked: Option<String> = row.try_get(offset + 5).map_err(&err)?;
    Ok(ApiTokenRecord {
        id: ApiTokenId(row.try_get(offset).map_err(&err)?),
        user: UserId(row.try_get(offset + 1).map_err(&err)?),
        username: Username::parse(&text(2)?).map_err(corrupt)?,
        label: text(3)?,
        created_at: text(4)?.parse().map_err(corrupt)?,
        revoked_at: revoked
            .map(|t| t.parse::<Timestamp>().map_err(corrupt))
            .transpose()?,
    })
}

#[async_trait]
impl TokenStore for SqlStore {
    async fn create_api_token(
        &self,
        token: NewApiToken,
        audit: &AuditEntry,
    ) -> Result<ApiTokenId, StoreError> {
        let (_gate, mut tx) = self.begin_write("API token").await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(token.token_hash)
        .bind(token.user.0)
        .bind(token.label)
        .bind(token.created_at.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error("API token"))?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("API token"))?;
        Ok(ApiTokenId(id))
    }

    async fn api_tokens(&self) -> Result<Vec<ApiTokenRecord>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users tu ON tu.id = t.user_id \
             ORDER BY t.id DESC"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("API tokens"))?;
        rows.iter().map(|r| token_from_row(r, 0)).collect()
    }

    async fn revoke_api_token(
        &self,
        id: ApiTokenId,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let (_gate, mut tx) = self.begin_write("API token").await?;
        let changed = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(at.to_string())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(db_error("API token"))?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("API token"))?;
        Ok(true)
    }

    async fn token_holder(&self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, {TOKEN_COLUMNS} FROM api_tokens t \
             JOIN users u ON u.id = t.user_id JOIN users tu ON tu.id = t.user_id \
             WHERE t.token_hash = $1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("API token"))?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(TokenHolder {
            user: user_from_row(&row)?,
            token: token_from_row(&row, USER_COLUMN_COUNT)?,
        }))
    }
}
