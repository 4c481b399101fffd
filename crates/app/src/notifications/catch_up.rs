//! The sweeper's catch-up of notifications a crash left unwritten (ADR 0004): the append had
//! committed, the process died before `notify_after` ran. Open cases are checked as the sweeper
//! walks them; closed ones (a decision or refusal closes the case in the very append whose
//! notifications matter most) are found by the store among the cases closed since the previous
//! sweep began.

use onewindow_store::CaseId;

use super::messages::{TELLING_KINDS, message_for};
use crate::cases::Loaded;
use crate::{App, AppError};

/// Where the previous sweep's start is kept, shared by every instance.
const SWEPT_FROM: &str = "notifications_closed_swept_from";
const PAGE: u32 = 200;

impl App {
    /// The events of a case that call for notifications and have none (one event's
    /// notifications are written together, so an event with any has all).
    pub(crate) async fn catch_up_notifications(&self, case: &Loaded) -> Result<u64, AppError> {
        let telling: Vec<u64> = case
            .events
            .iter()
            .filter(|e| message_for(&case.record.number, &e.kind).is_some())
            .map(|e| e.seq)
            .collect();
        if telling.is_empty() {
            return Ok(0);
        }
        let done = self.store.notified_seqs(case.id).await?;
        let missing: Vec<u64> = telling
            .into_iter()
            .filter(|seq| done.binary_search(&(*seq as i64)).is_err())
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        self.notify_events(case, &case.events, |seq| missing.contains(&seq))
            .await
    }

    /// Closed cases changed since the previous sweep began whose telling events have no
    /// notifications: written now; returns how many.
    pub(crate) async fn catch_up_closed_cases(&self) -> Result<u64, AppError> {
        let window = self.open_sweep_window(SWEPT_FROM).await?;
        let since = window.since;
        let mut made = 0;
        let mut after = CaseId(0);
        loop {
            let page = self
                .store
                .closed_cases_missing_notifications(since, TELLING_KINDS, after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for record in page {
                let case = self.load_case(&record.number).await?;
                made += self.catch_up_notifications(&case).await?;
            }
        }
        self.close_sweep_window(window).await?;
        Ok(made)
    }
}
