//! The case's state machine: `decide` checks a command against the case's state, the actor and
//! the date, and answers the events to append, or why not (RULES.md §1). It never records
//! anything: the app loads the events, folds them, decides, appends the answer with `append`,
//! and stores it in one transaction expecting `state.version()`.
//!
//! Rules enforced here, by article: one supplement notice listing everything, then acceptance
//! or refusal (art. 32); acceptance and review by different people (受理与审核相分离); on-site
//! verification by at least two inspectors (art. 34); denial only with reasons and the rights
//! statement (art. 38); extension by the head with reasons, at most once and +10 days by default
//! (art. 42); issuance only after a grant (art. 44); pauses for testing and the like with the
//! expected time told in writing (art. 45); withdrawal only before a decision.

use jiff::civil::Date;

use super::command::{Action, Command};
use super::error::CaseError;
use super::event::EventKind;
use super::ids::ActorRef;
use super::state::CaseState;
use super::status::CaseStatus;
use crate::calendar::WorkingDays;
use crate::clock::TimeLimits;

/// What an item's rules allow beyond the defaults (art. 42: +10 working days, once; joint
/// handling +15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CasePolicy {
    /// Working days all extensions together may add.
    pub max_extension_days: u32,
    /// How many extensions a case may have.
    pub max_extensions: u32,
    /// Whether a decision needs a completed review first; items decided on the spot at the
    /// window have no review step.
    pub review_required: bool,
}

impl Default for CasePolicy {
    fn default() -> CasePolicy {
        CasePolicy {
            max_extension_days: 10,
            max_extensions: 1,
            review_required: true,
        }
    }
}

impl CasePolicy {
    /// The policy matching an item's clock limits, so the clock and the case agree.
    pub fn from_limits(limits: &TimeLimits) -> CasePolicy {
        CasePolicy {
            max_extension_days: limits.max_extension_days,
            ..CasePolicy::default()
        }
    }
}

/// [`decide_with`] under the default [`CasePolicy`].
pub fn decide(
    state: &CaseState,
    command: Command,
    actor: &ActorRef,
    on: Date,
) -> Result<Vec<EventKind>, CaseError> {
    decide_with(state, command, actor, on, &CasePolicy::default())
}

/// The events that carry out `command` by `actor` on `on`, or why it is refused. Checks, in
/// order: the actor, the capacity (`Action::allowed`), the date (never before the last event),
/// then the command's own rules.
pub fn decide_with(
    state: &CaseState,
    command: Command,
    actor: &ActorRef,
    on: Date,
    policy: &CasePolicy,
) -> Result<Vec<EventKind>, CaseError> {
    let action = command.action();
    let check = Check {
        state,
        action,
        actor,
        on,
        status: state.status(),
    };
    check.actor()?;
    check.date()?;
    let kind = match command {
        Command::Submit {
            item,
            applicant,
            materials,
            channel,
        } => check.submit(item, applicant, materials, channel),
        Command::NameApplicant { name, address } => check.name_applicant(name, address),
        Command::NameLicence {
            number,
            request,
            valid_until,
            in_time,
        } => check.name_licence(number, request, valid_until, in_time),
        Command::DeemRenewal => check.deem_renewal(),
        Command::RequestSupplement { items } => check.request_supplement(items),
        Command::Supplement { materials } => check.supplement(materials),
        Command::Accept => check.accept(),
        Command::DeemAccepted => check.deem_accepted(),
        Command::Refuse {
            reason,
            competent_org,
        } => check.refuse(reason, competent_org),
        Command::EnterStep { step, budget_days } => check.enter_step(step, budget_days),
        Command::CompleteStep { step, outcome } => check.complete_step(step, outcome),
        Command::HandOver { step, org } => check.hand_over(step, org),
        Command::NoteDueDateChange {
            previous,
            due,
            reason,
        } => check.note_due_date_change(previous, due, reason),
        Command::CompleteReview { opinion } => check.complete_review(opinion),
        Command::RecordOnSite {
            inspectors,
            outcome,
        } => check.record_on_site(inspectors, outcome),
        other => check.later(other, policy),
    }?;
    Ok(vec![kind])
}

