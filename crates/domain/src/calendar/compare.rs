//! Where two calendars count differently: what a due-date recompute needs to know after an
//! import (issue 3). A working-day count over `(start, due]` reads only the working-day flags of
//! the days up to `due` (RULES.md §1 Counting), so a due date counted on one calendar is the
//! same on another when no day up to it is counted differently — however far each calendar's
//! known days reach. Days neither calendar knows are Monday–Friday in both.

use jiff::civil::Date;

use super::Calendar;
use super::index::{date_of, day_number};

impl Calendar {
    /// The first day that is a working day on one calendar and not on the other, if any.
    /// Importing the next schedule year changes only days of that year (its holidays on
    /// weekdays, its make-up working days); replacing a held year can change earlier ones.
    pub fn first_difference(&self, other: &Calendar) -> Option<Date> {
        let (a, b) = (&self.0.index, &other.0.index);
        let first = a.first_known().min(b.first_known());
        let last = a.last_known().max(b.last_known());
        (first..=last)
            .filter_map(|day| date_of(day).ok())
            .find(|&date| self.is_working_day(date) != other.is_working_day(date))
    }

    /// Whether every working-day count that reads no day after `through` — a due date on or
    /// before it, the days used up to it — comes out the same on both calendars.
    pub fn counts_alike_through(&self, other: &Calendar, through: Date) -> bool {
        self.first_difference(other)
            .is_none_or(|changed| day_number(changed) > day_number(through))
    }
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan;
    use jiff::civil::{Date, Weekday, date};
    use proptest::prelude::*;

    use super::super::{Calendar, DayKind, HolidayEntry};

    fn entry(date: Date, kind: DayKind) -> HolidayEntry {
        HolidayEntry {
            date,
            kind,
            name: "测试".into(),
        }
    }

    /// The embedded calendar with a 2027 made of the fixed holidays plus the days `offsets`
    /// (from 1 Dec 2026) name: a weekday becomes a holiday, a weekend day a make-up workday.
    fn with_2027(offsets: &[i64]) -> Calendar {
        let mut entries: Vec<HolidayEntry> =
            [date(2027, 1, 1), date(2027, 5, 1), date(2027, 10, 1)]
                .into_iter()
                .map(|d| entry(d, DayKind::Holiday))
                .collect();
        for &offset in offsets {
            let day = date(2026, 12, 1) + offset.days();
            if entries.iter().any(|e| e.date == day) {
                continue;
            }
            let kind = match day.weekday() {
                Weekday::Saturday | Weekday::Sunday => DayKind::Workday,
                _ => DayKind::Holiday,
            };
            entries.push(entry(day, kind));
        }
        Calendar::embedded()
            .import_year(2027, entries, false)
            .expect("a valid 2027")
    }

    #[test]
    fn a_calendar_counts_like_itself() {
        let calendar = Calendar::embedded();
        assert_eq!(calendar.first_difference(&calendar), None);
        assert!(calendar.counts_alike_through(&calendar, date(2099, 1, 1)));
    }

    #[test]
    fn importing_the_next_year_changes_its_first_irregular_day() {
        let old = Calendar::embedded();
        // 1 Jan 2027 is a Friday: the first day 2027's schedule counts unlike Monday–Friday.
        let new = with_2027(&[]);
        assert_eq!(old.first_difference(&new), Some(date(2027, 1, 1)));
        assert_eq!(new.first_difference(&old), Some(date(2027, 1, 1)));
        assert!(old.counts_alike_through(&new, date(2026, 12, 31)));
        assert!(!old.counts_alike_through(&new, date(2027, 1, 1)));
        // A make-up Saturday in December comes first.
        let new = with_2027(&[4]);
        assert_eq!(old.first_difference(&new), Some(date(2026, 12, 5)));
    }

    #[test]
    fn replacing_a_held_year_changes_days_inside_the_known_ones() {
        let old = Calendar::embedded();
        let rows = vec![
            entry(date(2026, 1, 1), DayKind::Holiday),
            entry(date(2026, 5, 1), DayKind::Holiday),
            entry(date(2026, 10, 1), DayKind::Holiday),
        ];
        let new = old.import_year(2026, rows, true).expect("a valid 2026");
        let changed = old.first_difference(&new).expect("2026 lost holidays");
        assert!(changed > date(2025, 11, 30) && changed <= date(2026, 11, 30));
        assert_ne!(old.is_working_day(changed), new.is_working_day(changed));
    }

    proptest! {
        /// The recompute's skip rule: a due date counted on the old calendar does not move on
        /// the new one when no day up to it is counted differently.
        #[test]
        fn a_due_date_before_the_first_difference_does_not_move(
            offsets in prop::collection::vec(0i64..365, 0..12),
            start in 0i64..500,
            n in 0u32..300,
        ) {
            let old = Calendar::embedded();
            let new = with_2027(&offsets);
            let from = date(2026, 1, 1) + start.days();
            let due = old.add_working_days(from, n).expect("in range").date;
            if old.counts_alike_through(&new, due) {
                prop_assert_eq!(new.add_working_days(from, n).expect("in range").date, due);
                prop_assert_eq!(
                    new.working_days_between(from, due).days,
                    old.working_days_between(from, due).days
                );
            }
        }

        /// The first difference is where they first disagree: every day before it agrees.
        #[test]
        fn every_day_before_the_first_difference_agrees(
            offsets in prop::collection::vec(0i64..365, 0..12),
            back in 0i64..800,
        ) {
            let old = Calendar::embedded();
            let new = with_2027(&offsets);
            let changed = old.first_difference(&new).expect("2027 has holidays on weekdays");
            prop_assert_ne!(old.is_working_day(changed), new.is_working_day(changed));
            let before = changed - (back + 1).days();
            prop_assert_eq!(old.is_working_day(before), new.is_working_day(before));
            prop_assert_eq!(new.first_difference(&old), Some(changed));
        }
    }
}
