//! Reading a case's state: what the fold adds up to, as the flow, the clock and the pages ask
//! for it (status, dates, materials, steps, pauses, the decision, the licence).

use jiff::civil::Date;

use super::{Acceptance, CaseState, Decision, LicenceCase, OnSiteRecord, OpenPause};
use crate::cases::chain::ChainHead;
use crate::cases::event::{Channel, MaterialRef, OnSiteOutcome, WarningLevel, WarningScope};
use crate::cases::status::CaseStatus;

/// Reading the state.
impl CaseState {
    pub fn status(&self) -> CaseStatus {
        if self.head.seq == 0 {
            return CaseStatus::NotSubmitted;
        }
        if self.withdrawn.is_some() {
            return CaseStatus::Withdrawn;
        }
        if self.refused.is_some() {
            return CaseStatus::Refused;
        }
        match (&self.decision, &self.licence_number) {
            (Some(Decision::Granted { .. }), Some(_)) => return CaseStatus::Issued,
            (Some(Decision::Granted { .. }), None) => return CaseStatus::Granted,
            (Some(Decision::Denied { .. }), _) => return CaseStatus::Denied,
            (None, _) => {}
        }
        if self.acceptance.is_none() {
            return match self.awaiting_supplement {
                true => CaseStatus::AwaitingSupplement,
                false => CaseStatus::Submitted,
            };
        }
        if self.open_pause.is_some() {
            CaseStatus::Paused
        } else if matches!(self.last_on_site(), Some(OnSiteOutcome::Rectify { .. })) {
            CaseStatus::Rectifying
        } else if self.reviewed_by.is_some() {
            CaseStatus::AwaitingDecision
        } else {
            CaseStatus::UnderReview
        }
    }

    /// The case's version: the seq of its last event, 0 before the submission. An append must
    /// expect it.
    pub fn version(&self) -> u64 {
        self.head.seq
    }

    /// Where the next events chain on.
    pub fn head(&self) -> ChainHead {
        self.head
    }

    /// The date of the last event; a new event may not be dated before it.
    pub fn last_on(&self) -> Option<Date> {
        self.last_on
    }

    /// The service item's code.
    pub fn item(&self) -> Option<&str> {
        self.item.as_deref()
    }

    /// The applicant's credit code.
    pub fn applicant(&self) -> Option<&str> {
        self.applicant.as_deref()
    }

    /// The name and domicile the applicant declared at the window, when it has no record.
    pub fn applicant_named(&self) -> Option<(&str, &str)> {
        self.applicant_named
            .as_ref()
            .map(|(name, address)| (name.as_str(), address.as_str()))
    }

    pub fn channel(&self) -> Option<Channel> {
        self.channel
    }

    /// The day the complete materials arrived: the submission, or the supplement after the
    /// notice (from which art. 32's five working days run again).
    pub fn received_on(&self) -> Option<Date> {
        self.received_on
    }

    /// Every material handed in, the submission's then the supplement's.
    pub fn materials(&self) -> &[MaterialRef] {
        &self.materials
    }

    /// The one-time supplement notice (art. 32): when, and what it listed.
    pub fn supplement_notice(&self) -> Option<(Date, &[String])> {
        let (on, items) = self.supplement_requested.as_ref()?;
        Some((*on, items.as_slice()))
    }

    /// Whether the one supplement notice has been used.
    pub fn supplement_used(&self) -> bool {
        self.supplement_requested.is_some()
    }

    pub fn acceptance(&self) -> Option<&Acceptance> {
        self.acceptance.as_ref()
    }

    /// The day the law counts as accepted (the clock counts from the working day after it).
    pub fn accepted_on(&self) -> Option<Date> {
        self.acceptance.as_ref().map(|a| a.accepted_on)
    }

    pub fn refusal_reason(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// The current step and its budget in working days.
    pub fn step(&self) -> Option<(&str, u32)> {
        self.step
            .as_ref()
            .map(|(step, days)| (step.as_str(), *days))
    }

    /// Who completed the review.
    pub fn reviewed_by(&self) -> Option<&str> {
        self.reviewed_by.as_deref()
    }

    /// Every on-site verification, in order.
    pub fn on_site_verifications(&self) -> &[OnSiteRecord] {
        &self.on_sites
    }

    /// The inspectors of the latest on-site verification.
    pub fn inspectors(&self) -> &[String] {
        self.on_sites
            .last()
            .map_or(&[], |r| r.inspectors.as_slice())
    }

    /// The outcome of the latest on-site verification.
    pub fn last_on_site(&self) -> Option<OnSiteOutcome> {
        self.on_sites.last().map(|record| record.outcome)
    }

    pub fn open_pause(&self) -> Option<&OpenPause> {
        self.open_pause.as_ref()
    }

    pub fn is_paused(&self) -> bool {
        self.open_pause.is_some()
    }

    /// How many extensions were approved.
    pub fn extension_count(&self) -> usize {
        self.extensions.len()
    }

    /// The working days added by extensions (art. 42).
    pub fn extension_days(&self) -> u64 {
        self.extensions
            .iter()
            .map(|(days, _)| u64::from(*days))
            .sum()
    }

    pub fn decision(&self) -> Option<&Decision> {
        self.decision.as_ref()
    }

    pub fn licence_number(&self) -> Option<&str> {
        self.licence_number.as_deref()
    }

    /// The existing licence a change, renewal or cancellation case is about.
    pub fn licence_case(&self) -> Option<&LicenceCase> {
        self.licence_case.as_ref()
    }

    pub fn withdrawal_reason(&self) -> Option<&str> {
        self.withdrawn.as_deref()
    }

    /// The outcomes chosen since the current step was entered, (step, outcome) in order: how
    /// the parallel steps beside it have reported.
    pub fn completed_since_step(&self) -> &[(String, String)] {
        &self.completed
    }

    /// The org a step was handed to since the current step was entered.
    pub fn handed_to(&self, step: &str) -> Option<&str> {
        self.handovers
            .iter()
            .find(|(s, _)| s == step)
            .map(|(_, org)| org.as_str())
    }

    /// Every org the current work is handed to.
    pub fn handovers(&self) -> &[(String, String)] {
        &self.handovers
    }

    /// Whether this warning was already raised (step warnings: since the current step began).
    pub fn has_warning(&self, level: WarningLevel, scope: WarningScope) -> bool {
        self.warnings.contains(&(level, scope))
    }
}
