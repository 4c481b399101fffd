//! Working-day arithmetic over the shipped calendar: real holiday periods checked against the
//! CSV, provisional answers past the known years, extreme inputs, and an exhaustive comparison
//! with a naive day-by-day count.

use std::collections::HashMap;

use jiff::civil::{Date, date};
use onewindow_domain::calendar::{Calendar, DayKind, WorkingDate};

fn calendar() -> Calendar {
    Calendar::embedded()
}

fn add(from: Date, n: u32) -> WorkingDate {
    calendar().add_working_days(from, n).expect("in range")
}

/// Asserts the CSV lists exactly `expected` (date, kind) in `from..=to`.
fn assert_csv_lists(from: Date, to: Date, expected: &[(Date, DayKind)]) {
    let listed: Vec<(Date, DayKind)> = calendar()
        .entries()
        .iter()
        .filter(|entry| (from..=to).contains(&entry.date))
        .map(|entry| (entry.date, entry.kind))
        .collect();
    assert_eq!(listed, expected, "CSV rows between {from} and {to}");
}

/// Asserts which days of `from..` are working days: `pattern` has one char per day, W or -.
fn assert_working_days(from: Date, pattern: &str) {
    let calendar = calendar();
    let mut day = from;
    for flag in pattern.chars().filter(|c| !c.is_whitespace()) {
        assert_eq!(calendar.is_working_day(day), flag == 'W', "{day}");
        day = day.tomorrow().unwrap();
    }
}

fn holidays(from: Date, to: Date) -> Vec<(Date, DayKind)> {
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        days.push((day, DayKind::Holiday));
        day = day.tomorrow().unwrap();
    }
    days
}

#[test]
fn national_day_2026_example_from_the_issue() {
    assert_eq!(
        add(date(2026, 9, 30), 5),
        WorkingDate {
            date: date(2026, 10, 13),
            provisional: false
        }
    );
}

#[test]
fn adding_zero_working_days_gives_the_start_itself() {
    for from in [date(2026, 10, 3), date(2026, 12, 25), date(1900, 1, 1)] {
        assert_eq!(
            add(from, 0),
            WorkingDate {
                date: from,
                provisional: false
            }
        );
        assert_eq!(calendar().working_days_between(from, from).days, 0);
    }
}

#[test]
fn spring_festival_2025_with_its_make_up_sunday_and_saturday() {
    let mut expected = vec![(date(2025, 1, 26), DayKind::Workday)];
    expected.extend(holidays(date(2025, 1, 28), date(2025, 2, 4)));
    expected.push((date(2025, 2, 8), DayKind::Workday));
    assert_csv_lists(date(2025, 1, 20), date(2025, 2, 20), &expected);
    // Sat 25 Jan .. Sun 9 Feb
    assert_working_days(date(2025, 1, 25), "-WW -------- WWWW-");
    assert_eq!(add(date(2025, 1, 24), 1).date, date(2025, 1, 26));
    assert_eq!(add(date(2025, 1, 27), 1).date, date(2025, 2, 5));
    let count = calendar().working_days_between(date(2025, 1, 24), date(2025, 2, 8));
    assert_eq!(count.days, 6);
}

#[test]
fn spring_festival_2026_with_two_make_up_saturdays() {
    let mut expected = vec![(date(2026, 2, 14), DayKind::Workday)];
    expected.extend(holidays(date(2026, 2, 15), date(2026, 2, 23)));
    expected.push((date(2026, 2, 28), DayKind::Workday));
    assert_csv_lists(date(2026, 2, 5), date(2026, 3, 10), &expected);
    // Fri 13 Feb .. Sun 1 Mar
    assert_working_days(date(2026, 2, 13), "WW --------- WWWWW-");
    assert_eq!(add(date(2026, 2, 13), 2).date, date(2026, 2, 24));
    let count = calendar().working_days_between(date(2026, 2, 12), date(2026, 3, 2));
    assert_eq!(count.days, 1 + 1 + 5 + 1);
}

#[test]
fn national_day_2025_merged_with_mid_autumn() {
    let mut expected = vec![(date(2025, 9, 28), DayKind::Workday)];
    expected.extend(holidays(date(2025, 10, 1), date(2025, 10, 8)));
    expected.push((date(2025, 10, 11), DayKind::Workday));
    assert_csv_lists(date(2025, 9, 15), date(2025, 10, 20), &expected);
    let mid_autumn = calendar()
        .entries()
        .iter()
        .find(|entry| entry.date == date(2025, 10, 6))
        .map(|entry| entry.name.clone());
    assert_eq!(mid_autumn.as_deref(), Some("中秋"));
    // Sat 27 Sep .. Sun 12 Oct
    assert_working_days(date(2025, 9, 27), "-WWW -------- WWW-");
    assert_eq!(add(date(2025, 9, 30), 1).date, date(2025, 10, 9));
    assert_eq!(add(date(2025, 9, 26), 1).date, date(2025, 9, 28));
}

