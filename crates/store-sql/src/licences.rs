//! The licence register's tables: the licence row (with its recorded status and search text), its
//! status changes, the serial counter of each number series and the word index ([`search`]).
//! Issuing draws the serial and writes the licence, its terms and the audit entry in one
//! transaction; the counter row is written first, so on SQLite the transaction holds the write
//! lock from its first statement (a read first could not be upgraded under concurrent writers).

mod expiring;
mod query;
#[cfg(test)]
mod scale;
mod search;

use std::collections::HashMap;

use async_trait::async_trait;
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
use sqlx::{Any, Arguments, AssertSqlSafe, Row, Transaction};

use crate::{SqlStore, db_error, insert_audit};
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

    /// The next serial of the series that is not already a number, or `Exhausted`.
    async fn next_number(
        tx: &mut Transaction<'_, Any>,
        new: &NewLicence,
    ) -> Result<LicenceNumber, StoreError> {
        for _ in 0..MAX_TAKEN_SKIPS {
            let serial: i64 = sqlx::query_scalar(
                "INSERT INTO licence_series (series_key, last_serial) VALUES ($1, 1) \
                 ON CONFLICT (series_key) DO UPDATE SET last_serial = licence_series.last_serial + 1 \
                 RETURNING last_serial",
            )
            .bind(new.numbering.series_key())
            .fetch_one(&mut **tx)
            .await
            .map_err(db_error("licence serial"))?;
            let serial = u32::try_from(serial).unwrap_or(u32::MAX);
            let number = new
                .numbering
                .number(serial)
                .map_err(|e| StoreError::Exhausted(e.to_string()))?;
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM licences WHERE number = $1")
                    .bind(number.to_string())
                    .fetch_optional(&mut **tx)
                    .await
                    .map_err(db_error("licence"))?;
            if taken.is_none() {
                return Ok(number);
            }
        }
        Err(StoreError::Exhausted(format!(
            "{MAX_TAKEN_SKIPS} serials in a row of {} are taken already; raise the series' \
             counter past the imported numbers",
            new.numbering.pattern()
        )))
    }

    /// Issues in one transaction; `None` when the case turned out to have a licence already.
    async fn insert_licence(
        &self,
        new: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_error("licence"))?;
        let number = Self::next_number(&mut tx, new).await?;
        let g = &new.grant;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM licences WHERE case_number = $1")
                .bind(g.case_number.clone())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error("licence"))?;
        if existing.is_some() {
            // Dropping the transaction rolls the serial back: the retry numbers nothing.
            return Ok(None);
        }
        let licence = Licence {
            number,
            grant: g.clone(),
            events: Vec::new(),
        };
        let at = new.issued_at.to_string();
        let scope = serde_json::to_string(&g.scope).map_err(corrupt)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO licences (number, licence_type, item_code, holder_name, holder_credit_code, \
             production_address, scope, issued_on, valid_until, issuing_org, case_number, \
             recorded_status, version, search_text, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15) RETURNING id",
        )
        .bind(licence.number.to_string())
        .bind(g.licence_type.key().to_owned())
        .bind(g.item_code.to_string())
        .bind(g.holder_name.clone())
        .bind(g.holder_credit_code.to_string())
        .bind(g.production_address.clone())
        .bind(scope)
        .bind(g.issued_on.to_string())
        .bind(g.valid_until.to_string())
        .bind(g.issuing_org.to_string())
        .bind(g.case_number.clone())
        .bind(licence.recorded_status().key().to_owned())
        .bind(search_text(&licence))
        .bind(at.clone())
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error("licence"))?;
        insert_terms(&mut tx, id, &licence).await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("licence"))?;
        Ok(Some(licence))
    }

    /// Carries a change of particulars or a renewal into the licence row, its search text and
    /// its terms (the row holds the particulars in force, as [`Licence::record`] says).
    async fn apply_particulars(
        tx: &mut Transaction<'_, Any>,
        id: i64,
        event: &LicenceEvent,
    ) -> Result<(), StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM licences WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut **tx)
            .await
            .map_err(db_error("licence"))?;
        let (_, number, grant) = grant(&row)?;
        let mut licence = Licence {
            number,
            grant,
            events: Vec::new(),
        };
        licence.record(event.clone());
        let g = &licence.grant;
        sqlx::query(
            "UPDATE licences SET holder_name = $2, production_address = $3, scope = $4, \
             valid_until = $5, search_text = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(g.holder_name.clone())
        .bind(g.production_address.clone())
        .bind(serde_json::to_string(&g.scope).map_err(corrupt)?)
        .bind(g.valid_until.to_string())
        .bind(search_text(&licence))
        .execute(&mut **tx)
        .await
        .map_err(db_error("licence"))?;
        sqlx::query("DELETE FROM licence_terms WHERE licence_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(db_error("licence terms"))?;
        insert_terms(tx, id, &licence).await
    }
}

/// The word index of a licence (see [`search`]).
async fn insert_terms(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    licence: &Licence,
) -> Result<(), StoreError> {
    let terms: Vec<String> = index_terms(licence).into_iter().collect();
    let mut args = AnyArguments::default();
    let _ = args.add(id);
    for term in &terms {
        add(&mut args, term.clone());
    }
    let values: Vec<String> = placeholders(2, terms.len())
        .into_iter()
        .map(|p| format!("({p}, $1)"))
        .collect();
    let sql = format!(
        "INSERT INTO licence_terms (term, licence_id) VALUES {}",
        values.join(", ")
    );
    sqlx::query_with(AssertSqlSafe(sql), args)
        .execute(&mut **tx)
        .await
        .map_err(db_error("licence terms"))?;
    Ok(())
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
        if let Some(licence) = self.licence_of_case(case).await? {
            return Ok(existing(licence));
        }
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
        let mut tx = self.pool.begin().await.map_err(db_error("licence"))?;
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
