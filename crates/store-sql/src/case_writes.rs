//! The writes the group-commit writer takes — a new case, events appended under a version
//! check, and the registers' writes that share its commits (a licence issued; a document serial
//! drawn and an entry recorded) — as values that can wait in its queue, with the SQL each runs.
//! The SQL runs inside a transaction (or savepoint) its caller opened; this module neither begins nor commits, so the same
//! statements serve one transaction per write and a batch of writes sharing one commit.

use jiff::Timestamp;
use onewindow_domain::licences::Licence;
use onewindow_store::{
    AuditEntry, CaseId, CaseProjection, Created, NewCase, NewDocument, NewLicence, NewNotification,
    StoreError, StoredEvent,
};
// Dynamic SQL here only splices numbered placeholders; values are bound.
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Row};

use crate::cells::bind_all;
use crate::documents::{insert_document_row, next_document_serial_on};
use crate::{SqlStore, db_error};

pub(crate) mod direct;
mod statements;

pub(crate) use statements::{
    EXISTING_BY_KEY, INSERT_CASE, INSERT_EVENT, NEXT_SERIAL, UPDATE_PROJECTION, VERSION_OF_CASE,
    case_number, date_text, head_values, new_case_values, projection_update_values,
};

/// A write the group-commit writer takes, owning its data (it may wait in a queue).
#[derive(Debug, Clone)]
pub(crate) enum CaseWrite {
    Create {
        case: NewCase,
        year: i32,
    },
    Append {
        id: CaseId,
        expected_version: i64,
        events: Vec<StoredEvent>,
        projection: CaseProjection,
        at: Timestamp,
        /// Written with the events: told exactly when the events are stored (ADR 0004).
        notifications: Vec<NewNotification>,
    },
    /// The next serial of a document number series (crate::documents).
    DocumentSerial {
        series: String,
        year: i32,
    },
    /// A document register entry (crate::documents). One statement, so a taken number or key
    /// writes nothing and the caller looks for the entry that took it.
    Document(Box<NewDocument>),
    /// A licence issued for a case, numbered from its series, with its word index and audit
    /// entry (crate::licences).
    IssueLicence {
        new: Box<NewLicence>,
        audit: Box<AuditEntry>,
    },
}

/// What a case write answers when it succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Written {
    Created(Created),
    Appended,
    /// The serial drawn.
    Serial(i64),
    /// The register entry's id.
    Document(i64),
    /// The licence issued, or `None` (nothing written) when the case had one.
    Licence(Option<Box<Licence>>),
}

/// A writer's answer of the wrong kind for the write asked (a bug, not a database state).
pub(crate) fn unexpected_answer(asked: &str, answer: &Written) -> StoreError {
    StoreError::Database(format!("the case writer answered {asked} with {answer:?}"))
}

impl CaseWrite {
    /// Runs the write's statements. On an error some of them may have run: the caller rolls
    /// back its transaction or savepoint, then asks [`CaseWrite::recover`] for the answer.
    pub(crate) async fn apply(&self, conn: &mut AnyConnection) -> Result<Written, StoreError> {
        let (written, events_of) = self.apply_without_events(conn).await?;
        if let Some(id) = events_of {
            let rows: Vec<EventRow<'_>> = self.events().iter().map(|e| (id, e)).collect();
            insert_event_rows(conn, &rows).await?;
        }
        Ok(written)
    }

    /// Runs the write's statements except the event rows, and says which case the write's
    /// [`events`](CaseWrite::events) belong to (`None`: none are to be written, as for a create
    /// whose key was used before). A batch inserts the events of many writes together.
    pub(crate) async fn apply_without_events(
        &self,
        conn: &mut AnyConnection,
    ) -> Result<(Written, Option<CaseId>), StoreError> {
        match self {
            CaseWrite::Create { case, year } => insert_case(conn, case, *year).await,
            CaseWrite::Append {
                id,
                expected_version,
                events,
                projection,
                at,
                notifications,
            } => {
                let new_version = events.last().map_or(*expected_version, |e| e.seq);
                let check = (*id, *expected_version, new_version);
                update_projection(conn, check, projection, *at).await?;
                crate::notifications::insert_notifications(conn, notifications).await?;
                Ok((Written::Appended, Some(*id)))
            }
            CaseWrite::DocumentSerial { series, year } => {
                let serial = next_document_serial_on(conn, series, *year).await?;
                Ok((Written::Serial(serial), None))
            }
            CaseWrite::Document(document) => {
                let id = insert_document_row(conn, document).await?;
                Ok((Written::Document(id), None))
            }
            CaseWrite::IssueLicence { new, audit } => {
                let issued = SqlStore::insert_licence_in(conn, new, audit).await?;
                Ok((Written::Licence(issued.map(Box::new)), None))
            }
        }
    }

