//! Who is told of a case's events (ADR 0004): the staff of an org, an enterprise's users. Read
//! for nearly every move, so on SQLite they are read directly on the request's thread
//! (crate::native; why: crate::case_for_change).

use onewindow_domain::access::Role;
use onewindow_domain::catalogue::Vocabulary;
use onewindow_store::{Recipient, StoreError};
use rusqlite::params;
use sqlx::AssertSqlSafe;

use crate::cells::{Cells, optional, required};
use crate::native::{error, sql};
use crate::{SqlStore, db_error};

/// The staff of an org (`$1`: its code).
pub(crate) const STAFF_OF_ORG: &str = "SELECT username, role, email FROM users \
     WHERE org_code = $1 AND kind = 'staff' ORDER BY username";

/// The users of an enterprise (`$1`: its credit code).
pub(crate) const ENTERPRISE_USERS: &str = "SELECT username, role, email FROM users \
     WHERE credit_code = $1 AND kind = 'enterprise' ORDER BY username";

/// The recipients `query` (one of the above) finds for `key`.
pub(crate) async fn of(
    store: &SqlStore,
    query: &'static str,
    key: &str,
) -> Result<Vec<Recipient>, StoreError> {
    let Some(native) = &store.native else {
        let rows = sqlx::query(AssertSqlSafe(query))
            .bind(key.to_owned())
            .fetch_all(&store.pool)
            .await
            .map_err(db_error("recipients"))?;
        return rows.iter().map(recipient).collect();
    };
    native.run_here(|conn| {
        let mut statement = conn
            .prepare_cached(&sql(query))
            .map_err(error("recipients"))?;
        let mut rows = statement.query(params![key]).map_err(error("recipients"))?;
        let mut found = Vec::new();
        while let Some(row) = rows.next().map_err(error("recipients"))? {
            found.push(recipient(row)?);
        }
        Ok(found)
    })
}

fn recipient(row: &impl Cells) -> Result<Recipient, StoreError> {
    let role = optional(row.text(1), "recipient")?;
    Ok(Recipient {
        username: required(row.text(0), "recipient", 0)?,
        role: role
            .map(|r| {
                Role::parse_key(&r).ok_or_else(|| StoreError::Corrupt {
                    what: "notification".into(),
                    detail: format!("unknown role {r}"),
                })
            })
            .transpose()?,
        email: optional(row.text(2), "recipient")?,
    })
}
