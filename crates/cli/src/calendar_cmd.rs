//! `onewindow calendar …`: working-day arithmetic and the import of next year's schedule from the
//! command line. Arithmetic uses the installation's calendar (shipped schedules plus imported
//! years) when its database exists, else the shipped one; an answer past the last known year is
//! computed on weekends alone and said to be provisional on stderr (RULES.md §1).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use onewindow_app::AppError;
use onewindow_domain::calendar::{Calendar, WorkingDays};
use onewindow_domain::dates::parse_date;

use crate::config::Config;

#[derive(Subcommand)]
pub enum CalendarAction {
    /// The N-th working day after DATE (DATE itself not counted): `2026-09-30 5` → 2026-10-13.
    AddWorkingDays {
        date: String,
        #[arg(allow_hyphen_values = true)]
        days: String,
    },
    /// Working days in (FROM, TO].
    WorkingDaysBetween { from: String, to: String },
    /// Import one year's official schedule (CSV: date,kind,name) — all or nothing, audited.
    Import {
        file: PathBuf,
        /// The schedule year the file holds (1 Dec of the year before – 30 Nov).
        #[arg(long)]
        year: i32,
        /// Replace the year if it was imported before.
        #[arg(long)]
        replace: bool,
    },
}

fn provisional_note(last_known: jiff::civil::Date) {
    eprintln!(
        "note: provisional — the holiday calendar ends {last_known}; later days were counted on weekends alone and may change when next year's schedule is imported"
    );
}

/// The installation's calendar if its database exists (SQLite) or is configured (PostgreSQL).
async fn calendar(config: &Config) -> Result<Calendar, String> {
    let sqlite_missing = config.database_url.starts_with("sqlite:")
        && !config.data_dir.join("onewindow.db").exists();
    if sqlite_missing {
        return Ok(Calendar::embedded());
    }
    let app = crate::open_app(config).await?;
    app.calendar().await.map_err(|e| e.to_string())
}

pub async fn run(config: &Config, action: &CalendarAction) -> Result<ExitCode, String> {
    match action {
        CalendarAction::AddWorkingDays { date, days } => {
            let from = parse_date(date).map_err(|e| format!("DATE: {e}"))?;
            let days: WorkingDays = days.parse().map_err(|e| format!("DAYS: {e}"))?;
            let calendar = calendar(config).await?;
            let due = calendar
                .add_working_days(from, days.get())
                .map_err(|e| e.to_string())?;
            println!("{}", due.date);
            if due.provisional {
                provisional_note(calendar.last_known_day());
            }
        }
        CalendarAction::WorkingDaysBetween { from, to } => {
            let a = parse_date(from).map_err(|e| format!("FROM: {e}"))?;
            let b = parse_date(to).map_err(|e| format!("TO: {e}"))?;
            let calendar = calendar(config).await?;
            let count = calendar.working_days_between(a, b);
            println!("{}", count.days);
            if count.provisional {
                provisional_note(calendar.last_known_day());
            }
        }
        CalendarAction::Import {
            file,
            year,
            replace,
        } => {
            let bytes =
                std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let app = crate::open_app(config).await?;
            app.prepare_calendar().await.map_err(|e| e.to_string())?;
            match app
                .import_calendar_year("command line", *year, &bytes, *replace)
                .await
            {
                Ok(done) => println!(
                    "imported the {} schedule: {} rows{}",
                    done.year,
                    done.rows,
                    if done.replaced { " (replaced)" } else { "" }
                ),
                Err(AppError::Import(problems)) => {
                    eprintln!(
                        "{} was not imported; nothing was changed. {} problem(s):",
                        file.display(),
                        problems.len()
                    );
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
