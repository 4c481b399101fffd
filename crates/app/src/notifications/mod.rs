//! Notifications (issue 3, ADR 0004): each warning the sweeper raises and each event the
//! applicant must be told of becomes a notification in the inbox of the people concerned, and an
//! e-mail copy in the outbox when mail is on. Written in the same transaction as the events
//! (`cases::App::record`, `CaseStore::append_events_notifying`), and caught up by the sweeper (`catch_up`) for a case whose
//! notifications a crash left unwritten; a notification is keyed by (case, event, recipient), so however many
//! instances derive it, it exists once. The inbox use cases are here too; `outbox` sends mail.

mod catch_up;
mod messages;
mod outbox;
mod smtp;
mod smtp_tls;

pub use messages::{Audience, Message, TELLING_KINDS, message_for};
pub use outbox::{DrainReport, MAIL_LEASE_SECONDS};
pub use smtp::{SmtpError, SmtpMailer, SmtpSecurity, SmtpSettings};

use onewindow_domain::cases::{CaseEvent, CaseState};
use onewindow_domain::catalogue::Problems;
use onewindow_domain::flow::Flow;
use onewindow_domain::process::Actor;
use onewindow_store::{
    MarkRead, NewMail, NewNotification, NotificationId, NotificationRecord, Recipient,
};

use crate::cases::{Loaded, Person};
use crate::{App, AppError};

/// How many notifications the inbox shows.
pub const INBOX_LIMIT: u32 = 200;

/// A person's notifications, unread first.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub notifications: Vec<NotificationRecord>,
    pub unread: u64,
}

