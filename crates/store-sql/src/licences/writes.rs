//! The register's writes inside a transaction its caller opened: drawing the next serial of a
//! number series, inserting a licence with its word index, and replacing the particulars in
//! force (and their search terms) when a case's change or renewal reaches the licence. The
//! issue's statements are shared with the direct driver (`licences/direct.rs`), which runs them
//! inside the case writer's batch on SQLite.

use super::*;
use crate::cells::{Value, bind_all};

/// The licence of a case, if any (`$1`: the case number).
pub(crate) const LICENCE_OF_CASE: &str = "SELECT id FROM licences WHERE case_number = $1";

/// The licence with a number, if any (a series' serial is skipped when taken).
pub(crate) const LICENCE_NUMBERED: &str = "SELECT id FROM licences WHERE number = $1";

/// The next serial of a licence number series (`$1`: its key).
pub(crate) const NEXT_LICENCE_SERIAL: &str = "INSERT INTO licence_series (series_key, last_serial) VALUES ($1, 1) \
     ON CONFLICT (series_key) DO UPDATE SET last_serial = licence_series.last_serial + 1 \
     RETURNING last_serial";

/// A new licence row; the values of [`licence_values`].
pub(crate) const INSERT_LICENCE: &str = "INSERT INTO licences (number, licence_type, item_code, holder_name, holder_credit_code, \
     production_address, scope, issued_on, valid_until, issuing_org, case_number, \
     recorded_status, version, search_text, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15) RETURNING id";

/// One term of a licence's word index (the sqlx path puts many in one statement).
pub(crate) const INSERT_TERM: &str = "INSERT INTO licence_terms (term, licence_id) VALUES ($1, $2)";

/// The values of [`INSERT_LICENCE`], in its order (both drivers bind these).
pub(crate) fn licence_values(
    licence: &Licence,
    issued_at: Timestamp,
) -> Result<Vec<Value>, StoreError> {
    let g = &licence.grant;
    let at = issued_at.to_string();
    Ok(vec![
        licence.number.to_string().into(),
        g.licence_type.key().to_owned().into(),
        g.item_code.to_string().into(),
        g.holder_name.clone().into(),
        g.holder_credit_code.to_string().into(),
        g.production_address.clone().into(),
        serde_json::to_string(&g.scope).map_err(corrupt)?.into(),
        g.issued_on.to_string().into(),
        g.valid_until.to_string().into(),
        g.issuing_org.to_string().into(),
        g.case_number.clone().into(),
        licence.recorded_status().key().to_owned().into(),
        search_text(licence).into(),
        at.clone().into(),
        at.into(),
    ])
}

/// The number serial `serial` of the licence's series makes, or `Exhausted`.
pub(crate) fn numbered(new: &NewLicence, serial: i64) -> Result<LicenceNumber, StoreError> {
    let serial = u32::try_from(serial).unwrap_or(u32::MAX);
    new.numbering
        .number(serial)
        .map_err(|e| StoreError::Exhausted(e.to_string()))
}

/// `Exhausted`: every serial tried was a number taken already.
pub(crate) fn all_taken(new: &NewLicence) -> StoreError {
    StoreError::Exhausted(format!(
        "{MAX_TAKEN_SKIPS} serials in a row of {} are taken already; raise the series' \
         counter past the imported numbers",
        new.numbering.pattern()
    ))
}

impl SqlStore {
    /// The next serial of the series that is not already a number, or `Exhausted`.
    pub(super) async fn next_number(
        conn: &mut AnyConnection,
        new: &NewLicence,
    ) -> Result<LicenceNumber, StoreError> {
        for _ in 0..MAX_TAKEN_SKIPS {
            let serial: i64 = sqlx::query_scalar(NEXT_LICENCE_SERIAL)
                .bind(new.numbering.series_key())
                .fetch_one(&mut *conn)
                .await
                .map_err(db_error("licence serial"))?;
            let number = numbered(new, serial)?;
            let taken: Option<i64> = sqlx::query_scalar(LICENCE_NUMBERED)
                .bind(number.to_string())
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error("licence"))?;
            if taken.is_none() {
                return Ok(number);
            }
        }
        Err(all_taken(new))
    }

    /// Issues in one transaction (the case writer's, when the store has one: the licence then
    /// shares its commit); `None` when the case turned out to have a licence already.
    pub(super) async fn insert_licence(
        &self,
        new: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError> {
        if let Some(writer) = &self.case_writer {
            let write = CaseWrite::IssueLicence {
                new: Box::new(new.clone()),
                audit: Box::new(audit.clone()),
            };
            return match writer.submit(write).await? {
                Written::Licence(licence) => Ok(licence.map(|l| *l)),
                other => Err(unexpected_answer("a licence", &other)),
            };
        }
        // Through the write gate (ADR 0003): beside a busy case writer an ungated write polls
        // the file lock with sleeps, which made the issue step's p99 (≈ 1 s, session 5).
        let (_gate, mut tx) = self.begin_write("licence").await?;
        let licence = Self::insert_licence_in(&mut tx, new, audit).await?;
        if licence.is_some() {
            tx.commit().await.map_err(db_error("licence"))?;
        }
        Ok(licence)
    }

    /// Numbers and inserts the licence with its terms and audit entry inside the caller's
    /// transaction; `None`, with nothing written, when the case has a licence. The check comes
    /// first, so a batch that goes on to commit draws no serial for it.
    pub(crate) async fn insert_licence_in(
        conn: &mut AnyConnection,
        new: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError> {
        let existing: Option<i64> = sqlx::query_scalar(LICENCE_OF_CASE)
            .bind(new.grant.case_number.clone())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error("licence"))?;
        if existing.is_some() {
            return Ok(None);
        }
        let number = Self::next_number(conn, new).await?;
        let licence = Licence {
            number,
            grant: new.grant.clone(),
            events: Vec::new(),
        };
        let id: i64 = bind_all(
            sqlx::query(INSERT_LICENCE),
            licence_values(&licence, new.issued_at)?,
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error("licence"))?
        .try_get(0)
        .map_err(db_error("licence"))?;
        insert_terms(conn, id, &licence).await?;
        insert_audit_on(conn, audit).await?;
        Ok(Some(licence))
    }

    /// Carries a change of particulars or a renewal into the licence row, its search text and
    /// its terms (the row holds the particulars in force, as [`Licence::record`] says).
    pub(super) async fn apply_particulars(
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
    conn: &mut AnyConnection,
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
        .execute(&mut *conn)
        .await
        .map_err(db_error("licence terms"))?;
    Ok(())
}
