//! The text form of a [`ClockBasis`] (see the parent module): printing, and reading with every
//! problem named by its token.

use std::fmt;

use jiff::civil::Date;

use super::super::count::Span;
use super::{BasisError, ClockBasis, RunningPause};
use crate::dates::parse_date;

impl ClockBasis {
    /// Reads the text form (see `basis.rs`); every problem names its token.
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
