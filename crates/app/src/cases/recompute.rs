//! The due-date recompute after a calendar import (issue 3), set-based. A due date is a count of
//! working days, which reads only the days up to it (RULES.md §1 Counting); so after an import
//! only open cases whose dates were counted past the known calendar (`due_provisional`) *and*
//! reach the first day the new calendar counts differently from the one they were counted on
//! can move. That calendar is kept (setting [`COUNTED_ON`]) when a recompute has brought every
//! case onto it; without it (first run) every provisional case is looked at.
//!
//! - Cases that can move come from the store a page at a time as rows, which keep the head of
//!   their logs (index `cases_provisional`, one query a page), are decided on both cores from the row's
//!   clock basis (`from_row.rs`: the dates counted without the log; a moved date is a
//!   `DueDateChanged` event by the system actor, saying why, chained on the row's head) and
//!   written together (`SweepStore::append_batch`: a few statements a page, each case under
//!   its version). Rows written before migration 0011 have no basis: their logs are read and
//!   folded (`decide.rs`), and the projection written then carries the basis. A case changed
//!   meanwhile (a conflict) is looked at again on the next pass: the calendar is not kept until
//!   none is left.
//! - Nothing to do while the calendar's version is the one kept beside it
//!   ([`COUNTED_ON_VERSION`]): a sweep pass without an import stops at that compare.
//! - The others keep their dates; those whose dates now lie wholly within the known calendar
//!   become exact in one statement (`settle_provisional_due_dates`).
//!
//! Replacing a held year changes days inside the known calendar: its first difference then
//! lies before the open cases' provisional ranges and every provisional case is looked at; the
//! sweeper's pass over every open case covers exact dates it moves.

mod decide;
mod from_row;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use onewindow_domain::calendar::{Calendar, parse_holiday_csv, write_holiday_csv};
use onewindow_store::{CaseId, CaseRecord, OpenCases, StoredEvent};

use self::decide::{Decided, Decider, Processes};
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

/// Cases read, decided and written (one transaction, one commit) a page at a time.
const PAGE: u32 = 10_000;

/// The setting holding the calendar (as holiday CSV) every open case's due dates were last
/// brought onto.
pub const COUNTED_ON: &str = "due_dates.counted_on";

/// The setting holding the calendar version (`CalendarStore::calendar_version`) every open
/// case's due dates were last brought onto: while it is the version in force, nothing moves.
pub const COUNTED_ON_VERSION: &str = "due_dates.counted_on_version";

impl App {
    /// Records, on every open case whose provisional due date the current calendar moves, that
    /// it changed and why; see the module note.
    pub async fn recompute_due_dates(&self) -> Result<RecomputeReport, AppError> {
        // The version is read before the calendar: an import between the two reads keeps an
        // older version beside a newer calendar, which costs one more pass, never a missed one.
        let version = self.store.calendar_version().await?;
        let kept = self.store.setting(COUNTED_ON_VERSION).await?;
        if kept.is_some_and(|kept| kept == version.to_string()) {
            return Ok(RecomputeReport::default());
        }
        let calendar = self.calendar_at(version).await?;
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
                self.store
                    .set_setting(COUNTED_ON_VERSION, &version.to_string())
                    .await?;
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
        let mut decider = Decider {
            calendar: calendar.clone(),
            processes: Processes::default(),
            today,
            now: self.clock.now(),
            reason: format!(
                "工作日历已更新（第 {version} 版） / the working-day calendar was updated (version {version})"
            ),
        };
        // The next page is read while this one is decided and written (its rows have higher
        // ids, which this page's writes do not touch; each write still checks its version).
        let store = self.store.clone();
        let read_after = move |after: CaseId| {
            let store = store.clone();
            tokio::spawn(async move { store.provisional_case_rows(after, reaching, PAGE).await })
        };
        let mut after = CaseId(0);
        let mut reading = read_after(after);
        // A page is written while the next is decided (one write at a time: the writes of a
        // file queue anyway, and the counts come back in order).
        let mut writing: Option<PageWrite> = None;
        loop {
            let page_after = after;
            let found = reading
                .await
                .map_err(|e| AppError::Refused(format!("recompute read: {e}")))??;
            let Some(last) = found.last() else { break };
            after = last.id;
            reading = read_after(after);
            report.examined += found.len() as u64;
            self.load_processes(&mut decider, found.iter()).await?;
            let (kept, old): (Vec<_>, Vec<_>) = found
                .into_iter()
                .partition(|record| record.projection.clock_basis.is_some());
            let (decider_now, mut decided) =
                on_both_cores(decider, kept, Decider::decide_rows).await?;
            decider = decider_now;
            if !old.is_empty() {
                let logged = self.logs_of(page_after, reaching, old, &mut report).await?;
                let (decider_now, from_logs) =
                    on_both_cores(decider, logged, Decider::decide_logs).await?;
                decider = decider_now;
                decided.extend(from_logs);
            }
            if let Some(previous) = writing.take() {
                previous.counted(&mut report).await?;
            }
            writing = Some(self.write_decided(decided));
        }
        if let Some(last) = writing {
            last.counted(&mut report).await?;
        }
        if report.conflicts == 0 {
            let csv = write_holiday_csv(calendar.entries());
            self.store.set_setting(COUNTED_ON, &csv).await?;
            self.store
                .set_setting(COUNTED_ON_VERSION, &version.to_string())
                .await?;
        }
        Ok(report)
    }

