//! Accounts and sessions. A membership is stored as columns: `kind` (`staff` or `enterprise`),
//! then `role` and `org_code` for staff or `credit_code` for an enterprise user — a CHECK in
//! the migration keeps the two shapes apart.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::{Membership, MembershipKind, Role, Username};
use onewindow_domain::catalogue::{OrgCode, Vocabulary};
use onewindow_domain::identifiers::CreditCode;
use onewindow_store::{
    AccountStore, AuditEntry, NewUser, SessionRecord, StoreError, UserFilter, UserId, UserRecord,
};
// Dynamic SQL here only ever splices this file's own column lists; values are bound.
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Arguments, AssertSqlSafe, Row, Transaction};

use crate::{SqlStore, db_error, insert_audit};

/// The user columns, in the order [`user_from_row`] reads them (9 columns from index 0).
pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.password_hash, \
    u.kind, u.role, u.org_code, u.credit_code, u.created_at";
pub(crate) const USER_COLUMN_COUNT: usize = 9;

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "user".into(),
        detail: detail.to_string(),
    }
}

/// The membership columns `kind, role, org_code, credit_code` of a new row.
fn membership_columns(m: &Membership) -> (String, Option<String>, Option<String>, Option<String>) {
    let kind = m.kind().key().to_owned();
    match m {
        Membership::Staff { role, org } => (
            kind,
            Some(role.key().to_owned()),
            Some(org.to_string()),
            None,
        ),
        Membership::Enterprise { credit_code } => (kind, None, None, Some(credit_code.to_string())),
    }
}

fn membership_from_row(row: &AnyRow) -> Result<Membership, StoreError> {
    let opt = |i: usize| {
        row.try_get::<Option<String>, _>(i)
            .map_err(db_error("user"))
    };
    let kind: String = row.try_get(4).map_err(db_error("user"))?;
    match (MembershipKind::parse_key(&kind), opt(5)?, opt(6)?, opt(7)?) {
        (Some(MembershipKind::Staff), Some(role), Some(org), None) => Ok(Membership::Staff {
            role: Role::parse_key(&role).ok_or_else(|| corrupt(format!("unknown role {role}")))?,
            org: OrgCode::parse(&org).map_err(corrupt)?,
        }),
        (Some(MembershipKind::Enterprise), None, None, Some(code)) => Ok(Membership::Enterprise {
            credit_code: CreditCode::parse(&code).map_err(corrupt)?,
        }),
        (kind, ..) => Err(corrupt(format!(
            "membership columns do not fit kind {kind:?}"
        ))),
    }
}

/// A user from the first [`USER_COLUMN_COUNT`] columns of `row`.
pub(crate) fn user_from_row(row: &AnyRow) -> Result<UserRecord, StoreError> {
    let get = |i: usize| row.try_get::<String, _>(i).map_err(db_error("user"));
    Ok(UserRecord {
        id: UserId(row.try_get(0).map_err(db_error("user"))?),
        username: Username::parse(&get(1)?).map_err(corrupt)?,
        display_name: get(2)?,
        password_hash: get(3)?,
        membership: membership_from_row(row)?,
        created_at: get(8)?.parse().map_err(corrupt)?,
    })
}

/// Inserts a user inside `tx` (shared with the enterprise registration).
pub(crate) async fn insert_user(
    tx: &mut Transaction<'_, Any>,
    user: NewUser,
) -> Result<UserId, StoreError> {
    let what = format!("user {}", user.username);
    let (kind, role, org, credit_code) = membership_columns(&user.membership);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, kind, role, org_code, \
         credit_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.username.to_string())
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(kind)
    .bind(role)
    .bind(org)
    .bind(credit_code)
    .bind(user.created_at.to_string())
    .fetch_one(&mut **tx)
    .await
    .map_err(db_error(&what))?;
    Ok(UserId(id))
}

/// A `LIKE` pattern for names starting with `prefix`, `%`, `_` and `\` taken literally.
fn prefix_pattern(prefix: &str) -> String {
    let mut pattern = String::new();
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, user: NewUser, audit: &AuditEntry) -> Result<UserId, StoreError> {
        let (_gate, mut tx) = self.begin_write("user").await?;
        let id = insert_user(&mut tx, user).await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("user"))?;
        Ok(id)
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

    async fn users(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<UserRecord>, u64), StoreError> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        if let Some(kind) = filter.kind {
            values.push(kind.key().to_owned());
            conditions.push(format!("u.kind = ${}", values.len()));
        }
        if let Some(prefix) = filter.username_prefix.as_deref().filter(|p| !p.is_empty()) {
            values.push(prefix_pattern(prefix));
            conditions.push(format!("u.username LIKE ${} ESCAPE '\\'", values.len()));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let args = || {
            let mut args = AnyArguments::default();
            for v in &values {
                // Adding a String to AnyArguments cannot fail.
                let _ = args.add(v.clone());
            }
            args
        };
        let count_sql = format!("SELECT COUNT(*) FROM users u{where_clause}");
        let total: i64 = sqlx::query_scalar_with(AssertSqlSafe(count_sql), args())
            .fetch_one(&self.pool)
            .await
            .map_err(db_error("users"))?;
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u{where_clause} ORDER BY u.username \
             LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query_with(AssertSqlSafe(sql), args())
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("users"))?;
        let users = rows.iter().map(user_from_row).collect::<Result<_, _>>()?;
        Ok((users, u64::try_from(total).unwrap_or_default()))
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let _gate = self.pass_write_gate().await;
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
        let expires: i64 = row
            .try_get(USER_COLUMN_COUNT + 1)
            .map_err(db_error("session"))?;
        Ok(Some(SessionRecord {
            user: user_from_row(&row)?,
            csrf_token: row
                .try_get(USER_COLUMN_COUNT)
                .map_err(db_error("session"))?,
            expires_at: Timestamp::from_second(expires).map_err(corrupt)?,
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let _gate = self.pass_write_gate().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&self.pool)
            .await
            .map_err(db_error("session"))?;
        Ok(())
    }
}
