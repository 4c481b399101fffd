//! An administrator's import of one schedule year (the State Council's annual notice). Owns the
//! rules for what such an import may contain; the result is a new [`Calendar`] value, and the
//! caller persists its entries and recomputes provisional deadlines.
//!
//! Accepted: rows dated within the year's span, 1 December of the year before to 30 November
//! (New Year's Day holidays and their make-up days may start in late December, e.g. the 2019
//! notice worked Saturday 29 Dec 2018; December of the year itself belongs to the next notice).
//! Refused, every problem listed: a year outside 1949–9999; no rows; a row outside the span; the
//! row checks (a date twice, a make-up workday on a weekday, an empty name); New Year's Day,
//! Labour Day or National Day (1 Jan, 1 May, 1 Oct, statutory holidays every year) not listed as
//! holidays — the sign of a truncated file; a year already held, unless `replace`; a year that
//! would leave a gap (only the year after the last, or before the first, can be added).

use jiff::civil::Date;

use super::entry::{CalendarProblem, DayKind, HolidayEntry, check_rows, numbered, schedule_span};
use super::{Calendar, FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};

/// The fixed-date statutory holidays every year's schedule lists (全国年节及纪念日放假办法 art. 2).
const FIXED_HOLIDAYS: [(i8, i8, &str); 3] = [
    (1, 1, "New Year's Day"),
    (5, 1, "Labour Day"),
    (10, 1, "National Day"),
];

pub(super) fn import_year(
    calendar: &Calendar,
    year: i32,
    entries: Vec<HolidayEntry>,
    replace: bool,
) -> Result<Calendar, Vec<CalendarProblem>> {
    let Some((first, last)) = schedule_span(year) else {
        return Err(vec![CalendarProblem::whole(
            "year",
            format!(
                "{year} is outside the years a calendar holds \
                 ({FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR})"
            ),
        )]);
    };
    let mut problems = Vec::new();
    if entries.is_empty() {
        problems.push(CalendarProblem::whole(
            "year",
            format!("no rows for {year}: a year's schedule lists at least its holidays"),
        ));
    }
    problems.extend(outside_span(year, (first, last), &entries));
    problems.extend(check_rows(numbered(&entries)));
    if !entries.is_empty() {
        problems.extend(missing_fixed_holidays(year, &entries));
    }
    problems.extend(position_problem(calendar, year, replace));
    if !problems.is_empty() {
        problems.sort_by_key(|problem| problem.row);
        return Err(problems);
    }
    let mut combined: Vec<HolidayEntry> = calendar
        .entries()
        .iter()
        .filter(|entry| entry.date < first || entry.date > last)
        .cloned()
        .collect();
    combined.extend(entries);
    Calendar::from_entries(combined)
}

/// Rows dated outside the year's span (1 Dec of the year before – 30 Nov).
fn outside_span(
    year: i32,
    (first, last): (Date, Date),
    entries: &[HolidayEntry],
) -> Vec<CalendarProblem> {
    numbered(entries)
        .filter(|(_, entry)| entry.date < first || entry.date > last)
        .map(|(row, entry)| {
            CalendarProblem::at(
                row,
                "date",
                format!(
                    "{} is not in the {year} schedule, which runs from {first} to {last} \
                     (December {year} belongs to the {} schedule)",
                    entry.date,
                    year + 1
                ),
            )
        })
        .collect()
}

fn missing_fixed_holidays(year: i32, entries: &[HolidayEntry]) -> Vec<CalendarProblem> {
    let Ok(year16) = i16::try_from(year) else {
        return Vec::new();
    };
    FIXED_HOLIDAYS
        .iter()
        .filter_map(|&(month, day, name)| {
            let date = Date::new(year16, month, day).ok()?;
            let listed = entries
                .iter()
                .any(|entry| entry.date == date && entry.kind == DayKind::Holiday);
            (!listed).then(|| {
                CalendarProblem::whole(
                    "year",
                    format!(
                        "{date} ({name}) is not listed as a holiday: every year's schedule has it \
                         — is the file complete?"
                    ),
                )
            })
        })
        .collect()
}

/// A new year must extend the calendar without a gap; a held year needs `replace`.
fn position_problem(calendar: &Calendar, year: i32, replace: bool) -> Option<CalendarProblem> {
    let (first, last) = (calendar.first_year(), calendar.last_year());
    let message = if calendar.knows_year(year) {
        if replace {
            return None;
        }
        format!(
            "{year} is already in the calendar ({first}–{last}): \
             import it with replace to overwrite it"
        )
    } else if year > last + 1 {
        format!(
            "importing {year} would leave {} without a schedule: import {} first",
            year_range(last + 1, year - 1),
            last + 1
        )
    } else if year < first - 1 {
        format!(
            "importing {year} would leave {} without a schedule: import {} first",
            year_range(year + 1, first - 1),
            first - 1
        )
    } else {
        return None;
    };
    Some(CalendarProblem::whole("year", message))
}

fn year_range(from: i32, to: i32) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}–{to}")
    }
}
