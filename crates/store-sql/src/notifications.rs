//! Notifications and their recipients (ADR 0004). Exactly once per (case, event seq,
//! recipient): `INSERT … ON CONFLICT DO NOTHING` on that unique key, the same on both databases,
//! so two instances deriving the same notification keep one row and one e-mail copy.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_store::{
    CaseId, CaseRecord, MailId, MailOutcome, MarkRead, NewNotification, NotificationId,
    NotificationRecord, NotificationStore, OutboxMail, Recipient, StoreError,
};
// Dynamic SQL here only splices cases.rs's column list and a number; values are bound.
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::cases::COLUMNS;
use crate::{SqlStore, db_error, mail_outbox, recipients};

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "notification".into(),
        detail: detail.to_string(),
    }
}

fn notification_from_row(row: &AnyRow) -> Result<NotificationRecord, StoreError> {
    let err = db_error("notification");
    let text = |i: usize| row.try_get::<String, _>(i).map_err(&err);
    let read_at: Option<String> = row.try_get(7).map_err(&err)?;
    Ok(NotificationRecord {
        id: NotificationId(row.try_get(0).map_err(&err)?),
        case_number: text(1)?,
        event_seq: row.try_get(2).map_err(&err)?,
        kind: text(3)?,
        text_zh: text(4)?,
        text_en: text(5)?,
        created_at: text(6)?.parse().map_err(corrupt)?,
        read_at: read_at
            .map(|t| t.parse::<Timestamp>().map_err(corrupt))
            .transpose()?,
    })
}

#[async_trait]
impl NotificationStore for SqlStore {
    async fn staff_of_org(&self, org: &str) -> Result<Vec<Recipient>, StoreError> {
        recipients::of(self, recipients::STAFF_OF_ORG, org).await
    }

    async fn enterprise_users(&self, credit_code: &str) -> Result<Vec<Recipient>, StoreError> {
        recipients::of(self, recipients::ENTERPRISE_USERS, credit_code).await
    }

    async fn record_notifications(
        &self,
        notifications: &[NewNotification],
    ) -> Result<u64, StoreError> {
        if notifications.is_empty() {
            return Ok(0);
        }
        let (_gate, mut tx) = self.begin_write("notifications").await?;
        let new = insert_notifications(&mut tx, notifications).await?;
        tx.commit().await.map_err(db_error("notifications"))?;
        Ok(new)
    }

    async fn notified_seqs(&self, case: CaseId) -> Result<Vec<i64>, StoreError> {
        sqlx::query_scalar(
            "SELECT DISTINCT event_seq FROM notifications WHERE case_id = $1 ORDER BY event_seq",
        )
        .bind(case.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("notifications"))
    }

