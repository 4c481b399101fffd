//! An independent check of every day from 2004-01-01 to 2026-12-31 against PyPI
//! chinese-calendar 1.11.0's `is_workday`, dumped by scripts/chinese_calendar_dump.py into the
//! file named by ONEWINDOW_CHINESE_CALENDAR_DUMP. Without that variable the test says it skipped
//! and passes, unless ONEWINDOW_REQUIRE_EXTERNAL=1, where a missing reference is a failure.

use jiff::civil::{Date, date};
use onewindow_domain::calendar::Calendar;

const DUMP_VAR: &str = "ONEWINDOW_CHINESE_CALENDAR_DUMP";
const REQUIRE_VAR: &str = "ONEWINDOW_REQUIRE_EXTERNAL";

#[test]
fn every_day_from_2004_to_2026_agrees_with_chinese_calendar() {
    let Some(path) = std::env::var_os(DUMP_VAR) else {
        let required = std::env::var(REQUIRE_VAR).is_ok_and(|value| value == "1");
        assert!(
            !required,
            "{REQUIRE_VAR}=1 but {DUMP_VAR} is not set: run scripts/chinese_calendar_dump.py"
        );
        eprintln!("skipped: {DUMP_VAR} is not set (see scripts/chinese_calendar_dump.py)");
        return;
    };
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.to_string_lossy()));
    let calendar = Calendar::embedded();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("date,is_workday"), "header of the dump");
    let mut expected_day = date(2004, 1, 1);
    let mut disagreements = Vec::new();
    for (number, line) in (2..).zip(lines) {
        let (day, flag) = line
            .split_once(',')
            .unwrap_or_else(|| panic!("line {number}: {line:?} is not date,is_workday"));
        let day: Date = day
            .parse()
            .unwrap_or_else(|_| panic!("line {number}: bad date"));
        assert_eq!(
            day, expected_day,
            "line {number}: the dump skips or repeats a day"
        );
        let reference = match flag {
            "1" => true,
            "0" => false,
            other => panic!("line {number}: is_workday {other:?} is not 1 or 0"),
        };
        if calendar.is_working_day(day) != reference {
            disagreements.push(format!("{day}: chinese-calendar says {reference}"));
        }
        expected_day = day.tomorrow().unwrap();
    }
    assert_eq!(
        expected_day,
        date(2027, 1, 1),
        "the dump must end on 2026-12-31"
    );
    assert!(
        disagreements.is_empty(),
        "disagreements:\n{}",
        disagreements.join("\n")
    );
    eprintln!("checked 8401 days against chinese-calendar");
}
