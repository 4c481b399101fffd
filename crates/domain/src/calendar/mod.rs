//! The working-day calendar (Administrative Licensing Law art. 82: licensing time limits are
//! counted in working days, statutory holidays excluded). Owns the holiday schedules, the
//! answer to "is this a working day", and working-day arithmetic over a precomputed index.
//! It does no I/O: the shipped schedule is compiled in, imported years arrive as rows, and the
//! store persists [`Calendar::entries`].
//!
//! Counting (RULES.md §1): a working day is Monday–Friday outside an official holiday period,
//! plus the weekend make-up working days (调休). The day counted from is never counted itself.
//!
//! Known days: the calendar knows the days of the schedule years it holds, `first_year` to
//! `last_year` with no gap, each year running from 1 December of the year before to 30 November
//! (see `entry`). Outside them it counts Monday–Friday alone and marks the answer provisional;
//! the last December is outside on purpose, because next year's notice can still turn its last
//! days into New Year holidays or make-up days.

mod compare;
mod csv;
mod entry;
mod import;
mod index;
mod working_days;

use std::sync::{Arc, OnceLock};

use jiff::civil::Date;

pub use csv::{HOLIDAY_CSV_HEADER, parse_holiday_csv, write_holiday_csv};
pub use entry::{
    CalendarProblem, DayKind, FIRST_SUPPORTED_YEAR, HolidayEntry, LAST_SUPPORTED_YEAR,
    schedule_span, schedule_year_of,
};
pub use working_days::{WorkingCount, WorkingDate, WorkingDays, WorkingDaysError};

use entry::{check_rows, numbered};
use index::{WorkingDayIndex, date_of, day_number, is_weekday};

/// The holiday schedules shipped with the product (2004–2026, from chinese-calendar 1.11.0).
const EMBEDDED_CSV: &str = include_str!("../../data/cn_holidays.csv");

/// Why working-day arithmetic has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Only reachable with absurd inputs: edges take a bounded [`WorkingDays`].
    #[error("the date would fall outside the supported range (-9999-01-01 to 9999-12-31)")]
    OutOfRange,
}

/// An immutable working-day calendar; cloning is cheap (the data is shared).
#[derive(Debug, Clone)]
pub struct Calendar(Arc<CalendarData>);

#[derive(Debug)]
struct CalendarData {
    /// Sorted by date, no date twice.
    entries: Vec<HolidayEntry>,
    first_year: i32,
    last_year: i32,
    index: WorkingDayIndex,
}

