//! The fold: a case's clock events, its item's limits and the calendar give a [`ClockSnapshot`]
//! as of a day — days used and left, due dates, traffic-light status for the case and its current
//! step, and the plain-language explanation. Owns the derived figures; the wording is `explain`'s.

use jiff::civil::Date;
use serde::Serialize;

use super::count::{Span, counted_between, due_after, paused_between, paused_spans};
use super::event::{ClockEvent, PauseReason, StopOutcome};
use super::explain::{ExplanationLine, explain};
use super::limits::{ClockStatus, TimeLimits};
use super::names::{AsRecorded, Names};
use super::state::{ClockError, ClockState, Pause};
use crate::calendar::{Calendar, WorkingDate};

/// A due date. `provisional`: counted partly on weekends alone (an unknown holiday schedule).
/// `moves_with_open_pause`: a pause is running, and the date assumes it lasts as long as the
/// applicant was told (or ends today); it moves later if the pause runs longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueDate {
    pub date: Date,
    pub provisional: bool,
    pub moves_with_open_pause: bool,
}

/// The clock of the current step against its budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepClock {
    pub step: String,
    pub entered_on: Date,
    pub budget_days: u32,
    pub used_days: i64,
    pub remaining_days: i64,
    pub due: DueDate,
    pub status: ClockStatus,
}

/// The open pause, as the applicant's timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenPause {
    pub since: Date,
    pub reason: PauseReason,
    pub by: String,
    pub expected_days: Option<u32>,
}

impl From<&Pause> for OpenPause {
    fn from(pause: &Pause) -> OpenPause {
        OpenPause {
            since: pause.on,
            reason: pause.reason.clone(),
            by: pause.by.clone(),
            expected_days: pause.expected_days,
        }
    }
}

/// Everything a case's clock says on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockSnapshot {
    pub accepted_on: Date,
    /// The day figures are computed for: today, or the stop date of a stopped clock.
    pub as_of: Date,
    pub statutory_days: u32,
    pub extension_days: u64,
    /// Working days counted from the day after acceptance to `as_of`, pauses excluded.
    pub used_days: i64,
    /// `statutory_days + extension_days - used_days`; negative when overdue.
    pub remaining_days: i64,
    /// Working days not counted because of pauses, up to `as_of`.
    pub paused_days: i64,
    pub statutory_due: DueDate,
    pub promised_due: Option<DueDate>,
    pub promised_remaining_days: Option<i64>,
    pub is_paused: bool,
    pub open_pause: Option<OpenPause>,
    pub stopped: Option<(Date, StopOutcome)>,
    /// Against the statutory limit (with extensions).
    pub status: ClockStatus,
    /// Against the promised limit (pauses apply to it, extensions do not: the head extends the
    /// statutory limit, art. 42, not the bureau's promise).
    pub promised_status: Option<ClockStatus>,
    /// The promise is broken (past the promised date) while the statutory limit still holds:
    /// worth flagging before it becomes a breach of the law.
    pub promise_broken_within_statutory: bool,
    pub step: Option<StepClock>,
    pub explanation: Vec<ExplanationLine>,
}

impl ClockState {
    /// Folds `events` into the clock as of `today`.
    pub fn fold(
        events: &[ClockEvent],
        limits: &TimeLimits,
        calendar: &Calendar,
        today: Date,
    ) -> Result<ClockSnapshot, ClockError> {
        ClockState::from_events(events)?.snapshot(limits, calendar, today)
    }

    /// The day the statutory limit (with extensions) runs out, without the rest of the
    /// snapshot: what a bulk recomputation after a calendar import needs.
    pub fn statutory_due(
        &self,
        limits: &TimeLimits,
        calendar: &Calendar,
        today: Date,
    ) -> Result<DueDate, ClockError> {
        self.check_against(limits.max_extension_days, today)?;
        let as_of = self.as_of(today);
        let spans = paused_spans(self, calendar, as_of)?;
        let days = u64::from(limits.statutory_days) + self.extension_days();
        self.due(calendar, &spans, self.accepted_on(), days)
    }

    /// The clock as of `today` (or as of its stop date, if stopped), its explanation showing
    /// steps and orgs as recorded.
    pub fn snapshot(
        &self,
        limits: &TimeLimits,
        calendar: &Calendar,
        today: Date,
    ) -> Result<ClockSnapshot, ClockError> {
        self.snapshot_named(limits, calendar, today, &AsRecorded)
    }

