//! A case's log seen by the legal clock: which events start, pause, resume, extend, step and
//! stop it (arts. 32, 42, 45), so `crate::clock` gives the days used and left, the due dates,
//! the status and the explanation. Owns the mapping only; the counting is the clock's.
//!
//! Acceptance starts the clock on the acceptance day (not counted); a deemed acceptance starts
//! it on the day of receipt (art. 32: "自收到申请材料之日起即为受理"). Nothing before acceptance
//! counts. A grant or denial stops it as decided, a withdrawal as withdrawn; issuing the
//! certificate (art. 44) runs on its own limit and is not part of this clock.

use jiff::civil::Date;

use super::event::{CaseEvent, EventKind};
use super::ids::ActorRole;
use super::state::CaseState;
use super::status::CaseStatus;
use crate::calendar::Calendar;
use crate::catalogue::Vocabulary;
use crate::clock::{
    ClockBasis, ClockError, ClockEvent, ClockSnapshot, ClockState, Names, StopOutcome, TimeLimits,
};

/// The clock events of a case's log, in order; empty until the case is accepted.
pub fn clock_events(events: &[CaseEvent]) -> Vec<ClockEvent> {
    let mut clock = Vec::new();
    let mut started = false;
    for event in events {
        let on = event.on;
        let next = match &event.kind {
            EventKind::Accepted if !started => Some(ClockEvent::Started { accepted_on: on }),
            EventKind::DeemedAccepted { received_on } if !started => Some(ClockEvent::Started {
                accepted_on: *received_on,
            }),
            _ if !started => None,
            kind => while_running(event, kind),
        };
        if let Some(next) = next {
            started = true;
            let stops = matches!(next, ClockEvent::Stopped { .. });
            clock.push(next);
            if stops {
                break;
            }
        }
    }
    clock
}

/// The clock event, if any, of an event after acceptance.
fn while_running(event: &CaseEvent, kind: &EventKind) -> Option<ClockEvent> {
    let on = event.on;
    let stopped = |outcome| Some(ClockEvent::Stopped { on, outcome });
    match kind {
        EventKind::PauseStarted {
            reason,
            by,
            expected_days,
        } => Some(ClockEvent::Paused {
            on,
            reason: reason.clone(),
            by: by.clone(),
            expected_days: Some(*expected_days),
        }),
        EventKind::PauseEnded { .. } => Some(ClockEvent::Resumed { on }),
        // Art. 42: the head of the organ approves; the explanation names the role.
        EventKind::Extended { days, reason } => Some(ClockEvent::Extended {
            on,
            days: *days,
            approver: match event.actor.role {
                ActorRole::Staff(role) => role.key().to_owned(),
                _ => event.actor.user.clone(),
            },
            reason: reason.clone(),
        }),
        EventKind::StepEntered { step, budget_days } => Some(ClockEvent::StepEntered {
            on,
            step: step.clone(),
            budget_days: *budget_days,
        }),
        EventKind::Granted | EventKind::Denied { .. } | EventKind::RenewalDeemed { .. } => {
            stopped(StopOutcome::Decided)
        }
        EventKind::Withdrawn { .. } => stopped(StopOutcome::Withdrawn),
        // `decide` never refuses an accepted case; a log that does ends handling there.
        EventKind::Refused { .. } => stopped(StopOutcome::Terminated),
        _ => None,
    }
}

/// The clock of a case as of `today`, or `None` while it is not accepted; its explanation names
/// steps and orgs by `names` (the case's process definition and the org catalogue).
pub fn case_clock(
    events: &[CaseEvent],
    limits: &TimeLimits,
    calendar: &Calendar,
    today: Date,
    names: &dyn Names,
) -> Result<Option<ClockSnapshot>, ClockError> {
    let clock = clock_events(events);
    if clock.is_empty() {
        return Ok(None);
    }
    ClockState::from_events(&clock)?
        .snapshot_named(limits, calendar, today, names)
        .map(Some)
}

/// What the case's due dates are counted from (kept on its projection row so a recompute
/// after a calendar import reads no log), or `None` while it is not accepted.
pub fn case_clock_basis(
    events: &[CaseEvent],
    limits: &TimeLimits,
) -> Result<Option<ClockBasis>, ClockError> {
    let clock = clock_events(events);
    if clock.is_empty() {
        return Ok(None);
    }
    ClockBasis::of(&ClockState::from_events(&clock)?, limits).map(Some)
}

impl CaseState {
    /// Art. 32: the day the deemed-acceptance rule fired for a case still waiting for its
    /// acceptance decision, once `today` has reached it (see
    /// [`crate::clock::deemed_acceptance`]); the sweeper then decides `Command::DeemAccepted`.
    /// A case with a supplement notice outstanding waits for the applicant instead; after the
    /// supplement the five working days run from its receipt.
    pub fn deemed_acceptance_due(&self, calendar: &Calendar, today: Date) -> Option<Date> {
        let received_on = self.received_on()?;
        (self.status() == CaseStatus::Submitted)
            .then(|| crate::clock::deemed_acceptance(received_on, calendar, today))
            .flatten()
    }
}
