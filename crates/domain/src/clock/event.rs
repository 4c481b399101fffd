//! The events a case's legal clock is folded from, as the store records them. Owns their shape
//! and their names in both languages; whether a sequence of them makes sense is `state`'s job.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One thing that happened to a case's clock, with the date it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClockEvent {
    /// The application was accepted (or deemed accepted, art. 32). The acceptance day is not
    /// counted: the clock starts on the next working day (RULES.md §1, Counting).
    Started { accepted_on: Date },
    /// A step whose time is not counted began (art. 45): the working days from `on` up to the
    /// day before the matching `Resumed` are not counted.
    Paused {
        on: Date,
        reason: PauseReason,
        /// Who carries the step out, e.g. 大连市质检院.
        by: String,
        /// The time the applicant was told the step needs, in working days (art. 45: in writing).
        expected_days: Option<u32>,
    },
    /// The paused step ended; `on` is counted again.
    Resumed { on: Date },
    /// The head of the organ approved more time (art. 42: +10 working days, reasons told to the
    /// applicant; 45 + 15 for joint handling).
    Extended {
        on: Date,
        days: u32,
        approver: String,
        reason: String,
    },
    /// The case entered a step of its process with the budget in force that day (recorded in the
    /// event so a later change to the item's budgets does not rewrite the case's history).
    StepEntered {
        on: Date,
        step: String,
        budget_days: u32,
    },
    /// The case left the organ's hands: no more counting.
    Stopped { on: Date, outcome: StopOutcome },
}

impl ClockEvent {
    /// The date the event happened.
    pub fn on(&self) -> Date {
        match self {
            ClockEvent::Started { accepted_on } => *accepted_on,
            ClockEvent::Paused { on, .. }
            | ClockEvent::Resumed { on }
            | ClockEvent::Extended { on, .. }
            | ClockEvent::StepEntered { on, .. }
            | ClockEvent::Stopped { on, .. } => *on,
        }
    }

    /// A short English name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            ClockEvent::Started { .. } => "started",
            ClockEvent::Paused { .. } => "paused",
            ClockEvent::Resumed { .. } => "resumed",
            ClockEvent::Extended { .. } => "extended",
            ClockEvent::StepEntered { .. } => "step entered",
            ClockEvent::Stopped { .. } => "stopped",
        }
    }
}

/// Why the clock is paused. The first eight are art. 45's list (hearing, tendering, auction,
/// 检验, 检测, quarantine, appraisal, expert review); `Supplement` is not in art. 45 and applies
/// only where a sector rule says the applicant's supplementing time is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    /// Sample testing at an institute (检验; the issuance inspection 发证检验).
    Testing,
    /// Measurement-based inspection (检测).
    Inspection,
    Quarantine,
    Appraisal,
    ExpertReview,
    Hearing,
    Tendering,
    Auction,
    Supplement,
    Other(String),
}

impl PauseReason {
    /// Whether art. 45 itself excludes this step's time (otherwise a sector rule must).
    pub fn is_in_article_45(&self) -> bool {
        !matches!(self, PauseReason::Supplement | PauseReason::Other(_))
    }

    pub fn zh(&self) -> &str {
        match self {
            PauseReason::Testing => "检验",
            PauseReason::Inspection => "检测",
            PauseReason::Quarantine => "检疫",
            PauseReason::Appraisal => "鉴定",
            PauseReason::ExpertReview => "专家评审",
            PauseReason::Hearing => "听证",
            PauseReason::Tendering => "招标",
            PauseReason::Auction => "拍卖",
            PauseReason::Supplement => "补正材料",
            PauseReason::Other(text) => text,
        }
    }

    pub fn en(&self) -> &str {
        match self {
            PauseReason::Testing => "testing",
            PauseReason::Inspection => "inspection",
            PauseReason::Quarantine => "quarantine",
            PauseReason::Appraisal => "appraisal",
            PauseReason::ExpertReview => "expert review",
            PauseReason::Hearing => "hearing",
            PauseReason::Tendering => "tendering",
            PauseReason::Auction => "auction",
            PauseReason::Supplement => "supplementing materials",
            PauseReason::Other(text) => text,
        }
    }
}

/// How a case left the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopOutcome {
    /// A grant or denial decision was made (art. 38).
    Decided,
    /// The applicant withdrew the application.
    Withdrawn,
    /// Handling ended without a decision (e.g. the applicant ceased to exist).
    Terminated,
}

impl StopOutcome {
    pub fn zh(self) -> &'static str {
        match self {
            StopOutcome::Decided => "作出决定",
            StopOutcome::Withdrawn => "申请人撤回申请",
            StopOutcome::Terminated => "终止办理",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            StopOutcome::Decided => "decided",
            StopOutcome::Withdrawn => "withdrawn by the applicant",
            StopOutcome::Terminated => "terminated",
        }
    }
}