    async fn closed_cases_missing_notifications(
        &self,
        since: Timestamp,
        kinds: &[&str],
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        // Timestamps are RFC 3339 text in UTC: their order is time order to the second, and the
        // caller asks from well before the instant it needs. The partial index
        // `cases_closed_changed` finds the recent closed cases; the events' primary key and the
        // notifications' unique key answer the rest.
        let kind_params: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM cases c WHERE c.is_open = 0 AND c.updated_at >= $1 \
             AND c.id > $2 AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id \
             AND e.kind IN ({}) AND NOT EXISTS (SELECT 1 FROM notifications n \
             WHERE n.case_id = e.case_id AND n.event_seq = e.seq)) ORDER BY c.id LIMIT {limit}",
            kind_params.join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(since.to_string())
            .bind(after.0);
        for kind in kinds {
            query = query.bind((*kind).to_owned());
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("cases"))?;
        rows.iter().map(crate::cases::record).collect()
    }

    async fn inbox(
        &self,
        recipient: &str,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_number, event_seq, kind, text_zh, text_en, created_at, read_at \
             FROM notifications WHERE recipient = $1 \
             ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $2",
        )
        .bind(recipient.to_owned())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("notifications"))?;
        rows.iter().map(notification_from_row).collect()
    }

    async fn unread_count(&self, recipient: &str) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE recipient = $1 AND read_at IS NULL",
        )
        .bind(recipient.to_owned())
        .fetch_one(&self.pool)
        .await
        .map_err(db_error("notifications"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn mark_read(
        &self,
        recipient: &str,
        which: &MarkRead,
        at: Timestamp,
    ) -> Result<Option<u64>, StoreError> {
        let (_gate, mut tx) = self.begin_write("notifications").await?;
        let ids = match which {
            MarkRead::All => None,
            MarkRead::Only(ids) => Some(ids),
        };
        let mut changed = 0;
        if let Some(ids) = ids {
            for id in ids {
                let owner: Option<String> =
                    sqlx::query_scalar("SELECT recipient FROM notifications WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_error("notification"))?;
                if owner.as_deref() != Some(recipient) {
                    // Someone else's or none at all: the same answer, and nothing marked.
                    return Ok(None);
                }
                changed += sqlx::query(
                    "UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL",
                )
                .bind(at.to_string())
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error("notification"))?
                .rows_affected();
            }
        } else {
            changed = sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE recipient = $2 AND read_at IS NULL",
            )
            .bind(at.to_string())
            .bind(recipient.to_owned())
            .execute(&mut *tx)
            .await
            .map_err(db_error("notifications"))?
            .rows_affected();
        }
        tx.commit().await.map_err(db_error("notifications"))?;
        Ok(Some(changed))
    }

    async fn set_user_email(
        &self,
        username: &str,
        email: Option<&str>,
    ) -> Result<bool, StoreError> {
        let _gate = self.pass_write_gate().await;
        let changed = sqlx::query("UPDATE users SET email = $1 WHERE username = $2")
            .bind(email.map(str::to_owned))
            .bind(username.to_owned())
            .execute(&self.pool)
            .await
            .map_err(db_error("user"))?
            .rows_affected();
        Ok(changed == 1)
    }

    async fn user_email(&self, username: &str) -> Result<Option<String>, StoreError> {
        let email: Option<Option<String>> =
            sqlx::query_scalar("SELECT email FROM users WHERE username = $1")
                .bind(username.to_owned())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error("user"))?;
        Ok(email.flatten())
    }

    async fn due_mail(&self, now: Timestamp, limit: u32) -> Result<Vec<OutboxMail>, StoreError> {
        mail_outbox::due(&self.pool, now, limit).await
    }

    async fn claim_mail(
        &self,
        id: MailId,
        version: i64,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError> {
        let _gate = self.pass_write_gate().await;
        mail_outbox::claim(&self.pool, id, version, lease_until).await
    }

    async fn finish_mail(
        &self,
        id: MailId,
        claimed_version: i64,
        outcome: &MailOutcome,
    ) -> Result<bool, StoreError> {
        let _gate = self.pass_write_gate().await;
        mail_outbox::finish(&self.pool, id, claimed_version, outcome).await
    }
}

/// One notification, once per (case, event seq, recipient).
pub(crate) const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (case_id, case_number, \
     event_seq, recipient, kind, text_zh, text_en, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id, event_seq, recipient) DO NOTHING";

/// Inserts notifications (each once: a second insert of a (case, event, recipient) does
/// nothing) with their e-mail copies, inside the caller's transaction; returns how many were
/// new. `record_notifications` and the version-checked append share it.
pub(crate) async fn insert_notifications(
    conn: &mut AnyConnection,
    notifications: &[NewNotification],
) -> Result<u64, StoreError> {
    let mut new = 0;
    for n in notifications {
        new += sqlx::query(INSERT_NOTIFICATION)
            .bind(n.case_id.0)
            .bind(n.case_number.clone())
            .bind(n.event_seq)
            .bind(n.recipient.clone())
            .bind(n.kind.clone())
            .bind(n.text_zh.clone())
            .bind(n.text_en.clone())
            .bind(n.created_at.to_string())
            .execute(&mut *conn)
            .await
            .map_err(db_error("notification"))?
            .rows_affected();
        if let Some(mail) = &n.mail {
            mail_outbox::enqueue(conn, n, mail).await?;
        }
    }
    Ok(new)
}