    /// The clock as of `today`, its explanation naming steps and orgs by `names`.
    pub fn snapshot_named(
        &self,
        limits: &TimeLimits,
        calendar: &Calendar,
        today: Date,
        names: &dyn Names,
    ) -> Result<ClockSnapshot, ClockError> {
        self.check_against(limits.max_extension_days, today)?;
        let accepted_on = self.accepted_on();
        let as_of = self.as_of(today);
        let stopped = self.stopped().is_some();
        let spans = paused_spans(self, calendar, as_of)?;
        let limit = u64::from(limits.statutory_days) + self.extension_days();
        let statutory_due = self.due(calendar, &spans, accepted_on, limit)?;
        let used = counted_between(calendar, &spans, accepted_on, as_of)?.days;
        let remaining = limit as i64 - used;
        let (yellow, red) = (limits.yellow_when_remaining, limits.red_when_remaining);
        let status =
            ClockStatus::classify(as_of, statutory_due.date, remaining, stopped, yellow, red);
        let promise = match limits.promised_days {
            Some(days) => Some(self.promise(days, limits, calendar, &spans, as_of, used)?),
            None => None,
        };
        let promised_status = promise.map(|(_, _, status)| status);
        let mut snapshot = ClockSnapshot {
            accepted_on,
            as_of,
            statutory_days: limits.statutory_days,
            extension_days: self.extension_days(),
            used_days: used,
            remaining_days: remaining,
            paused_days: paused_between(calendar, &spans, accepted_on, as_of)?.days,
            statutory_due,
            promised_due: promise.map(|(due, _, _)| due),
            promised_remaining_days: promise.map(|(_, left, _)| left),
            is_paused: self.is_paused(),
            open_pause: self.open_pause().filter(|_| !stopped).map(OpenPause::from),
            stopped: self.stopped(),
            status,
            promised_status,
            promise_broken_within_statutory: promised_status.is_some_and(ClockStatus::is_late)
                && !status.is_late(),
            step: self.step_clock(limits, calendar, &spans, as_of)?,
            explanation: Vec::new(),
        };
        snapshot.explanation = explain(self, &snapshot, limits, calendar, &spans, names)?;
        Ok(snapshot)
    }

    /// Due date, days left and status against the promised limit: pauses apply, extensions
    /// do not (the head extends the statutory limit, art. 42, not the bureau's promise).
    fn promise(
        &self,
        days: u32,
        limits: &TimeLimits,
        calendar: &Calendar,
        spans: &[Span],
        as_of: Date,
        used: i64,
    ) -> Result<(DueDate, i64, ClockStatus), ClockError> {
        let due = self.due(calendar, spans, self.accepted_on(), u64::from(days))?;
        let left = i64::from(days) - used;
        let stopped = self.stopped().is_some();
        let (yellow, red) = (limits.yellow_when_remaining, limits.red_when_remaining);
        let status = ClockStatus::classify(as_of, due.date, left, stopped, yellow, red);
        Ok((due, left, status))
    }

    fn as_of(&self, today: Date) -> Date {
        self.stopped().map_or(today, |(stopped_on, _)| stopped_on)
    }

    pub(crate) fn due(
        &self,
        calendar: &Calendar,
        spans: &[Span],
        from: Date,
        days: u64,
    ) -> Result<DueDate, ClockError> {
        let WorkingDate { date, provisional } = due_after(calendar, spans, from, days)?;
        let moves_with_open_pause =
            self.is_paused() && self.open_pause().is_some_and(|pause| pause.on <= date);
        Ok(DueDate {
            date,
            provisional,
            moves_with_open_pause,
        })
    }

    fn step_clock(
        &self,
        limits: &TimeLimits,
        calendar: &Calendar,
        spans: &[Span],
        as_of: Date,
    ) -> Result<Option<StepClock>, ClockError> {
        // A budget of 0 marks a step whose time is not the organ's (the applicant's supplement,
        // a clock-paused test): it has no step deadline.
        let Some(step) = self.steps().last().filter(|step| step.budget_days > 0) else {
            return Ok(None);
        };
        let due = self.due(calendar, spans, step.on, u64::from(step.budget_days))?;
        let used = counted_between(calendar, spans, step.on, as_of)?.days;
        let remaining = i64::from(step.budget_days) - used;
        let status = ClockStatus::classify(
            as_of,
            due.date,
            remaining,
            self.stopped().is_some(),
            limits.step_yellow_when_remaining,
            limits.red_when_remaining,
        );
        Ok(Some(StepClock {
            step: step.step.clone(),
            entered_on: step.on,
            budget_days: step.budget_days,
            used_days: used,
            remaining_days: remaining,
            due,
            status,
        }))
    }
}
