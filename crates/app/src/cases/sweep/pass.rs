//! One sweep pass's view of the rules: what it reads once (calendar, today, each process's
//! definition and limits) and what the rules call for on a case today.

use std::collections::HashMap;

use jiff::civil::Date;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{ActorRef, Command, WarningLevel, WarningScope, case_clock};
use onewindow_domain::clock::{AsRecorded, ClockSnapshot, ClockStatus, TimeLimits};
use onewindow_domain::flow::{Flow, Planned};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{CaseRecord, Generations};

use super::super::Loaded;
use super::super::definitions::{ProcessKey, process_key};
use super::super::view::projection_with;
use crate::AppError;

/// What one sweep reads once: the calendar, today, why a due date moved, and the definition
/// and limits of each process and item its cases follow.
pub(super) struct Pass<'a> {
    /// Read before the pass's calendar and processes: what its cases count and name with is as
    /// stored then, or later (the caches' rule, `Loaded::generations`).
    pub(super) generations: Generations,
    pub(super) calendar: Calendar,
    pub(super) today: Date,
    pub(super) reason: &'a str,
    pub(super) processes: HashMap<ProcessKey, (ProcessDefinition, TimeLimits)>,
}

impl Pass<'_> {
    /// What a case found quiet on this pass stays quiet for (`quiet_cases.rs`).
    pub(super) fn basis(&self) -> (Date, Generations) {
        (self.today, self.generations)
    }

    pub(super) fn process(
        &self,
        record: &CaseRecord,
    ) -> Result<&(ProcessDefinition, TimeLimits), AppError> {
        self.processes.get(&process_key(record)).ok_or_else(|| {
            AppError::Refused(format!("case {}: its process is not loaded", record.number))
        })
    }

    pub(super) fn limits(&self, record: &CaseRecord) -> Result<&TimeLimits, AppError> {
        Ok(&self.process(record)?.1)
    }

    /// The projection row of the case today on this pass's calendar.
    pub(super) fn projection(
        &self,
        case: &Loaded,
    ) -> Result<onewindow_store::CaseProjection, AppError> {
        let limits = self.limits(&case.record)?;
        projection_with(
            &case.definition,
            &case.record.handling_org,
            &case.events,
            (limits, &self.calendar),
            self.today,
        )
    }

    /// Nothing to record and nothing to refresh: no rule fires (no deemed acceptance or
    /// renewal, no warning not yet raised, no due date moved) and the projection is current.
    pub(super) fn nothing_due(&self, case: &Loaded) -> Result<bool, AppError> {
        Ok(self.due_commands(case)?.is_none() && self.projection(case)? == case.record.projection)
    }

    /// The commands the rules call for on this case today, if any.
    pub(super) fn due_commands(
        &self,
        case: &Loaded,
    ) -> Result<Option<(Vec<Planned>, Counts)>, AppError> {
        let (calendar, today, reason) = (&self.calendar, self.today, self.reason);
        let flow = Flow::new(&case.definition, &case.state);
        let mut counts = Counts::default();
        if case.state.deemed_renewal_due(today).is_some()
            && let Some(about) = case.state.licence_case()
        {
            counts.renewed = 1;
            let system = ActorRef::system();
            let planned = vec![
                Planned {
                    actor: system.clone(),
                    command: Command::DeemRenewal,
                },
                Planned {
                    actor: system,
                    command: Command::IssueLicence {
                        number: about.number.clone(),
                    },
                },
            ];
            return Ok(Some((planned, counts)));
        }
        if case.state.deemed_acceptance_due(calendar, today).is_some()
            && let Some(planned) = flow.deemed_acceptance()
        {
            counts.deemed = 1;
            return Ok(Some((planned, counts)));
        }
        let limits = self.limits(&case.record)?;
        let clock = case_clock(&case.events, limits, calendar, today, &AsRecorded)
            .map_err(|e| AppError::Refused(format!("case {}: clock: {e}", case.record.number)))?;
        let Some(clock) = clock.filter(|c| c.stopped.is_none()) else {
            return Ok(None);
        };
        let system = ActorRef::system();
        let mut planned = Vec::new();
        if let Some(previous) = case.record.projection.statutory_due
            && previous != clock.statutory_due.date
        {
            counts.due_changed = 1;
            planned.push(Planned {
                actor: system.clone(),
                command: Command::NoteDueDateChange {
                    previous,
                    due: clock.statutory_due.date,
                    reason: reason.to_owned(),
                },
            });
        }
        for (scope, level) in warnings(&clock) {
            if !case.state.has_warning(level, scope) {
                counts.warnings += 1;
                planned.push(Planned {
                    actor: system.clone(),
                    command: Command::RaiseWarning { level, scope },
                });
            }
        }
        Ok((!planned.is_empty()).then_some((planned, counts)))
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counts {
    pub(super) deemed: u64,
    pub(super) renewed: u64,
    pub(super) warnings: u64,
    pub(super) due_changed: u64,
}

/// The warning level of the case's limit and of its step's budget, where one is due.
fn warnings(clock: &ClockSnapshot) -> Vec<(WarningScope, WarningLevel)> {
    if clock.is_paused {
        // Paused time is not counted (art. 45): nothing approaches while it runs.
        return Vec::new();
    }
    let level = |status: ClockStatus| match status {
        ClockStatus::Yellow => Some(WarningLevel::Yellow),
        ClockStatus::Red => Some(WarningLevel::Red),
        ClockStatus::Overdue => Some(WarningLevel::Overdue),
        _ => None,
    };
    let mut out = Vec::new();
    if let Some(l) = level(clock.status) {
        out.push((WarningScope::Case, l));
    }
    if let Some(step) = &clock.step
        && let Some(l) = level(step.status)
    {
        out.push((WarningScope::Step, l));
    }
    out
}
