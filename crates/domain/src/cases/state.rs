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

mod read;

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