impl App {
    /// The notifications the events from `from_seq` on call for, to be written with them
    /// (`App::record` appends both in one transaction). A failure to work out the recipients is
    /// logged and gives none: the events are still stored, and the sweeper records what is
    /// missing (`catch_up`).
    pub(crate) async fn notifications_after(
        &self,
        case: &Loaded,
        from_seq: u64,
    ) -> Vec<NewNotification> {
        match self
            .notifications_for(case, &case.events, |seq| seq >= from_seq)
            .await
        {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(case = %case.record.number, error = %e,
                    "notifications not recorded yet; the sweeper catches up");
                Vec::new()
            }
        }
    }

    pub(super) async fn notify_events(
        &self,
        case: &Loaded,
        events: &[CaseEvent],
        wanted: impl Fn(u64) -> bool,
    ) -> Result<u64, AppError> {
        let batch = self.notifications_for(case, events, wanted).await?;
        if batch.is_empty() {
            return Ok(0);
        }
        Ok(self.store.record_notifications(&batch).await?)
    }

    /// The notifications the `wanted` events of a case's log call for, with their recipients.
    async fn notifications_for(
        &self,
        case: &Loaded,
        events: &[CaseEvent],
        wanted: impl Fn(u64) -> bool,
    ) -> Result<Vec<NewNotification>, AppError> {
        let number = case.record.number.as_str();
        let messages: Vec<(&CaseEvent, Message)> = events
            .iter()
            .filter(|e| wanted(e.seq))
            .filter_map(|e| message_for(number, &e.kind).map(|m| (e, m)))
            .collect();
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let wants = |a: Audience| messages.iter().any(|(_, m)| m.audience == a);
        let step_actors = match wants(Audience::StepActors) {
            true => self.step_actors(case, &CaseState::fold(events)).await?,
            false => Vec::new(),
        };
        let applicants = match wants(Audience::Applicant) {
            true => self.store.enterprise_users(&case.record.applicant).await?,
            false => Vec::new(),
        };
        let link = format!("{}/cases/{number}", self.documents.public_url());
        let mut batch = Vec::new();
        for (event, message) in &messages {
            let recipients = match message.audience {
                Audience::StepActors => &step_actors,
                Audience::Applicant => &applicants,
            };
            for recipient in recipients {
                batch.push(NewNotification {
                    case_id: case.id,
                    case_number: number.to_owned(),
                    event_seq: event.seq as i64,
                    recipient: recipient.username.clone(),
                    kind: event.kind.key().to_owned(),
                    text_zh: message.zh.clone(),
                    text_en: message.en.clone(),
                    created_at: event.at,
                    mail: self.mail_copy(recipient, number, message, &link),
                });
            }
        }
        Ok(batch)
    }

    /// Staff of the org acting on the current step whose role carries it out.
    async fn step_actors(
        &self,
        case: &Loaded,
        state: &CaseState,
    ) -> Result<Vec<Recipient>, AppError> {
        let flow = Flow::new(&case.definition, state);
        let Some(step) = flow.current_step() else {
            return Ok(Vec::new());
        };
        let org = state
            .handed_to(step.id.as_str())
            .unwrap_or(case.record.handling_org.as_str());
        let staff = self.store.staff_of_org(org).await?;
        Ok(staff
            .into_iter()
            .filter(|r| {
                r.role
                    .is_some_and(|role| step.roles.contains(&Actor::Staff(role)))
            })
            .collect())
    }

    fn mail_copy(
        &self,
        recipient: &Recipient,
        number: &str,
        message: &Message,
        link: &str,
    ) -> Option<NewMail> {
        if !self.notification_mail {
            return None;
        }
        Some(NewMail {
            to: recipient.email.clone()?,
            subject: format!("办件 {number} 通知 / Case {number} notice"),
            body: format!("{}\n\n{}\n\n{link}\n", message.zh, message.en),
        })
    }

    /// The signed-in person's notifications, unread first.
    pub async fn inbox(&self, person: &Person) -> Result<Inbox, AppError> {
        let user = person.user();
        Ok(Inbox {
            notifications: self.store.inbox(user, INBOX_LIMIT).await?,
            unread: self.store.unread_count(user).await?,
        })
    }

    pub async fn unread_notifications(&self, username: &str) -> Result<u64, AppError> {
        Ok(self.store.unread_count(username).await?)
    }

    /// Marks the person's notifications read: all, or the ones named, each of which must be
    /// theirs (otherwise none is marked). Returns how many changed.
    pub async fn mark_notifications_read(
        &self,
        person: &Person,
        which: MarkRead,
    ) -> Result<u64, AppError> {
        if let MarkRead::Only(ids) = &which
            && ids.is_empty()
        {
            let mut problems = Problems::default();
            problems.push("ids", "name at least one notification, or mark all read");
            return Err(AppError::Invalid {
                what: "notifications".into(),
                problems,
            });
        }
        match self
            .store
            .mark_read(person.user(), &which, self.clock.now())
            .await?
        {
            Some(changed) => Ok(changed),
            None => Err(AppError::NotFound(format!(
                "notification {} among yours",
                named(&which)
            ))),
        }
    }

    /// The e-mail address notifications are copied to; empty removes it.
    pub async fn set_notification_email(
        &self,
        person: &Person,
        email: &str,
    ) -> Result<Option<String>, AppError> {
        let email = email.trim();
        let email = match email.is_empty() {
            true => None,
            false => Some(check_email(email)?),
        };
        if !self
            .store
            .set_user_email(person.user(), email.as_deref())
            .await?
        {
            return Err(AppError::NotFound(format!("user {}", person.user())));
        }
        Ok(email)
    }

    pub async fn notification_email(&self, person: &Person) -> Result<Option<String>, AppError> {
        Ok(self.store.user_email(person.user()).await?)
    }
}

fn named(which: &MarkRead) -> String {
    match which {
        MarkRead::All => "(all)".into(),
        MarkRead::Only(ids) => ids
            .iter()
            .map(|NotificationId(id)| id.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// An address a message can be sent to: `local@domain.tld`, no spaces or angle brackets (it
/// goes into the SMTP envelope and the `To:` header as it is).
fn check_email(email: &str) -> Result<String, AppError> {
    let problem = |p: &str| {
        let mut problems = Problems::default();
        problems.push("email", p);
        AppError::Invalid {
            what: "e-mail address".into(),
            problems,
        }
    };
    if email.len() > 254 {
        return Err(problem("at most 254 characters"));
    }
    if email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
    {
        return Err(problem(
            "no spaces, angle brackets, commas or semicolons: one address, like name@example.cn",
        ));
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            Ok(email.to_owned())
        }
        _ => Err(problem(
            "an address like name@example.cn: one @, a name before it, a domain after it",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::check_email;

    #[test]
    fn an_address_is_checked_before_it_reaches_the_smtp_envelope() {
        assert!(check_email("li.na@example.cn").is_ok());
        for bad in [
            "li.na",
            "@example.cn",
            "li@na@example.cn",
            "li@localhost",
            "li na@example.cn",
            "a@b.cn\r\nRCPT TO:<x@y.cn>",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