    /// The logs of a page's rows without a clock basis (written before migration 0011), read
    /// with the page again (two reads, as before the basis was kept); the projection then
    /// written carries the basis. A row whose log could not be read whole at its version (an
    /// append between the reads) is left for the next pass, like a conflict.
    async fn logs_of(
        &self,
        page_after: CaseId,
        reaching: Option<jiff::civil::Date>,
        old: Vec<CaseRecord>,
        report: &mut RecomputeReport,
    ) -> Result<Vec<(CaseRecord, Vec<StoredEvent>)>, AppError> {
        let wanted: HashSet<CaseId> = old.iter().map(|record| record.id).collect();
        let last = old.last().map_or(page_after, |record| record.id);
        let which = OpenCases::Provisional { reaching };
        let mut logged = Vec::with_capacity(wanted.len());
        let mut after = page_after;
        // The page again (a case that left it meanwhile makes it reach further: read on).
        while after < last {
            let page = self.store.open_cases_with_logs(after, which, PAGE).await?;
            let Some((end, _)) = page.last() else { break };
            after = end.id;
            for (record, log) in page {
                if wanted.contains(&record.id)
                    && let Some(log) = log
                {
                    logged.push((record, log));
                }
            }
        }
        report.conflicts += (wanted.len() - logged.len()) as u64;
        Ok(logged)
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
    async fn load_processes<'a>(
        &self,
        decider: &mut Decider,
        page: impl Iterator<Item = &'a CaseRecord>,
    ) -> Result<(), AppError> {
        for record in page {
            if decider.loaded(record).is_none() {
                let process = Arc::new(self.process_of(record).await?);
                decider.processes.insert(record, process);
            }
        }
        Ok(())
    }

    /// Starts writing a page's decisions in one batch.
    fn write_decided(&self, decided: Vec<Decided>) -> PageWrite {
        let moved: HashMap<CaseId, bool> = decided.iter().map(|d| (d.append.id, d.moved)).collect();
        let appends: Vec<_> = decided.into_iter().map(|d| d.append).collect();
        let store = self.store.clone();
        let at = self.clock.now();
        PageWrite {
            moved,
            written: tokio::spawn(async move { store.append_batch(appends, at).await }),
        }
    }
}

/// A page's batch being written, and which of its cases had their dates moved.
struct PageWrite {
    moved: HashMap<CaseId, bool>,
    written: tokio::task::JoinHandle<Result<Vec<CaseId>, onewindow_store::StoreError>>,
}

impl PageWrite {
    /// Waits for the write and counts what it wrote; the rest were conflicts.
    async fn counted(self, report: &mut RecomputeReport) -> Result<(), AppError> {
        let written = self
            .written
            .await
            .map_err(|e| AppError::Refused(format!("recompute write: {e}")))??;
        for id in &written {
            match self.moved.get(id) {
                Some(true) => report.due_dates_changed += 1,
                _ => report.refreshed += 1,
            }
        }
        report.conflicts += (self.moved.len() - written.len()) as u64;
        Ok(())
    }
}

/// Decides a page in two halves on blocking threads (the work is CPU only); gives the decider
/// back for the next page.
async fn on_both_cores<T: Send + Sync + 'static>(
    decider: Decider,
    mut page: Vec<T>,
    decide: fn(&Decider, &[T]) -> Result<Vec<Decided>, AppError>,
) -> Result<(Decider, Vec<Decided>), AppError> {
    if page.is_empty() {
        return Ok((decider, Vec::new()));
    }
    let decider = Arc::new(decider);
    let second = page.split_off(page.len() / 2);
    let other = Arc::clone(&decider);
    let second = tokio::task::spawn_blocking(move || decide(&other, &second));
    let shared = Arc::clone(&decider);
    let first = tokio::task::spawn_blocking(move || decide(&shared, &page));
    let joined = |e: tokio::task::JoinError| AppError::Refused(format!("recompute task: {e}"));
    let mut decided = first.await.map_err(joined)??;
    decided.extend(second.await.map_err(joined)??);
    let decider = Arc::try_unwrap(decider)
        .map_err(|_| AppError::Refused("recompute: a decision thread is still running".into()))?;
    Ok((decider, decided))
}
