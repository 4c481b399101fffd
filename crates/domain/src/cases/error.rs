//! Why a command was refused: each message names the action, the case's state where it
//! matters, and the rule (with its article). No transport words: the web layer maps these once.

use jiff::civil::Date;

use super::command::Action;
use super::ids::ActorRole;
use super::status::CaseStatus;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("cannot {action}: {problem}")]
    BadActor {
        action: Action,
        problem: &'static str,
    },
    #[error("cannot {action}: a {role} may not; this is for: {allowed}")]
    NotPermitted {
        action: Action,
        role: ActorRole,
        allowed: String,
    },
    #[error(
        "cannot {action} on {on}: the case's last event is dated {last_on}, and its history does not go back"
    )]
    Backdated {
        action: Action,
        on: Date,
        last_on: Date,
    },
    #[error("cannot {action} while the case is {status}: {why}")]
    WrongStatus {
        action: Action,
        status: CaseStatus,
        why: String,
    },
    #[error(
        "cannot {action}: the one-time supplement notice was already sent on {sent_on} (art. 32: everything to supplement is listed in one notice)"
    )]
    SupplementAlreadyRequested { action: Action, sent_on: Date },
    #[error(
        "cannot {action}: {user} accepted this case, and acceptance and review are done by different people (受理与审核相分离)"
    )]
    SeparationOfDuties { action: Action, user: String },
    #[error("cannot {action}: {field}: {problem}")]
    Invalid {
        action: Action,
        field: &'static str,
        problem: String,
    },
    #[error("cannot {action}: {why} (art. 42)")]
    ExtensionRefused { action: Action, why: String },
}

impl CaseError {
    /// The action that was refused.
    pub fn action(&self) -> Action {
        match self {
            CaseError::BadActor { action, .. }
            | CaseError::NotPermitted { action, .. }
            | CaseError::Backdated { action, .. }
            | CaseError::WrongStatus { action, .. }
            | CaseError::SupplementAlreadyRequested { action, .. }
            | CaseError::SeparationOfDuties { action, .. }
            | CaseError::Invalid { action, .. }
            | CaseError::ExtensionRefused { action, .. } => *action,
        }
    }
}
