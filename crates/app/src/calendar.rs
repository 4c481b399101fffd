//! The working-day calendar in use: the shipped schedules (2004–2026) seeded on first start, the
//! years an administrator imports since, cached per process and reloaded whenever another instance
//! changes it (the store's calendar version). Arithmetic past the known years is provisional
//! (RULES.md §1).

use std::sync::RwLock;

use jiff::civil::Date;
use onewindow_domain::calendar::{
    Calendar, CalendarProblem, WorkingCount, WorkingDate, WorkingDays, parse_holiday_csv,
};
use onewindow_interchange::{Column, Problem};
use onewindow_store::AuditEntry;

use crate::{App, AppError};

/// The calendar this process last loaded, with the store version it came from.
#[derive(Default)]
pub struct CalendarCache(RwLock<Option<(i64, Calendar)>>);

/// What an import of one schedule year did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedYear {
    pub year: i32,
    pub rows: usize,
    pub replaced: bool,
}

const COLUMNS: [&str; 3] = ["date", "kind", "name"];

fn to_problems(problems: Vec<CalendarProblem>) -> AppError {
    AppError::Import(
        problems
            .into_iter()
            .map(|p| {
                let mut out = Problem::new(p.message);
                if let Some(row) = p.row.and_then(|r| u32::try_from(r).ok()) {
                    out = out.at_row(row);
                }
                match COLUMNS.iter().position(|c| *c == p.field) {
                    Some(i) => out.at_column(Column::new(i, p.field)),
                    None => Problem {
                        message: format!("{}: {}", p.field, out.message),
                        ..out
                    },
                }
            })
            .collect(),
    )
}

impl App {
    /// Seeds the shipped schedules into an empty store; harmless when already seeded.
    pub async fn prepare_calendar(&self) -> Result<(), AppError> {
        let shipped = Calendar::embedded();
        if self.store.seed_holidays(shipped.entries()).await? {
            tracing::info!(
                first = shipped.first_year(),
                last = shipped.last_year(),
                "holiday calendar seeded"
            );
        }
        Ok(())
    }

    /// The calendar in force, reloaded if the stored one changed since this process loaded it.
    pub async fn calendar(&self) -> Result<Calendar, AppError> {
        let version = self.store.calendar_version().await?;
        self.calendar_at(version).await
    }

    /// The calendar of store version `version` or a later one: what a move uses, with the
    /// version read in the same statement as its case (`CaseStore::case_for_change`), so a move
    /// counts on the calendar stored when it read its case, as when the version was read alone.
    pub(crate) async fn calendar_at(&self, version: i64) -> Result<Calendar, AppError> {
        // The cached copy serves any version up to its own: versions only grow, and a copy is
        // cached under a version only when read after that version was seen.
        if let Some((v, calendar)) = self
            .calendar_cache
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            && *v >= version
        {
            return Ok(calendar.clone());
        }
        let entries = self.store.holiday_entries().await?;
        let calendar = if entries.is_empty() {
            Calendar::embedded()
        } else {
            Calendar::from_entries(entries).map_err(|p| {
                AppError::Store(onewindow_store::StoreError::Corrupt {
                    what: "holiday calendar".into(),
                    detail: p
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                })
            })?
        };
        let mut cached = self
            .calendar_cache
            .0
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if cached.as_ref().is_none_or(|(v, _)| *v < version) {
            *cached = Some((version, calendar.clone()));
        }
        Ok(calendar)
    }

    /// The `days`-th working day after `from` (RULES.md §1 Counting).
    pub async fn add_working_days(
        &self,
        from: Date,
        days: WorkingDays,
    ) -> Result<WorkingDate, AppError> {
        self.calendar()
            .await?
            .add_working_days(from, days.get())
            .map_err(|e| AppError::Refused(e.to_string()))
    }

    /// Working days in `(from, to]`.
    pub async fn working_days_between(
        &self,
        from: Date,
        to: Date,
    ) -> Result<WorkingCount, AppError> {
        Ok(self.calendar().await?.working_days_between(from, to))
    }

    /// Imports one schedule year from a holiday CSV (`date,kind,name`), all or nothing, audited.
    /// An already known year is refused unless `replace`.
    pub async fn import_calendar_year(
        &self,
        actor: &str,
        year: i32,
        csv: &[u8],
        replace: bool,
    ) -> Result<ImportedYear, AppError> {
        let text = std::str::from_utf8(csv).map_err(|e| {
            AppError::Import(vec![Problem::new(format!(
                "the file is not UTF-8 text (invalid byte at offset {}); save it as \"CSV UTF-8\"",
                e.valid_up_to()
            ))])
        })?;
        let entries = parse_holiday_csv(text).map_err(to_problems)?;
        // The store holds only the imported year's rows afterwards unless the shipped years are
        // in it first: a store never seeded (a server that never ran `calendar`) would then
        // read back a calendar of one year and count every earlier holiday as a working day.
        self.prepare_calendar().await?;
        let current = self.calendar().await?;
        let replaced = current.knows_year(year);
        let updated = current
            .import_year(year, entries, replace)
            .map_err(to_problems)?;
        let rows = updated.entries_of_year(year).to_vec();
        let audit = AuditEntry {
            at: self.clock.now(),
            actor: actor.to_owned(),
            action: "import_calendar".into(),
            detail: format!(
                "schedule year {year}: {} rows{}",
                rows.len(),
                if replaced { " (replaced)" } else { "" }
            ),
        };
        self.store
            .replace_schedule_year(year, &rows, &audit)
            .await?;
        Ok(ImportedYear {
            year,
            rows: rows.len(),
            replaced,
        })
    }
}
