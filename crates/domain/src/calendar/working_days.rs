//! The values of working-day arithmetic: the validated day count taken at the edges
//! ([`WorkingDays`]), and the answers ([`WorkingDate`], [`WorkingCount`]) that always say whether
//! they rest on a known holiday schedule or on weekends alone (RULES.md §1, Counting).

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A number of working days typed in by a person (CLI argument, API parameter, form field).
///
/// Bounded by [`WorkingDays::MAX`]: no licensing limit comes near ten years of working days, so a
/// larger number is a typo, not a request (and keeps every answer inside jiff's date range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct WorkingDays(u32);

impl WorkingDays {
    /// The largest count accepted at the edges: 3650 working days (about 14 years).
    pub const MAX: u32 = 3650;

    pub fn new(days: u32) -> Result<WorkingDays, WorkingDaysError> {
        if days > Self::MAX {
            return Err(WorkingDaysError::TooLarge {
                input: days.to_string(),
            });
        }
        Ok(WorkingDays(days))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<WorkingDays> for u32 {
    fn from(days: WorkingDays) -> u32 {
        days.0
    }
}

impl TryFrom<u32> for WorkingDays {
    type Error = WorkingDaysError;

    fn try_from(days: u32) -> Result<WorkingDays, WorkingDaysError> {
        WorkingDays::new(days)
    }
}

/// Why a text is not a [`WorkingDays`]; the message can be shown to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkingDaysError {
    #[error("{input:?} is not a number of working days: write a whole number such as 5")]
    NotANumber { input: String },
    #[error("{input} is negative: a number of working days is 0 or more")]
    Negative { input: String },
    #[error("{input} is too large (max {max})", max = WorkingDays::MAX)]
    TooLarge { input: String },
}

impl FromStr for WorkingDays {
    type Err = WorkingDaysError;

    /// Accepts decimal digits with an optional leading `+`, surrounding spaces ignored.
    fn from_str(text: &str) -> Result<WorkingDays, WorkingDaysError> {
        let input = text.trim();
        let (negative, digits) = match input.as_bytes().first() {
            Some(b'-') => (true, &input[1..]),
            Some(b'+') => (false, &input[1..]),
            _ => (false, input),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(WorkingDaysError::NotANumber {
                input: input.to_string(),
            });
        }
        let is_zero = digits.bytes().all(|b| b == b'0');
        if negative && !is_zero {
            return Err(WorkingDaysError::Negative {
                input: input.to_string(),
            });
        }
        // Any digit string too long for u32 is also above MAX.
        match digits.parse::<u32>() {
            Ok(days) if days <= WorkingDays::MAX => Ok(WorkingDays(days)),
            _ => Err(WorkingDaysError::TooLarge {
                input: input.to_string(),
            }),
        }
    }
}

/// A date reached by counting working days. `provisional` is true when part of the count lies
/// outside the holiday schedules the calendar knows and was made on Monday–Friday alone: the date
/// may move when the administrator imports that year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkingDate {
    pub date: Date,
    pub provisional: bool,
}

/// A signed number of working days between two dates, with the same `provisional` meaning as
/// [`WorkingDate`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkingCount {
    pub days: i64,
    pub provisional: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_a_day_count_says_what_is_wrong() {
        assert_eq!("5".parse(), Ok(WorkingDays(5)));
        assert_eq!(" +0 ".parse(), Ok(WorkingDays(0)));
        assert_eq!("-0".parse(), Ok(WorkingDays(0)));
        assert_eq!("3650".parse(), Ok(WorkingDays(3650)));
        let message = |text: &str| text.parse::<WorkingDays>().unwrap_err().to_string();
        assert!(message("abc").contains("not a number"));
        assert!(message("").contains("not a number"));
        assert!(message("2.5").contains("not a number"));
        assert!(message("-3").contains("negative"));
        assert_eq!(message("3651"), "3651 is too large (max 3650)");
        assert!(message("99999999999999999999").contains("too large (max 3650)"));
    }
}