impl Calendar {
    /// Builds a calendar from rows of one or more consecutive schedule years, in any order.
    /// Refuses rows that fail the row checks and a gap between years (every year has official
    /// holidays, so a year without rows is missing data, not a year without holidays).
    pub fn from_entries(mut entries: Vec<HolidayEntry>) -> Result<Calendar, Vec<CalendarProblem>> {
        let mut problems = check_rows(numbered(&entries));
        let years = entries.iter().map(|entry| schedule_year_of(entry.date));
        let (Some(first_year), Some(last_year)) = (years.clone().min(), years.max()) else {
            problems.push(CalendarProblem::whole(
                "year",
                "no rows: a calendar needs at least one year's schedule",
            ));
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        for year in first_year..=last_year {
            if !entries
                .iter()
                .any(|entry| schedule_year_of(entry.date) == year)
            {
                problems.push(CalendarProblem::whole(
                    "year",
                    format!(
                        "no rows for {year}, between {first_year} and {last_year}: \
                         every year has official holidays, so its schedule is missing"
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        entries.sort_by_key(|entry| entry.date);
        let index = build_index(&entries, first_year, last_year);
        Ok(Calendar(Arc::new(CalendarData {
            entries,
            first_year,
            last_year,
            index,
        })))
    }

    /// The calendar shipped with the product, parsed once per process.
    pub fn embedded() -> Calendar {
        static EMBEDDED: OnceLock<Calendar> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                parse_holiday_csv(EMBEDDED_CSV)
                    .and_then(Calendar::from_entries)
                    // The file is compiled in and checked by the tests: failing is a build bug.
                    .unwrap_or_else(|problems| panic!("embedded cn_holidays.csv: {problems:?}"))
            })
            .clone()
    }

    /// The first schedule year the calendar holds.
    pub fn first_year(&self) -> i32 {
        self.0.first_year
    }

    /// The last schedule year the calendar holds.
    pub fn last_year(&self) -> i32 {
        self.0.last_year
    }

    /// Whether the calendar holds this schedule year (years run 1 Dec – 30 Nov, see the module).
    pub fn knows_year(&self, year: i32) -> bool {
        (self.0.first_year..=self.0.last_year).contains(&year)
    }

    /// Whether `date` is counted from a known schedule rather than Monday–Friday alone.
    pub fn knows(&self, date: Date) -> bool {
        self.0.index.is_known(day_number(date))
    }

    /// The first known day (1 December of the year before `first_year`).
    pub fn first_known_day(&self) -> Date {
        self.known_day(self.0.index.first_known())
    }

    /// The last known day (30 November of `last_year`).
    pub fn last_known_day(&self) -> Date {
        self.known_day(self.0.index.last_known())
    }

    /// The first day after the known ones: answers reaching it are provisional.
    pub fn first_unknown_day(&self) -> Date {
        self.known_day(self.0.index.last_known() + 1)
    }

    fn known_day(&self, day: index::DayNumber) -> Date {
        // Known days lie within supported schedule years, whose spans jiff can represent.
        date_of(day).unwrap_or(Date::MAX)
    }

    /// Every row, sorted by date: what the store persists and the export writes.
    pub fn entries(&self) -> &[HolidayEntry] {
        &self.0.entries
    }

    /// The rows of one schedule year (1 Dec of the year before – 30 Nov), sorted by date.
    pub fn entries_of_year(&self, year: i32) -> &[HolidayEntry] {
        let entries = &self.0.entries;
        let Some((first, last)) = schedule_span(year) else {
            return &[];
        };
        let from = entries.partition_point(|entry| entry.date < first);
        let to = entries.partition_point(|entry| entry.date <= last);
        &entries[from..to]
    }

    /// Is `date` a working day? Outside the known days: Monday–Friday.
    pub fn is_working_day(&self, date: Date) -> bool {
        let day = day_number(date);
        if self.0.index.is_known(day) {
            self.0.index.is_working(day)
        } else {
            is_weekday(date)
        }
    }

    /// The `n`-th working day after `from` (`from` itself is not counted, RULES.md §1 Counting);
    /// `n = 0` gives `from`. Provisional when any counted day lies outside the known days.
    /// Errors only when the answer would fall past 9999-12-31: take `n` from a [`WorkingDays`]
    /// at the edges and it cannot happen for any date before 9985.
    pub fn add_working_days(&self, from: Date, n: u32) -> Result<WorkingDate, CalendarError> {
        if n == 0 {
            return Ok(WorkingDate {
                date: from,
                provisional: false,
            });
        }
        let index = &self.0.index;
        let start = day_number(from);
        let target = index.working_day_with_count(index.count_through(start) + i64::from(n));
        Ok(WorkingDate {
            date: date_of(target)?,
            provisional: !index.is_known(start + 1) || !index.is_known(target),
        })
    }

    /// Working days in `(a, b]`; when `b < a`, minus the working days in `(b, a]`, so that
    /// `working_days_between(a, add_working_days(a, n)) == n` and the count is antisymmetric.
    /// Provisional when any counted day lies outside the known days.
    pub fn working_days_between(&self, a: Date, b: Date) -> WorkingCount {
        let index = &self.0.index;
        let (a, b) = (day_number(a), day_number(b));
        let (low, high) = (a.min(b), a.max(b));
        WorkingCount {
            days: index.count_through(b) - index.count_through(a),
            provisional: low != high && (!index.is_known(low + 1) || !index.is_known(high)),
        }
    }

    /// The calendar an administrator's import of one schedule year produces; `self` is
    /// unchanged. Accepts rows dated 1 Dec of the year before to 30 Nov of `year`, only for the
    /// year after the last (or before the first) — or a held year with `replace`, whose rows are
    /// then all replaced. Refuses, listing every problem: no rows, rows outside the span, the
    /// row checks, 1 Jan / 1 May / 1 Oct not listed as holidays, a held year without `replace`,
    /// a gap.
    pub fn import_year(
        &self,
        year: i32,
        entries: Vec<HolidayEntry>,
        replace: bool,
    ) -> Result<Calendar, Vec<CalendarProblem>> {
        import::import_year(self, year, entries, replace)
    }
}

/// One flag per known day: Monday–Friday unless listed as holiday, or listed as make-up workday.
fn build_index(entries: &[HolidayEntry], first_year: i32, last_year: i32) -> WorkingDayIndex {
    let first = schedule_span(first_year).map_or(0, |(first, _)| day_number(first));
    let last = schedule_span(last_year).map_or(first - 1, |(_, last)| day_number(last));
    let weekday = |day: i64| day.rem_euclid(7) < 5;
    let mut flags: Vec<bool> = (first..=last).map(weekday).collect();
    for entry in entries {
        let offset = usize::try_from(day_number(entry.date) - first).ok();
        if let Some(flag) = offset.and_then(|offset| flags.get_mut(offset)) {
            *flag = entry.kind == DayKind::Workday;
        }
    }
    WorkingDayIndex::new(first, &flags)
}
