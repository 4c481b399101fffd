//! The changes a licence goes through after its grant, and which may follow which
//! (Administrative Licensing Law arts. 69–70): a licence in force may be suspended, revoked
//! (撤销) or cancelled (注销); a suspended one reinstated, revoked or cancelled; an expired one only
//! cancelled (art. 70(1): 注销 when the validity ends unrenewed); a revoked or cancelled one is
//! final. Every change states its reason, because the public register shows it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Licence, LicenceStatus};
use crate::catalogue::vocabulary;

/// The longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 500;

vocabulary! {
    /// A status change staff may ask for.
    pub enum StatusChange {
        Suspend => "suspend", "暂停", "Suspend";
        Reinstate => "reinstate", "恢复", "Reinstate";
        Revoke => "revoke", "撤销", "Revoke";
        Cancel => "cancel", "注销", "Cancel";
    }
}

/// One recorded change: the day it takes effect, what it was, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceEvent {
    pub on: Date,
    pub kind: LicenceEventKind,
    /// The user name of the staff member who recorded it.
    pub actor: String,
}

/// What changed, with the reason stated for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LicenceEventKind {
    Suspended {
        reason: String,
    },
    Reinstated {
        reason: String,
    },
    Revoked {
        reason: String,
    },
    Cancelled {
        reason: String,
        /// The cancellation case granted on the holder's application (art. 70), if it came
        /// from one; `None` for staff cancelling on the other grounds of art. 70.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case_number: Option<String>,
    },
    /// Art. 49: the particulars changed on the holder's application, granted in a change case;
    /// the number stays. Holds the particulars in force from then on.
    Changed {
        case_number: String,
        holder_name: String,
        production_address: String,
        scope: Vec<String>,
    },
    /// Art. 50: the validity extended by a renewal case, by its grant or — `deemed` — because
    /// the organ had not decided before the licence expired (art. 50 ¶2).
    Renewed {
        case_number: String,
        valid_until: Date,
        deemed: bool,
    },
}

impl LicenceEventKind {
    /// The stored key: `suspended`, `reinstated`, `revoked`, `cancelled`, `changed`, `renewed`.
    pub fn key(&self) -> &'static str {
        match self {
            LicenceEventKind::Suspended { .. } => "suspended",
            LicenceEventKind::Reinstated { .. } => "reinstated",
            LicenceEventKind::Revoked { .. } => "revoked",
            LicenceEventKind::Cancelled { .. } => "cancelled",
            LicenceEventKind::Changed { .. } => "changed",
            LicenceEventKind::Renewed { .. } => "renewed",
        }
    }

    /// Why it happened, as the register shows it: the stated reason of a status change; for a
    /// change or renewal, the case that decided it.
    pub fn reason(&self) -> String {
        match self {
            LicenceEventKind::Suspended { reason }
            | LicenceEventKind::Reinstated { reason }
            | LicenceEventKind::Revoked { reason }
            | LicenceEventKind::Cancelled { reason, .. } => reason.clone(),
            LicenceEventKind::Changed { case_number, .. } => {
                format!("依变更申请（办件 {case_number}）")
            }
            LicenceEventKind::Renewed {
                case_number,
                valid_until,
                deemed: false,
            } => format!("依延续申请（办件 {case_number}），有效期延续至{valid_until}"),
            LicenceEventKind::Renewed {
                case_number,
                valid_until,
                deemed: true,
            } => format!(
                "逾期未作决定，视为准予延续（行政许可法第五十条，办件 {case_number}），有效期延续至{valid_until}"
            ),
        }
    }

    /// The case this event carries out, if a case decided it.
    pub fn case_number(&self) -> Option<&str> {
        match self {
            LicenceEventKind::Changed { case_number, .. }
            | LicenceEventKind::Renewed { case_number, .. } => Some(case_number),
            LicenceEventKind::Cancelled { case_number, .. } => case_number.as_deref(),
            _ => None,
        }
    }

    /// The recorded status this event leaves, if it changes it (see
    /// [`Licence::recorded_status`]); a change of particulars or a renewal leaves it as it was.
    pub fn recorded_status(&self) -> Option<LicenceStatus> {
        match self {
            LicenceEventKind::Suspended { .. } => Some(LicenceStatus::Suspended),
            LicenceEventKind::Reinstated { .. } => Some(LicenceStatus::Valid),
            LicenceEventKind::Revoked { .. } => Some(LicenceStatus::Revoked),
            LicenceEventKind::Cancelled { .. } => Some(LicenceStatus::Cancelled),
            LicenceEventKind::Changed { .. } | LicenceEventKind::Renewed { .. } => None,
        }
    }

    /// The status change that records this event, if it is one.
    pub fn change(&self) -> Option<StatusChange> {
        match self {
            LicenceEventKind::Suspended { .. } => Some(StatusChange::Suspend),
            LicenceEventKind::Reinstated { .. } => Some(StatusChange::Reinstate),
            LicenceEventKind::Revoked { .. } => Some(StatusChange::Revoke),
            LicenceEventKind::Cancelled { .. } => Some(StatusChange::Cancel),
            LicenceEventKind::Changed { .. } | LicenceEventKind::Renewed { .. } => None,
        }
    }
}

