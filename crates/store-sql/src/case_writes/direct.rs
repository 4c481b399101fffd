//! The case writes of crate::case_writes on a SQLite connection driven directly
//! (crate::native), for the group-commit writer's thread (crate::group_commit::direct). The
//! statements are the same — their SQL text is shared, given SQLite's numbered placeholders
//! once — and each is prepared once per connection and run per row: in rusqlite a cached
//! statement costs a bind and a step, so the event rows need no many-row statements.

use std::sync::LazyLock;

use jiff::Timestamp;
use onewindow_store::{
    CaseId, CaseProjection, Created, NewCase, NewNotification, StoreError, StoredEvent,
};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::{
    CaseWrite, EXISTING_BY_KEY, INSERT_CASE, INSERT_EVENT, NEXT_SERIAL, UPDATE_PROJECTION,
    VERSION_OF_CASE, Written, case_number, existing_created, new_case_values,
    projection_update_values,
};
use crate::documents::{INSERT_DOCUMENT, NEXT_DOCUMENT_SERIAL, document_values};
use crate::mail_outbox::ENQUEUE;
use crate::native::{error, sql};
use crate::notifications::INSERT_NOTIFICATION;

static EXISTING_BY_KEY_SQL: LazyLock<String> = LazyLock::new(|| sql(EXISTING_BY_KEY));
static NEXT_SERIAL_SQL: LazyLock<String> = LazyLock::new(|| sql(NEXT_SERIAL));
static INSERT_CASE_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_CASE));
static UPDATE_PROJECTION_SQL: LazyLock<String> = LazyLock::new(|| sql(UPDATE_PROJECTION));
static VERSION_OF_CASE_SQL: LazyLock<String> = LazyLock::new(|| sql(VERSION_OF_CASE));
pub(crate) static INSERT_EVENT_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_EVENT));
static INSERT_NOTIFICATION_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_NOTIFICATION));
static ENQUEUE_SQL: LazyLock<String> = LazyLock::new(|| sql(ENQUEUE));
static NEXT_DOCUMENT_SERIAL_SQL: LazyLock<String> = LazyLock::new(|| sql(NEXT_DOCUMENT_SERIAL));
static INSERT_DOCUMENT_SQL: LazyLock<String> = LazyLock::new(|| sql(INSERT_DOCUMENT));

impl CaseWrite {
    /// Runs every statement of the write, its event rows included. On an error some of them
    /// may have run: the caller rolls back its transaction or savepoint, then asks
    /// [`CaseWrite::recover_direct`] for the answer.
    pub(crate) fn apply_direct(&self, conn: &Connection) -> Result<Written, StoreError> {
        match self {
            CaseWrite::Create { case, year } => {
                if let Some(key) = &case.idempotency_key
                    && let Some((id, number)) = existing_by_key(conn, key)?
                {
                    let existing = Created {
                        id,
                        number,
                        existing: true,
                    };
                    return Ok(Written::Created(existing));
                }
                let created = insert_case(conn, case, *year)?;
                insert_events(conn, created.id, &case.events)?;
                Ok(Written::Created(created))
            }
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
                update_projection(conn, check, projection, *at)?;
                insert_notifications(conn, notifications)?;
                insert_events(conn, *id, events)?;
                Ok(Written::Appended)
            }
            CaseWrite::DocumentSerial { series, year } => conn
                .prepare_cached(&NEXT_DOCUMENT_SERIAL_SQL)
                .and_then(|mut s| s.query_row(params![series, year], |row| row.get(0)))
                .map(Written::Serial)
                .map_err(error("document number")),
            CaseWrite::Document(d) => {
                let values = params_from_iter(document_values(d));
                conn.prepare_cached(&INSERT_DOCUMENT_SQL)
                    .and_then(|mut s| s.query_row(values, |row| row.get(0)))
                    .map(Written::Document)
                    .map_err(error(&format!("document {}", d.number)))
            }
            CaseWrite::IssueLicence { new, audit } => {
                crate::licences::insert_licence_direct(conn, new, audit)
                    .map(|issued| Written::Licence(issued.map(Box::new)))
            }
        }
    }

    /// [`CaseWrite::recover`] on a direct connection.
    pub(crate) fn recover_direct(
        &self,
        conn: &Connection,
        error: StoreError,
    ) -> Result<Written, StoreError> {
        match self.key_taken(&error) {
            Some(key) => existing_created(existing_by_key(conn, key)?, error),
            None => Err(error),
        }
    }
}

