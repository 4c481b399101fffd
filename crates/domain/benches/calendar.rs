//! Working-day arithmetic timing: ns per `add_working_days` and per `working_days_between` on
//! random inputs across 2004–2027 (part of 2027 is past the known days, so provisional answers
//! are timed too), against a naive day-by-day loop in the same run.
//!
//! Run with `cargo bench -p onewindow-domain --bench calendar`. A plain timing harness (no
//! criterion): each figure is the best of a few rounds.

use std::hint::black_box;
use std::time::Instant;

use jiff::Span;
use jiff::civil::{Date, date};
use onewindow_domain::calendar::{Calendar, WorkingCount, WorkingDate};

const CALLS: usize = 4_000_000;
const NAIVE_CALLS: usize = 200_000;
const ROUNDS: usize = 5;
/// Days from 2004-01-01 to 2027-12-31.
const SPAN_DAYS: u64 = 8_766;

/// xorshift64*: reproducible inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn date(&mut self) -> Date {
        let offset = i64::try_from(self.next() % SPAN_DAYS).unwrap_or(0);
        date(2004, 1, 1)
            .checked_add(Span::new().days(offset))
            .expect("in range")
    }
}

fn naive_add(calendar: &Calendar, from: Date, n: u32) -> Date {
    let (mut day, mut left) = (from, n);
    while left > 0 {
        day = day.tomorrow().expect("in range");
        left -= u32::from(calendar.is_working_day(day));
    }
    day
}

fn naive_between(calendar: &Calendar, a: Date, b: Date) -> i64 {
    let (low, high, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    let (mut day, mut count) = (low, 0);
    while day < high {
        day = day.tomorrow().expect("in range");
        count += i64::from(calendar.is_working_day(day));
    }
    sign * count
}

/// Best-of-rounds nanoseconds per call of `f` over `inputs`.
fn time<T, R>(inputs: &[T], mut f: impl FnMut(&T) -> R) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for input in inputs {
            black_box(f(black_box(input)));
        }
        let ns = started.elapsed().as_nanos() as f64 / inputs.len() as f64;
        best = best.min(ns);
    }
    best
}

fn main() {
    let calendar = Calendar::embedded();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let adds: Vec<(Date, u32)> = (0..CALLS)
        .map(|_| (rng.date(), u32::try_from(rng.next() % 61).unwrap_or(0)))
        .collect();
    let pairs: Vec<(Date, Date)> = (0..CALLS).map(|_| (rng.date(), rng.date())).collect();
    // Same inputs for both methods: check they agree before timing.
    for &(from, n) in &adds[..NAIVE_CALLS] {
        let fast: WorkingDate = calendar.add_working_days(from, n).expect("in range");
        assert_eq!(fast.date, naive_add(&calendar, from, n), "{from} + {n}");
    }
    for &(a, b) in &pairs[..2_000] {
        let fast: WorkingCount = calendar.working_days_between(a, b);
        assert_eq!(fast.days, naive_between(&calendar, a, b), "{a}..{b}");
    }

    let add_ns = time(&adds, |&(from, n)| calendar.add_working_days(from, n));
    let naive_add_ns = time(&adds[..NAIVE_CALLS], |&(from, n)| {
        naive_add(&calendar, from, n)
    });
    let between_ns = time(&pairs, |&(a, b)| calendar.working_days_between(a, b));
    let naive_between_ns = time(&pairs[..NAIVE_CALLS / 100], |&(a, b)| {
        naive_between(&calendar, a, b)
    });

    println!("working-day arithmetic, random inputs 2004-01-01..2027-12-31, best of {ROUNDS}");
    println!("add_working_days (n in 0..=60)   {add_ns:>10.1} ns/call  ({CALLS} calls)");
    println!(
        "  naive day-by-day loop          {naive_add_ns:>10.1} ns/call  ({NAIVE_CALLS} calls)"
    );
    println!(
        "  ratio naive / indexed          {:>10.1}x",
        naive_add_ns / add_ns
    );
    println!("working_days_between (any span)  {between_ns:>10.1} ns/call  ({CALLS} calls)");
    println!(
        "  naive day-by-day loop          {naive_between_ns:>10.1} ns/call  ({} calls)",
        NAIVE_CALLS / 100
    );
    println!(
        "  ratio naive / indexed          {:>10.1}x",
        naive_between_ns / between_ns
    );
}
