//! Cases (办件): one application for one service item, from submission to result, kept as an
//! append-only, hash-chained log of events (DESIGN.md "Cases are event logs"; RULES.md §1,
//! Administrative Licensing Law arts. 32–45). Pure: no I/O, no clock reading — dates and
//! instants come in as arguments.
//!
//! The app's use of it, in one transaction:
//! 1. load the events, [`verify_chain`] them if it wishes, and [`CaseState::fold`] them;
//! 2. [`decide`] (or [`decide_with`] an item's [`CasePolicy`]) the [`Command`] for an
//!    [`ActorRef`] on a China civil date ([`china_date`] of the instant);
//! 3. [`append`] the answered [`EventKind`]s (or [`ChainHead::append`] after
//!    [`CaseState::head`]) and store the new [`CaseEvent`]s, expecting
//!    [`CaseState::version`] — a stale version is a conflict, not an overwrite.
//!
//! The clock of a case is [`case_clock`] (via [`clock_events`]); the hash input is fixed by
//! `canonical` (see [`canonical_bytes`]). What it must not do: know process definitions
//! (steps and budgets arrive as plain data), storage, or transport.

mod canonical;
mod case_clock;
mod chain;
mod command;
mod decide;
mod due_date_change;
mod error;
mod event;
mod handling;
mod hash;
mod ids;
mod intake;
mod licence_case;
mod state;
mod status;

pub use canonical::{CANONICAL_VERSION, canonical_bytes};
pub use case_clock::{case_clock, case_clock_basis, clock_events};
pub use chain::{ChainError, ChainFault, ChainHead, append, event_hash, verify_chain, verify_from};
pub use command::{Action, Command};
pub use decide::{CasePolicy, decide, decide_with};
pub use due_date_change::{LogHead, note_due_date_change};
pub use error::CaseError;
pub use event::{
    CaseEvent, Channel, EventKind, MaterialRef, OnSiteOutcome, WarningLevel, WarningScope,
};
pub use hash::{Hash, HashError};
pub use ids::{ActorRef, ActorRole, CaseId, CaseNumber, CaseNumberError};
pub use state::{Acceptance, CaseState, Decision, LicenceCase, OnSiteRecord, OpenPause};
pub use status::CaseStatus;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::Offset;

/// The China civil date of an instant: the day the law counts an event on (art. 82 counts
/// days). China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact
/// for every case and needs no time-zone database.
pub fn china_date(at: Timestamp) -> Date {
    Offset::constant(8).to_datetime(at).date()
}

/// The default statement of the applicant's rights in a denial (art. 38): administrative
/// reconsideration within 60 days (行政复议法 art. 20) or litigation within 6 months (行政诉讼法
/// art. 46). Items may word it with the reconsideration organ and court named.
pub const RIGHTS_NOTICE_ZH: &str = "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，\
或者在六个月内依法向人民法院提起行政诉讼。";
