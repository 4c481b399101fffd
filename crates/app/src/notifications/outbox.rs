//! Draining the e-mail outbox (ADR 0004). Any instance may drain: a message is claimed by a
//! compare-and-set on its version with a lease, so of two drainers one sends it; a drainer that
//! dies after claiming leaves it pending, and it is claimed again when the lease has passed. A
//! message is marked sent after the relay accepted it; a crash between the two sends it again
//! (at least once in that one window — SMTP has no way to ask whether a message arrived).

use jiff::{SignedDuration, Timestamp};
use onewindow_store::{MailOutcome, OutboxMail};

use super::smtp::SmtpMailer;
use crate::{App, AppError};

/// How long a claimed message is left to its drainer before another may take it.
pub const MAIL_LEASE_SECONDS: i64 = 120;
/// How many messages one pass reads.
const BATCH: u32 = 50;
/// After this many failed attempts a message is given up (and stays in the outbox as failed).
const MAX_ATTEMPTS: i64 = 8;

/// What one pass over the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: u64,
    /// Not sent now; tried again later.
    pub deferred: u64,
    /// Refused for good by the relay, or failed too often.
    pub failed: u64,
    /// Claimed by another drainer first.
    pub lost: u64,
}

impl App {
    /// Sends what is due in the outbox, one pass.
    pub async fn drain_mail(&self, mailer: &SmtpMailer) -> Result<DrainReport, AppError> {
        let mut report = DrainReport::default();
        let due = self.store.due_mail(self.clock.now(), BATCH).await?;
        for mail in due {
            let lease = self.clock.now() + SignedDuration::from_secs(MAIL_LEASE_SECONDS);
            if !self.store.claim_mail(mail.id, mail.version, lease).await? {
                report.lost += 1;
                continue;
            }
            let outcome = self.send_one(mailer, &mail).await;
            match &outcome {
                MailOutcome::Sent { .. } => report.sent += 1,
                MailOutcome::Retry { error, .. } => {
                    tracing::warn!(mail = mail.id.0, %error, "mail deferred");
                    report.deferred += 1
                }
                MailOutcome::Failed { error } => {
                    tracing::error!(mail = mail.id.0, %error, "mail given up");
                    report.failed += 1
                }
            }
            if !self
                .store
                .finish_mail(mail.id, mail.version + 1, &outcome)
                .await?
            {
                // Our lease ran out while sending and another drainer took the message over.
                tracing::warn!(mail = mail.id.0, "mail lease lost while sending");
            }
        }
        Ok(report)
    }

    async fn send_one(&self, mailer: &SmtpMailer, mail: &OutboxMail) -> MailOutcome {
        let message_id = format!("outbox-{}", mail.id.0);
        match mailer
            .send(
                &mail.to,
                &mail.subject,
                &mail.body,
                &message_id,
                self.clock.now(),
            )
            .await
        {
            Ok(()) => MailOutcome::Sent {
                at: self.clock.now(),
            },
            Err(e) if e.permanent || mail.attempts + 1 >= MAX_ATTEMPTS => MailOutcome::Failed {
                error: e.to_string(),
            },
            Err(e) => MailOutcome::Retry {
                at: retry_at(self.clock.now(), mail.attempts + 1),
                error: e.to_string(),
            },
        }
    }
}

/// 1, 2, 4 … minutes after the n-th failed attempt, at most an hour.
fn retry_at(now: Timestamp, attempts: i64) -> Timestamp {
    let minutes = 1_i64 << attempts.clamp(1, 7).saturating_sub(1);
    now + SignedDuration::from_mins(minutes.min(60))
}
