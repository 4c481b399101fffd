//! The first half of a case's life (Administrative Licensing Law art. 32): submission, the one
//! supplement notice and the supplement, acceptance (by a clerk, or deemed by the system),
//! refusal, the particulars of an applicant named at the window, steps, the document review with its separation of duties (受理与审核相分离), and
//! the on-site verification by at least two inspectors (art. 34).
//! Checks only; the entry point is `decide`.

use jiff::civil::Date;

use super::decide::Check;
use super::error::CaseError;
use super::event::{Channel, EventKind, MaterialRef, OnSiteOutcome};
use super::ids::ActorRole;
use super::status::CaseStatus;
use crate::catalogue::CatalogueCode;

/// The longest applicant name and domicile taken at the window (as for self-registration).
const MAX_APPLICANT_NAME: usize = 100;
const MAX_APPLICANT_ADDRESS: usize = 200;

impl Check<'_> {
    fn materials(&self, materials: Vec<MaterialRef>) -> Result<Vec<MaterialRef>, CaseError> {
        if materials.is_empty() {
            return Err(self.invalid("materials", "hand in at least one material"));
        }
        if let Some(n) = materials.iter().position(|m| m.name.trim().is_empty()) {
            return Err(self.invalid("materials", format!("material {} has no name", n + 1)));
        }
        Ok(materials)
    }

    pub(super) fn submit(
        &self,
        item: String,
        applicant: String,
        materials: Vec<MaterialRef>,
        channel: Channel,
    ) -> Result<EventKind, CaseError> {
        if self.status != CaseStatus::NotSubmitted {
            return Err(self.wrong("the application was already submitted"));
        }
        let expected = match channel {
            Channel::Online => ActorRole::Applicant,
            Channel::Window => ActorRole::Staff(crate::access::Role::WindowClerk),
        };
        if self.actor.role != expected {
            let problem = format!(
                "a {} application is submitted by the {expected}",
                channel.key()
            );
            return Err(self.invalid("channel", problem));
        }
        CatalogueCode::parse(&item).map_err(|e| self.invalid("item", e.to_string()))?;
        Ok(EventKind::Submitted {
            item,
            applicant: self.text("applicant", applicant)?,
            materials: self.materials(materials)?,
            channel,
        })
    }

    pub(super) fn request_supplement(&self, items: Vec<String>) -> Result<EventKind, CaseError> {
        let awaiting = matches!(
            self.status,
            CaseStatus::Submitted | CaseStatus::AwaitingSupplement
        );
        if let Some((sent_on, _)) = self.state.supplement_notice().filter(|_| awaiting) {
            return Err(CaseError::SupplementAlreadyRequested {
                action: self.action,
                sent_on,
            });
        }
        if self.status != CaseStatus::Submitted {
            return Err(self.not_now());
        }
        Ok(EventKind::SupplementRequested {
            items: self.texts("items", items)?,
        })
    }

    pub(super) fn supplement(&self, materials: Vec<MaterialRef>) -> Result<EventKind, CaseError> {
        match self.status {
            CaseStatus::AwaitingSupplement => Ok(EventKind::Supplemented {
                materials: self.materials(materials)?,
            }),
            CaseStatus::Submitted => Err(self.wrong("no supplement notice is outstanding")),
            _ => Err(self.not_now()),
        }
    }

    pub(super) fn accept(&self) -> Result<EventKind, CaseError> {
        match self.status {
            CaseStatus::Submitted => Ok(EventKind::Accepted),
            _ => Err(self.not_now()),
        }
    }

    /// Art. 32: accepted from the day the (complete) materials arrived.
    pub(super) fn deem_accepted(&self) -> Result<EventKind, CaseError> {
        match (self.status, self.state.received_on()) {
            (CaseStatus::Submitted, Some(received_on)) => {
                Ok(EventKind::DeemedAccepted { received_on })
            }
            (CaseStatus::AwaitingSupplement, _) => Err(self.wrong(
                "a supplement notice was sent in time, so the application is not deemed accepted",
            )),
            _ => Err(self.not_now()),
        }
    }

    pub(super) fn refuse(
        &self,
        reason: String,
        competent_org: Option<String>,
    ) -> Result<EventKind, CaseError> {
        if !matches!(
            self.status,
            CaseStatus::Submitted | CaseStatus::AwaitingSupplement
        ) {
            return Err(self.not_now());
        }
        let competent_org = match competent_org {
            Some(org) => Some(self.text("competent_org", org)?),
            None => None,
        };
        Ok(EventKind::Refused {
            reason: self.text("reason", reason)?,
            competent_org,
        })
    }

    pub(super) fn enter_step(
        &self,
        step: String,
        budget_days: u32,
    ) -> Result<EventKind, CaseError> {
        let open = !self.status.is_final() || self.status == CaseStatus::Issued;
        if self.status == CaseStatus::NotSubmitted || !open {
            return Err(self.not_now());
        }
        // 0: the step has no budget of the organ's (the applicant's supplement, a paused test).
        let budget_days = match budget_days {
            0 => 0,
            days => self.working_days("budget_days", days)?,
        };
        Ok(EventKind::StepEntered {
            step: self.text("step", step)?,
            budget_days,
        })
    }

    /// The outcome of a step. Once the licence is issued only post-licence work remains (the
    /// 2018 reform's licence first, verification after), so that is still open.
    pub(super) fn complete_step(
        &self,
        step: String,
        outcome: String,
    ) -> Result<EventKind, CaseError> {
        let open = !self.status.is_final() || self.status == CaseStatus::Issued;
        if self.status == CaseStatus::NotSubmitted || !open {
            return Err(self.not_now());
        }
        Ok(EventKind::StepCompleted {
            step: self.text("step", step)?,
            outcome: self.text("outcome", outcome)?,
        })
    }

    /// Right after a window submission, and once: the particulars of an applicant the bureau
    /// holds no record of (the certificate states name and domicile, RULES.md §2).
    pub(super) fn name_applicant(
        &self,
        name: String,
        address: String,
    ) -> Result<EventKind, CaseError> {
        let at_window = self.state.channel() == Some(Channel::Window);
        if self.status != CaseStatus::Submitted || !at_window {
            return Err(self.not_now());
        }
        if let Some((named, _)) = self.state.applicant_named() {
            return Err(self.wrong(format!("the applicant was already named {named}")));
        }
        Ok(EventKind::ApplicantNamed {
            name: self.particular("applicant_name", name, MAX_APPLICANT_NAME)?,
            address: self.particular("applicant_address", address, MAX_APPLICANT_ADDRESS)?,
        })
    }

    /// A name or address: required, 2 to `max` characters, on one line.
    fn particular(
        &self,
        field: &'static str,
        text: String,
        max: usize,
    ) -> Result<String, CaseError> {
        let text = self.text(field, text)?.trim().to_owned();
        let count = text.chars().count();
        if count < 2 {
            return Err(self.invalid(field, "is too short: at least 2 characters"));
        }
        if count > max {
            let problem = format!("is too long: {count} characters, at most {max}");
            return Err(self.invalid(field, problem));
        }
        if text.chars().any(char::is_control) {
            return Err(self.invalid(field, "holds a line break or tab; write it on one line"));
        }
        Ok(text)
    }

    pub(super) fn note_due_date_change(
        &self,
        previous: Date,
        due: Date,
        reason: String,
    ) -> Result<EventKind, CaseError> {
        if self.status == CaseStatus::NotSubmitted || self.status.is_final() {
            return Err(self.not_now());
        }
        if previous == due {
            return Err(self.invalid("due", "is the same date as before"));
        }
        Ok(EventKind::DueDateChanged {
            previous,
            due,
            reason: self.text("reason", reason)?,
        })
    }

    pub(super) fn hand_over(&self, step: String, org: String) -> Result<EventKind, CaseError> {
        let open = !self.status.is_final() || self.status == CaseStatus::Issued;
        if self.status == CaseStatus::NotSubmitted || !open {
            return Err(self.not_now());
        }
        Ok(EventKind::HandedOver {
            step: self.text("step", step)?,
            org: self.text("org", org)?,
        })
    }

    pub(super) fn complete_review(&self, opinion: String) -> Result<EventKind, CaseError> {
        if !self.in_handling() {
            return Err(self.not_now());
        }
        if let Some(by) = self.state.reviewed_by() {
            return Err(self.wrong(format!("the review was already completed by {by}")));
        }
        if let Some(acceptance) = self.state.acceptance()
            && !acceptance.deemed
            && acceptance.by == self.actor.user
        {
            return Err(CaseError::SeparationOfDuties {
                action: self.action,
                user: acceptance.by.clone(),
            });
        }
        Ok(EventKind::ReviewCompleted {
            opinion: self.text("opinion", opinion)?,
        })
    }

    /// Art. 34: at least two inspectors; a rectification deadline after the visit.
    pub(super) fn record_on_site(
        &self,
        inspectors: Vec<String>,
        outcome: OnSiteOutcome,
    ) -> Result<EventKind, CaseError> {
        // Issued: the post-licence verification of a licence granted first (2018 reform).
        let open = matches!(
            self.status,
            CaseStatus::UnderReview
                | CaseStatus::Rectifying
                | CaseStatus::AwaitingDecision
                | CaseStatus::Issued
        );
        if !open {
            return Err(self.not_now());
        }
        if let Some(done @ (OnSiteOutcome::Pass | OnSiteOutcome::Fail)) = self.state.last_on_site()
        {
            let result = if done == OnSiteOutcome::Pass {
                "passed"
            } else {
                "failed"
            };
            return Err(self.wrong(format!("the on-site verification already {result}")));
        }
        let inspectors = self.texts("inspectors", inspectors)?;
        let mut distinct: Vec<&str> = inspectors.iter().map(|i| i.trim()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 2 {
            let problem = format!(
                "art. 34 needs at least two different inspectors on site; {} given",
                distinct.len()
            );
            return Err(self.invalid("inspectors", problem));
        }
        if let OnSiteOutcome::Rectify { deadline } = outcome
            && deadline <= self.on
        {
            return Err(self.invalid("deadline", format!("{deadline} is not after {}", self.on)));
        }
        Ok(EventKind::OnSiteVerified {
            inspectors,
            outcome,
        })
    }
}
