//! The legal clock as the API shows it (arts. 42, 45, 82): days used and left, due dates with
//! their provisional flags, colours for the case and its step, the open pause, the stop, and
//! the explanation in Chinese and English. One shape wherever a clock appears (the case, its
//! `/clock`, and later the queues and the applicant's pages).

use onewindow_app::cases::CaseView;
use onewindow_domain::clock::{
    ClockSnapshot, ClockStatus, DueDate, ExplanationLine, PauseReason, StepClock, StopOutcome,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A closed value with its Chinese and English names.
#[derive(Debug, Serialize, ToSchema)]
pub struct Label {
    pub key: String,
    pub zh: String,
    pub en: String,
}

pub(super) fn label(key: &str, zh: &str, en: &str) -> Label {
    Label {
        key: key.to_owned(),
        zh: zh.to_owned(),
        en: en.to_owned(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DueView {
    pub date: String,
    /// Counted past the last year the holiday calendar knows (weekends alone).
    pub provisional: bool,
    /// A pause is running; the date moves later if it runs longer than announced.
    pub moves_with_open_pause: bool,
}

fn due(d: DueDate) -> DueView {
    DueView {
        date: d.date.to_string(),
        provisional: d.provisional,
        moves_with_open_pause: d.moves_with_open_pause,
    }
}

/// `green`, `yellow`, `red`, `overdue`, `finished_on_time` or `finished_late`.
fn colour(s: ClockStatus) -> String {
    match s {
        ClockStatus::Green => "green",
        ClockStatus::Yellow => "yellow",
        ClockStatus::Red => "red",
        ClockStatus::Overdue => "overdue",
        ClockStatus::FinishedOnTime => "finished_on_time",
        ClockStatus::FinishedLate => "finished_late",
    }
    .to_owned()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepClockView {
    pub step: String,
    pub entered_on: String,
    pub budget_days: u32,
    pub used_days: i64,
    pub remaining_days: i64,
    pub due: DueView,
    pub status: String,
}

fn step_clock(s: &StepClock) -> StepClockView {
    StepClockView {
        step: s.step.clone(),
        entered_on: s.entered_on.to_string(),
        budget_days: s.budget_days,
        used_days: s.used_days,
        remaining_days: s.remaining_days,
        due: due(s.due),
        status: colour(s.status),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PauseView {
    pub since: String,
    /// Art. 45's reason: `testing`, `appraisal`, `expert_review` …
    pub reason: Label,
    pub by: String,
    pub expected_days: Option<u32>,
}

pub(super) fn pause_reason(r: &PauseReason) -> Label {
    let key = match r {
        PauseReason::Testing => "testing",
        PauseReason::Inspection => "inspection",
        PauseReason::Quarantine => "quarantine",
        PauseReason::Appraisal => "appraisal",
        PauseReason::ExpertReview => "expert_review",
        PauseReason::Hearing => "hearing",
        PauseReason::Tendering => "tendering",
        PauseReason::Auction => "auction",
        PauseReason::Supplement => "supplement",
        PauseReason::Other(_) => "other",
    };
    label(key, r.zh(), r.en())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoppedView {
    pub on: String,
    /// `decided`, `withdrawn` or `terminated`.
    pub outcome: Label,
}

fn stop_outcome(o: StopOutcome) -> Label {
    let key = match o {
        StopOutcome::Decided => "decided",
        StopOutcome::Withdrawn => "withdrawn",
        StopOutcome::Terminated => "terminated",
    };
    label(key, o.zh(), o.en())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExplanationView {
    pub date: String,
    pub zh: String,
    pub en: String,
}

/// The legal clock (arts. 42, 45, 82): working days used and left, due dates, colours, the
/// open pause, and the explanation line by line.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockView {
    pub accepted_on: String,
    /// The day the figures are for: today, or the day the clock stopped.
    pub as_of: String,
    pub statutory_days: u32,
    pub extension_days: u64,
    pub used_days: i64,
    /// Negative when overdue.
    pub remaining_days: i64,
    pub paused_days: i64,
    pub statutory_due: DueView,
    pub promised_due: Option<DueView>,
    pub promised_remaining_days: Option<i64>,
    /// Against the statutory limit: `green` … `finished_late`.
    pub status: String,
    pub promised_status: Option<String>,
    pub promise_broken_within_statutory: bool,
    pub is_paused: bool,
    pub open_pause: Option<PauseView>,
    pub stopped: Option<StoppedView>,
    /// The current step against its budget.
    pub step: Option<StepClockView>,
    pub explanation: Vec<ExplanationView>,
}

impl From<&ClockSnapshot> for ClockView {
    fn from(c: &ClockSnapshot) -> Self {
        let line = |l: &ExplanationLine| ExplanationView {
            date: l.date.to_string(),
            zh: l.zh.clone(),
            en: l.en.clone(),
        };
        ClockView {
            accepted_on: c.accepted_on.to_string(),
            as_of: c.as_of.to_string(),
            statutory_days: c.statutory_days,
            extension_days: c.extension_days,
            used_days: c.used_days,
            remaining_days: c.remaining_days,
            paused_days: c.paused_days,
            statutory_due: due(c.statutory_due),
            promised_due: c.promised_due.map(due),
            promised_remaining_days: c.promised_remaining_days,
            status: colour(c.status),
            promised_status: c.promised_status.map(colour),
            promise_broken_within_statutory: c.promise_broken_within_statutory,
            is_paused: c.is_paused,
            open_pause: c.open_pause.as_ref().map(|p| PauseView {
                since: p.since.to_string(),
                reason: pause_reason(&p.reason),
                by: p.by.clone(),
                expected_days: p.expected_days,
            }),
            stopped: c.stopped.map(|(on, outcome)| StoppedView {
                on: on.to_string(),
                outcome: stop_outcome(outcome),
            }),
            step: c.step.as_ref().map(step_clock),
            explanation: c.explanation.iter().map(line).collect(),
        }
    }
}

/// `GET /api/v1/cases/{number}/clock`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseClock {
    pub number: String,
    /// As the queues show it: `green`, `yellow`, `red`, `overdue`, `paused` or `stopped`.
    pub clock_status: String,
    /// `null` until the case is accepted: the limit runs from the day after (art. 42).
    pub clock: Option<ClockView>,
}

impl From<&CaseView> for CaseClock {
    fn from(v: &CaseView) -> Self {
        CaseClock {
            number: v.record.number.clone(),
            clock_status: v.record.projection.clock_status.clone(),
            clock: v.clock.as_ref().map(ClockView::from),
        }
    }
}
