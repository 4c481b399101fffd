//! The sweeper's catch-up of grants whose register change a crash lost: the case's decision was
//! appended, the process died before `carry_out_after` changed the licence. A grant closes its
//! case, so the store finds them among the closed cases on a licence changed since the previous
//! sweep began (as the notification catch-up finds closed cases); each is carried out once
//! (idempotent per case), and the certificate its grant called for, held back while the
//! register lacked the change, is made then.

use onewindow_store::CaseId;

use super::grant::grant_in;
use crate::{App, AppError};

/// Where the previous catch-up's start is kept, shared by every instance.
const SWEPT_FROM: &str = "licence_grants_swept_from";
const PAGE: u32 = 200;

impl App {
    /// Grants closed since the previous sweep began whose licence lacks their change: carried
    /// out now; returns how many were carried out.
    pub(crate) async fn catch_up_licence_grants(&self) -> Result<u64, AppError> {
        let window = self.open_sweep_window(SWEPT_FROM).await?;
        let since = window.since;
        let mut made = 0;
        let mut after = CaseId(0);
        loop {
            let page = self
                .store
                .closed_licence_cases_since(since, after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for record in page {
                let case = self.load_case(&record.number).await?;
                let (Some(about), Some((actor, deemed))) =
                    (case.state.licence_case(), grant_in(&case, 1))
                else {
                    continue;
                };
                let licence = self.licence_view(&about.number).await?.licence;
                if licence.event_of_case(&record.number).is_some() {
                    continue;
                }
                match self
                    .carry_out_licence_case(&record.number, about, &actor, deemed)
                    .await
                {
                    Ok(_) => made += 1,
                    Err(e) => {
                        tracing::warn!(case = %record.number, error = %e, "licence not changed yet");
                        continue;
                    }
                }
                if let Err(e) = self.catch_up_documents(&case).await {
                    tracing::warn!(case = %record.number, error = %e, "certificate not made yet");
                }
            }
        }
        self.close_sweep_window(window).await?;
        Ok(made)
    }
}
