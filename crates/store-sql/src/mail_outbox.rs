//! The e-mail outbox (ADR 0004). A message is `pending` until sent (`sent`) or given up
//! (`failed`). Claiming is a compare-and-set on its `version` that also pushes `not_before` (unix
//! seconds) to the end of a lease: of two drainers that read the same version, one update
//! matches and the other changes nothing (PostgreSQL re-checks the version after waiting for the
//! first one's row lock; SQLite has one writer). A drainer that dies holding a lease leaves the
//! message pending; it is claimed again once the lease has passed.

use jiff::Timestamp;
use onewindow_store::{MailId, MailOutcome, NewMail, NewNotification, OutboxMail, StoreError};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::db_error;

/// A notification's e-mail copy, once per (case, event, recipient) like the notification.
pub(crate) const ENQUEUE: &str = "INSERT INTO mail_outbox (case_id, event_seq, recipient, \
     to_address, subject, body, created_at, state, version, not_before, attempts) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, 0) \
     ON CONFLICT (case_id, event_seq, recipient) DO NOTHING";

pub(crate) async fn enqueue(
    conn: &mut AnyConnection,
    n: &NewNotification,
    mail: &NewMail,
) -> Result<(), StoreError> {
    sqlx::query(ENQUEUE)
        .bind(n.case_id.0)
        .bind(n.event_seq)
        .bind(n.recipient.clone())
        .bind(mail.to.clone())
        .bind(mail.subject.clone())
        .bind(mail.body.clone())
        .bind(n.created_at.to_string())
        .bind(n.created_at.as_second())
        .execute(&mut *conn)
        .await
        .map_err(db_error("mail"))?;
    Ok(())
}

pub(crate) async fn due(
    pool: &AnyPool,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<OutboxMail>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, version, to_address, subject, body, attempts FROM mail_outbox \
         WHERE state = 'pending' AND not_before <= $1 ORDER BY not_before, id LIMIT $2",
    )
    .bind(now.as_second())
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db_error("mail"))?;
    let err = db_error("mail");
    rows.iter()
        .map(|row| {
            Ok(OutboxMail {
                id: MailId(row.try_get(0).map_err(&err)?),
                version: row.try_get(1).map_err(&err)?,
                to: row.try_get(2).map_err(&err)?,
                subject: row.try_get(3).map_err(&err)?,
                body: row.try_get(4).map_err(&err)?,
                attempts: row.try_get(5).map_err(&err)?,
            })
        })
        .collect()
}

pub(crate) async fn claim(
    pool: &AnyPool,
    id: MailId,
    version: i64,
    lease_until: Timestamp,
) -> Result<bool, StoreError> {
    let changed = sqlx::query(
        "UPDATE mail_outbox SET version = version + 1, not_before = $1, attempts = attempts + 1 \
         WHERE id = $2 AND version = $3 AND state = 'pending'",
    )
    .bind(lease_until.as_second())
    .bind(id.0)
    .bind(version)
    .execute(pool)
    .await
    .map_err(db_error("mail"))?
    .rows_affected();
    Ok(changed == 1)
}

pub(crate) async fn finish(
    pool: &AnyPool,
    id: MailId,
    claimed_version: i64,
    outcome: &MailOutcome,
) -> Result<bool, StoreError> {
    let (state, sent_at, not_before, error) = match outcome {
        MailOutcome::Sent { at } => ("sent", Some(at.to_string()), None, None),
        MailOutcome::Retry { at, error } => {
            ("pending", None, Some(at.as_second()), Some(error.clone()))
        }
        MailOutcome::Failed { error } => ("failed", None, None, Some(error.clone())),
    };
    let changed = sqlx::query(
        "UPDATE mail_outbox SET version = version + 1, state = $1, sent_at = $2, \
         not_before = COALESCE($3, not_before), last_error = $4 \
         WHERE id = $5 AND version = $6 AND state = 'pending'",
    )
    .bind(state)
    .bind(sent_at)
    .bind(not_before)
    .bind(error)
    .bind(id.0)
    .bind(claimed_version)
    .execute(pool)
    .await
    .map_err(db_error("mail"))?
    .rows_affected();
    Ok(changed == 1)
}
