//! Holiday-schedule rows, the problems found in them, and the checks every set of rows must pass
//! whatever its source (the shipped CSV, an imported file, a page): no date twice, make-up
//! workdays on weekends only, a name on every row, years a calendar can hold.
//!
//! A year's schedule is the State Council's annual notice. It runs from 1 December of the year
//! before to 30 November: the New Year's Day holiday and its make-up days can start in late
//! December (e.g. the 2019 notice: 30 Dec 2018 – 1 Jan 2019 off, Saturday 29 Dec 2018 worked),
//! and no other official holiday or make-up day falls in December.

use std::collections::HashMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::index::is_weekday;

/// The first schedule year a calendar may hold: the national holiday regulation dates from 1949.
pub const FIRST_SUPPORTED_YEAR: i32 = 1949;
/// The last schedule year: its span must end inside jiff's range (9999-12-31).
pub const LAST_SUPPORTED_YEAR: i32 = 9999;

/// What a listed day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    /// A day of an official holiday period, weekends included.
    Holiday,
    /// A weekend day worked to make up for a holiday (调休).
    Workday,
}

impl DayKind {
    /// The spelling used in the CSV `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

/// One row of a holiday schedule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HolidayEntry {
    pub date: Date,
    pub kind: DayKind,
    /// The holiday's name as published (春节, 国庆节 …); for a make-up day, the holiday it serves.
    pub name: String,
}

/// One thing wrong with a holiday schedule, precise enough to fix the file.
///
/// `row` is the line in the CSV file (the header is row 1). For rows given as a list, entry `i`
/// (from 0) is reported as row `i + 2`: the line it had in the CSV it was parsed from.
/// `row` is `None` for a problem with the schedule as a whole (a missing year, a duplicate year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarProblem {
    pub row: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

impl CalendarProblem {
    pub(crate) fn at(row: usize, field: &'static str, message: impl Into<String>) -> Self {
        CalendarProblem {
            row: Some(row),
            field,
            message: message.into(),
        }
    }

    pub(crate) fn whole(field: &'static str, message: impl Into<String>) -> Self {
        CalendarProblem {
            row: None,
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for CalendarProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "row {row}, ")?;
        }
        write!(f, "field {:?}: {}", self.field, self.message)
    }
}

/// The schedule year a listed date belongs to: its own year, or the next one for a December date
/// (see the module comment).
pub fn schedule_year_of(date: Date) -> i32 {
    i32::from(date.year()) + i32::from(date.month() == 12)
}

/// First and last day of a schedule year's span (1 Dec of the year before – 30 Nov), or `None`
/// outside [`FIRST_SUPPORTED_YEAR`]..=[`LAST_SUPPORTED_YEAR`].
pub fn schedule_span(year: i32) -> Option<(Date, Date)> {
    if !(FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&year) {
        return None;
    }
    let year = i16::try_from(year).ok()?;
    let first = Date::new(year - 1, 12, 1).ok()?;
    let last = Date::new(year, 11, 30).ok()?;
    Some((first, last))
}

/// Checks that hold for any set of rows; `rows` pairs each entry with its row number.
pub(crate) fn check_rows<'a>(
    rows: impl IntoIterator<Item = (usize, &'a HolidayEntry)>,
) -> Vec<CalendarProblem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<Date, usize> = HashMap::new();
    for (row, entry) in rows {
        let date = entry.date;
        if let Some(first_row) = seen.insert(date, row) {
            problems.push(CalendarProblem::at(
                row,
                "date",
                format!("{date} is already listed on row {first_row}: holiday periods overlap"),
            ));
            seen.insert(date, first_row);
        }
        if entry.kind == DayKind::Workday && is_weekday(date) {
            problems.push(CalendarProblem::at(
                row,
                "date",
                format!(
                    "{date} is a {:?}: a make-up workday (kind=workday) must be a Saturday or Sunday",
                    date.weekday()
                ),
            ));
        }
        if entry.name.trim().is_empty() {
            problems.push(CalendarProblem::at(
                row,
                "name",
                "the name is empty: give the holiday's name, e.g. 春节",
            ));
        }
        let year = schedule_year_of(date);
        if schedule_span(year).is_none() {
            problems.push(CalendarProblem::at(
                row,
                "date",
                format!(
                    "{date} belongs to the {year} schedule, outside the years a calendar holds \
                     ({FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR})"
                ),
            ));
        }
    }
    problems
}

/// Row numbers for entries given as a list: entry `i` is row `i + 2` (see [`CalendarProblem`]).
pub(crate) fn numbered(entries: &[HolidayEntry]) -> impl Iterator<Item = (usize, &HolidayEntry)> {
    entries.iter().enumerate().map(|(i, entry)| (i + 2, entry))
}
