//! A case's clock events checked for sense and gathered into a [`ClockState`]: when it started,
//! its pauses, extensions, steps and stop. Owns the rules for a valid event sequence; knows
//! nothing of the calendar.

use jiff::civil::Date;

use super::event::{ClockEvent, PauseReason, StopOutcome};
use crate::calendar::CalendarError;

/// Why a sequence of clock events cannot be folded. Every variant names the event (from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("no events: a case's clock begins with its started event")]
    NoEvents,
    #[error("event #{n} ({what} on {on}) comes before the clock started: the first event must be started", n = .index + 1)]
    NotStarted {
        index: usize,
        what: &'static str,
        on: Date,
    },
    #[error("event #{n} (started on {on}): the clock already started on {accepted_on}", n = .index + 1)]
    StartedTwice {
        index: usize,
        on: Date,
        accepted_on: Date,
    },
    #[error("event #{n} ({what} on {on}) is dated before the acceptance on {accepted_on}", n = .index + 1)]
    BeforeAcceptance {
        index: usize,
        what: &'static str,
        on: Date,
        accepted_on: Date,
    },
    #[error("event #{n} ({what} on {on}) is out of date order: the event before it is dated {previous}", n = .index + 1)]
    OutOfOrder {
        index: usize,
        what: &'static str,
        on: Date,
        previous: Date,
    },
    #[error("event #{n} ({what} on {on}) comes after the clock stopped on {stopped_on}", n = .index + 1)]
    AfterStop {
        index: usize,
        what: &'static str,
        on: Date,
        stopped_on: Date,
    },
    #[error("event #{n} (resumed on {on}): the clock was not paused", n = .index + 1)]
    ResumeWithoutPause { index: usize, on: Date },
    #[error("event #{n} (paused on {on}): the clock has been paused since {since}", n = .index + 1)]
    AlreadyPaused { index: usize, on: Date, since: Date },
    #[error("event #{n} (extended on {on}): an extension needs a number of days above 0, the approving head and a reason (art. 42)", n = .index + 1)]
    IncompleteExtension { index: usize, on: Date },
    #[error("event #{n} (extended on {on}): extensions would total {total} working days, more than the {max} allowed (art. 42)", n = .index + 1)]
    ExtensionTooLong {
        index: usize,
        on: Date,
        total: u64,
        max: u32,
    },
    #[error("event #{n} ({what} on {on}) is dated after today ({today})", n = .index + 1)]
    InTheFuture {
        index: usize,
        what: &'static str,
        on: Date,
        today: Date,
    },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// A paused step. Its uncounted working days are `[on, resumed_on)`: the day the clock pauses is
/// not counted (the file left the organ that day), the day it resumes is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub on: Date,
    pub resumed_on: Option<Date>,
    pub reason: PauseReason,
    pub by: String,
    pub expected_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub on: Date,
    pub days: u32,
    pub approver: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepEntry {
    pub on: Date,
    pub step: String,
    pub budget_days: u32,
}

/// The checked events of one case's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockState {
    events: Vec<ClockEvent>,
    accepted_on: Date,
    /// In date order; only the last may be open.
    pauses: Vec<Pause>,
    extensions: Vec<Extension>,
    /// In date order; the last is the current step.
    steps: Vec<StepEntry>,
    stopped: Option<(Date, StopOutcome)>,
}

impl ClockState {
    /// Checks the sequence: starts with one `Started`, dates never go back nor before the
    /// acceptance, pauses and resumes alternate, extensions are complete, nothing follows a stop.
    pub fn from_events(events: &[ClockEvent]) -> Result<ClockState, ClockError> {
        let (first, rest) = events.split_first().ok_or(ClockError::NoEvents)?;
        let ClockEvent::Started { accepted_on } = *first else {
            return Err(ClockError::NotStarted {
                index: 0,
                what: first.name(),
                on: first.on(),
            });
        };
        let mut state = ClockState {
            events: events.to_vec(),
            accepted_on,
            pauses: Vec::new(),
            extensions: Vec::new(),
            steps: Vec::new(),
            stopped: None,
        };
        let mut previous = accepted_on;
        for (index, event) in (1..).zip(rest) {
            state.check_dates(index, event, previous)?;
            state.apply(index, event)?;
            previous = event.on();
        }
        Ok(state)
    }

    fn check_dates(
        &self,
        index: usize,
        event: &ClockEvent,
        previous: Date,
    ) -> Result<(), ClockError> {
        let (what, on) = (event.name(), event.on());
        if let Some((stopped_on, _)) = self.stopped {
            return Err(ClockError::AfterStop {
                index,
                what,
                on,
                stopped_on,
            });
        }
        if on < self.accepted_on {
            return Err(ClockError::BeforeAcceptance {
                index,
                what,
                on,
                accepted_on: self.accepted_on,
            });
        }
        if on < previous {
            return Err(ClockError::OutOfOrder {
                index,
                what,
                on,
                previous,
            });
        }
        Ok(())
    }

