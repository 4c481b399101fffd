//! The licence register's tables: the licence row (with its recorded status and search text), its
//! status changes, the serial counter of each number series and the word index ([`search`]).
//! Issuing checks the case has no licence, draws the serial and writes the licence, its terms and
//! the audit entry in one transaction: on SQLite the case writer's (`licences/direct.rs`), which
//! holds the write lock from its start, else one begun IMMEDIATE (or PostgreSQL's).

mod direct;
mod expiring;
mod query;
#[cfg(test)]
mod scale;
mod search;
mod writes;

pub(crate) use direct::insert_licence_direct;

use std::collections::HashMap;

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode, Vocabulary};
use onewindow_domain::dates::parse_date;
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{Licence, LicenceEvent, LicenceGrant, LicenceType};
use onewindow_store::{
    AuditEntry, IssuedLicence, LicenceCursor, LicenceFilter, LicenceStore, LicenceTotal,
    NewLicence, StoreError,
};
use sqlx::any::{AnyArguments, AnyRow};
// Dynamic SQL here only splices this file's column lists, placeholders and integer ids read from
// the database; values are bound.
use sqlx::{Any, AnyConnection, Arguments, AssertSqlSafe, Row, Transaction};

use crate::case_writes::{CaseWrite, Written, unexpected_answer};
use crate::{SqlStore, db_error, insert_audit, insert_audit_on};
use search::{index_terms, search_text};

pub(super) const COLUMNS: &str = "id, number, licence_type, item_code, holder_name, holder_credit_code, \
    production_address, scope, issued_on, valid_until, issuing_org, case_number";

/// How many serials are tried past numbers already taken (e.g. by an imported register).
const MAX_TAKEN_SKIPS: u32 = 1_000;

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "licence".into(),
        detail: detail.to_string(),
    }
}

fn grant(row: &AnyRow) -> Result<(i64, LicenceNumber, LicenceGrant), StoreError> {
    let s = |i: usize| row.try_get::<String, _>(i).map_err(db_error("licence"));
    let date = |i: usize| s(i).and_then(|t| parse_date(&t).map_err(corrupt));
    let id: i64 = row.try_get(0).map_err(db_error("licence"))?;
    let number = LicenceNumber::parse(&s(1)?).map_err(corrupt)?;
    let licence_type = LicenceType::parse_key(&s(2)?)
        .ok_or_else(|| corrupt(format!("unknown licence type of {number}")))?;
    let grant = LicenceGrant {
        licence_type,
        item_code: CatalogueCode::parse(&s(3)?).map_err(corrupt)?,
        holder_name: s(4)?,
        holder_credit_code: CreditCode::parse(&s(5)?).map_err(corrupt)?,
        production_address: s(6)?,
        scope: serde_json::from_str(&s(7)?).map_err(corrupt)?,
        issued_on: date(8)?,
        valid_until: date(9)?,
        issuing_org: OrgCode::parse(&s(10)?).map_err(corrupt)?,
        case_number: s(11)?,
    };
    Ok((id, number, grant))
}

/// Numbered placeholders `$from, $from+1, …` for `count` values.
pub(super) fn placeholders(from: usize, count: usize) -> Vec<String> {
    (from..from + count).map(|i| format!("${i}")).collect()
}

pub(super) fn add(args: &mut AnyArguments, value: String) {
    // Adding a String to AnyArguments cannot fail.
    let _ = args.add(value);
}

impl SqlStore {
    /// The licences of `rows` with their changes, in the rows' order.
    async fn with_events(&self, rows: &[AnyRow]) -> Result<Vec<Licence>, StoreError> {
        let grants = rows.iter().map(grant).collect::<Result<Vec<_>, _>>()?;
        if grants.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = grants.iter().map(|(id, ..)| id.to_string()).collect();
        let sql = format!(
            "SELECT licence_id, body FROM licence_events WHERE licence_id IN ({}) \
             ORDER BY licence_id, seq",
            ids.join(", ")
        );
        let event_rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("licence events"))?;
        let mut events: HashMap<i64, Vec<LicenceEvent>> = HashMap::new();
        for r in &event_rows {
            let id: i64 = r.try_get(0).map_err(db_error("licence event"))?;
            let body: String = r.try_get(1).map_err(db_error("licence event"))?;
            let event = serde_json::from_str(&body).map_err(corrupt)?;
            events.entry(id).or_default().push(event);
        }
        Ok(grants
            .into_iter()
            .map(|(id, number, grant)| Licence {
                number,
                grant,
                events: events.remove(&id).unwrap_or_default(),
            })
            .collect())
    }

    async fn licence_where(
        &self,
        column: &str,
        value: String,
    ) -> Result<Option<Licence>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM licences WHERE {column} = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("licence"))?;
        Ok(self.with_events(row.as_slice()).await?.pop())
    }
}

