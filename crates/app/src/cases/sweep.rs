//! The sweeper (issue 3): the rules that fire by themselves, run over every open case on a
//! schedule and once at start-up (so a restart catches up on what it missed):
//! - art. 32: no acceptance decision within 5 working days of receipt → accepted from the day
//!   of receipt (`DeemAccepted`, then the case moves on along its definition);
//! - art. 50 ¶2: a renewal applied for in time and still undecided when its licence expired →
//!   the renewal is granted (`DeemRenewal`): the case records the decision and the re-issued
//!   certificate, and once that is stored the licence is renewed (once per case: the licence
//!   event names the case; a renewal or other grant a crash kept from the register is caught
//!   up by `licences/catch_up.rs`);
//! - renewal reminders: one per licence and validity period entering its type's renewal lead
//!   window (`renewal_reminders.rs`);
//! - warnings: yellow when the item's threshold or fewer working days remain, red at the last
//!   day, overdue after — for the case's limit and its current step's budget — each raised
//!   once as a `WarningRaised` event (the in-app notifications are those events);
//! - after a calendar import: a due date that moved is recorded as `DueDateChanged` with why
//!   (first, for every case at once, by `recompute.rs`; a case it could not write is caught here);
//! - documents an open case's events call for and that are missing are made (only for cases
//!   changed since the last pass that completed, by any instance; every open case when none
//!   ever did).
//!
//! Exactly once across instances: every change is a version-checked append. Two instances on
//! one PostgreSQL may both decide to raise the same warning; one append wins, the other gets a
//! conflict, reloads, and finds the warning already there. Nothing is lost either: a case whose
//! append conflicted is looked at again, up to a few times, in the same sweep.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use onewindow_domain::cases::CaseState;
use onewindow_domain::clock::TimeLimits;
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{CaseId, CaseRecord, Generations, StoreError, StoredEvent};

use super::definitions::{ProcessKey, process_key};
use super::{Loaded, log};
use crate::{App, AppError};

mod pass;

use super::sweep_window::caught_up;

use pass::Pass;

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub examined: u64,
    pub deemed_accepted: u64,
    pub warnings_raised: u64,
    pub due_dates_changed: u64,
    /// Appends that lost to another instance and were re-examined.
    pub conflicts: u64,
    /// Documents an open case's events called for that were missing (a queued job lost in a
    /// crash, deferred by a full queue, or a rendering that failed) and were made now.
    pub documents_made: u64,
    /// Notifications recorded by the sweep because the change that called for them had not.
    pub notifications_caught_up: u64,
    /// Grants on licences whose register change a crash lost, carried out by this sweep.
    pub licence_grants_caught_up: u64,
    /// Renewals deemed granted (art. 50 ¶2) by this sweep.
    pub renewals_deemed: u64,
    /// Renewal reminders made by this sweep.
    pub renewal_reminders: u64,
    /// Open cases passed over without reading their logs: a pass today, on the same calendar
    /// and catalogue, found them at the same version with nothing due (`quiet_cases.rs`).
    pub passed_over: u64,
}

/// How many cases one page of the sweep reads.
const PAGE: u32 = 500;
/// How often a case whose append conflicted is re-examined in one sweep.
const RETRIES: u32 = 3;

impl App {
    /// Sweeps every open case once.
    pub async fn sweep(&self) -> Result<SweepReport, AppError> {
        // A due date only moves when the calendar it is counted on changed.
        let version = self.store.calendar_version().await?;
        let reason = format!(
            "工作日历已更新（第 {version} 版） / the working-day calendar was updated (version {version})"
        );
        let reason = reason.as_str();
        let (documents_since, started) = self.begin_document_sweep().await?;
        // Due dates a calendar import moved, set-based (`recompute.rs`); the pass below then
        // finds them recorded.
        let recomputed = self.recompute_due_dates().await?;
        let mut report = SweepReport {
            due_dates_changed: recomputed.due_dates_changed,
            conflicts: recomputed.conflicts,
            ..SweepReport::default()
        };
        // Read once a pass: the calendar, today, and each process's definition and limits.
        let generations = Generations {
            calendar: self.store.calendar_version().await?,
            catalogue: self.store.catalogue_version().await?,
        };
        let mut pass = Pass {
            generations,
            calendar: self.calendar_at(generations.calendar).await?,
            today: self.today(),
            reason,
            processes: HashMap::new(),
        };
        let mut after = CaseId(0);
        loop {
            // A page of open cases' rows; the logs of those to look at in one more read. A case
            // found quiet today at its version is passed over unread (`quiet_cases.rs`).
            let rows = self.store.open_case_rows(after, PAGE).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let mut wanted = Vec::with_capacity(rows.len());
            for record in rows {
                report.examined += 1;
                // Only a case changed since the last pass can miss a document it had then.
                let check_documents = documents_since.is_none_or(|t| record.updated_at >= t);
                if !check_documents
                    && self
                        .quiet_cases
                        .is_quiet(pass.basis(), record.id, record.version)
                {
                    report.passed_over += 1;
                    continue;
                }
                wanted.push((record, check_documents));
            }
            let versions: Vec<(CaseId, i64)> =
                wanted.iter().map(|(r, _)| (r.id, r.version)).collect();
            let logs = self.store.logs_at(&versions).await?;
            for ((record, check_documents), log) in wanted.into_iter().zip(logs) {
                let number = record.number.clone();
                let case = match log {
                    Some(log) => Some(self.loaded_from(record, &log, &mut pass).await?),
                    // Changed since its row was read: read again on its own.
                    None => None,
                };
                if !check_documents
                    && let Some(case) = &case
                    && pass.nothing_due(case)?
                {
                    self.quiet_cases
                        .found_quiet(pass.basis(), case.id, case.record.version);
                    continue;
                }
                self.sweep_case(&number, case, &mut pass, check_documents, &mut report)
                    .await?;
            }
        }
        // Every open case changed before this pass began has had its documents checked.
        self.finish_document_sweep(started).await?;
        report.notifications_caught_up += caught_up(
            self.catch_up_closed_cases().await,
            "notifications of closed cases not caught up yet",
        );
        report.licence_grants_caught_up += caught_up(
            self.catch_up_licence_grants().await,
            "licence grants not caught up yet",
        );
        // A reminder that cannot be made now (no font) must not fail the sweep; the range it
        // was in is read again next time.
        match self.send_renewal_reminders().await {
            Ok(made) => report.renewal_reminders = made,
            Err(e) => tracing::warn!(error = %e, "renewal reminders not made yet"),
        }
        Ok(report)
    }

