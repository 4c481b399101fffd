//! What a case's due dates are counted from, kept beside its projection so a recompute after a
//! calendar import needs no log (issue 3): the acceptance day (not counted, RULES.md §1), the
//! statutory limit with its extensions (art. 42) and the promised one, the paused spans (art. 45:
//! closed ones as their first and last uncounted day; a running one as its start and the days
//! the applicant was told), and the stop. Everything the calendar does not decide is folded in,
//! so [`ClockBasis::due_dates`] counts exactly what [`ClockState::snapshot`] counts, on any
//! calendar.
//!
//! Text form, one token each, in this order: `a<accepted>` `s<statutory days with extensions>`
//! [`p<promised days>`] (`c<first>/<last>`)* [`o<paused on>[+<expected days>]`] [`t<stopped on>`],
//! e.g. `a2026-11-02 s30 p13 c2026-11-05/2026-11-09 o2026-11-20+10`.

use jiff::civil::Date;

use super::count::{Span, counted_between, day_before, due_after, open_pause_last};
use super::limits::{ClockStatus, TimeLimits};
use super::snapshot::DueDate;
use super::state::{ClockError, ClockState};
use crate::calendar::{Calendar, WorkingDate};

mod text;

/// The calendar-free inputs of a case's due dates. Built from a checked [`ClockState`], or
/// parsed from its text form (which checks the same order of dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockBasis {
    accepted_on: Date,
    /// The statutory limit plus every extension, in working days.
    statutory_days: u64,
    promised_days: Option<u32>,
    /// Closed pauses (a pause the stop ended included), in date order; a pause resumed the day
    /// it began covers no day (`last` is the day before `first`).
    closed: Vec<Span>,
    /// The pause still running on a clock that has not stopped.
    open: Option<RunningPause>,
    stopped_on: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RunningPause {
    on: Date,
    expected_days: Option<u32>,
}

/// What [`ClockBasis::due_dates`] gives: the due dates as of a day, and what the case's colour
/// needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasisDates {
    /// The day counted to: the given day, or the stop.
    pub as_of: Date,
    pub statutory_due: DueDate,
    pub promised_due: Option<DueDate>,
    /// Statutory working days left on `as_of` (negative when overdue).
    pub remaining_days: i64,
    pub is_paused: bool,
    pub stopped: bool,
}

impl BasisDates {
    /// The case's status against its statutory limit, as the snapshot's `status`.
    pub fn status(&self, limits: &TimeLimits) -> ClockStatus {
        ClockStatus::classify(
            self.as_of,
            self.statutory_due.date,
            self.remaining_days,
            self.stopped,
            limits.yellow_when_remaining,
            limits.red_when_remaining,
        )
    }
}

/// A basis text that does not read; names the token and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("clock basis token {position} `{token}`: {problem}")]
pub struct BasisError {
    /// 1-based position of the token (0: the text as a whole).
    pub position: usize,
    pub token: String,
    pub problem: String,
}

impl ClockBasis {
    /// The basis of a checked clock under `limits`.
    pub fn of(state: &ClockState, limits: &TimeLimits) -> Result<ClockBasis, ClockError> {
        let stopped_on = state.stopped().map(|(on, _)| on);
        let mut closed = Vec::with_capacity(state.pauses().len());
        let mut open = None;
        for pause in state.pauses() {
            // As `count::paused_spans`: a closed pause covers `[on, resumed_on)`, one the stop
            // ended runs through the stop day.
            let last = match (pause.resumed_on, stopped_on) {
                (Some(resumed_on), _) => day_before(resumed_on)?,
                (None, Some(stopped_on)) => stopped_on,
                (None, None) => {
                    open = Some(RunningPause {
                        on: pause.on,
                        expected_days: pause.expected_days,
                    });
                    continue;
                }
            };
            closed.push(Span {
                first: pause.on,
                last,
            });
        }
        Ok(ClockBasis {
            accepted_on: state.accepted_on(),
            statutory_days: u64::from(limits.statutory_days) + state.extension_days(),
            promised_days: limits.promised_days,
            closed,
            open,
            stopped_on,
        })
    }

    pub fn accepted_on(&self) -> Date {
        self.accepted_on
    }

    /// The due dates as of `as_of` (the stop day for a stopped clock) on `calendar`.
    pub fn due_dates(&self, calendar: &Calendar, as_of: Date) -> Result<BasisDates, ClockError> {
        let as_of = self.stopped_on.unwrap_or(as_of);
        let mut spans = self.closed.clone();
        if let Some(open) = self.open {
            let last = open_pause_last(calendar, open.on, open.expected_days, as_of)?;
            spans.push(Span {
                first: open.on,
                last,
            });
        }
        let statutory_due = self.due(calendar, &spans, self.statutory_days)?;
        let promised_due = match self.promised_days {
            Some(days) => Some(self.due(calendar, &spans, u64::from(days))?),
            None => None,
        };
        let used = counted_between(calendar, &spans, self.accepted_on, as_of)?.days;
        let limit = i64::try_from(self.statutory_days).unwrap_or(i64::MAX);
        Ok(BasisDates {
            as_of,
            statutory_due,
            promised_due,
            remaining_days: limit - used,
            is_paused: self.open.is_some(),
            stopped: self.stopped_on.is_some(),
        })
    }

    /// As `ClockState::due`: the flag says a running pause that began by the due date can
    /// still move it.
    fn due(&self, calendar: &Calendar, spans: &[Span], days: u64) -> Result<DueDate, ClockError> {
        let WorkingDate { date, provisional } = due_after(calendar, spans, self.accepted_on, days)?;
        Ok(DueDate {
            date,
            provisional,
            moves_with_open_pause: self.open.is_some_and(|pause| pause.on <= date),
        })
    }
}

#[cfg(test)]
mod tests;
