//! What people (and the system) ask of a case, and who may ask it. Owns the commands, their
//! names in messages, and the default table of capacities per action (RULES.md §1, DESIGN.md
//! "Who uses it"): window clerks accept (art. 32), reviewers review, at least two inspectors
//! verify on site (art. 34), the head extends (art. 42), signatories decide (art. 38). A process
//! definition may narrow who acts at a step; the app checks org scope. Whether a command fits
//! the case now is `decide`'s.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::event::{Channel, MaterialRef, OnSiteOutcome, WarningLevel, WarningScope};
use super::ids::ActorRole;
use crate::access::Role;
use crate::clock::PauseReason;
use crate::licences::LicenceRequest;

/// A request to change a case. `decide` turns a valid one into events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// Starts the log: online by the applicant, at the window by a clerk.
    Submit {
        item: String,
        applicant: String,
        materials: Vec<MaterialRef>,
        channel: Channel,
    },
    /// Records the name and domicile an applicant without a record declared at the window.
    NameApplicant {
        name: String,
        address: String,
    },
    /// Names the existing licence the application is about (change, renewal, cancellation);
    /// the app checked it against the register.
    NameLicence {
        number: String,
        request: LicenceRequest,
        valid_until: Date,
        in_time: bool,
    },
    /// Art. 50 ¶2, fired by the sweeper once the licence of an undecided renewal expired.
    DeemRenewal,
    /// Art. 32: the one notice listing everything to supplement.
    RequestSupplement {
        items: Vec<String>,
    },
    Supplement {
        materials: Vec<MaterialRef>,
    },
    Accept,
    /// Art. 32, fired by the sweeper once [`super::CaseState::deemed_acceptance_due`] says so.
    DeemAccepted,
    Refuse {
        reason: String,
        competent_org: Option<String>,
    },
    /// The process definition moved the case into a step (its budget is plain data here).
    EnterStep {
        step: String,
        budget_days: u32,
    },
    CompleteReview {
        opinion: String,
    },
    RecordOnSite {
        inspectors: Vec<String>,
        outcome: OnSiteOutcome,
    },
    StartPause {
        reason: PauseReason,
        by: String,
        expected_days: u32,
    },
    EndPause {
        result: String,
    },
    Extend {
        days: u32,
        reason: String,
    },
    Grant,
    Deny {
        reasons: Vec<String>,
        rights: String,
    },
    IssueLicence {
        number: String,
    },
    Withdraw {
        reason: String,
    },
    RaiseWarning {
        level: WarningLevel,
        scope: WarningScope,
    },
    /// Records the outcome chosen at a step (who may choose it is the definition's, checked by
    /// `crate::flow`).
    CompleteStep {
        step: String,
        outcome: String,
    },
    HandOver {
        step: String,
        org: String,
    },
    /// Records that the statutory due date moved with the calendar (the sweeper, after an
    /// import).
    NoteDueDateChange {
        previous: Date,
        due: Date,
        reason: String,
    },
}

/// A command without its data: for messages and permission tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    NameApplicant,
    NameLicence,
    DeemRenewal,
    RequestSupplement,
    Supplement,
    Accept,
    DeemAccepted,
    Refuse,
    EnterStep,
    CompleteReview,
    RecordOnSite,
    StartPause,
    EndPause,
    Extend,
    Grant,
    Deny,
    IssueLicence,
    Withdraw,
    RaiseWarning,
    CompleteStep,
    HandOver,
    NoteDueDateChange,
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Submit { .. } => Action::Submit,
            Command::NameApplicant { .. } => Action::NameApplicant,
            Command::NameLicence { .. } => Action::NameLicence,
            Command::DeemRenewal => Action::DeemRenewal,
            Command::RequestSupplement { .. } => Action::RequestSupplement,
            Command::Supplement { .. } => Action::Supplement,
            Command::Accept => Action::Accept,
            Command::DeemAccepted => Action::DeemAccepted,
            Command::Refuse { .. } => Action::Refuse,
            Command::EnterStep { .. } => Action::EnterStep,
            Command::CompleteReview { .. } => Action::CompleteReview,
            Command::RecordOnSite { .. } => Action::RecordOnSite,
            Command::StartPause { .. } => Action::StartPause,
            Command::EndPause { .. } => Action::EndPause,
            Command::Extend { .. } => Action::Extend,
            Command::Grant => Action::Grant,
            Command::Deny { .. } => Action::Deny,
            Command::IssueLicence { .. } => Action::IssueLicence,
            Command::Withdraw { .. } => Action::Withdraw,
            Command::RaiseWarning { .. } => Action::RaiseWarning,
            Command::CompleteStep { .. } => Action::CompleteStep,
            Command::HandOver { .. } => Action::HandOver,
            Command::NoteDueDateChange { .. } => Action::NoteDueDateChange,
        }
    }
}