    async fn sweep_case(
        &self,
        number: &str,
        read: Option<Loaded>,
        pass: &mut Pass<'_>,
        check_documents: bool,
        report: &mut SweepReport,
    ) -> Result<(), AppError> {
        let mut read = read;
        for attempt in 0..RETRIES {
            let case = match read.take() {
                Some(case) => case,
                None => self.load_case(number).await?,
            };
            self.load_process(&case.record, &mut pass.processes).await?;
            if check_documents && attempt == 0 {
                // A document that cannot be made now (no font) must not stop the deadlines.
                match self.catch_up_documents(&case).await {
                    Ok(made) => report.documents_made += made,
                    Err(e) => {
                        tracing::warn!(case = number, error = %e, "missing documents not made yet")
                    }
                }
                // Notifications a crash left unwritten (ADR 0004).
                match self.catch_up_notifications(&case).await {
                    Ok(made) => report.notifications_caught_up += made,
                    Err(e) => {
                        tracing::warn!(case = number, error = %e, "notifications not caught up yet")
                    }
                }
            }
            let Some((planned, counts)) = pass.due_commands(&case)? else {
                // Nothing to record; still refresh the colour the queues show. Then nothing is
                // due until the day, the calendar, the catalogue or the case changes.
                self.refresh_projection(&case, pass).await?;
                self.quiet_cases
                    .found_quiet(pass.basis(), case.id, case.record.version);
                return Ok(());
            };
            if counts.renewed > 0
                && let Some(about) = case.state.licence_case()
            {
                // Art. 50 ¶2: the register must be able to take the renewal; `record` renews
                // the licence once the decision is stored (`licences/grant.rs`).
                self.check_licence_grant(&case.record.number, about, "system", true)
                    .await?;
            }
            let from_seq = case.record.version as u64 + 1;
            match self.record(case, planned).await {
                Ok(_) => {
                    if counts.deemed + counts.renewed > 0 {
                        // The acceptance voucher (art. 32) of a deemed acceptance; the
                        // re-issued certificate of a deemed renewal.
                        self.issue_documents_after(number, from_seq).await;
                    }
                    report.deemed_accepted += counts.deemed;
                    report.renewals_deemed += counts.renewed;
                    report.warnings_raised += counts.warnings;
                    report.due_dates_changed += counts.due_changed;
                    return Ok(());
                }
                Err(AppError::Conflict(_)) => report.conflicts += 1,
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// Rewrites the projection (colour, due dates) without events, if it changed.
    async fn refresh_projection(&self, case: &Loaded, pass: &Pass<'_>) -> Result<(), AppError> {
        let projection = pass.projection(case)?;
        if projection == case.record.projection {
            return Ok(());
        }
        let version = case.record.version;
        match self
            .store
            .append_events(case.id, version, &[], &projection, self.clock.now())
            .await
        {
            // Someone acted meanwhile and wrote a fresher projection.
            Ok(()) | Err(StoreError::Conflict { .. }) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }

    /// A case from a page's row and log, its process loaded into the pass.
    async fn loaded_from(
        &self,
        record: CaseRecord,
        log: &[StoredEvent],
        pass: &mut Pass<'_>,
    ) -> Result<Loaded, AppError> {
        self.load_process(&record, &mut pass.processes).await?;
        let events = log::parse_events(&record.number, log)?;
        let state = CaseState::fold(&events);
        let definition = pass.process(&record)?.0.clone();
        Ok(Loaded {
            id: record.id,
            record,
            events,
            state,
            definition,
            generations: pass.generations,
            applicant_on_record: super::OnRecord::Unread,
        })
    }

    /// Adds the definition and limits of the case's process and item, if not loaded yet.
    async fn load_process(
        &self,
        record: &CaseRecord,
        processes: &mut HashMap<ProcessKey, (ProcessDefinition, TimeLimits)>,
    ) -> Result<(), AppError> {
        if let Entry::Vacant(slot) = processes.entry(process_key(record)) {
            slot.insert(self.process_of(record).await?);
        }
        Ok(())
    }
}
