//! The status a licence has on a day, and the plain-language answer the public verification page
//! gives (Administrative Licensing Law art. 40: grants are public): valid, or not valid and why.
//!
//! Precedence, on a day D: a revocation or cancellation dated on or before D is final and wins;
//! otherwise a licence past `valid_until` is expired (expiry is computed, never recorded); otherwise
//! a suspension not yet lifted; otherwise valid. Before its issue date a licence is not yet in force.

use jiff::civil::Date;

use super::{Licence, LicenceEventKind};
use crate::catalogue::vocabulary;

vocabulary! {
    /// Where a licence stands on a given day.
    pub enum LicenceStatus {
        Valid => "valid", "有效", "Valid";
        Suspended => "suspended", "已暂停", "Suspended";
        Revoked => "revoked", "已撤销", "Revoked";
        Expired => "expired", "已过期", "Expired";
        Cancelled => "cancelled", "已注销", "Cancelled";
        NotYetValid => "not_yet_valid", "尚未生效", "Not yet in force";
    }
}

/// Where a day falls against a licence's dates, for finding licences by status in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCondition {
    /// Any dates.
    Any,
    /// `issued_on <= day <= valid_until`.
    InForce,
    /// `valid_until < day`.
    Expired,
    /// `day < issued_on`.
    NotYetValid,
}

/// A status in terms of what is stored: [`Licence::recorded_status`] is one of `recorded`, and
/// the day meets `dates`. Exactly the licences whose [`Licence::status_on`] is the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredStatus {
    pub recorded: &'static [LicenceStatus],
    pub dates: DateCondition,
}

impl LicenceStatus {
    /// How to find the licences with this status on a day without folding each one; the
    /// precedence of the module documentation, turned around. Holds for any day on or after a
    /// licence's last change — always so for today, as changes are recorded on the day they are
    /// made ([`Licence::decide`] refuses back-dating).
    pub fn stored_as(self) -> StoredStatus {
        use LicenceStatus::*;
        let (recorded, dates): (&'static [LicenceStatus], DateCondition) = match self {
            Valid => (&[Valid], DateCondition::InForce),
            Suspended => (&[Suspended], DateCondition::InForce),
            Expired => (&[Valid, Suspended], DateCondition::Expired),
            NotYetValid => (&[Valid, Suspended], DateCondition::NotYetValid),
            Revoked => (&[Revoked], DateCondition::Any),
            Cancelled => (&[Cancelled], DateCondition::Any),
        };
        StoredStatus { recorded, dates }
    }
}

/// A licence's status on a day with the reason, in both languages, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReading {
    pub status: LicenceStatus,
    /// The day the status began: the change's date; for an expired licence, the day after its
    /// last day of validity; for a valid one, `None`.
    pub since: Option<Date>,
    /// The reason recorded with the change, if the status came from one.
    pub reason: Option<String>,
    /// One sentence in Chinese: `已于2026-05-03撤销：…`.
    pub zh: String,
    /// The same in English: `revoked on 2026-05-03: …`.
    pub en: String,
}

impl StatusReading {
    /// Whether the licence may be relied on that day.
    pub fn is_valid(&self) -> bool {
        self.status == LicenceStatus::Valid
    }

    fn changed(status: LicenceStatus, on: Date, reason: &str) -> StatusReading {
        let (zh, en) = match status {
            LicenceStatus::Suspended => (format!("已于{on}暂停：{reason}"), "suspended on"),
            LicenceStatus::Revoked => (format!("已于{on}撤销：{reason}"), "revoked on"),
            _ => (format!("已于{on}注销：{reason}"), "cancelled on"),
        };
        StatusReading {
            status,
            since: Some(on),
            reason: Some(reason.to_owned()),
            zh,
            en: format!("{en} {on}: {reason}"),
        }
    }
}

/// What the recorded changes alone say on a day, before validity dates are considered.
enum Recorded<'a> {
    InForce,
    Suspended {
        on: Date,
        reason: &'a str,
    },
    Ended {
        status: LicenceStatus,
        on: Date,
        reason: &'a str,
    },
}

impl Licence {
    /// The status on `day`, with its reason; see the module documentation for the precedence.
    pub fn status_on(&self, day: Date) -> StatusReading {
        let valid_until = self.grant.valid_until;
        let issued_on = self.grant.issued_on;
        let recorded = self.recorded_on(day);
        if let Recorded::Ended { status, on, reason } = recorded {
            return StatusReading::changed(status, on, reason);
        }
        if day < issued_on {
            return StatusReading {
                status: LicenceStatus::NotYetValid,
                since: None,
                reason: None,
                zh: format!("尚未生效：自{issued_on}起有效"),
                en: format!("not yet in force: valid from {issued_on}"),
            };
        }
        if day > valid_until {
            let expired_on = valid_until.tomorrow().unwrap_or(valid_until);
            return StatusReading {
                status: LicenceStatus::Expired,
                since: Some(expired_on),
                reason: None,
                zh: format!("已于{expired_on}过期：有效期至{valid_until}"),
                en: format!("expired on {expired_on}: it was valid until {valid_until}"),
            };
        }
        match recorded {
            Recorded::Suspended { on, reason } => {
                StatusReading::changed(LicenceStatus::Suspended, on, reason)
            }
            _ => StatusReading {
                status: LicenceStatus::Valid,
                since: None,
                reason: None,
                zh: format!("有效：有效期至{valid_until}"),
                en: format!("valid until {valid_until}"),
            },
        }
    }

    /// The fold of the changes dated on or before `day`.
    fn recorded_on(&self, day: Date) -> Recorded<'_> {
        let mut state = Recorded::InForce;
        for event in self.events.iter().filter(|e| e.on <= day) {
            state = match &event.kind {
                LicenceEventKind::Suspended { reason } => Recorded::Suspended {
                    on: event.on,
                    reason,
                },
                LicenceEventKind::Reinstated { .. } => Recorded::InForce,
                LicenceEventKind::Revoked { reason } => Recorded::Ended {
                    status: LicenceStatus::Revoked,
                    on: event.on,
                    reason,
                },
                LicenceEventKind::Cancelled { reason, .. } => Recorded::Ended {
                    status: LicenceStatus::Cancelled,
                    on: event.on,
                    reason,
                },
                // The particulars or the validity changed; the status stays.
                LicenceEventKind::Changed { .. } | LicenceEventKind::Renewed { .. } => state,
            };
            if matches!(state, Recorded::Ended { .. }) {
                break;
            }
        }
        state
    }
}
