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

use std::fmt;

use jiff::civil::Date;

use super::count::{Span, counted_between, day_before, due_after, open_pause_last};
use super::limits::{ClockStatus, TimeLimits};
use super::snapshot::DueDate;
use super::state::{ClockError, ClockState};
use crate::calendar::{Calendar, WorkingDate};
use crate::dates::parse_date;

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

    /// Reads the text form (see the module); every problem names its token.
    pub fn parse(text: &str) -> Result<ClockBasis, BasisError> {
        let mut tokens = text
            .split(' ')
            .enumerate()
            .map(|(i, t)| (i + 1, t))
            .peekable();
        let whole = |problem: &str| BasisError {
            position: 0,
            token: text.to_owned(),
            problem: problem.to_owned(),
        };
        let (position, token) = tokens.next().ok_or_else(|| whole("is empty"))?;
        let accepted_on = Token::new(position, token).date_after('a', "the acceptance day")?;
        let (position, token) = tokens
            .next()
            .ok_or_else(|| whole("has no statutory limit (token `s<days>`)"))?;
        let statutory_days = Token::new(position, token).number('s', "the statutory limit")?;
        let mut basis = ClockBasis {
            accepted_on,
            statutory_days,
            promised_days: None,
            closed: Vec::new(),
            open: None,
            stopped_on: None,
        };
        // The earliest day the next token may name: nothing is dated before the acceptance.
        let mut earliest = accepted_on;
        for (position, token) in tokens {
            let token = Token::new(position, token);
            match token.text.chars().next() {
                Some('p') if basis.promised_days.is_none() && position == 3 => {
                    let days = token.number('p', "the promised limit")?;
                    basis.promised_days = Some(u32::try_from(days).map_err(|_| {
                        token.error("the promised limit is too large for working days")
                    })?);
                }
                Some('c') if basis.open.is_none() && basis.stopped_on.is_none() => {
                    let span = token.span(earliest)?;
                    earliest = span
                        .last
                        .tomorrow()
                        .map_err(|_| token.error("date out of range"))?;
                    basis.closed.push(span);
                }
                Some('o') if basis.open.is_none() && basis.stopped_on.is_none() => {
                    basis.open = Some(token.running_pause(earliest)?);
                }
                Some('t') if basis.stopped_on.is_none() && basis.open.is_none() => {
                    let on = token.date_after('t', "the stop day")?;
                    // A pause the stop ended runs through the stop day: `earliest` is the day
                    // after it.
                    let last_named = earliest.yesterday().unwrap_or(earliest).max(accepted_on);
                    if on < last_named {
                        return Err(token.error(format!(
                            "the stop on {on} is before {last_named} (acceptance or a pause)"
                        )));
                    }
                    basis.stopped_on = Some(on);
                }
                _ => {
                    return Err(token.error(
                        "out of place: expected a, s, then optionally p, c…, o or t in that order",
                    ));
                }
            }
        }
        Ok(basis)
    }
}

/// One token being read, for messages naming it.
struct Token<'a> {
    position: usize,
    text: &'a str,
}

impl<'a> Token<'a> {
    fn new(position: usize, text: &'a str) -> Token<'a> {
        Token { position, text }
    }

    fn error(&self, problem: impl Into<String>) -> BasisError {
        BasisError {
            position: self.position,
            token: self.text.to_owned(),
            problem: problem.into(),
        }
    }

    fn body(&self, key: char, what: &str) -> Result<&'a str, BasisError> {
        self.text
            .strip_prefix(key)
            .ok_or_else(|| self.error(format!("expected `{key}` and {what}")))
    }

    fn date_after(&self, key: char, what: &str) -> Result<Date, BasisError> {
        let body = self.body(key, what)?;
        parse_date(body).map_err(|e| self.error(format!("{what}: {e}")))
    }

    fn number(&self, key: char, what: &str) -> Result<u64, BasisError> {
        let body = self.body(key, what)?;
        body.parse::<u64>()
            .map_err(|_| self.error(format!("{what} `{body}` is not a whole number of days")))
    }

    /// `c<first>/<last>`: a closed pause no earlier than `earliest`; `last` may be the day
    /// before `first` (resumed the day it began).
    fn span(&self, earliest: Date) -> Result<Span, BasisError> {
        let body = self.body('c', "a closed pause <first>/<last>")?;
        let (first, last) = body
            .split_once('/')
            .ok_or_else(|| self.error("a closed pause needs <first>/<last>"))?;
        let first = parse_date(first).map_err(|e| self.error(format!("first day: {e}")))?;
        let last = parse_date(last).map_err(|e| self.error(format!("last day: {e}")))?;
        if first < earliest {
            return Err(self.error(format!(
                "the pause begins on {first}, before {earliest} (acceptance or the previous pause)"
            )));
        }
        if last < first.yesterday().unwrap_or(first) {
            return Err(self.error(format!("the pause ends on {last}, before it begins")));
        }
        Ok(Span { first, last })
    }

    /// `o<on>[+<expected days>]`: the running pause.
    fn running_pause(&self, earliest: Date) -> Result<RunningPause, BasisError> {
        let body = self.body('o', "a running pause <on>[+<days>]")?;
        let (on, expected) = match body.split_once('+') {
            Some((on, days)) => (on, Some(days)),
            None => (body, None),
        };
        let on = parse_date(on).map_err(|e| self.error(format!("pause day: {e}")))?;
        if on < earliest {
            return Err(self.error(format!("the pause begins on {on}, before {earliest}")));
        }
        let expected_days = expected
            .map(|days| {
                days.parse::<u32>().map_err(|_| {
                    self.error(format!("expected days `{days}` are not a whole number"))
                })
            })
            .transpose()?;
        Ok(RunningPause { on, expected_days })
    }
}

impl fmt::Display for ClockBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{} s{}", self.accepted_on, self.statutory_days)?;
        if let Some(days) = self.promised_days {
            write!(f, " p{days}")?;
        }
        for span in &self.closed {
            write!(f, " c{}/{}", span.first, span.last)?;
        }
        if let Some(open) = self.open {
            write!(f, " o{}", open.on)?;
            if let Some(days) = open.expected_days {
                write!(f, "+{days}")?;
            }
        }
        if let Some(on) = self.stopped_on {
            write!(f, " t{on}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
