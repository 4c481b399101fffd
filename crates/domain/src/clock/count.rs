//! Working-day counting around pauses: how many days of an interval count toward a limit, how
//! many were paused, and which day a limit runs out on (art. 45: the time of the listed special
//! steps is not counted). Pure arithmetic over the calendar; no event rules.

use jiff::civil::Date;

use super::state::{ClockError, ClockState};
use crate::calendar::{Calendar, CalendarError, WorkingDate};

/// Paused days `[first, last]` (inclusive; empty when `last < first`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub first: Date,
    pub last: Date,
}

/// A count of working days and whether it rests on an unknown holiday schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Tally {
    pub days: i64,
    pub provisional: bool,
}

pub(crate) fn day_before(date: Date) -> Result<Date, ClockError> {
    date.yesterday()
        .map_err(|_| ClockError::Calendar(CalendarError::OutOfRange))
}

/// The paused spans of a clock as seen on `as_of`. A closed pause covers `[on, resumed_on)`.
/// An open pause ends with the stop if the clock stopped; otherwise it is assumed to last the
/// working days the applicant was told (art. 45), or until `as_of` if it has already run longer
/// or no length was given — so the due date shown is the earliest it can still be.
pub(crate) fn paused_spans(
    state: &ClockState,
    calendar: &Calendar,
    as_of: Date,
) -> Result<Vec<Span>, ClockError> {
    let mut spans = Vec::with_capacity(state.pauses().len());
    for pause in state.pauses() {
        let last = match (pause.resumed_on, state.stopped()) {
            (Some(resumed_on), _) => day_before(resumed_on)?,
            (None, Some((stopped_on, _))) => stopped_on,
            (None, None) => open_pause_last(calendar, pause.on, pause.expected_days, as_of)?,
        };
        spans.push(Span {
            first: pause.on,
            last,
        });
    }
    Ok(spans)
}

/// The last day an open pause from `on` is assumed to cover as seen on `as_of`: the working
/// days the applicant was told (art. 45), or up to `as_of` if it has already run longer.
pub(crate) fn open_pause_last(
    calendar: &Calendar,
    on: Date,
    expected_days: Option<u32>,
    as_of: Date,
) -> Result<Date, ClockError> {
    let before = day_before(on)?;
    let elapsed = calendar.working_days_between(before, as_of).days.max(0);
    let expected = i64::from(expected_days.unwrap_or(0));
    let assumed = u32::try_from(elapsed.max(expected)).unwrap_or(u32::MAX);
    Ok(calendar.add_working_days(before, assumed)?.date)
}

/// Working days in `(a, b]` that fall in the spans.
pub(crate) fn paused_between(
    calendar: &Calendar,
    spans: &[Span],
    a: Date,
    b: Date,
) -> Result<Tally, ClockError> {
    let mut tally = Tally::default();
    for span in spans {
        let low = a.max(day_before(span.first)?);
        let high = b.min(span.last);
        if high > low {
            let count = calendar.working_days_between(low, high);
            tally.days += count.days;
            tally.provisional |= count.provisional;
        }
    }
    Ok(tally)
}

/// Working days in `(a, b]` that count toward a limit (those outside the spans).
pub(crate) fn counted_between(
    calendar: &Calendar,
    spans: &[Span],
    a: Date,
    b: Date,
) -> Result<Tally, ClockError> {
    let whole = calendar.working_days_between(a, b);
    let paused = paused_between(calendar, spans, a, b)?;
    Ok(Tally {
        days: whole.days - paused.days,
        provisional: whole.provisional || paused.provisional,
    })
}

/// The day a limit of `days` counted working days after `from` runs out on: the `days`-th
/// working day after `from` outside the spans (`from` itself for 0). Spans are in date order.
pub(crate) fn due_after(
    calendar: &Calendar,
    spans: &[Span],
    from: Date,
    days: u64,
) -> Result<WorkingDate, ClockError> {
    let mut position = from;
    let mut left = i64::try_from(days).map_err(|_| CalendarError::OutOfRange)?;
    let mut provisional = false;
    for span in spans.iter().filter(|span| span.last > from) {
        let before = day_before(span.first)?;
        let available = if before > position {
            calendar.working_days_between(position, before)
        } else {
            Default::default()
        };
        provisional |= available.provisional;
        if left <= available.days {
            break;
        }
        left -= available.days;
        position = position.max(span.last);
    }
    let left = u32::try_from(left).map_err(|_| CalendarError::OutOfRange)?;
    let due = calendar.add_working_days(position, left)?;
    Ok(WorkingDate {
        date: due.date,
        provisional: provisional || due.provisional,
    })
}