/// Why a change was refused. [`LicenceError::field`] says which input is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceError {
    #[error("a reason is required: the public register shows why a licence's status changed")]
    ReasonMissing,
    #[error("the reason is {found} characters long; at most {MAX_REASON_CHARS} are accepted")]
    ReasonTooLong { found: usize },
    #[error("licence {number} was {status} on {on}; that is final and nothing can follow it")]
    Final {
        number: String,
        status: &'static str,
        on: Date,
    },
    #[error(
        "licence {number} expired on {expired_on}; the only change left is cancellation (art. 70(1))"
    )]
    Expired { number: String, expired_on: Date },
    #[error("licence {number} is already suspended since {since}")]
    AlreadySuspended { number: String, since: Date },
    #[error("licence {number} is not suspended, so there is nothing to reinstate")]
    NotSuspended { number: String },
    #[error("a change cannot be dated {on}, before the licence was issued on {issued_on}")]
    BeforeIssue { on: Date, issued_on: Date },
    #[error(
        "a change cannot be dated {on}: the last change is dated {last_on}, and the history does not go back"
    )]
    Backdated { on: Date, last_on: Date },
}

impl LicenceError {
    /// The input at fault: `reason`, or `change` for everything about the licence's state.
    pub fn field(&self) -> &'static str {
        match self {
            LicenceError::ReasonMissing | LicenceError::ReasonTooLong { .. } => "reason",
            _ => "change",
        }
    }
}

impl Licence {
    /// The event recording `change` on day `on` by `actor`, if the rules allow it then; the
    /// caller appends it. `on` is the day the change is recorded (the application passes today).
    pub fn decide(
        &self,
        change: StatusChange,
        reason: &str,
        actor: &str,
        on: Date,
    ) -> Result<LicenceEvent, LicenceError> {
        let reason = check_reason(reason)?;
        let issued_on = self.grant.issued_on;
        if on < issued_on {
            return Err(LicenceError::BeforeIssue { on, issued_on });
        }
        if let Some(last) = self.events.last()
            && on < last.on
        {
            return Err(LicenceError::Backdated {
                on,
                last_on: last.on,
            });
        }
        let number = self.number.to_string();
        let now = self.status_on(on);
        let since = now.since.unwrap_or(on);
        match (now.status, change) {
            (LicenceStatus::Revoked | LicenceStatus::Cancelled, _) => Err(LicenceError::Final {
                number,
                status: if now.status == LicenceStatus::Revoked {
                    "revoked"
                } else {
                    "cancelled"
                },
                on: since,
            }),
            (LicenceStatus::Expired, c) if c != StatusChange::Cancel => {
                Err(LicenceError::Expired {
                    number,
                    expired_on: since,
                })
            }
            (LicenceStatus::Suspended, StatusChange::Suspend) => {
                Err(LicenceError::AlreadySuspended { number, since })
            }
            (LicenceStatus::Valid | LicenceStatus::Expired, StatusChange::Reinstate) => {
                Err(LicenceError::NotSuspended { number })
            }
            _ => Ok(LicenceEvent {
                on,
                kind: match change {
                    StatusChange::Suspend => LicenceEventKind::Suspended { reason },
                    StatusChange::Reinstate => LicenceEventKind::Reinstated { reason },
                    StatusChange::Revoke => LicenceEventKind::Revoked { reason },
                    StatusChange::Cancel => LicenceEventKind::Cancelled {
                        reason,
                        case_number: None,
                    },
                },
                actor: actor.to_owned(),
            }),
        }
    }

    /// Which changes the rules allow on day `on` (for showing only the buttons that can work).
    pub fn allowed_changes(&self, on: Date) -> Vec<StatusChange> {
        use crate::catalogue::Vocabulary;
        StatusChange::ALL
            .iter()
            .copied()
            .filter(|c| self.decide(*c, "-", "-", on).is_ok())
            .collect()
    }

    /// What the recorded changes say, every date aside: `Valid` (in force or reinstated),
    /// `Suspended`, `Revoked` or `Cancelled`. Stored beside the licence so the register can filter
    /// by status; see [`LicenceStatus::stored_as`].
    pub fn recorded_status(&self) -> LicenceStatus {
        // Revocation and cancellation are final, so the last status change says it all.
        self.events
            .iter()
            .rev()
            .find_map(|e| e.kind.recorded_status())
            .unwrap_or(LicenceStatus::Valid)
    }

    /// Records `event` on the licence: appended to its history, and a change of particulars or
    /// a renewal carried into [`Licence::grant`] (which holds the particulars in force). What
    /// the store does on an append, so both read alike.
    pub fn record(&mut self, event: LicenceEvent) {
        match &event.kind {
            LicenceEventKind::Changed {
                holder_name,
                production_address,
                scope,
                ..
            } => {
                self.grant.holder_name.clone_from(holder_name);
                self.grant.production_address.clone_from(production_address);
                self.grant.scope.clone_from(scope);
            }
            LicenceEventKind::Renewed { valid_until, .. } => self.grant.valid_until = *valid_until,
            _ => {}
        }
        self.events.push(event);
    }

    /// The event a case already recorded on this licence (a retried grant finds it).
    pub fn event_of_case(&self, case_number: &str) -> Option<&LicenceEvent> {
        self.events
            .iter()
            .find(|e| e.kind.case_number() == Some(case_number))
    }
}

fn check_reason(reason: &str) -> Result<String, LicenceError> {
    let reason = reason.trim();
    let found = reason.chars().count();
    if found == 0 {
        Err(LicenceError::ReasonMissing)
    } else if found > MAX_REASON_CHARS {
        Err(LicenceError::ReasonTooLong { found })
    } else {
        Ok(reason.to_owned())
    }
}
