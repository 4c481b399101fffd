//! Many rows in one transaction (`BulkStore`, issue 6): the same rows the one-at-a-time writes
//! make, with the same numbering, but one commit for thousands of them and cases inserted many
//! per statement. On SQLite each call holds the write gate for its whole transaction, so the
//! group-commit writer and the pool's writers wait their turn instead of failing busy.

use std::collections::BTreeMap;

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::Enterprise;
use onewindow_domain::licences::Licence;
use onewindow_store::{
    AuditEntry, BatchAppend, BulkStore, CaseId, CreatedCase, DocumentRecord, NewCase, NewDocument,
    NewLicence, NewUser, StoreError,
};
use sqlx::any::AnyArguments;
// Dynamic SQL here only splices numbered placeholders; values are bound.
use sqlx::{AnyConnection, Arguments, AssertSqlSafe, Row};

use crate::case_writes::{
    EventRow, case_number, insert_event_rows, new_case_values, update_projection,
};
use crate::cells::Value;
use crate::documents::insert_document_row;
use crate::enterprises::insert_enterprise_with_user;
use crate::{SqlStore, db_error};

/// The columns of a case row as `CaseStore::create_case` writes them.
const CASE_COLUMNS: [&str; 23] = [
    "number",
    "item_code",
    "definition_code",
    "definition_version",
    "handling_org",
    "applicant",
    "idempotency_key",
    "version",
    "status",
    "step",
    "acting_org",
    "statutory_due",
    "promised_due",
    "due_provisional",
    "clock_status",
    "is_open",
    "created_at",
    "updated_at",
    "step_since",
    "licence_number",
    "clock_basis",
    "head_hash",
    "head_on",
];

#[async_trait]
impl BulkStore for SqlStore {
    async fn create_enterprises_with_users(
        &self,
        batch: Vec<(Enterprise, NewUser, AuditEntry)>,
    ) -> Result<(), StoreError> {
        let (_gate, mut tx) = self.begin_write("enterprises").await?;
        for (enterprise, user, audit) in batch {
            insert_enterprise_with_user(&mut tx, &enterprise, user, &audit).await?;
        }
        tx.commit().await.map_err(db_error("enterprises"))
    }

