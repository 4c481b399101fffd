//! The window a sweeper catch-up looks through: cases closed since the previous sweep began
//! (the notifications a crash lost, ADR 0004; the licence change of a grant, issue 4). Where the
//! previous start is kept is a setting shared by every instance, so whichever instance sweeps
//! next picks up where the last one began.

use jiff::{SignedDuration, Timestamp};

use crate::{App, AppError};

/// How far before the previous start the next catch-up looks: appends in flight then, and
/// instances whose clocks differ a little.
const OVERLAP: SignedDuration = SignedDuration::from_mins(2);

/// What a catch-up made, or 0 with `failed` logged: a catch-up that fails is tried again at the
/// next sweep and never stops this one.
pub(crate) fn caught_up(result: Result<u64, AppError>, failed: &str) -> u64 {
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "{failed}");
        0
    })
}

/// One catch-up's look back: from `since` to now.
pub(crate) struct SweepWindow {
    setting: &'static str,
    started: Timestamp,
    pub since: Timestamp,
}

impl App {
    /// Opens the window of the catch-up whose previous start is kept under `setting`; on the
    /// first sweep of an installation there is no previous one, so it looks back the overlap.
    pub(crate) async fn open_sweep_window(
        &self,
        setting: &'static str,
    ) -> Result<SweepWindow, AppError> {
        let started = self.clock.now();
        let previous = match self.store.setting(setting).await? {
            Some(text) => text.parse::<Timestamp>().unwrap_or(started),
            None => started,
        };
        Ok(SweepWindow {
            setting,
            started,
            since: previous - OVERLAP,
        })
    }

    /// Records that the catch-up covered everything up to its start (called only when it
    /// finished: a failed one is looked through again next time).
    pub(crate) async fn close_sweep_window(&self, window: SweepWindow) -> Result<(), AppError> {
        self.store
            .set_setting(window.setting, &window.started.to_string())
            .await?;
        Ok(())
    }
}