    pub(crate) fn events(&self) -> &[StoredEvent] {
        match self {
            CaseWrite::Create { case, .. } => &case.events,
            CaseWrite::Append { events, .. } => events,
            CaseWrite::DocumentSerial { .. }
            | CaseWrite::Document(_)
            | CaseWrite::IssueLicence { .. } => &[],
        }
    }

    /// Whether `error`, from [`CaseWrite::apply`], means nothing was written. Only a stale
    /// version does: `append` finds it with its first statement, the version-checked update,
    /// which changed no row. (A create whose key was used before answers that case, no error.)
    pub(crate) fn fails_cleanly(error: &StoreError) -> bool {
        matches!(error, StoreError::Conflict { .. })
    }

    /// The answer for a write whose statements failed and were rolled back. A create whose
    /// idempotency key was taken (two submissions with one key raced, across processes) finds
    /// the winner's case and answers it; everything else keeps its error.
    pub(crate) async fn recover(
        &self,
        conn: &mut AnyConnection,
        error: StoreError,
    ) -> Result<Written, StoreError> {
        match self.key_taken(&error) {
            Some(key) => existing_created(existing_by_key(conn, key).await?, error),
            None => Err(error),
        }
    }

    /// The idempotency key of a create that failed because the key was taken.
    pub(crate) fn key_taken(&self, error: &StoreError) -> Option<&str> {
        match (self, error) {
            (
                CaseWrite::Create {
                    case:
                        NewCase {
                            idempotency_key: Some(key),
                            ..
                        },
                    ..
                },
                StoreError::Duplicate(_),
            ) => Some(key),
            _ => None,
        }
    }
}

/// The answer of a create whose key was taken: the case found by the key, or (none found: the
/// duplicate was something else) the error.
pub(crate) fn existing_created(
    found: Option<(CaseId, String)>,
    error: StoreError,
) -> Result<Written, StoreError> {
    match found {
        Some((id, number)) => Ok(Written::Created(Created {
            id,
            number,
            existing: true,
        })),
        None => Err(error),
    }
}

impl SqlStore {
    /// Runs a case write as the store is configured: through the group-commit writer, or in a
    /// transaction of its own on the pool.
    pub(crate) async fn write_case(&self, write: CaseWrite) -> Result<Written, StoreError> {
        match &self.case_writer {
            Some(writer) => writer.submit(write).await,
            None => self.write_case_alone(&write).await,
        }
    }

    /// One transaction, one commit, for one write.
    async fn write_case_alone(&self, write: &CaseWrite) -> Result<Written, StoreError> {
        let (_gate, mut tx) = self.begin_write("case").await?;
        match write.apply(&mut tx).await {
            Ok(written) => {
                tx.commit().await.map_err(db_error("case"))?;
                Ok(written)
            }
            Err(error) => {
                tx.rollback().await.map_err(db_error("case"))?;
                let mut conn = self.pool.acquire().await.map_err(db_error("case"))?;
                write.recover(&mut conn, error).await
            }
        }
    }
}

// The statements of the case writes, shared with the direct driver (case_writes::direct).

async fn existing_by_key(
    conn: &mut AnyConnection,
    key: &str,
) -> Result<Option<(CaseId, String)>, StoreError> {
    let found: Option<(i64, String)> = sqlx::query_as(EXISTING_BY_KEY)
        .bind(key.to_owned())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_error("case"))?;
    Ok(found.map(|(id, number)| (CaseId(id), number)))
}

/// An event row to insert: the case and the event.
pub(crate) type EventRow<'a> = (CaseId, &'a StoredEvent);

