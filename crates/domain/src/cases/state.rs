//! A case's current state: the fold of its events (DESIGN.md "Cases are event logs"). Owns what
//! the log adds up to — status, receipt and acceptance dates, the one supplement (art. 32), the
//! on-site verifications (art. 34), the open pause (art. 45), extensions (art. 42), the decision
//! (art. 38) and the licence (art. 44) — and the version the next append must expect. The fold
//! trusts its events (`decide` validated them before they were stored; `verify_chain` checks
//! the links) and is total: any sequence folds, none panics.

use jiff::civil::Date;
use serde::Serialize;

use super::chain::ChainHead;
use super::event::{CaseEvent, Channel, EventKind, MaterialRef, OnSiteOutcome};
use super::event::{WarningLevel, WarningScope};
use crate::clock::PauseReason;

use super::status::CaseStatus;

/// Who accepted the case and from which day the clock counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acceptance {
    /// The day the law treats as the acceptance day: the day of the decision, or for a deemed
    /// acceptance the day of receipt (art. 32).
    pub accepted_on: Date,
    /// The user who accepted (the system for a deemed acceptance).
    pub by: String,
    pub deemed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnSiteRecord {
    pub on: Date,
    pub inspectors: Vec<String>,
    pub outcome: OnSiteOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenPause {
    pub since: Date,
    pub reason: PauseReason,
    pub by: String,
    pub expected_days: u32,
}

/// The licence a case is about and what it asks (arts. 49, 50, 70).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceCase {
    pub number: String,
    pub request: crate::licences::LicenceRequest,
    /// Its last day of validity when the application arrived.
    pub valid_until: Date,
    /// A renewal applied for within the lead time (art. 50 ¶1).
    pub in_time: bool,
    /// Art. 50 ¶2: the day the renewal was deemed granted, if it was.
    pub deemed_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Granted { on: Date },
    Denied { on: Date, reasons: Vec<String> },
}

/// The fold of a case's events. Read it through its methods; build it with [`CaseState::fold`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseState {
    head: ChainHead,
    last_on: Option<Date>,
    item: Option<String>,
    applicant: Option<String>,
    /// Name and domicile declared at the window by an applicant without a record.
    applicant_named: Option<(String, String)>,
    channel: Option<Channel>,
    received_on: Option<Date>,
    materials: Vec<MaterialRef>,
    supplement_requested: Option<(Date, Vec<String>)>,
    awaiting_supplement: bool,
    acceptance: Option<Acceptance>,
    refused: Option<String>,
    step: Option<(String, u32)>,
    reviewed_by: Option<String>,
    on_sites: Vec<OnSiteRecord>,
    open_pause: Option<OpenPause>,
    extensions: Vec<(u32, String)>,
    decision: Option<Decision>,
    licence_number: Option<String>,
    /// The existing licence a change, renewal or cancellation case is about.
    licence_case: Option<LicenceCase>,
    withdrawn: Option<String>,
    warnings: Vec<(WarningLevel, WarningScope)>,
    /// Outcomes chosen since the current step was entered: (step, outcome), in order.
    completed: Vec<(String, String)>,
    /// Steps handed to another org since the current step was entered: (step, org).
    handovers: Vec<(String, String)>,
}

impl CaseState {
    /// Folds a log, first event first.
    pub fn fold(events: &[CaseEvent]) -> CaseState {
        let mut state = CaseState::default();
        events.iter().for_each(|event| state.apply(event));
        state
    }

    /// Adds one event.
    pub fn apply(&mut self, event: &CaseEvent) {
        self.head = ChainHead {
            seq: event.seq,
            hash: event.hash,
        };
        self.last_on = Some(event.on);
        self.apply_kind(&event.kind, event.on, &event.actor.user);
    }

    fn apply_kind(&mut self, kind: &EventKind, on: Date, user: &str) {
        match kind {
            EventKind::Submitted {
                item,
                applicant,
                materials,
                channel,
            } => {
                self.item = Some(item.clone());
                self.applicant = Some(applicant.clone());
                self.channel = Some(*channel);
                self.received_on = Some(on);
                self.materials = materials.clone();
            }
            EventKind::ApplicantNamed { name, address } => {
                self.applicant_named = Some((name.clone(), address.clone()));
            }
            EventKind::SupplementRequested { items } => {
                self.supplement_requested = Some((on, items.clone()));
                self.awaiting_supplement = true;
            }
            EventKind::Supplemented { materials } => {
                self.awaiting_supplement = false;
                self.received_on = Some(on);
                self.materials.extend(materials.iter().cloned());
            }
            EventKind::Accepted => self.accept(on, user, false),
            EventKind::DeemedAccepted { received_on } => self.accept(*received_on, user, true),
            EventKind::Refused { reason, .. } => self.refused = Some(reason.clone()),
            EventKind::StepEntered { step, budget_days } => {
                self.step = Some((step.clone(), *budget_days));
                self.warnings
                    .retain(|(_, scope)| *scope != WarningScope::Step);
                self.completed.clear();
                self.handovers.clear();
            }
            EventKind::ReviewCompleted { .. } => self.reviewed_by = Some(user.to_owned()),
            EventKind::OnSiteVerified {
                inspectors,
                outcome,
            } => self.on_sites.push(OnSiteRecord {
                on,
                inspectors: inspectors.clone(),
                outcome: *outcome,
            }),
            other => self.apply_later(other, on),
        }
    }

    fn apply_later(&mut self, kind: &EventKind, on: Date) {
        match kind {
            EventKind::PauseStarted {
                reason,
                by,
                expected_days,
            } => {
                self.open_pause = Some(OpenPause {
                    since: on,
                    reason: reason.clone(),
                    by: by.clone(),
                    expected_days: *expected_days,
                });
            }
            EventKind::PauseEnded { .. } => self.open_pause = None,
            EventKind::Extended { days, reason } => self.extensions.push((*days, reason.clone())),
            EventKind::Granted => self.decision = Some(Decision::Granted { on }),
            EventKind::LicenceNamed {
                number,
                request,
                valid_until,
                in_time,
            } => {
                self.licence_case = Some(LicenceCase {
                    number: number.clone(),
                    request: request.clone(),
                    valid_until: *valid_until,
                    in_time: *in_time,
                    deemed_on: None,
                });
            }
            EventKind::RenewalDeemed { .. } => {
                self.decision = Some(Decision::Granted { on });
                if let Some(case) = &mut self.licence_case {
                    case.deemed_on = Some(on);
                }
            }
            EventKind::Denied { reasons, .. } => {
                let reasons = reasons.clone();
                self.decision = Some(Decision::Denied { on, reasons });
            }
            EventKind::LicenceIssued { number } => self.licence_number = Some(number.clone()),
            EventKind::Withdrawn { reason } => self.withdrawn = Some(reason.clone()),
            EventKind::WarningRaised { level, scope } => self.warnings.push((*level, *scope)),
            EventKind::StepCompleted { step, outcome } => {
                self.completed.push((step.clone(), outcome.clone()));
            }
            EventKind::HandedOver { step, org } => {
                self.handovers.retain(|(s, _)| s != step);
                self.handovers.push((step.clone(), org.clone()));
            }
            _ => {}
        }
    }

    fn accept(&mut self, accepted_on: Date, by: &str, deemed: bool) {
        self.awaiting_supplement = false;
        self.acceptance = Some(Acceptance {
            accepted_on,
            by: by.to_owned(),
            deemed,
        });
    }
}

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
