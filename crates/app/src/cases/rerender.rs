//! `onewindow documents render --licences`: every licence's certificate rendered again (e.g.
//! after an administrator changed the certificate template). Resumable: each run is named by the
//! templates' revision, and a certificate already rendered under that revision is found, not
//! made again — so an interrupted run, started again, carries on where it stopped.

use onewindow_store::LicenceFilter;

use crate::{App, AppError};

/// What a bulk rendering did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderReport {
    pub licences: u64,
    /// Certificates made in this run.
    pub rendered: u64,
    /// Certificates an earlier (interrupted) run of the same revision had made.
    pub already: u64,
}

const PAGE: u32 = 200;

impl App {
    /// Renders the certificate (original and copy) of every licence in the register;
    /// `progress(done, total)` after each licence.
    pub async fn rerender_licences(
        &self,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<RenderReport, AppError> {
        let revision = self.store.templates_revision().await?;
        let orgs = self.store.orgs().await?;
        let filter = LicenceFilter::default();
        let (_, total) = self.store.licences(&filter, 0, 1).await?;
        let total = total.count;
        let mut report = RenderReport::default();
        let mut offset = 0;
        loop {
            let (page, _) = self.store.licences(&filter, offset, PAGE).await?;
            if page.is_empty() {
                break;
            }
            offset += PAGE;
            for licence in &page {
                let bureau = orgs
                    .iter()
                    .find(|o| o.code == licence.grant.issuing_org)
                    .map_or(licence.grant.issuing_org.as_str().to_owned(), |o| {
                        o.name_zh.clone()
                    });
                let requests = self
                    .certificates_of(licence, &bureau, format!("render-{revision}"))
                    .await?;
                for request in requests {
                    match self.issue_document(request).await?.existing {
                        true => report.already += 1,
                        false => report.rendered += 1,
                    }
                }
                report.licences += 1;
                progress(report.licences, total);
            }
        }
        Ok(report)
    }
}
