//! The due-date recompute after a calendar import (issue 3), set-based. A due date is a count of
//! working days, which reads only the days up to it (RULES.md §1 Counting); so after an import
//! only open cases whose dates were counted past the known calendar (`due_provisional`) *and*
//! reach the first day the new calendar counts differently from the one they were counted on
//! can move. That calendar is kept (setting [`COUNTED_ON`]) when a recompute has brought every
//! case onto it; without it (first run) every provisional case is looked at.
//!
//! - Cases that can move come from the store a page at a time with their logs (index
//!   `cases_provisional`, two queries a page), are decided on both cores (`decide.rs`: a moved
//!   date is a `DueDateChanged` event by the system actor, saying why, chained on the log) and
//!   written together (`DueDateStore::append_batch`: a few statements a page, each case under
//!   its version). A case changed meanwhile (a conflict) is looked at again on the next pass:
//!   the calendar is not kept until none is left.
//! - The others keep their dates; those whose dates now lie wholly within the known calendar
//!   become exact in one statement (`settle_provisional_due_dates`).
//!
//! Replacing a held year changes days inside the known calendar: its first difference then
//! lies before the open cases' provisional ranges and every provisional case is looked at; the
//! sweeper's pass over every open case covers exact dates it moves.

mod decide;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use onewindow_domain::calendar::{Calendar, parse_holiday_csv, write_holiday_csv};
use onewindow_store::{CaseId, CaseRecord, OpenCases, StoredEvent};

use self::decide::{Decided, Decider};
use super::definitions::process_key;
use crate::{App, AppError};

/// What one recompute did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecomputeReport {
    /// Open cases with provisional due dates the calendar change can reach, decided again.
    pub examined: u64,
    /// Cases whose due date moved: a `DueDateChanged` recorded on each.
    pub due_dates_changed: u64,
    /// Cases whose dates became exact without moving: projection refreshed.
    pub refreshed: u64,
    /// Appends that lost to a change made meanwhile (looked at again next pass).
    pub conflicts: u64,
}

/// Cases read and decided a page at a time.
const PAGE: u32 = 2_000;

/// The setting holding the calendar (as holiday CSV) every open case's due dates were last
/// brought onto.
pub const COUNTED_ON: &str = "due_dates.counted_on";

impl App {
    /// Records, on every open case whose provisional due date the current calendar moves, that
    /// it changed and why; see the module note.
    pub async fn recompute_due_dates(&self) -> Result<RecomputeReport, AppError> {
        let calendar = self.calendar().await?;
        let counted_on = self.counted_on().await?;
        let today = self.today();
        let changed = counted_on
            .as_ref()
            .map(|old| old.first_difference(&calendar));
        let mut report = RecomputeReport::default();
        // `Some(day)`: only cases reaching `day` can move; `None`: any provisional case can.
        let reaching = match changed {
            Some(None) => {
                // Counted on this very calendar (or one counting alike): nothing moves.
                self.settle(calendar.first_unknown_day()).await?;
                return Ok(report);
            }
            Some(Some(day)) if day > today => {
                // Dates before `day` do not move; those now wholly known become exact.
                self.settle(day.min(calendar.first_unknown_day())).await?;
                Some(day)
            }
            // The change reaches days already counted (a replaced year, an import made late):
            // every provisional case is looked at.
            Some(Some(_)) | None => None,
        };
        let version = self.store.calendar_version().await?;
        let mut decider = Decider {
            calendar: calendar.clone(),
            processes: HashMap::new(),
            today,
            now: self.clock.now(),
            reason: format!(
                "工作日历已更新（第 {version} 版） / the working-day calendar was updated (version {version})"
            ),
        };
        let mut after = CaseId(0);
        loop {
            let found = self
                .store
                .open_cases_with_logs(after, OpenCases::Provisional { reaching }, PAGE)
                .await?;
            let Some((last, _)) = found.last() else { break };
            after = last.id;
            report.examined += found.len() as u64;
            let mut page = Vec::with_capacity(found.len());
            for (record, log) in found {
                match log {
                    Some(log) => page.push((record, log)),
                    // Changed while the page was read: left for the next pass, like a conflict.
                    None => report.conflicts += 1,
                }
            }
            self.load_processes(&mut decider, &page).await?;
            let (decider_now, decided) = decide_on_both_cores(decider, page).await?;
            decider = decider_now;
            self.write_decided(decided, &mut report).await?;
        }
        if report.conflicts == 0 {
            let csv = write_holiday_csv(calendar.entries());
            self.store.set_setting(COUNTED_ON, &csv).await?;
        }
        Ok(report)
    }

    /// The calendar every open case was last brought onto, if one was kept (and still reads).
    async fn counted_on(&self) -> Result<Option<Calendar>, AppError> {
        let Some(csv) = self.store.setting(COUNTED_ON).await? else {
            return Ok(None);
        };
        // A kept calendar that no longer reads only costs a full pass.
        Ok(parse_holiday_csv(&csv)
            .ok()
            .and_then(|entries| Calendar::from_entries(entries).ok()))
    }

    async fn settle(&self, before: jiff::civil::Date) -> Result<(), AppError> {
        let now = self.clock.now();
        self.store.settle_provisional_due_dates(before, now).await?;
        Ok(())
    }

    /// Adds the definition and limits of every process on the page not loaded yet.
    async fn load_processes(
        &self,
        decider: &mut Decider,
        page: &[(CaseRecord, Vec<StoredEvent>)],
    ) -> Result<(), AppError> {
        for (record, _) in page {
            if let Entry::Vacant(slot) = decider.processes.entry(process_key(record)) {
                slot.insert(Arc::new(self.process_of(record).await?));
            }
        }
        Ok(())
    }

    /// Writes a page's decisions in one batch and counts what was written.
    async fn write_decided(
        &self,
        decided: Vec<Decided>,
        report: &mut RecomputeReport,
    ) -> Result<(), AppError> {
        let moved: HashMap<CaseId, bool> = decided.iter().map(|d| (d.append.id, d.moved)).collect();
        let appends: Vec<_> = decided.into_iter().map(|d| d.append).collect();
        let written = self.store.append_batch(&appends, self.clock.now()).await?;
        for id in &written {
            match moved.get(id) {
                Some(true) => report.due_dates_changed += 1,
                _ => report.refreshed += 1,
            }
        }
        report.conflicts += (appends.len() - written.len()) as u64;
        Ok(())
    }
}

/// Decides a page in two halves on blocking threads (the work is CPU only); gives the decider
/// back for the next page.
async fn decide_on_both_cores(
    decider: Decider,
    mut page: Vec<(CaseRecord, Vec<StoredEvent>)>,
) -> Result<(Decider, Vec<Decided>), AppError> {
    let decider = Arc::new(decider);
    let second = page.split_off(page.len() / 2);
    let other = Arc::clone(&decider);
    let second = tokio::task::spawn_blocking(move || other.decide_all(&second));
    let shared = Arc::clone(&decider);
    let first = tokio::task::spawn_blocking(move || shared.decide_all(&page));
    let joined = |e: tokio::task::JoinError| AppError::Refused(format!("recompute task: {e}"));
    let mut decided = first.await.map_err(joined)??;
    decided.extend(second.await.map_err(joined)??);
    let decider = Arc::try_unwrap(decider)
        .map_err(|_| AppError::Refused("recompute: a decision thread is still running".into()))?;
    Ok((decider, decided))
}