#[test]
fn national_day_2026_and_mid_autumn_apart() {
    let mut expected = vec![(date(2026, 9, 20), DayKind::Workday)];
    expected.extend(holidays(date(2026, 9, 25), date(2026, 9, 27)));
    expected.extend(holidays(date(2026, 10, 1), date(2026, 10, 7)));
    expected.push((date(2026, 10, 10), DayKind::Workday));
    assert_csv_lists(date(2026, 9, 15), date(2026, 10, 20), &expected);
    // Sat 19 Sep .. Sun 11 Oct
    assert_working_days(date(2026, 9, 19), "-WWWWW --- WWW ------- WWW-");
}

#[test]
fn the_calendar_knows_2004_to_2026_up_to_the_last_november() {
    let calendar = calendar();
    assert_eq!((calendar.first_year(), calendar.last_year()), (2004, 2026));
    assert_eq!(calendar.first_known_day(), date(2003, 12, 1));
    assert_eq!(calendar.last_known_day(), date(2026, 11, 30));
    assert_eq!(calendar.first_unknown_day(), date(2026, 12, 1));
    assert!(calendar.knows(date(2026, 11, 30)));
    assert!(!calendar.knows(date(2026, 12, 1)));
}

#[test]
fn beyond_the_known_years_answers_are_provisional_and_count_weekdays() {
    let answer = add(date(2026, 12, 25), 10);
    assert!(answer.provisional);
    // Fri 25 Dec 2026 + 10 Monday–Friday days = Fri 8 Jan 2027 (no 2027 schedule yet).
    assert_eq!(answer.date, date(2027, 1, 8));
    // Mon 30 Nov is the last known day; Tue 1 Dec may still change with the 2027 notice.
    assert!(!add(date(2026, 11, 27), 1).provisional);
    assert!(add(date(2026, 11, 30), 1).provisional);
    let count = calendar().working_days_between(date(2026, 11, 1), date(2027, 1, 1));
    assert!(count.provisional);
    assert!(add(date(2003, 11, 28), 2).provisional);
    assert!(
        !calendar()
            .working_days_between(date(2026, 6, 1), date(2026, 7, 1))
            .provisional
    );
}

#[test]
fn counting_backwards_is_negative() {
    let calendar = calendar();
    let forward = calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 13));
    let backward = calendar.working_days_between(date(2026, 10, 13), date(2026, 9, 30));
    assert_eq!((forward.days, backward.days), (5, -5));
}

#[test]
fn extreme_dates_and_counts_never_panic() {
    let calendar = calendar();
    assert!(calendar.add_working_days(Date::MAX, 1).is_err());
    assert!(calendar.add_working_days(Date::MAX, 0).is_ok());
    assert!(
        calendar
            .add_working_days(date(2026, 1, 1), u32::MAX)
            .is_err()
    );
    assert!(calendar.add_working_days(Date::MIN, u32::MAX).is_err());
    let early = calendar.add_working_days(Date::MIN, 5).unwrap();
    assert!(early.provisional);
    let far = calendar
        .add_working_days(date(2026, 1, 1), 100_000)
        .unwrap();
    assert!(far.provisional);
    let all = calendar.working_days_between(Date::MIN, Date::MAX);
    assert!(all.provisional && all.days > 5_000_000);
    assert!(calendar.is_working_day(Date::MIN) || !calendar.is_working_day(Date::MIN));
}

/// A day-by-day count straight from the rows, to compare the index with.
struct Naive {
    kinds: HashMap<Date, DayKind>,
    known: (Date, Date),
}

impl Naive {
    fn new(calendar: &Calendar) -> Naive {
        let kinds = calendar
            .entries()
            .iter()
            .map(|e| (e.date, e.kind))
            .collect();
        Naive {
            kinds,
            known: (calendar.first_known_day(), calendar.last_known_day()),
        }
    }

    fn is_working(&self, day: Date) -> bool {
        match self.kinds.get(&day) {
            Some(kind) => *kind == DayKind::Workday,
            None => (day.weekday().to_monday_one_offset()) <= 5,
        }
    }

    fn add(&self, from: Date, n: u32) -> WorkingDate {
        let (mut day, mut left, mut provisional) = (from, n, false);
        while left > 0 {
            day = day.tomorrow().unwrap();
            provisional |= !(self.known.0..=self.known.1).contains(&day);
            if self.is_working(day) {
                left -= 1;
            }
        }
        WorkingDate {
            date: day,
            provisional,
        }
    }
}

#[test]
fn the_index_agrees_with_a_naive_count_on_every_day_from_2003_to_2027() {
    let calendar = calendar();
    let naive = Naive::new(&calendar);
    let mut from = date(2003, 6, 1);
    while from <= date(2027, 6, 30) {
        for n in [0, 1, 2, 3, 5, 7, 10, 20, 30, 60] {
            let expected = naive.add(from, n);
            assert_eq!(add(from, n), expected, "{from} + {n}");
            let count = calendar.working_days_between(from, expected.date);
            assert_eq!(count.days, i64::from(n), "{from}..{}", expected.date);
            assert_eq!(
                count.provisional, expected.provisional,
                "{from}..{}",
                expected.date
            );
        }
        assert_eq!(
            calendar.is_working_day(from),
            naive.is_working(from),
            "{from}"
        );
        from = from.tomorrow().unwrap();
    }
}
