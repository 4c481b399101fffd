//! The holiday CSV and the administrator's year import: every bad row gives a problem naming
//! its row and field, every problem is listed, and nothing is changed by a refused import.

use jiff::civil::date;
use onewindow_domain::calendar::{
    Calendar, CalendarProblem, DayKind, HolidayEntry, parse_holiday_csv, write_holiday_csv,
};

fn problems(text: &str) -> Vec<CalendarProblem> {
    parse_holiday_csv(text).expect_err("the CSV should be refused")
}

fn row_field(problems: &[CalendarProblem]) -> Vec<(Option<usize>, &'static str)> {
    problems.iter().map(|p| (p.row, p.field)).collect()
}

fn entry(date: jiff::civil::Date, kind: DayKind, name: &str) -> HolidayEntry {
    HolidayEntry {
        date,
        kind,
        name: name.to_string(),
    }
}

/// A plausible 2027 schedule (not the real one, which is not published yet).
fn schedule_2027() -> Vec<HolidayEntry> {
    vec![
        entry(date(2027, 1, 1), DayKind::Holiday, "元旦"),
        entry(date(2027, 5, 1), DayKind::Holiday, "劳动节"),
        entry(date(2027, 10, 1), DayKind::Holiday, "国庆节"),
        entry(date(2027, 10, 9), DayKind::Workday, "国庆节"),
    ]
}

#[test]
fn the_shipped_csv_parses_and_round_trips() {
    let text = include_str!("../data/cn_holidays.csv");
    let entries = parse_holiday_csv(text).expect("shipped CSV is valid");
    assert_eq!(entries.len(), 771);
    assert_eq!(write_holiday_csv(&entries), text);
    assert_eq!(Calendar::embedded().entries(), entries.as_slice());
}

#[test]
fn a_bad_date_names_its_row_and_field() {
    let found = problems("date,kind,name\n2026-01-01,holiday,元旦\n2026-02-30,holiday,春节\n");
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].to_string(),
        r#"row 3, field "date": "2026-02-30" is not a date (YYYY-MM-DD)"#
    );
    for bad in [
        "2026-2-3",
        "26-02-03",
        "2026/02/03",
        "",
        "2026-13-01",
        "２０２６-01-01",
    ] {
        let found = problems(&format!("date,kind,name\n{bad},holiday,x\n"));
        assert_eq!(row_field(&found), [(Some(2), "date")], "{bad:?}");
    }
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let text = "\u{feff}date,kind,name\n\
                2025-10-01,holiday,国庆节\n\
                2025-13-01,holiday,国庆节\n\
                2025-10-02,rest,国庆节\n\
                2025-10-01,holiday,中秋\n\
                2025-09-29,workday,国庆节\n\
                2025-10-03,holiday,\n\
                2025-10-04,holiday\n\
                \n\
                2025-10-05,holiday,\"国庆节\n";
    let found = problems(text);
    assert_eq!(
        row_field(&found),
        [
            (Some(3), "date"),
            (Some(4), "kind"),
            (Some(5), "date"),
            (Some(6), "date"),
            (Some(7), "name"),
            (Some(8), "line"),
            (Some(9), "line"),
            (Some(10), "line"),
        ]
    );
    assert!(
        found[2].message.contains("already listed on row 2"),
        "{}",
        found[2]
    );
    assert!(found[3].message.contains("Monday"), "{}", found[3]);
    assert!(
        found[5].message.contains("expected 3 fields"),
        "{}",
        found[5]
    );
}

#[test]
fn a_wrong_or_missing_header_is_a_problem_and_the_rows_are_still_checked() {
    let found = problems("datum,art,name\n2026-01-01,holiday,元旦\n");
    assert_eq!(row_field(&found), [(Some(1), "header")]);
    let found = problems("2026-01-01,holiday,元旦\n2026-01-01,holiday,元旦\n");
    assert_eq!(row_field(&found), [(Some(1), "header"), (Some(2), "date")]);
    assert_eq!(row_field(&problems("")), [(Some(1), "header")]);
    assert_eq!(
        row_field(&problems("date,kind,name\n")),
        [(Some(1), "header")]
    );
}

#[test]
fn bom_crlf_spaces_and_quoted_fields_are_tolerated() {
    let text = "\u{feff}date,kind,name\r\n 2026-01-01 , holiday ,\"元旦, New Year\"\r\n\
                \"2026-01-04\",\"workday\",\"say \"\"hi\"\"\"\r\n\r\n";
    let entries = parse_holiday_csv(text).expect("tolerated");
    assert_eq!(
        entries,
        [
            entry(date(2026, 1, 1), DayKind::Holiday, "元旦, New Year"),
            entry(date(2026, 1, 4), DayKind::Workday, "say \"hi\""),
        ]
    );
    assert_eq!(parse_holiday_csv(&write_holiday_csv(&entries)), Ok(entries));
}