    fn apply(&mut self, index: usize, event: &ClockEvent) -> Result<(), ClockError> {
        let on = event.on();
        match event {
            ClockEvent::Started { .. } => Err(ClockError::StartedTwice {
                index,
                on,
                accepted_on: self.accepted_on,
            }),
            ClockEvent::Paused {
                reason,
                by,
                expected_days,
                ..
            } => self.pause(index, on, reason, by, *expected_days),
            ClockEvent::Resumed { .. } => self.resume(index, on),
            ClockEvent::Extended {
                days,
                approver,
                reason,
                ..
            } => {
                // Art. 42: days, the approving head and the reasons told to the applicant.
                if *days == 0 || approver.trim().is_empty() || reason.trim().is_empty() {
                    return Err(ClockError::IncompleteExtension { index, on });
                }
                let (days, approver, reason) = (*days, approver.clone(), reason.clone());
                self.extensions.push(Extension {
                    on,
                    days,
                    approver,
                    reason,
                });
                Ok(())
            }
            ClockEvent::StepEntered {
                step, budget_days, ..
            } => {
                let (step, budget_days) = (step.clone(), *budget_days);
                self.steps.push(StepEntry {
                    on,
                    step,
                    budget_days,
                });
                Ok(())
            }
            ClockEvent::Stopped { outcome, .. } => {
                self.stopped = Some((on, *outcome));
                Ok(())
            }
        }
    }

    fn pause(
        &mut self,
        index: usize,
        on: Date,
        reason: &PauseReason,
        by: &str,
        expected_days: Option<u32>,
    ) -> Result<(), ClockError> {
        if let Some(open) = self.open_pause() {
            let since = open.on;
            return Err(ClockError::AlreadyPaused { index, on, since });
        }
        self.pauses.push(Pause {
            on,
            resumed_on: None,
            reason: reason.clone(),
            by: by.to_string(),
            expected_days,
        });
        Ok(())
    }

    fn resume(&mut self, index: usize, on: Date) -> Result<(), ClockError> {
        match self.pauses.last_mut() {
            Some(pause) if pause.resumed_on.is_none() => {
                pause.resumed_on = Some(on);
                Ok(())
            }
            _ => Err(ClockError::ResumeWithoutPause { index, on }),
        }
    }

    /// The events, as given.
    pub fn events(&self) -> &[ClockEvent] {
        &self.events
    }

    /// The acceptance date: the clock counts from the next working day.
    pub fn accepted_on(&self) -> Date {
        self.accepted_on
    }

    /// The pauses in date order; only the last may be open.
    pub fn pauses(&self) -> &[Pause] {
        &self.pauses
    }

    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// The steps entered, in date order; the last is the current one.
    pub fn steps(&self) -> &[StepEntry] {
        &self.steps
    }

    /// When and how the clock stopped.
    pub fn stopped(&self) -> Option<(Date, StopOutcome)> {
        self.stopped
    }

    /// The pause still running, if any.
    pub fn open_pause(&self) -> Option<&Pause> {
        self.pauses
            .last()
            .filter(|pause| pause.resumed_on.is_none())
    }

    /// Whether the clock is paused now (a stopped clock is not).
    pub fn is_paused(&self) -> bool {
        self.stopped.is_none() && self.open_pause().is_some()
    }

    /// Total working days added by extensions.
    pub fn extension_days(&self) -> u64 {
        self.extensions.iter().map(|e| u64::from(e.days)).sum()
    }

    /// Checks what needs the limits and today: the extension ceiling (art. 42) and that no
    /// event is dated after `today`.
    pub(crate) fn check_against(&self, max_extension: u32, today: Date) -> Result<(), ClockError> {
        if let Some((index, event)) = self.events.iter().enumerate().find(|(_, e)| e.on() > today) {
            return Err(ClockError::InTheFuture {
                index,
                what: event.name(),
                on: event.on(),
                today,
            });
        }
        let mut total = 0u64;
        for (index, event) in self.events.iter().enumerate() {
            if let ClockEvent::Extended { on, days, .. } = event {
                total += u64::from(*days);
                if total > u64::from(max_extension) {
                    let (on, max) = (*on, max_extension);
                    return Err(ClockError::ExtensionTooLong {
                        index,
                        on,
                        total,
                        max,
                    });
                }
            }
        }
        Ok(())
    }
}