const APPLICANT: ActorRole = ActorRole::Applicant;
const SYSTEM: ActorRole = ActorRole::System;
const CLERK: ActorRole = ActorRole::Staff(Role::WindowClerk);
const REVIEWER: ActorRole = ActorRole::Staff(Role::Reviewer);
const INSPECTOR: ActorRole = ActorRole::Staff(Role::Inspector);
const SIGNATORY: ActorRole = ActorRole::Staff(Role::Signatory);
const HEAD: ActorRole = ActorRole::Staff(Role::Head);
const INSTITUTE: ActorRole = ActorRole::Staff(Role::InstituteStaff);

impl Action {
    pub const ALL: [Action; 23] = [
        Action::Submit,
        Action::NameApplicant,
        Action::NameLicence,
        Action::DeemRenewal,
        Action::RequestSupplement,
        Action::Supplement,
        Action::Accept,
        Action::DeemAccepted,
        Action::Refuse,
        Action::EnterStep,
        Action::CompleteReview,
        Action::RecordOnSite,
        Action::StartPause,
        Action::EndPause,
        Action::Extend,
        Action::Grant,
        Action::Deny,
        Action::IssueLicence,
        Action::Withdraw,
        Action::RaiseWarning,
        Action::CompleteStep,
        Action::HandOver,
        Action::NoteDueDateChange,
    ];

    /// The capacities that may take the action by default.
    pub fn allowed(self) -> &'static [ActorRole] {
        match self {
            // The applicant online; a clerk registering paper at the window.
            Action::Submit | Action::NameLicence | Action::Supplement | Action::Withdraw => {
                &[APPLICANT, CLERK]
            }
            Action::NameApplicant | Action::RequestSupplement | Action::Accept | Action::Refuse => {
                &[CLERK]
            }
            Action::DeemAccepted
            | Action::DeemRenewal
            | Action::RaiseWarning
            | Action::NoteDueDateChange => &[SYSTEM],
            // Moving along the definition follows from an outcome; who may choose the outcome
            // is the definition's (`crate::flow`).
            Action::EnterStep | Action::HandOver => &[
                SYSTEM, CLERK, REVIEWER, INSPECTOR, SIGNATORY, HEAD, INSTITUTE,
            ],
            Action::CompleteStep => &[
                APPLICANT, SYSTEM, CLERK, REVIEWER, INSPECTOR, SIGNATORY, HEAD, INSTITUTE,
            ],
            Action::CompleteReview => &[REVIEWER],
            Action::RecordOnSite => &[INSPECTOR],
            // Samples go out with the reviewer; the institute reports the result.
            // The system starts the pause when the definition enters a paused step.
            Action::StartPause | Action::EndPause => &[SYSTEM, REVIEWER, INSTITUTE],
            Action::Extend => &[HEAD],
            Action::Grant | Action::Deny => &[SIGNATORY, HEAD],
            // The system re-issues the certificate of a renewal deemed granted (art. 50 ¶2).
            Action::IssueLicence => &[CLERK, SIGNATORY, SYSTEM],
        }
    }

    pub fn is_allowed_for(self, role: ActorRole) -> bool {
        self.allowed().contains(&role)
    }

    /// The verb phrase used in messages ("cannot accept …").
    pub fn en(self) -> &'static str {
        match self {
            Action::Submit => "submit the application",
            Action::NameApplicant => "record the applicant's name and domicile",
            Action::NameLicence => "name the licence the application is about",
            Action::DeemRenewal => "deem the renewal granted",
            Action::RequestSupplement => "send the supplement notice",
            Action::Supplement => "supplement the materials",
            Action::Accept => "accept the application",
            Action::DeemAccepted => "deem the application accepted",
            Action::Refuse => "refuse to accept the application",
            Action::EnterStep => "enter a step",
            Action::CompleteReview => "complete the review",
            Action::RecordOnSite => "record the on-site verification",
            Action::StartPause => "pause the clock",
            Action::EndPause => "end the pause",
            Action::Extend => "extend the time limit",
            Action::Grant => "grant the licence",
            Action::Deny => "deny the licence",
            Action::IssueLicence => "issue the licence",
            Action::Withdraw => "withdraw the application",
            Action::RaiseWarning => "raise a warning",
            Action::CompleteStep => "complete the step",
            Action::HandOver => "hand the step over",
            Action::NoteDueDateChange => "note a changed due date",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.en())
    }
}
