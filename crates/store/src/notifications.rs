//! Notifications (issue 3): what a case's events tell the people concerned, in each person's
//! inbox, and the e-mail copies waiting to be sent (ADR 0004). A notification is keyed by
//! (case, event seq, recipient): writing one twice, from two instances or a catch-up, keeps one.
//! The outbox is claimed message by message with a version and a lease, so two drainers never
//! both send one, and a drainer that dies before sending leaves it to be retried.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::Role;

use crate::{CaseId, CaseRecord, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotificationId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MailId(pub i64);

/// Someone a notification may go to: a user name, the staff role (none for an enterprise
/// user) and the e-mail address on the account, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub username: String,
    pub role: Option<Role>,
    pub email: Option<String>,
}

/// A notification to record, with its e-mail copy when one is to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub case_id: CaseId,
    pub case_number: String,
    pub event_seq: i64,
    pub recipient: String,
    /// The event's key (`warning_raised`, `accepted` …).
    pub kind: String,
    pub text_zh: String,
    pub text_en: String,
    pub created_at: Timestamp,
    pub mail: Option<NewMail>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: NotificationId,
    pub case_number: String,
    pub event_seq: i64,
    pub kind: String,
    pub text_zh: String,
    pub text_en: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// Which of a person's notifications to mark read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkRead {
    All,
    /// These, each of which must be the person's: otherwise nothing is marked.
    Only(Vec<NotificationId>),
}

/// A message waiting in the outbox, as read before claiming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: MailId,
    /// Claiming sets the next version; only the claimant's version finishes the message.
    pub version: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// How a claimed message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    Sent {
        at: Timestamp,
    },
    /// Not sent; try again from `at`.
    Retry {
        at: Timestamp,
        error: String,
    },
    /// Not sent and not to be tried again.
    Failed {
        error: String,
    },
}

#[async_trait]
pub trait NotificationStore {
    /// Staff of the org (any role; the caller filters by the step's roles).
    async fn staff_of_org(&self, org: &str) -> Result<Vec<Recipient>, StoreError>;
    /// The users of the enterprise with this credit code.
    async fn enterprise_users(&self, credit_code: &str) -> Result<Vec<Recipient>, StoreError>;
    /// Records the notifications (and their e-mail copies) in one transaction; one already
    /// recorded for the same (case, event seq, recipient) is left as it is. Returns how many were
    /// new.
    async fn record_notifications(
        &self,
        notifications: &[NewNotification],
    ) -> Result<u64, StoreError>;
    /// The event seqs of the case that have notifications, in order. One event's notifications
    /// are recorded in one transaction, so a seq listed here has all of its recipients.
    async fn notified_seqs(&self, case: CaseId) -> Result<Vec<i64>, StoreError>;
    /// Closed cases last changed at or after `since` (ids after `after`, in id order) that have
    /// an event of one of `kinds` with no notification: the sweeper's catch-up for a case whose
    /// closing append lost its notifications (open cases it walks anyway). A case whose telling
    /// event has nobody to tell stays listed; `since` bounds how often it is looked at.
    async fn closed_cases_missing_notifications(
        &self,
        since: Timestamp,
        kinds: &[&str],
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError>;
    /// A person's notifications: unread first, then newest first.
    async fn inbox(
        &self,
        recipient: &str,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, StoreError>;
    async fn unread_count(&self, recipient: &str) -> Result<u64, StoreError>;
    /// Marks notifications read at `at`; `Ok(None)` when an id given is not one of the
    /// person's (nothing is marked then), else how many changed.
    async fn mark_read(
        &self,
        recipient: &str,
        which: &MarkRead,
        at: Timestamp,
    ) -> Result<Option<u64>, StoreError>;
    /// The e-mail address on an account; `Ok(false)` when there is no such user.
    async fn set_user_email(&self, username: &str, email: Option<&str>)
    -> Result<bool, StoreError>;
    async fn user_email(&self, username: &str) -> Result<Option<String>, StoreError>;
    /// Pending messages whose lease or retry time has passed at `now`, oldest first.
    async fn due_mail(&self, now: Timestamp, limit: u32) -> Result<Vec<OutboxMail>, StoreError>;
    /// Claims a message seen at `version` until `lease_until`: true if this caller won it (the
    /// version then is `version + 1`), false if someone else claimed or finished it first.
    async fn claim_mail(
        &self,
        id: MailId,
        version: i64,
        lease_until: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Finishes a message claimed at `claimed_version` (the version after the claim); false when
    /// the claim was lost (the lease ran out and another drainer took it).
    async fn finish_mail(
        &self,
        id: MailId,
        claimed_version: i64,
        outcome: &MailOutcome,
    ) -> Result<bool, StoreError>;
}
