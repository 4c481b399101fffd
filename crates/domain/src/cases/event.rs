//! The events of a case's log (DESIGN.md "Cases are event logs") and their payloads, in the
//! order of Administrative Licensing Law arts. 32–45 (RULES.md §1). Owns their shape, their
//! stable keys and their JSON (the store keeps each event as JSON and never interprets it).
//! Whether an event may happen is `decide`'s; what the log adds up to is `state`'s.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::hash::Hash;
use super::ids::ActorRef;
use crate::clock::PauseReason;
use crate::licences::LicenceRequest;

/// One entry of a case's log, chained to the one before it (see `chain` for the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// 1-based position in the log; also the case's version once the event is stored.
    pub seq: u64,
    /// When it was recorded (UTC instant).
    pub at: Timestamp,
    /// The China civil date the law counts it on (art. 82 counts days, not instants).
    pub on: Date,
    pub actor: ActorRef,
    pub kind: EventKind,
    /// The previous event's `hash`; [`Hash::GENESIS`] for the first.
    pub prev_hash: Hash,
    pub hash: Hash,
}

/// What happened. The JSON form is tagged: `{"type": "accepted"}`, with [`EventKind::key`] as
/// the tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The application arrived (the event's `on` is the day of receipt, art. 32).
    Submitted {
        /// The service item's catalogue code.
        item: String,
        /// The applicant's Unified Social Credit Code (RULES.md §8).
        applicant: String,
        materials: Vec<MaterialRef>,
        channel: Channel,
    },
    /// At the window, for an applicant the bureau has no record of: the name and domicile the
    /// applicant declared, so decisions and the licence carry them (RULES.md §2: the
    /// certificate states the enterprise's name and domicile).
    ApplicantNamed {
        name: String,
        address: String,
    },
    /// The application is about an existing licence — a change (art. 49), a renewal
    /// (art. 50) or a cancellation (art. 70) — checked against the register when it arrived
    /// and recorded right after `Submitted`.
    LicenceNamed {
        number: String,
        request: LicenceRequest,
        /// The licence's last day of validity when the application arrived.
        valid_until: Date,
        /// A renewal applied for within its type's lead time (art. 50 ¶1; 条例 第二十四条): only
        /// such a renewal is deemed granted when undecided at expiry. False for the others.
        in_time: bool,
    },
    /// Art. 50 ¶2: "逾期未作决定的，视为准予延续" — the organ had not decided on a renewal applied
    /// for in time when the licence expired, so the renewal is granted. Recorded by the system;
    /// it is the case's decision.
    RenewalDeemed {
        expired_on: Date,
    },
    /// Art. 32: the one single notice listing everything to supplement.
    SupplementRequested {
        items: Vec<String>,
    },
    /// The applicant handed in what the notice asked for (once).
    Supplemented {
        materials: Vec<MaterialRef>,
    },
    Accepted,
    /// Art. 32: no decision within 5 working days of receipt, so the application counts as
    /// accepted from the day of receipt. Recorded by the system actor.
    DeemedAccepted {
        received_on: Date,
    },
    /// Not accepted (art. 32), with the reason; when the organ is not competent, the one that is.
    Refused {
        reason: String,
        competent_org: Option<String>,
    },
    /// The case entered a step of its process with that step's budget in working days
    /// (plain data from the process definition, kept so later edits do not rewrite history).
    StepEntered {
        step: String,
        budget_days: u32,
    },
    ReviewCompleted {
        opinion: String,
    },
    /// Art. 34: materials verified on site by at least two staff.
    OnSiteVerified {
        inspectors: Vec<String>,
        outcome: OnSiteOutcome,
    },
    /// Art. 45: testing, appraisal, expert review … begin; the clock stops counting, and the
    /// applicant is told in writing how long it is expected to take.
    PauseStarted {
        reason: PauseReason,
        /// Who carries it out, e.g. 大连市质检院.
        by: String,
        expected_days: u32,
    },
    /// The paused step ended with this result (e.g. the test report's conclusion).
    PauseEnded {
        result: String,
    },
    /// Art. 42: the head of the organ approved more working days, with the reasons told to the
    /// applicant. The approver is the event's actor.
    Extended {
        days: u32,
        reason: String,
    },
    /// Art. 38: a written grant decision.
    Granted,
    /// Art. 38: a written denial with its reasons and the applicant's rights.
    Denied {
        reasons: Vec<String>,
        /// The statement of the right to administrative reconsideration or litigation.
        rights: String,
    },
    /// Art. 44: the certificate was issued.
    LicenceIssued {
        number: String,
    },
    Withdrawn {
        reason: String,
    },
    /// A deadline warning the sweeper raised once.
    WarningRaised {
        level: WarningLevel,
        scope: WarningScope,
    },
    /// The outcome chosen at a step of the case's process definition (the event that moves the
    /// case along its definition; the law's own events above record what was decided).
    StepCompleted {
        step: String,
        outcome: String,
    },
    /// A due date moved because the calendar it was counted on changed (an administrator
    /// imported the next year's holiday schedule, so a provisional date became exact). The
    /// clock itself is unchanged: this records, for the people following the case, that the
    /// date they were shown changed and why. Recorded by the system actor.
    DueDateChanged {
        previous: Date,
        due: Date,
        reason: String,
    },
    /// The current step's work was handed to another org: a testing institute (art. 45) or a
    /// lower org doing delegated work (arts. 35, 43). Its staff act on the case from now on.
    HandedOver {
        step: String,
        org: String,
    },
}

