//! The precomputed working-day index: day numbers, the cumulative count of working days over the
//! days the calendar knows, and the Monday–Friday rule that extends it on both sides. Owns the
//! arithmetic only; which days are holidays is decided by the caller that builds the index.
//!
//! Everything here works on *day numbers* (`i64`, day 0 = Monday 1970-01-05) so a query is a few
//! integer operations and at most two vector reads — no calendar walking.

use jiff::civil::{Date, Weekday};

use super::CalendarError;

/// A civil date as a count of days; day 0 is Monday 1970-01-05, so `day.rem_euclid(7)` is the
/// weekday with Monday = 0.
pub(crate) type DayNumber = i64;

/// Days from 1970-01-01 to the Monday the day numbers start on.
const MONDAY_EPOCH_OFFSET: i64 = 4;

/// The day number of a date (H. Hinnant's `days_from_civil`, valid for every jiff date).
pub(crate) fn day_number(date: Date) -> DayNumber {
    let (y, m, d) = (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468 - MONDAY_EPOCH_OFFSET
}

/// `day_number(Date::MIN)` and `day_number(Date::MAX)` (checked by a test below).
const FIRST_DAY: DayNumber = -4_371_591;
const LAST_DAY: DayNumber = 2_932_892;

/// The date of a day number, or an error when it lies outside jiff's range (-9999..=9999).
pub(crate) fn date_of(day: DayNumber) -> Result<Date, CalendarError> {
    let out_of_range = CalendarError::OutOfRange;
    if !(FIRST_DAY..=LAST_DAY).contains(&day) {
        return Err(out_of_range);
    }
    let z = day + MONDAY_EPOCH_OFFSET + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let d = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let m = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let y = year_of_era + era * 400 + i64::from(m <= 2);
    // The range check above keeps every component within i16/i8.
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) else {
        return Err(out_of_range);
    };
    Date::new(y, m, d).map_err(|_| out_of_range)
}

/// Monday to Friday: the working week before any holiday schedule is applied.
pub(crate) fn is_weekday(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Number of Monday–Friday days in `[0, day)` (negative for days before day 0).
fn weekdays_before(day: DayNumber) -> i64 {
    5 * day.div_euclid(7) + day.rem_euclid(7).min(5)
}

/// The Monday–Friday day that has exactly `rank` Monday–Friday days in `[0, it)`; the inverse of
/// [`weekdays_before`] on weekdays.
fn weekday_with_rank(rank: i64) -> DayNumber {
    7 * rank.div_euclid(5) + rank.rem_euclid(5)
}

/// Cumulative working days over the known days `[start, start + len)`.
///
/// `cum[i]` = working days in `[start, start + i)`, so `cum.len() = len + 1`;
/// `working[k]` = offset of the (k+1)-th working day. Outside the known days the Monday–Friday
/// rule continues the count, which makes `count_through` a single non-decreasing function over
/// every day and `working_day_with_count` its exact inverse on working days.
#[derive(Debug, Clone)]
pub(crate) struct WorkingDayIndex {
    start: DayNumber,
    cum: Vec<u32>,
    working: Vec<u32>,
}

impl WorkingDayIndex {
    /// Builds the index from one flag per known day, `start` being the first known day.
    pub(crate) fn new(start: DayNumber, is_working: &[bool]) -> WorkingDayIndex {
        let mut cum = Vec::with_capacity(is_working.len() + 1);
        let mut working = Vec::new();
        let mut count = 0u32;
        cum.push(0);
        for (offset, &flag) in (0u32..).zip(is_working) {
            if flag {
                working.push(offset);
                count += 1;
            }
            cum.push(count);
        }
        WorkingDayIndex {
            start,
            cum,
            working,
        }
    }

    pub(crate) fn first_known(&self) -> DayNumber {
        self.start
    }

    /// The last known day (`start - 1` for an index of no days).
    pub(crate) fn last_known(&self) -> DayNumber {
        // `cum` holds one more entry than there are days; a calendar spans at most ~3.6 M days.
        self.start + self.cum.len() as i64 - 2
    }

    fn total(&self) -> i64 {
        i64::from(self.cum.last().copied().unwrap_or(0))
    }

    pub(crate) fn is_known(&self, day: DayNumber) -> bool {
        (self.first_known()..=self.last_known()).contains(&day)
    }

    /// Is `day` a working day: from the index inside the known days, Monday–Friday outside.
    pub(crate) fn is_working(&self, day: DayNumber) -> bool {
        self.count_through(day) - self.count_through(day - 1) == 1
    }

    /// Working days in `(start - 1, day]`, continued by the Monday–Friday rule outside the known
    /// days (negative before them). Non-decreasing, +1 exactly on working days.
    pub(crate) fn count_through(&self, day: DayNumber) -> i64 {
        let last = self.last_known();
        if day < self.start {
            weekdays_before(day + 1) - weekdays_before(self.start)
        } else if day <= last {
            // In range by the branch conditions.
            let offset = usize::try_from(day - self.start).unwrap_or(0);
            i64::from(self.cum[offset + 1])
        } else {
            self.total() + weekdays_before(day + 1) - weekdays_before(last + 1)
        }
    }

    /// The working day `w` with `count_through(w) == count`: the inverse of `count_through`.
    pub(crate) fn working_day_with_count(&self, count: i64) -> DayNumber {
        if count <= 0 {
            weekday_with_rank(weekdays_before(self.start) + count - 1)
        } else if count <= self.total() {
            let k = usize::try_from(count - 1).unwrap_or(0);
            self.start + i64::from(self.working[k])
        } else {
            weekday_with_rank(weekdays_before(self.last_known() + 1) + (count - self.total()) - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_across_jiffs_range() {
        for date in [
            Date::MIN,
            Date::MAX,
            Date::constant(1970, 1, 5),
            Date::constant(2000, 2, 29),
            Date::constant(2026, 9, 30),
        ] {
            assert_eq!(date_of(day_number(date)), Ok(date));
        }
        assert_eq!(day_number(Date::constant(1970, 1, 5)), 0);
        assert_eq!(
            (day_number(Date::MIN), day_number(Date::MAX)),
            (FIRST_DAY, LAST_DAY)
        );
        assert!(date_of(day_number(Date::MAX) + 1).is_err());
        assert!(date_of(day_number(Date::MIN) - 1).is_err());
    }

    #[test]
    fn weekday_rank_inverts_the_weekday_count() {
        for day in -30i64..30 {
            let weekday = day.rem_euclid(7) < 5;
            assert_eq!(
                weekdays_before(day + 1) - weekdays_before(day),
                i64::from(weekday)
            );
            if weekday {
                assert_eq!(weekday_with_rank(weekdays_before(day)), day);
            }
        }
    }
}
