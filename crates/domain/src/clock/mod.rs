//! The legal clock of a case: a fold over its clock events (started, paused, resumed, extended,
//! step entered, stopped) with the item's time limits and the working-day calendar, giving the
//! days used and left, the statutory and promised due dates, a traffic-light status for the case
//! and its current step, and a line-by-line explanation (Administrative Licensing Law arts. 32,
//! 42, 44, 45, 50, 82). Pure: today comes in as an argument; it records nothing.
//!
//! Conventions:
//! - The day of acceptance is not counted; the limit ends on the N-th working day after it.
//! - A pause from `on` to `resumed_on` leaves the working days `[on, resumed_on)` uncounted.
//! - Extensions add working days to the statutory limit (art. 42), not to the promised one.
//! - Status on a day: Overdue past the due date; Red with `red_when_remaining` or fewer
//!   working days left (default 1); Yellow with `yellow_when_remaining` or fewer; else Green.

mod basis;
mod count;
mod event;
mod explain;
mod limits;
mod names;
mod rules;
mod snapshot;
mod state;
mod wording;

pub use basis::{BasisDates, BasisError, ClockBasis};
pub use event::{ClockEvent, PauseReason, StopOutcome};
pub use explain::ExplanationLine;
pub use limits::{ClockStatus, StepBudget, TimeLimits};
pub use names::{AsRecorded, Name, Names};
pub use rules::{
    ACCEPTANCE_NOTICE_DAYS, acceptance_deadline, deemed_acceptance, deemed_renewal,
    renewal_applied_in_time,
};
pub use snapshot::{ClockSnapshot, DueDate, OpenPause, StepClock};
pub use state::{ClockError, ClockState, Extension, Pause, StepEntry};
