//! The due-date recompute after a calendar import (issue 3), set-based: only open cases whose
//! due dates were counted past the known calendar (`due_provisional`) can move when a year is
//! added, and the store hands them over a page at a time with their logs (an index range, two
//! queries a page). Each is decided as the sweeper would — its clock on the new calendar; a due
//! date that moved is a `DueDateChanged` event by the system actor, saying why, decided by the
//! domain, chained on the log and appended under the case's version; a date that only became
//! exact refreshes the projection — and the appends of a page go to the store together, so
//! they share commits. A case changed meanwhile (a conflict) is left to the sweeper, which
//! finds the same change on its next pass. Replacing a year the calendar already knew can
//! move exact dates too: the sweeper's pass over every open case covers that.

use std::collections::HashMap;

use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{ActorRef, CaseState, Command, case_clock};
use onewindow_domain::clock::{AsRecorded, TimeLimits};
use onewindow_domain::flow::{Flow, Planned};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{CaseId, CaseProjection, CaseRecord, StoreError, StoredEvent};
use tokio::task::JoinSet;

use super::{log, view::projection_with};
use crate::{App, AppError};

/// What one recompute did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecomputeReport {
    /// Open cases with provisional due dates looked at.
    pub examined: u64,
    /// Cases whose due date moved: a `DueDateChanged` recorded on each.
    pub due_dates_changed: u64,
    /// Cases whose dates became exact without moving: projection refreshed.
    pub refreshed: u64,
    /// Appends that lost to a change made meanwhile (left to the sweeper).
    pub conflicts: u64,
}

/// Cases read and decided a page at a time.
const PAGE: u32 = 2_000;

/// One version-checked write the recompute makes.
struct Change {
    id: CaseId,
    version: i64,
    events: Vec<StoredEvent>,
    projection: CaseProjection,
}

impl App {
    /// Records, on every open case whose provisional due date the current calendar moves, that
    /// it changed and why; see the module note.
    pub async fn recompute_due_dates(&self) -> Result<RecomputeReport, AppError> {
        let version = self.store.calendar_version().await?;
        let reason = format!(
            "工作日历已更新（第 {version} 版） / the working-day calendar was updated (version {version})"
        );
        let calendar = self.calendar().await?;
        let definitions = self.definitions().await?;
        let mut limits: HashMap<(String, i64, String), TimeLimits> = HashMap::new();
        let mut report = RecomputeReport::default();
        let mut after = CaseId(0);
        loop {
            let page = self.store.provisional_cases_after(after, PAGE).await?;
            let Some((last, _)) = page.last() else { break };
            after = last.id;
            let mut changes = Vec::with_capacity(page.len());
            for (record, stored) in page {
                report.examined += 1;
                let key = (
                    record.definition_code.clone(),
                    record.definition_version,
                    record.item_code.clone(),
                );
                let definition = definitions
                    .get(
                        &record.definition_code,
                        u32::try_from(record.definition_version).unwrap_or(0),
                    )
                    .cloned()
                    .ok_or_else(|| {
                        AppError::Refused(format!(
                            "case {} follows process {} v{}, which is not installed",
                            record.number, record.definition_code, record.definition_version
                        ))
                    })?;
                if !limits.contains_key(&key) {
                    let found = self.limits_for(&definition, &record.item_code).await?;
                    limits.insert(key.clone(), found);
                }
                let case_limits = &limits[&key];
                let decided = self.decide_due_date(
                    &record,
                    &stored,
                    &definition,
                    (case_limits, &calendar),
                    &reason,
                )?;
                if let Some(change) = decided {
                    match change.events.is_empty() {
                        true => report.refreshed += 1,
                        false => report.due_dates_changed += 1,
                    }
                    changes.push(change);
                }
            }
            report.conflicts += self.write_changes(changes).await?;
        }
        Ok(report)
    }

    /// The change one case needs on the current calendar, if any.
    fn decide_due_date(
        &self,
        record: &CaseRecord,
        stored: &[StoredEvent],
        definition: &ProcessDefinition,
        (limits, calendar): (&TimeLimits, &Calendar),
        reason: &str,
    ) -> Result<Option<Change>, AppError> {
        let events = log::parse_events(&record.number, stored)?;
        let today = self.today();
        let clock = case_clock(&events, limits, calendar, today, &AsRecorded)
            .map_err(|e| AppError::Refused(format!("case {}: clock: {e}", record.number)))?;
        let moved = clock.filter(|c| c.stopped.is_none()).and_then(|c| {
            match record.projection.statutory_due {
                Some(previous) if previous != c.statutory_due.date => {
                    Some((previous, c.statutory_due.date))
                }
                _ => None,
            }
        });
        let mut all = events.clone();
        let mut new = Vec::new();
        if let Some((previous, due)) = moved {
            let state = CaseState::fold(&events);
            let flow = Flow::new(definition, &state);
            let planned = vec![Planned {
                actor: ActorRef::system(),
                command: Command::NoteDueDateChange {
                    previous,
                    due,
                    reason: reason.to_owned(),
                },
            }];
            let now = self.clock.now();
            new = flow
                .execute(planned, &flow.policy(), now, crate::china_date(now))
                .map_err(|e| AppError::Refused(format!("case {}: {e:?}", record.number)))?;
            all.extend(new.iter().cloned());
        }
        let projection = projection_with(
            definition,
            &record.handling_org,
            &all,
            (limits, calendar),
            today,
        )?;
        if new.is_empty() && projection == record.projection {
            return Ok(None);
        }
        Ok(Some(Change {
            id: record.id,
            version: record.version,
            events: log::stored_events(&new)?,
            projection,
        }))
    }

    /// Appends a page's changes at once (they share commits); returns the conflicts.
    async fn write_changes(&self, changes: Vec<Change>) -> Result<u64, AppError> {
        let now = self.clock.now();
        let mut tasks = JoinSet::new();
        for change in changes {
            let store = self.store.clone();
            tasks.spawn(async move {
                store
                    .append_events(
                        change.id,
                        change.version,
                        &change.events,
                        &change.projection,
                        now,
                    )
                    .await
            });
        }
        let mut conflicts = 0;
        while let Some(done) = tasks.join_next().await {
            match done.map_err(|e| AppError::Refused(format!("recompute task: {e}")))? {
                Ok(()) => {}
                Err(StoreError::Conflict { .. }) => conflicts += 1,
                Err(other) => return Err(other.into()),
            }
        }
        Ok(conflicts)
    }
}