/// Inserts event rows, many per statement. Statements of 64, 32, … 1 rows keep the prepared
/// statements few (seven shapes) whatever the count; 64 rows bind 448 values, far below the
/// limits of both databases.
pub(crate) async fn insert_event_rows(
    conn: &mut AnyConnection,
    rows: &[EventRow<'_>],
) -> Result<(), StoreError> {
    let mut rest = rows;
    while !rest.is_empty() {
        let size = [64, 32, 16, 8, 4, 2, 1]
            .into_iter()
            .find(|&n| n <= rest.len())
            .unwrap_or(1);
        let (chunk, after) = rest.split_at(size);
        let values: Vec<String> = (0..size)
            .map(|r| {
                let places: Vec<String> = (1..=7).map(|c| format!("${}", r * 7 + c)).collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO case_events (case_id, seq, at, kind, body, prev_hash, hash) VALUES {}",
            values.join(", ")
        );
        // Only placeholders are spliced in; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for (id, e) in chunk {
            query = query
                .bind(id.0)
                .bind(e.seq)
                .bind(e.at.to_string())
                .bind(e.kind.clone())
                .bind(e.body.clone())
                .bind(e.prev_hash.clone())
                .bind(e.hash.clone());
        }
        query
            .execute(&mut *conn)
            .await
            .map_err(db_error("case event"))?;
        rest = after;
    }
    Ok(())
}

/// The case row with its number; its events are left to the caller.
async fn insert_case(
    conn: &mut AnyConnection,
    case: &NewCase,
    year: i32,
) -> Result<(Written, Option<CaseId>), StoreError> {
    if let Some(key) = &case.idempotency_key
        && let Some((id, number)) = existing_by_key(conn, key).await?
    {
        let existing = Created {
            id,
            number,
            existing: true,
        };
        return Ok((Written::Created(existing), None));
    }
    let serial: i64 = sqlx::query_scalar(NEXT_SERIAL)
        .bind(i64::from(year))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error("case number"))?;
    let number = case_number(year, serial);
    let row = bind_all(sqlx::query(INSERT_CASE), new_case_values(case, &number))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error("case"))?;
    let id: i64 = row.try_get(0).map_err(db_error("case"))?;
    let created = Created {
        id: CaseId(id),
        number,
        existing: false,
    };
    Ok((Written::Created(created), Some(CaseId(id))))
}

/// The version check is the `WHERE version = $2` of the update: of two writes made from the
/// same version, the first to run moves the version on and the second updates no row, which
/// is a conflict with nothing written. `check` is (case, expected version, new version).
pub(crate) async fn update_projection(
    conn: &mut AnyConnection,
    (id, expected_version, new_version): (CaseId, i64, i64),
    p: &CaseProjection,
    at: Timestamp,
) -> Result<(), StoreError> {
    let values = projection_update_values((id, expected_version, new_version), p, at);
    let updated = bind_all(sqlx::query(UPDATE_PROJECTION), values)
        .execute(&mut *conn)
        .await
        .map_err(db_error("case"))?;
    if updated.rows_affected() != 1 {
        let found: Option<i64> = sqlx::query_scalar(VERSION_OF_CASE)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error("case"))?;
        return Err(StoreError::Conflict {
            what: format!("case {}", id.0),
            expected: expected_version,
            found: found.unwrap_or(0),
        });
    }
    Ok(())
}

/// Runs `write` inside a savepoint of the open transaction `tx`: its failure rolls back only its
/// own statements. The outer `Err` means the transaction itself can no longer be trusted (the
/// savepoint could not be opened, released or rolled back) and must be abandoned.
pub(crate) async fn apply_in_savepoint(
    tx: &mut AnyConnection,
    write: &CaseWrite,
) -> Result<Result<Written, StoreError>, sqlx::Error> {
    let mut savepoint = tx.begin().await?;
    match write.apply(&mut savepoint).await {
        Ok(written) => {
            savepoint.commit().await?;
            Ok(Ok(written))
        }
        Err(error) => {
            savepoint.rollback().await?;
            Ok(write.recover(tx, error).await)
        }
    }
}
