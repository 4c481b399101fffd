//! Properties of working-day arithmetic over the shipped calendar, for dates across and around
//! the known years: adding then counting gives the number added, results grow with N, and the
//! answers agree with `is_working_day`.

use jiff::civil::{Date, date};
use onewindow_domain::calendar::{Calendar, WorkingDays};
use proptest::prelude::*;

/// Dates from 2002 to 2029: before, across and after the known years.
fn any_date() -> impl Strategy<Value = Date> {
    (0i64..10_227).prop_map(|offset| {
        date(2002, 1, 1)
            .checked_add(jiff::Span::new().days(offset))
            .expect("in range")
    })
}

proptest! {
    #[test]
    fn adding_n_then_counting_gives_n(from in any_date(), n in 0u32..800) {
        let calendar = Calendar::embedded();
        let due = calendar.add_working_days(from, n).unwrap();
        let count = calendar.working_days_between(from, due.date);
        prop_assert_eq!(count.days, i64::from(n));
        prop_assert_eq!(count.provisional, due.provisional);
        prop_assert!(n == 0 || calendar.is_working_day(due.date));
        prop_assert!(due.date >= from);
    }

    #[test]
    fn adding_is_monotonic_in_n(from in any_date(), n in 0u32..800, more in 1u32..50) {
        let calendar = Calendar::embedded();
        let earlier = calendar.add_working_days(from, n).unwrap().date;
        let later = calendar.add_working_days(from, n + more).unwrap().date;
        prop_assert!(earlier < later);
    }

    #[test]
    fn counting_is_additive_and_antisymmetric(a in any_date(), b in any_date(), c in any_date()) {
        let calendar = Calendar::embedded();
        let between = |x, y| calendar.working_days_between(x, y).days;
        prop_assert_eq!(between(a, b) + between(b, c), between(a, c));
        prop_assert_eq!(between(a, b), -between(b, a));
    }

    #[test]
    fn a_parsed_day_count_round_trips(n in 0u32..=WorkingDays::MAX) {
        let days: WorkingDays = n.to_string().parse().unwrap();
        prop_assert_eq!(days.get(), n);
    }
}
