//! One case's due date on the new calendar, decided from its log (rows written before migration
//! 0011, which keep no clock basis; `from_row.rs` decides the others), without I/O: its clock
//! counted again; a statutory due date that moved becomes a
//! `DueDateChanged` event by the system actor (decided by the domain's flow, chained on the
//! log); a projection that only changed (the date became exact) is refreshed without events.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{ActorRef, CaseState, Command, case_clock};
use onewindow_domain::clock::{AsRecorded, TimeLimits};
use onewindow_domain::flow::{Flow, Planned};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{BatchAppend, CaseRecord, StoredEvent};

use super::super::{log, view::projection_with};
use crate::AppError;

/// Everything a decision reads besides the case: shared by the threads deciding a page.
pub(super) struct Decider {
    pub calendar: Calendar,
    pub processes: Processes,
    pub today: Date,
    pub now: Timestamp,
    pub reason: String,
}

/// The processes a recompute loaded, by definition code, item code and definition version:
/// looked up with the case row's own strings, as a page holds thousands of cases (a key built
/// for each would copy two strings a case).
#[derive(Default)]
pub(super) struct Processes(HashMap<String, HashMap<String, HashMap<i64, Arc<Loaded>>>>);

/// A process's definition and limits.
type Loaded = (ProcessDefinition, TimeLimits);

impl Processes {
    pub fn insert(&mut self, record: &CaseRecord, process: Arc<Loaded>) {
        self.0
            .entry(record.definition_code.clone())
            .or_default()
            .entry(record.item_code.clone())
            .or_default()
            .insert(record.definition_version, process);
    }
}

/// What one case needs: an append (with a `DueDateChanged` when `moved`), or nothing.
pub(super) struct Decided {
    pub append: BatchAppend,
    pub moved: bool,
}

impl Decider {
    /// The decisions of a page of logs, in its order (cases needing nothing left out).
    pub fn decide_logs(
        &self,
        cases: &[(CaseRecord, Vec<StoredEvent>)],
    ) -> Result<Vec<Decided>, AppError> {
        let mut out = Vec::new();
        for (record, stored) in cases {
            if let Some(decided) = self.decide(record, stored)? {
                out.push(decided);
            }
        }
        Ok(out)
    }

    /// The definition and limits of a case's process (loaded before the page is decided).
    pub fn process_of(
        &self,
        record: &CaseRecord,
    ) -> Result<&Arc<(ProcessDefinition, TimeLimits)>, AppError> {
        self.loaded(record).ok_or_else(|| {
            AppError::Refused(format!(
                "case {}: process {} v{} not loaded",
                record.number, record.definition_code, record.definition_version
            ))
        })
    }

    /// The loaded process of a case.
    pub fn loaded(&self, record: &CaseRecord) -> Option<&Arc<(ProcessDefinition, TimeLimits)>> {
        self.processes
            .0
            .get(record.definition_code.as_str())?
            .get(record.item_code.as_str())?
            .get(&record.definition_version)
    }

    /// The change one case needs on the current calendar, if any.
    fn decide(
        &self,
        record: &CaseRecord,
        stored: &[StoredEvent],
    ) -> Result<Option<Decided>, AppError> {
        let process = self.process_of(record)?;
        let (definition, limits) = (&process.0, &process.1);
        let events = log::parse_events(&record.number, stored)?;
        let clock = case_clock(&events, limits, &self.calendar, self.today, &AsRecorded)
            .map_err(|e| AppError::Refused(format!("case {}: clock: {e}", record.number)))?;
        let moved = clock.filter(|c| c.stopped.is_none()).and_then(|c| {
            match record.projection.statutory_due {
                Some(previous) if previous != c.statutory_due.date => {
                    Some((previous, c.statutory_due.date))
                }
                _ => None,
            }
        });
        let mut all = events;
        let mut new = Vec::new();
        if let Some((previous, due)) = moved {
            let state = CaseState::fold(&all);
            let flow = Flow::new(definition, &state);
            let planned = vec![Planned {
                actor: ActorRef::system(),
                command: Command::NoteDueDateChange {
                    previous,
                    due,
                    reason: self.reason.clone(),
                },
            }];
            new = flow
                .execute(
                    planned,
                    &flow.policy(),
                    self.now,
                    crate::china_date(self.now),
                )
                .map_err(|e| AppError::Refused(format!("case {}: {e:?}", record.number)))?;
            all.extend(new.iter().cloned());
        }
        let projection = projection_with(
            definition,
            &record.handling_org,
            &all,
            (limits, &self.calendar),
            self.today,
        )?;
        if new.is_empty() && projection == record.projection {
            return Ok(None);
        }
        Ok(Some(Decided {
            moved: !new.is_empty(),
            append: BatchAppend {
                id: record.id,
                expected_version: record.version,
                events: log::stored_events(&new)?,
                projection,
            },
        }))
    }
}