#[test]
fn a_calendar_refuses_a_gap_between_years() {
    let found = Calendar::from_entries(vec![
        entry(date(2024, 1, 1), DayKind::Holiday, "元旦"),
        entry(date(2026, 1, 1), DayKind::Holiday, "元旦"),
    ])
    .expect_err("2025 is missing");
    assert_eq!(row_field(&found), [(None, "year")]);
    assert!(found[0].message.contains("no rows for 2025"));
    assert!(Calendar::from_entries(Vec::new()).is_err());
}

#[test]
fn importing_the_next_year_extends_the_known_days() {
    let calendar = Calendar::embedded();
    let mut rows = schedule_2027();
    // The 2027 notice may also turn days of late December 2026 into New Year holidays.
    rows.push(entry(date(2026, 12, 31), DayKind::Holiday, "元旦"));
    let next = calendar
        .import_year(2027, rows, false)
        .expect("2027 imports");
    assert_eq!((next.first_year(), next.last_year()), (2004, 2027));
    assert_eq!(next.first_unknown_day(), date(2027, 12, 1));
    assert!(!next.is_working_day(date(2026, 12, 31)));
    assert!(next.is_working_day(date(2027, 10, 9)));
    let after = next.add_working_days(date(2026, 12, 25), 10).unwrap();
    assert!(!after.provisional);
    // 28–30 Dec, 4–8 Jan, 11 and 12 Jan: 31 Dec and 1 Jan are holidays.
    assert_eq!(after.date, date(2027, 1, 12));
    assert_eq!(next.entries_of_year(2027).len(), 5);
    // The original value is unchanged.
    assert_eq!(calendar.last_year(), 2026);
    assert!(calendar.is_working_day(date(2026, 12, 31)));
}

#[test]
fn importing_a_known_year_needs_replace() {
    let calendar = Calendar::embedded();
    let rows_2026 = calendar.entries_of_year(2026).to_vec();
    let found = calendar
        .import_year(2026, rows_2026.clone(), false)
        .unwrap_err();
    assert_eq!(row_field(&found), [(None, "year")]);
    assert!(
        found[0].message.contains("already in the calendar"),
        "{}",
        found[0]
    );
    let mut changed = rows_2026;
    changed.retain(|e| e.date != date(2026, 10, 10));
    let replaced = calendar.import_year(2026, changed, true).expect("replace");
    assert!(!replaced.is_working_day(date(2026, 10, 10)));
    assert_eq!(replaced.entries().len(), calendar.entries().len() - 1);
}

#[test]
fn an_import_refuses_rows_outside_its_year_empty_years_gaps_and_truncated_files() {
    let calendar = Calendar::embedded();
    let found = calendar.import_year(2027, Vec::new(), false).unwrap_err();
    assert!(
        found[0].message.contains("no rows for 2027"),
        "{}",
        found[0]
    );

    let mut rows = schedule_2027();
    rows.push(entry(date(2027, 12, 31), DayKind::Holiday, "元旦"));
    rows.push(entry(date(2026, 11, 30), DayKind::Holiday, "x"));
    rows.push(entry(date(2027, 3, 3), DayKind::Workday, "x"));
    let found = calendar.import_year(2027, rows, false).unwrap_err();
    assert_eq!(
        row_field(&found),
        [(Some(6), "date"), (Some(7), "date"), (Some(8), "date")]
    );
    assert!(
        found[0].message.contains("2026-12-01 to 2027-11-30"),
        "{}",
        found[0]
    );

    let found = calendar
        .import_year(2029, schedule_2027(), false)
        .unwrap_err();
    assert!(
        found
            .iter()
            .any(|p| p.message.contains("import 2027 first")),
        "{found:?}"
    );

    let found = calendar
        .import_year(2027, schedule_2027()[1..].to_vec(), false)
        .unwrap_err();
    assert!(
        found[0].message.contains("2027-01-01 (New Year's Day)"),
        "{}",
        found[0]
    );

    let found = calendar
        .import_year(12_000, schedule_2027(), false)
        .unwrap_err();
    assert_eq!(row_field(&found), [(None, "year")]);
}

#[test]
fn every_shipped_year_passes_the_import_checks() {
    let calendar = Calendar::embedded();
    for year in 2004..=2026 {
        let rows = calendar.entries_of_year(year).to_vec();
        let replaced = calendar.import_year(year, rows, true);
        assert!(replaced.is_ok(), "{year}: {:?}", replaced.err());
    }
}
