//! Time limits as data — statutory and promised limits, extension ceiling, warning thresholds,
//! step budgets — and the traffic-light status derived from them. Defaults follow
//! Administrative Licensing Law arts. 42 and 82; every value is a per-item setting.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The limits a service item puts on its cases, all in working days (art. 82).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimits {
    /// The statutory limit counted from acceptance (art. 42: 20; other laws set others,
    /// e.g. 60 for industrial product licences, 30 for special equipment).
    pub statutory_days: u32,
    /// The bureau's public promise, shorter than the statutory limit (the seed: by a third).
    pub promised_days: Option<u32>,
    /// The most the head of the organ may add (art. 42: 10; 15 for joint handling).
    pub max_extension_days: u32,
    /// Yellow when this many working days or fewer remain.
    pub yellow_when_remaining: u32,
    /// Red when this many working days or fewer remain (default 1: due tomorrow or today).
    pub red_when_remaining: u32,
    /// Yellow threshold for the current step against its budget (red uses `red_when_remaining`).
    pub step_yellow_when_remaining: u32,
    /// The budget of each step of the item's process.
    pub step_budgets: Vec<StepBudget>,
}

/// How many working days one step of a process may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepBudget {
    pub step: String,
    pub days: u32,
}

impl TimeLimits {
    /// Art. 42 defaults for a limit of `statutory_days`: +10 extension, yellow at 5, red at 1.
    pub fn new(statutory_days: u32) -> TimeLimits {
        TimeLimits {
            statutory_days,
            promised_days: None,
            max_extension_days: 10,
            yellow_when_remaining: 5,
            red_when_remaining: 1,
            step_yellow_when_remaining: 1,
            step_budgets: Vec::new(),
        }
    }

    /// Art. 42 ¶1: decide within 20 working days of acceptance, +10 with the head's approval.
    pub fn licensing_default() -> TimeLimits {
        TimeLimits::new(20)
    }

    /// Art. 42 ¶2: joint or centralised handling, 45 working days, +15.
    pub fn joint_handling() -> TimeLimits {
        TimeLimits {
            max_extension_days: 15,
            ..TimeLimits::new(45)
        }
    }

    /// The budget of a step, to put in its `StepEntered` event.
    pub fn budget_for(&self, step: &str) -> Option<u32> {
        self.step_budgets
            .iter()
            .find(|budget| budget.step == step)
            .map(|budget| budget.days)
    }
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// More than the yellow threshold remains.
    Green,
    /// The yellow threshold or fewer remain.
    Yellow,
    /// The red threshold or fewer remain: the last day(s) on which the decision is on time.
    Red,
    /// The due date has passed.
    Overdue,
    /// Stopped on or before the due date.
    FinishedOnTime,
    /// Stopped after the due date.
    FinishedLate,
}

impl ClockStatus {
    /// The status on `as_of` of a limit due on `due` with `remaining` working days left.
    /// Overdue compares dates, not counts: the Saturday after a Friday deadline has 0 days
    /// remaining but the deadline is past.
    pub(crate) fn classify(
        as_of: Date,
        due: Date,
        remaining: i64,
        stopped: bool,
        yellow: u32,
        red: u32,
    ) -> ClockStatus {
        let late = as_of > due;
        match (stopped, late) {
            (true, false) => ClockStatus::FinishedOnTime,
            (true, true) => ClockStatus::FinishedLate,
            (false, true) => ClockStatus::Overdue,
            (false, false) if remaining <= i64::from(red) => ClockStatus::Red,
            (false, false) if remaining <= i64::from(yellow) => ClockStatus::Yellow,
            (false, false) => ClockStatus::Green,
        }
    }

    /// Whether the limit was or is exceeded.
    pub fn is_late(self) -> bool {
        matches!(self, ClockStatus::Overdue | ClockStatus::FinishedLate)
    }
}
