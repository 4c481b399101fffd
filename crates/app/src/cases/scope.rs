//! Who may see and act on which case (issue 4, "Who can do what"). Staff see the cases their
//! org handles and the work handed to it (a testing institute, a district bureau doing
//! delegated verification sees only those cases), and keep seeing, read-only, a case whose work
//! was once handed to their org (the institute that reported a test); an enterprise's users see
//! their own enterprise's cases only. A step handed to another org is acted on by that org's staff. What
//! each role may do at each step is the process definition's; the rules of the law are the
//! domain's.

use onewindow_domain::access::Membership;
use onewindow_domain::access::Role;
use onewindow_domain::cases::{ActorRef, CaseEvent, EventKind};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::process::Actor;
use onewindow_store::{CaseRecord, UserRecord};

use super::Loaded;
use crate::{App, AppError};

/// A signed-in person, as the case flow sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Person {
    Staff {
        user: String,
        role: Role,
        org: OrgCode,
    },
    /// A user of an enterprise, acting for it (the applicant).
    Enterprise {
        user: String,
        credit_code: CreditCode,
    },
}

impl Person {
    /// The person a signed-in account acts as.
    pub fn of(user: &UserRecord) -> Person {
        let name = user.username.as_str().to_owned();
        match &user.membership {
            Membership::Staff { role, org } => Person::Staff {
                user: name,
                role: *role,
                org: org.clone(),
            },
            Membership::Enterprise { credit_code } => Person::Enterprise {
                user: name,
                credit_code: *credit_code,
            },
        }
    }

    pub fn user(&self) -> &str {
        match self {
            Person::Staff { user, .. } | Person::Enterprise { user, .. } => user,
        }
    }

    /// The actor recorded on the events this person causes.
    pub fn actor(&self) -> ActorRef {
        match self {
            Person::Staff { user, role, org } => ActorRef::staff(user.clone(), *role, org.clone()),
            Person::Enterprise { user, .. } => ActorRef::applicant(user.clone()),
        }
    }

    /// Who this person is at a process step.
    pub fn process_actor(&self) -> Actor {
        match self {
            Person::Staff { role, .. } => Actor::Staff(*role),
            Person::Enterprise { .. } => Actor::Applicant,
        }
    }

    /// The administrator's user name, for the changes only an administrator makes (process
    /// definitions and which one an item follows); anyone else is forbidden.
    pub fn administrator(&self) -> Result<&str, AppError> {
        match self {
            Person::Staff {
                user,
                role: Role::Administrator,
                ..
            } => Ok(user),
            other => Err(AppError::Forbidden(format!(
                "{} may not change process definitions; an administrator may",
                other.user()
            ))),
        }
    }

    /// Whether this person may see the case at all: `may_see`, or staff of an org the log
    /// once handed work to (they see it read-only: no step is theirs any more).
    pub fn may_see_case(&self, record: &CaseRecord, events: &[CaseEvent]) -> bool {
        self.may_see(record) || self.worked_on(events)
    }

    /// Whether the log handed any of the case's work to this person's org.
    fn worked_on(&self, events: &[CaseEvent]) -> bool {
        let Person::Staff { org, .. } = self else {
            return false;
        };
        events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::HandedOver { org: to, .. } if to == org.as_str()))
    }

    /// Whether this person may see the case by its row alone (the org handling it or acting
    /// on it now, the applicant).
    pub fn may_see(&self, record: &CaseRecord) -> bool {
        match self {
            Person::Staff { org, .. } => {
                let org = org.as_str();
                record.handling_org == org || record.projection.acting_org == org
            }
            Person::Enterprise { credit_code, .. } => record.applicant == credit_code.as_str(),
        }
    }
}

impl App {
    pub(crate) fn check_visible(&self, person: &Person, case: &Loaded) -> Result<(), AppError> {
        let record = &case.record;
        match person.may_see_case(record, &case.events) {
            true => Ok(()),
            // Not "forbidden": whether a case number exists is not told to those who may not
            // see it.
            false => Err(AppError::NotFound(format!("case {}", record.number))),
        }
    }

    /// Staff act on a step for their own org, or for the org the step was handed to; the
    /// applicant acts for its own case (already checked by visibility).
    pub(crate) fn check_may_act_at(
        &self,
        person: &Person,
        case: &Loaded,
        step: &str,
    ) -> Result<(), AppError> {
        let Person::Staff { org, .. } = person else {
            return Ok(());
        };
        let acting = case
            .state
            .handed_to(step)
            .unwrap_or(case.record.handling_org.as_str());
        if acting == org.as_str() {
            return Ok(());
        }
        Err(AppError::Forbidden(format!(
            "this step of case {} is carried out by org {acting}, not by your org {}",
            case.record.number,
            org.as_str()
        )))
    }

    /// Decisions of the organ itself (an extension) are for its own staff.
    pub(crate) fn check_home_org(
        &self,
        person: &Person,
        record: &CaseRecord,
    ) -> Result<(), AppError> {
        match person {
            Person::Staff { org, .. } if org.as_str() == record.handling_org => Ok(()),
            _ => Err(AppError::Forbidden(format!(
                "only the handling org {} decides this for case {}",
                record.handling_org, record.number
            ))),
        }
    }
}
