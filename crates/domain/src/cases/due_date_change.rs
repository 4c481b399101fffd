//! A due date moved by a calendar import, recorded on a case known by its projection row alone:
//! its status, the head of its log and the date of its last event. That is all
//! `Command::NoteDueDateChange` reads, so the bulk recompute (issue 3) decides it without reading
//! or folding the log, with the same checks `decide` makes and chained the way `append` chains.

use jiff::Timestamp;
use jiff::civil::Date;

use super::chain::ChainHead;
use super::command::Action;
use super::decide::Check;
use super::error::CaseError;
use super::event::CaseEvent;
use super::ids::ActorRef;
use super::state::CaseState;
use super::status::CaseStatus;

/// What the projection row knows of a case's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogHead {
    pub status: CaseStatus,
    /// The last event's seq (the case's version) and hash.
    pub head: ChainHead,
    /// The date of the last event: nothing is recorded before it.
    pub last_on: Date,
}

/// The `DueDateChanged` event the system records on `case` on `on` at `at`: the date it was
/// counted to (`previous`), the new one and why; refused as `decide` refuses
/// `Command::NoteDueDateChange` (a case not yet submitted or closed, the same date, no reason,
/// a date before the last event).
pub fn note_due_date_change(
    case: &LogHead,
    (previous, due, reason): (Date, Date, String),
    at: Timestamp,
    on: Date,
) -> Result<CaseEvent, CaseError> {
    let actor = ActorRef::system();
    // The checks below read no more of the state than the status (the explanation of a refusal
    // only reads the open pause of a paused case, which this command never refuses).
    let unread = CaseState::default();
    let check = Check {
        state: &unread,
        action: Action::NoteDueDateChange,
        actor: &actor,
        on,
        status: case.status,
    };
    check.actor()?;
    if on < case.last_on {
        return Err(CaseError::Backdated {
            action: Action::NoteDueDateChange,
            on,
            last_on: case.last_on,
        });
    }
    let kind = check.note_due_date_change(previous, due, reason)?;
    let mut events = case.head.append(vec![kind], &actor, at, on);
    events.pop().ok_or(CaseError::Invalid {
        action: Action::NoteDueDateChange,
        field: "due",
        problem: "no event was chained".into(),
    })
}