#[async_trait]
impl LicenceStore for SqlStore {
    async fn issue_licence(
        &self,
        new: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<IssuedLicence, StoreError> {
        let case = &new.grant.case_number;
        let existing = |licence| IssuedLicence {
            licence,
            existing: true,
        };
        // No read first: the insert checks inside its transaction and writes nothing for a
        // case with a licence, which is then read.
        match self.insert_licence(new, audit).await {
            Ok(Some(licence)) => Ok(IssuedLicence {
                licence,
                existing: false,
            }),
            // The case had its licence already, or one issued beside this one won the race.
            Ok(None) | Err(StoreError::Duplicate(_)) => self
                .licence_of_case(case)
                .await?
                .map(existing)
                .ok_or_else(|| StoreError::Duplicate(format!("licence of case {case}"))),
            Err(other) => Err(other),
        }
    }

    async fn licence(&self, number: &LicenceNumber) -> Result<Option<Licence>, StoreError> {
        self.licence_where("number", number.to_string()).await
    }

    async fn licence_of_case(&self, case_number: &str) -> Result<Option<Licence>, StoreError> {
        self.licence_where("case_number", case_number.to_owned())
            .await
    }

    async fn expiring_licences(
        &self,
        from: Date,
        through: Date,
        after: LicenceCursor,
        limit: u32,
    ) -> Result<(Vec<Licence>, LicenceCursor), StoreError> {
        let found = SqlStore::expiring_licences(self, from, through, after.0, limit).await?;
        let next = found.last().map_or(after, |(id, _)| LicenceCursor(*id));
        Ok((found.into_iter().map(|(_, l)| l).collect(), next))
    }

    async fn licences(
        &self,
        filter: &LicenceFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Licence>, LicenceTotal), StoreError> {
        self.search_licences(filter, offset, limit).await
    }

    async fn append_licence_event(
        &self,
        number: &LicenceNumber,
        expected_version: i64,
        event: &LicenceEvent,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError> {
        let (_gate, mut tx) = self.begin_write("licence").await?;
        let at = audit.at.to_string();
        // A change of particulars or a renewal leaves the recorded status as it was.
        let recorded = event.kind.recorded_status().map(|s| s.key().to_owned());
        let sql = match recorded {
            Some(_) => {
                "UPDATE licences SET version = $3, updated_at = $4, recorded_status = $5 \
                 WHERE number = $1 AND version = $2 RETURNING id"
            }
            None => {
                "UPDATE licences SET version = $3, updated_at = $4 \
                 WHERE number = $1 AND version = $2 RETURNING id"
            }
        };
        let mut update = sqlx::query_scalar(sql)
            .bind(number.to_string())
            .bind(expected_version)
            .bind(expected_version + 1)
            .bind(at.clone());
        if let Some(status) = recorded {
            update = update.bind(status);
        }
        let id: Option<i64> = update
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error("licence"))?;
        let Some(id) = id else {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT version FROM licences WHERE number = $1")
                    .bind(number.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_error("licence"))?;
            return match found {
                None => Ok(None),
                Some(found) => Err(StoreError::Conflict {
                    what: format!("licence {number}"),
                    expected: expected_version,
                    found,
                }),
            };
        };
        sqlx::query(
            "INSERT INTO licence_events (licence_id, seq, on_date, kind, body, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(expected_version + 1)
        .bind(event.on.to_string())
        .bind(event.kind.key().to_owned())
        .bind(serde_json::to_string(event).map_err(corrupt)?)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error("licence event"))?;
        if event.kind.recorded_status().is_none() {
            Self::apply_particulars(&mut tx, id, event).await?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("licence"))?;
        self.licence(number).await
    }
}