impl EventKind {
    /// The stable key of the event type: the JSON tag, the store's `kind` column, and part of
    /// the hashed encoding — never rename one.
    pub fn key(&self) -> &'static str {
        match self {
            EventKind::Submitted { .. } => "submitted",
            EventKind::ApplicantNamed { .. } => "applicant_named",
            EventKind::SupplementRequested { .. } => "supplement_requested",
            EventKind::Supplemented { .. } => "supplemented",
            EventKind::Accepted => "accepted",
            EventKind::DeemedAccepted { .. } => "deemed_accepted",
            EventKind::Refused { .. } => "refused",
            EventKind::StepEntered { .. } => "step_entered",
            EventKind::ReviewCompleted { .. } => "review_completed",
            EventKind::OnSiteVerified { .. } => "on_site_verified",
            EventKind::PauseStarted { .. } => "pause_started",
            EventKind::PauseEnded { .. } => "pause_ended",
            EventKind::Extended { .. } => "extended",
            EventKind::Granted => "granted",
            EventKind::Denied { .. } => "denied",
            EventKind::LicenceIssued { .. } => "licence_issued",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::WarningRaised { .. } => "warning_raised",
            EventKind::StepCompleted { .. } => "step_completed",
            EventKind::HandedOver { .. } => "handed_over",
            EventKind::DueDateChanged { .. } => "due_date_changed",
            EventKind::LicenceNamed { .. } => "licence_named",
            EventKind::RenewalDeemed { .. } => "renewal_deemed",
        }
    }
}

/// A submitted material: its name in the guide and the SHA-256 of the file (the content
/// address in the file store).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaterialRef {
    pub name: String,
    pub content_hash: Hash,
}

/// Where the application came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    /// Registered by a clerk at the counter.
    Window,
}

impl Channel {
    pub fn key(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Window => "window",
        }
    }
}

/// What the inspectors found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum OnSiteOutcome {
    Pass,
    /// Put right by `deadline`, then verified again.
    Rectify {
        deadline: Date,
    },
    Fail,
}

/// How close a deadline is (the clock's yellow / red thresholds, or past it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    Yellow,
    Red,
    Overdue,
}

impl WarningLevel {
    pub fn key(self) -> &'static str {
        match self {
            WarningLevel::Yellow => "yellow",
            WarningLevel::Red => "red",
            WarningLevel::Overdue => "overdue",
        }
    }
}

/// Whether a warning is about the case's limit or its current step's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningScope {
    Case,
    Step,
}

impl WarningScope {
    pub fn key(self) -> &'static str {
        match self {
            WarningScope::Case => "case",
            WarningScope::Step => "step",
        }
    }
}