    async fn create_cases(&self, cases: &[(NewCase, i32)]) -> Result<Vec<CreatedCase>, StoreError> {
        if let Some((case, _)) = cases.iter().find(|(c, _)| c.idempotency_key.is_some()) {
            return Err(StoreError::Database(format!(
                "a bulk load of cases takes no idempotency keys (case of {} has one)",
                case.applicant
            )));
        }
        let (_gate, mut tx) = self.begin_write("cases").await?;
        let numbers = draw_case_numbers(&mut tx, cases).await?;
        let mut ids: BTreeMap<String, CaseId> = BTreeMap::new();
        let rows: Vec<(&NewCase, &String)> = cases.iter().map(|(c, _)| c).zip(&numbers).collect();
        for chunk in in_shapes(&rows) {
            for (number, id) in insert_case_rows(&mut tx, chunk).await? {
                ids.insert(number, id);
            }
        }
        let created = numbers
            .into_iter()
            .map(|number| match ids.get(&number) {
                Some(&id) => Ok(CreatedCase { id, number }),
                None => Err(StoreError::Database(format!(
                    "case {number} was not inserted"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let events: Vec<EventRow<'_>> = created
            .iter()
            .zip(cases)
            .flat_map(|(made, (case, _))| case.events.iter().map(move |e| (made.id, e)))
            .collect();
        insert_event_rows(&mut tx, &events).await?;
        tx.commit().await.map_err(db_error("cases"))?;
        Ok(created)
    }

    async fn append_to_cases(
        &self,
        appends: &[(BatchAppend, Timestamp)],
    ) -> Result<(), StoreError> {
        let (_gate, mut tx) = self.begin_write("cases").await?;
        for (append, at) in appends {
            let new_version = append
                .events
                .last()
                .map_or(append.expected_version, |e| e.seq);
            let check = (append.id, append.expected_version, new_version);
            update_projection(&mut tx, check, &append.projection, *at).await?;
        }
        let events: Vec<EventRow<'_>> = appends
            .iter()
            .flat_map(|(a, _)| a.events.iter().map(move |e| (a.id, e)))
            .collect();
        insert_event_rows(&mut tx, &events).await?;
        tx.commit().await.map_err(db_error("cases"))
    }

    async fn issue_licences(
        &self,
        batch: &[(NewLicence, AuditEntry)],
    ) -> Result<Vec<Licence>, StoreError> {
        let (_gate, mut tx) = self.begin_write("licences").await?;
        let mut issued = Vec::with_capacity(batch.len());
        for (new, audit) in batch {
            match SqlStore::insert_licence_in(&mut tx, new, audit).await? {
                Some(licence) => issued.push(licence),
                None => {
                    return Err(StoreError::Duplicate(format!(
                        "licence of case {}",
                        new.grant.case_number
                    )));
                }
            }
        }
        tx.commit().await.map_err(db_error("licences"))?;
        Ok(issued)
    }

    async fn reserve_document_serials(
        &self,
        series: &str,
        year: i32,
        count: u32,
    ) -> Result<i64, StoreError> {
        let _gate = self.pass_write_gate().await;
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO document_counters (series, year, next) VALUES ($1, $2, $3) \
             ON CONFLICT (series, year) DO UPDATE SET next = document_counters.next + $3 \
             RETURNING next",
        )
        .bind(series.to_owned())
        .bind(i64::from(year))
        .bind(i64::from(count))
        .fetch_one(&self.pool)
        .await
        .map_err(db_error("document number"))?;
        Ok(last - i64::from(count) + 1)
    }

    async fn record_documents(
        &self,
        documents: &[NewDocument],
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        let (_gate, mut tx) = self.begin_write("documents").await?;
        let mut recorded = Vec::with_capacity(documents.len());
        for document in documents {
            let id = insert_document_row(&mut tx, document).await?;
            recorded.push(DocumentRecord {
                id,
                document: document.clone(),
            });
        }
        tx.commit().await.map_err(db_error("documents"))?;
        Ok(recorded)
    }
}

/// Draws each year's serials in one statement and answers the cases' numbers in order.
async fn draw_case_numbers(
    conn: &mut AnyConnection,
    cases: &[(NewCase, i32)],
) -> Result<Vec<String>, StoreError> {
    let mut per_year: BTreeMap<i32, i64> = BTreeMap::new();
    for (_, year) in cases {
        *per_year.entry(*year).or_default() += 1;
    }
    // The next serial to hand out in each year.
    let mut next: BTreeMap<i32, i64> = BTreeMap::new();
    for (year, count) in per_year {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO case_counters (year, next) VALUES ($1, $2) \
             ON CONFLICT (year) DO UPDATE SET next = case_counters.next + $2 RETURNING next",
        )
        .bind(i64::from(year))
        .bind(count)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error("case number"))?;
        next.insert(year, last - count + 1);
    }
    Ok(cases
        .iter()
        .map(|(_, year)| {
            let serial = next.entry(*year).or_default();
            *serial += 1;
            case_number(*year, *serial - 1)
        })
        .collect())
}

/// Splits `rows` into runs of 32, 16, … 1, so a few statement shapes serve any count.
fn in_shapes<T>(rows: &[T]) -> Vec<&[T]> {
    let mut chunks = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let size = [32, 16, 8, 4, 2, 1]
            .into_iter()
            .find(|&n| n <= rest.len())
            .unwrap_or(1);
        let (chunk, after) = rest.split_at(size);
        chunks.push(chunk);
        rest = after;
    }
    chunks
}

/// One multi-row insert of case rows; answers each number with its id. 32 rows bind 640
/// values, far below the limits of both databases.
async fn insert_case_rows(
    conn: &mut AnyConnection,
    rows: &[(&NewCase, &String)],
) -> Result<Vec<(String, CaseId)>, StoreError> {
    let width = CASE_COLUMNS.len();
    let values: Vec<String> = (0..rows.len())
        .map(|r| {
            let places: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", places.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO cases ({}) VALUES {} RETURNING id, number",
        CASE_COLUMNS.join(", "),
        values.join(", ")
    );
    let mut args = AnyArguments::default();
    for (case, number) in rows {
        add_case(&mut args, case, number);
    }
    let inserted = sqlx::query_with(AssertSqlSafe(sql), args)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error("case"))?;
    inserted
        .iter()
        .map(|row| {
            let id: i64 = row.try_get(0).map_err(db_error("case"))?;
            let number: String = row.try_get(1).map_err(db_error("case"))?;
            Ok((number, CaseId(id)))
        })
        .collect()
}

/// The values of [`CASE_COLUMNS`] for one case: those `create_case` binds (adding owned
/// values to `AnyArguments` cannot fail).
fn add_case(args: &mut AnyArguments, case: &NewCase, number: &str) {
    for value in new_case_values(case, number) {
        let _ = match value {
            Value::Text(text) => args.add(text),
            Value::Int(number) => args.add(number),
        };
    }
}
