//! The register's writes inside a transaction its caller opened: drawing the next serial of a
//! number series, inserting a licence with its word index, and replacing the particulars in
//! force (and their search terms) when a case's change or renewal reaches the licence.

use super::*;

impl SqlStore {
    /// The next serial of the series that is not already a number, or `Exhausted`.
    pub(super) async fn next_number(
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
    pub(super) async fn insert_licence(
        &self,
        new: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError> {
        // Through the write gate (ADR 0003): beside a busy case writer an ungated write polls
        // the file lock with sleeps, which made the issue step's p99 (≈ 1 s, session 5).
        let (_gate, mut tx) = self.begin_write("licence").await?;
        let licence = Self::insert_licence_in(&mut tx, new, audit).await?;
        if licence.is_some() {
            tx.commit().await.map_err(db_error("licence"))?;
        }
        // Otherwise dropping the transaction rolls the serial back: the retry numbers nothing.
        Ok(licence)
    }

    /// Numbers and inserts the licence with its terms and audit entry inside the caller's
    /// transaction; `None` (with the serial drawn: roll back) when the case has a licence.
    pub(crate) async fn insert_licence_in(
        tx: &mut Transaction<'_, Any>,
        new: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError> {
        let number = Self::next_number(tx, new).await?;
        let g = &new.grant;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM licences WHERE case_number = $1")
                .bind(g.case_number.clone())
                .fetch_optional(&mut **tx)
                .await
                .map_err(db_error("licence"))?;
        if existing.is_some() {
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
        .fetch_one(&mut **tx)
        .await
        .map_err(db_error("licence"))?;
        insert_terms(tx, id, &licence).await?;
        insert_audit(tx, audit).await?;
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
