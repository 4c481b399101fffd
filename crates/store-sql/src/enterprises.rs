//! Enterprises, registered together with their first user in one transaction, and the search
//! staff use to find one: a range scan on the code (the primary key) or on the name index.

use async_trait::async_trait;
use onewindow_domain::access::Enterprise;
use onewindow_domain::identifiers::{CREDIT_CODE_ALPHABET, CreditCode};
use onewindow_store::{AuditEntry, EnterpriseStore, NewUser, StoreError, UserId};
use sqlx::any::AnyRow;
// Dynamic SQL here only splices this file's own column and key names; values are bound.
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use crate::accounts::insert_user;
use crate::{SqlStore, db_error, insert_audit};

const COLUMNS: &str = "credit_code, name, address, contact_name, contact_phone, registered_at";

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "enterprise".into(),
        detail: detail.to_string(),
    }
}

fn enterprise_from_row(row: &AnyRow) -> Result<Enterprise, StoreError> {
    let get = |i: usize| row.try_get::<String, _>(i).map_err(db_error("enterprise"));
    Ok(Enterprise {
        credit_code: CreditCode::parse(&get(0)?).map_err(corrupt)?,
        name: get(1)?,
        address: get(2)?,
        contact_name: get(3)?,
        contact_phone: get(4)?,
        registered_at: get(5)?.parse().map_err(corrupt)?,
    })
}

/// The column a query searches, and the exclusive upper end of the prefix range. Both columns
/// compare bytewise (SQLite's binary collation, PostgreSQL's "C"), and no text that starts with
/// `query` sorts at or past `query` followed by U+10FFFF, the greatest character.
fn search_range(query: &str) -> (&'static str, String) {
    let code_like = query.chars().all(|c| CREDIT_CODE_ALPHABET.contains(c));
    let column = if code_like { "credit_code" } else { "name" };
    (column, format!("{query}\u{10FFFF}"))
}

/// The enterprise, its first user and the audit entry, inside the caller's transaction.
pub(crate) async fn insert_enterprise_with_user(
    tx: &mut Transaction<'_, Any>,
    enterprise: &Enterprise,
    user: NewUser,
    audit: &AuditEntry,
) -> Result<UserId, StoreError> {
    let what = format!("enterprise {}", enterprise.credit_code);
    let sql = format!("INSERT INTO enterprises ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)");
    sqlx::query(AssertSqlSafe(sql))
        .bind(enterprise.credit_code.to_string())
        .bind(enterprise.name.clone())
        .bind(enterprise.address.clone())
        .bind(enterprise.contact_name.clone())
        .bind(enterprise.contact_phone.clone())
        .bind(enterprise.registered_at.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_error(&what))?;
    let id = insert_user(tx, user).await?;
    insert_audit(tx, audit).await?;
    Ok(id)
}

#[async_trait]
impl EnterpriseStore for SqlStore {
    async fn create_enterprise_with_user(
        &self,
        enterprise: &Enterprise,
        user: NewUser,
        audit: &AuditEntry,
    ) -> Result<UserId, StoreError> {
        let what = format!("enterprise {}", enterprise.credit_code);
        let (_gate, mut tx) = self.begin_write(&what).await?;
        let id = insert_enterprise_with_user(&mut tx, enterprise, user, audit).await?;
        tx.commit().await.map_err(db_error(&what))?;
        Ok(id)
    }

    async fn enterprise(&self, code: &CreditCode) -> Result<Option<Enterprise>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM enterprises WHERE credit_code = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(code.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("enterprise"))?;
        row.as_ref().map(enterprise_from_row).transpose()
    }

    async fn search_enterprises(
        &self,
        query: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Enterprise>, u64), StoreError> {
        let (column, upper) = search_range(query);
        let where_sql = format!("WHERE {column} >= $1 AND {column} < $2");
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM enterprises {where_sql}"
        )))
        .bind(query.to_owned())
        .bind(upper.clone())
        .fetch_one(&self.pool)
        .await
        .map_err(db_error("enterprises"))?;
        let sql = format!(
            "SELECT {COLUMNS} FROM enterprises {where_sql} ORDER BY {column} \
             LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(query.to_owned())
            .bind(upper)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("enterprises"))?;
        let found = rows
            .iter()
            .map(enterprise_from_row)
            .collect::<Result<_, _>>()?;
        Ok((found, u64::try_from(total).unwrap_or_default()))
    }
}
