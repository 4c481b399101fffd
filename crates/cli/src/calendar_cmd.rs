//! `onewindow calendar …`: working-day arithmetic from the command line, on the shipped holiday
//! calendar. An answer past the last year the calendar knows is computed on weekends alone and
//! said to be provisional on stderr (RULES.md §1).

use std::process::ExitCode;

use clap::Subcommand;
use onewindow_domain::calendar::{Calendar, WorkingDays};
use onewindow_domain::dates::parse_date;

#[derive(Subcommand)]
pub enum CalendarAction {
    /// The N-th working day after DATE (DATE itself not counted): `2026-09-30 5` → 2026-10-13.
    AddWorkingDays { date: String, days: String },
    /// Working days in (FROM, TO].
    WorkingDaysBetween { from: String, to: String },
}

fn provisional_note(calendar: &Calendar) {
    eprintln!(
        "note: provisional — the holiday calendar ends {}; later days were counted on weekends alone and may change when next year's schedule is imported",
        calendar.last_known_day()
    );
}

pub fn run(action: &CalendarAction) -> Result<ExitCode, String> {
    let calendar = Calendar::embedded();
    match action {
        CalendarAction::AddWorkingDays { date, days } => {
            let from = parse_date(date).map_err(|e| format!("DATE: {e}"))?;
            let days: WorkingDays = days.parse().map_err(|e| format!("DAYS: {e}"))?;
            let due = calendar
                .add_working_days(from, days.get())
                .map_err(|e| e.to_string())?;
            println!("{}", due.date);
            if due.provisional {
                provisional_note(&calendar);
            }
        }
        CalendarAction::WorkingDaysBetween { from, to } => {
            let a = parse_date(from).map_err(|e| format!("FROM: {e}"))?;
            let b = parse_date(to).map_err(|e| format!("TO: {e}"))?;
            let count = calendar.working_days_between(a, b);
            println!("{}", count.days);
            if count.provisional {
                provisional_note(&calendar);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