fn existing_by_key(conn: &Connection, key: &str) -> Result<Option<(CaseId, String)>, StoreError> {
    conn.prepare_cached(&EXISTING_BY_KEY_SQL)
        .and_then(|mut s| {
            s.query_row([key], |row| Ok((CaseId(row.get(0)?), row.get(1)?)))
                .optional()
        })
        .map_err(error("case"))
}

/// The case row with its number (crate::case_writes::insert_case).
fn insert_case(conn: &Connection, case: &NewCase, year: i32) -> Result<Created, StoreError> {
    let serial: i64 = conn
        .prepare_cached(&NEXT_SERIAL_SQL)
        .and_then(|mut s| s.query_row([i64::from(year)], |row| row.get(0)))
        .map_err(error("case number"))?;
    let number = case_number(year, serial);
    let values = new_case_values(case, &number);
    let id: i64 = conn
        .prepare_cached(&INSERT_CASE_SQL)
        .and_then(|mut s| s.query_row(params_from_iter(values), |row| row.get(0)))
        .map_err(error("case"))?;
    Ok(Created {
        id: CaseId(id),
        number,
        existing: false,
    })
}

/// The version-checked update (crate::case_writes::update_projection): a stale version
/// updates no row and is a conflict with nothing written.
fn update_projection(
    conn: &Connection,
    (id, expected_version, new_version): (CaseId, i64, i64),
    p: &CaseProjection,
    at: Timestamp,
) -> Result<(), StoreError> {
    let values = projection_update_values((id, expected_version, new_version), p, at);
    let updated = conn
        .prepare_cached(&UPDATE_PROJECTION_SQL)
        .and_then(|mut s| s.execute(params_from_iter(values)))
        .map_err(error("case"))?;
    if updated != 1 {
        let found: Option<i64> = conn
            .prepare_cached(&VERSION_OF_CASE_SQL)
            .and_then(|mut s| s.query_row([id.0], |row| row.get(0)).optional())
            .map_err(error("case"))?;
        return Err(StoreError::Conflict {
            what: format!("case {}", id.0),
            expected: expected_version,
            found: found.unwrap_or(0),
        });
    }
    Ok(())
}

/// The notifications told with the events, each once, with their e-mail copies (ADR 0004).
fn insert_notifications(
    conn: &Connection,
    notifications: &[NewNotification],
) -> Result<(), StoreError> {
    for n in notifications {
        let at = n.created_at.to_string();
        conn.prepare_cached(&INSERT_NOTIFICATION_SQL)
            .and_then(|mut s| {
                s.execute(params![
                    n.case_id.0,
                    n.case_number,
                    n.event_seq,
                    n.recipient,
                    n.kind,
                    n.text_zh,
                    n.text_en,
                    at,
                ])
            })
            .map_err(error("notification"))?;
        if let Some(mail) = &n.mail {
            conn.prepare_cached(&ENQUEUE_SQL)
                .and_then(|mut s| {
                    s.execute(params![
                        n.case_id.0,
                        n.event_seq,
                        n.recipient,
                        mail.to,
                        mail.subject,
                        mail.body,
                        at,
                        n.created_at.as_second(),
                    ])
                })
                .map_err(error("mail"))?;
        }
    }
    Ok(())
}

/// The event rows of case `id`, one prepared statement each.
pub(crate) fn insert_events(
    conn: &Connection,
    id: CaseId,
    events: &[StoredEvent],
) -> Result<(), StoreError> {
    let mut insert = conn
        .prepare_cached(&INSERT_EVENT_SQL)
        .map_err(error("case event"))?;
    let mut times = TimeTexts::default();
    insert_events_with(&mut insert, &mut times, id, events)
}

/// [`insert_events`] through a statement prepared once for many cases (the recompute's batch).
pub(crate) fn insert_events_with(
    insert: &mut rusqlite::Statement<'_>,
    times: &mut TimeTexts,
    id: CaseId,
    events: &[StoredEvent],
) -> Result<(), StoreError> {
    for e in events {
        insert
            .execute(params![
                id.0,
                e.seq,
                times.text(e.at),
                e.kind,
                e.body,
                e.prev_hash,
                e.hash
            ])
            .map_err(error("case event"))?;
    }
    Ok(())
}

/// The text of the time last written: a batch's events mostly share one (the recompute's),
/// formatted once instead of once a row.
#[derive(Default)]
pub(crate) struct TimeTexts {
    last: Option<(jiff::Timestamp, String)>,
}

impl TimeTexts {
    pub(crate) fn text(&mut self, at: jiff::Timestamp) -> &str {
        let fresh = !matches!(&self.last, Some((kept, _)) if *kept == at);
        if fresh {
            self.last = Some((at, at.to_string()));
        }
        self.last.as_ref().map_or("", |(_, text)| text.as_str())
    }
}