/// One command's checks: the case, the action, who and when.
pub(super) struct Check<'a> {
    pub state: &'a CaseState,
    pub action: Action,
    pub actor: &'a ActorRef,
    pub on: Date,
    pub status: CaseStatus,
}

impl Check<'_> {
    pub(super) fn actor(&self) -> Result<(), CaseError> {
        let action = self.action;
        if let Some(problem) = self.actor.problem() {
            return Err(CaseError::BadActor { action, problem });
        }
        if !action.is_allowed_for(self.actor.role) {
            let allowed: Vec<&str> = action.allowed().iter().map(|r| r.key()).collect();
            return Err(CaseError::NotPermitted {
                action,
                role: self.actor.role,
                allowed: allowed.join(", "),
            });
        }
        Ok(())
    }

    fn date(&self) -> Result<(), CaseError> {
        match self.state.last_on() {
            Some(last_on) if self.on < last_on => Err(CaseError::Backdated {
                action: self.action,
                on: self.on,
                last_on,
            }),
            _ => Ok(()),
        }
    }

    /// Refused because of the status, with `why`.
    pub fn wrong(&self, why: impl Into<String>) -> CaseError {
        CaseError::WrongStatus {
            action: self.action,
            status: self.status,
            why: why.into(),
        }
    }

    /// Refused because of the status, with the status's own explanation.
    pub fn not_now(&self) -> CaseError {
        self.wrong(self.status_why())
    }

    pub fn invalid(&self, field: &'static str, problem: impl Into<String>) -> CaseError {
        CaseError::Invalid {
            action: self.action,
            field,
            problem: problem.into(),
        }
    }

    pub fn text(&self, field: &'static str, text: String) -> Result<String, CaseError> {
        match text.trim().is_empty() {
            true => Err(self.invalid(field, "is required")),
            false => Ok(text),
        }
    }

    pub fn texts(&self, field: &'static str, texts: Vec<String>) -> Result<Vec<String>, CaseError> {
        if texts.is_empty() {
            return Err(self.invalid(field, "list at least one"));
        }
        if let Some(n) = texts.iter().position(|t| t.trim().is_empty()) {
            return Err(self.invalid(field, format!("entry {} is blank", n + 1)));
        }
        Ok(texts)
    }

    pub fn working_days(&self, field: &'static str, days: u32) -> Result<u32, CaseError> {
        match WorkingDays::new(days) {
            Ok(_) if days > 0 => Ok(days),
            _ => Err(self.invalid(
                field,
                format!("{days} is not 1–{} working days", WorkingDays::MAX),
            )),
        }
    }

    /// Accepted and not yet decided: review, verification, pauses, extensions.
    pub fn in_handling(&self) -> bool {
        matches!(
            self.status,
            CaseStatus::UnderReview
                | CaseStatus::Rectifying
                | CaseStatus::Paused
                | CaseStatus::AwaitingDecision
        )
    }

    pub fn status_why(&self) -> String {
        let state = self.state;
        match self.status {
            CaseStatus::NotSubmitted => "nothing has been submitted yet".into(),
            CaseStatus::Submitted => "the application has not been accepted yet".into(),
            CaseStatus::AwaitingSupplement => {
                "the applicant has not yet supplemented what the notice asked for".into()
            }
            CaseStatus::UnderReview | CaseStatus::Rectifying | CaseStatus::AwaitingDecision => {
                "the application has already been accepted".into()
            }
            CaseStatus::Paused => match state.open_pause() {
                Some(p) => format!(
                    "the clock is paused for {} by {} since {}; end the pause first",
                    p.reason.en(),
                    p.by,
                    p.since
                ),
                None => "the clock is paused; end the pause first".into(),
            },
            CaseStatus::Granted => "the licence was granted; only issuing it remains".into(),
            CaseStatus::Issued => "the licence was issued; the case is closed".into(),
            CaseStatus::Denied => "the licence was denied; the case is closed".into(),
            CaseStatus::Refused => "the application was refused; the case is closed".into(),
            CaseStatus::Withdrawn => "the applicant withdrew; the case is closed".into(),
        }
    }
}
