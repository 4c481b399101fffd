//! The second half of a case's life: pauses for testing and the like (art. 45), extensions
//! (art. 42), the decision (art. 38), the certificate (art. 44), withdrawal before a decision,
//! and deadline warnings. Checks only; the entry point is `decide`.

use super::command::Command;
use super::decide::{CasePolicy, Check};
use super::error::CaseError;
use super::event::{EventKind, OnSiteOutcome, WarningLevel, WarningScope};
use super::status::CaseStatus;
use crate::clock::PauseReason;

impl Check<'_> {
    /// The commands after review and on-site verification.
    pub(super) fn later(
        &self,
        command: Command,
        policy: &CasePolicy,
    ) -> Result<EventKind, CaseError> {
        match command {
            Command::StartPause {
                reason,
                by,
                expected_days,
            } => self.start_pause(reason, by, expected_days),
            Command::EndPause { result } => self.end_pause(result),
            Command::Extend { days, reason } => self.extend(days, reason, policy),
            Command::Grant => self.grant(policy),
            Command::Deny { reasons, rights } => self.deny(reasons, rights, policy),
            Command::IssueLicence { number } => self.issue_licence(number),
            Command::Withdraw { reason } => self.withdraw(reason),
            Command::RaiseWarning { level, scope } => self.raise_warning(level, scope),
            // `decide` handles the others before calling this.
            other => Err(self.wrong(format!("{} is decided elsewhere", other.action()))),
        }
    }

    fn start_pause(
        &self,
        reason: PauseReason,
        by: String,
        expected_days: u32,
    ) -> Result<EventKind, CaseError> {
        if !self.in_handling() || self.status == CaseStatus::Paused {
            return Err(self.not_now());
        }
        if let PauseReason::Other(text) = &reason
            && text.trim().is_empty()
        {
            return Err(self.invalid("reason", "is required"));
        }
        Ok(EventKind::PauseStarted {
            reason,
            by: self.text("by", by)?,
            // Art. 45: the applicant is told in writing how long the step needs.
            expected_days: self.working_days("expected_days", expected_days)?,
        })
    }

    fn end_pause(&self, result: String) -> Result<EventKind, CaseError> {
        match self.status {
            CaseStatus::Paused => Ok(EventKind::PauseEnded {
                result: self.text("result", result)?,
            }),
            status if self.in_handling() => {
                Err(self.wrong(format!("the clock is not paused (the case is {status})")))
            }
            _ => Err(self.not_now()),
        }
    }

    fn extend(
        &self,
        days: u32,
        reason: String,
        policy: &CasePolicy,
    ) -> Result<EventKind, CaseError> {
        if !self.in_handling() {
            return Err(self.not_now());
        }
        let reason = self.text("reason", reason)?;
        let refused = |why: String| CaseError::ExtensionRefused {
            action: self.action,
            why,
        };
        let count = self.state.extension_count();
        if count >= policy.max_extensions as usize {
            return Err(refused(format!(
                "the time limit was already extended {count} time(s); {} allowed",
                policy.max_extensions
            )));
        }
        let days = self.working_days("days", days)?;
        let total = self.state.extension_days() + u64::from(days);
        if total > u64::from(policy.max_extension_days) {
            return Err(refused(format!(
                "extensions would total {total} working days, more than the {} allowed",
                policy.max_extension_days
            )));
        }
        Ok(EventKind::Extended { days, reason })
    }

    fn grant(&self, policy: &CasePolicy) -> Result<EventKind, CaseError> {
        match self.status {
            // Decided on the spot (当场办结): no separate review step.
            CaseStatus::UnderReview if !policy.review_required => Ok(EventKind::Granted),
            CaseStatus::AwaitingDecision
                if self.state.last_on_site() == Some(OnSiteOutcome::Fail) =>
            {
                Err(self.wrong("the on-site verification failed: the licence can only be denied"))
            }
            CaseStatus::AwaitingDecision => Ok(EventKind::Granted),
            CaseStatus::UnderReview => Err(self.wrong("the review is not completed")),
            CaseStatus::Rectifying => Err(self
                .wrong("the inspectors asked for rectification; the site must be verified again")),
            _ => Err(self.not_now()),
        }
    }

    fn deny(
        &self,
        reasons: Vec<String>,
        rights: String,
        policy: &CasePolicy,
    ) -> Result<EventKind, CaseError> {
        if !self.in_handling() || self.status == CaseStatus::Paused {
            return Err(self.not_now());
        }
        if policy.review_required && self.state.reviewed_by().is_none() {
            return Err(self.wrong("the review is not completed"));
        }
        // Art. 38: a denial gives its reasons and states the right to reconsideration or
        // litigation.
        Ok(EventKind::Denied {
            reasons: self.texts("reasons", reasons)?,
            rights: self.text("rights", rights)?,
        })
    }

    fn issue_licence(&self, number: String) -> Result<EventKind, CaseError> {
        match self.status {
            CaseStatus::Granted => Ok(EventKind::LicenceIssued {
                number: self.text("number", number)?,
            }),
            CaseStatus::Issued => Err(self.wrong(format!(
                "licence {} was already issued",
                self.state.licence_number().unwrap_or_default()
            ))),
            _ => Err(self.wrong("a licence is issued only after a grant decision (art. 44)")),
        }
    }

    fn withdraw(&self, reason: String) -> Result<EventKind, CaseError> {
        let before_decision = self.in_handling()
            || matches!(
                self.status,
                CaseStatus::Submitted | CaseStatus::AwaitingSupplement
            );
        if !before_decision {
            return Err(self.wrong(format!(
                "an application can be withdrawn only before the decision; {}",
                self.status_why()
            )));
        }
        Ok(EventKind::Withdrawn {
            reason: self.text("reason", reason)?,
        })
    }

    fn raise_warning(
        &self,
        level: WarningLevel,
        scope: WarningScope,
    ) -> Result<EventKind, CaseError> {
        if self.status == CaseStatus::NotSubmitted || self.status.is_final() {
            return Err(self.not_now());
        }
        if scope == WarningScope::Step && self.state.step().is_none() {
            return Err(self.invalid("scope", "the case is in no step"));
        }
        if self.state.has_warning(level, scope) {
            let problem = format!(
                "the {} {} warning was already raised",
                level.key(),
                scope.key()
            );
            return Err(self.invalid("level", problem));
        }
        Ok(EventKind::WarningRaised { level, scope })
    }
}
