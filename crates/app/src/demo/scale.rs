//! A national-size dataset for the scale benchmarks (issues 3 and 6: a million cases): many
//! enterprises with valid credit codes and users, and many cases copied from the demo's cases
//! (one in every state, made through the use cases), each copy with its own applicant, moved back
//! in time by whole weeks and chained afresh (`reshape.rs`), its projection computed by the same
//! code as every change's; a copy of an issued case gets a licence of its own from the register's
//! series. Copies are made a chunk at a time (`scale/copies.rs`): their logs reshaped and their
//! projections computed on both cores, then written through the bulk port (`BulkStore`: cases,
//! licences, the issued copies' last events, documents), one transaction each, so a million
//! cases cost a few thousand commits instead of millions. For benchmarks only: the documents of
//! an open copy are register entries pointing at its template's PDF (typesetting ≈ 3 PDFs per
//! open case would take hours), so their signatures name the template's case and do not verify.

mod copies;
mod documents;
mod enterprises;

use std::sync::Arc;

use jiff::Timestamp;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::CaseEvent;
use onewindow_domain::clock::TimeLimits;
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{Licence, LicencePolicy};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{AuditEntry, CaseFilter, DocumentRecord};

use crate::{App, AppError};

/// What to make.
#[derive(Debug, Clone, Copy)]
pub struct ScalePlan {
    pub cases: u64,
    pub enterprises: u64,
    /// Open cases per thousand (the rest closed: decided, refused, withdrawn).
    pub open_per_mille: u64,
    /// Issued licences per thousand cases.
    pub issued_per_mille: u64,
    /// Closed copies are spread over this many weeks back.
    pub weeks: u64,
}

/// What was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScaleReport {
    pub enterprises: u64,
    pub cases: u64,
    pub open: u64,
    pub licences: u64,
    pub events: u64,
    pub documents: u64,
}

/// A demo case to copy.
struct Template {
    number: String,
    item_code: String,
    handling_org: String,
    /// The definition's code and version as the case row names them.
    definition_code: String,
    definition_version: i64,
    definition: ProcessDefinition,
    limits: TimeLimits,
    events: Vec<CaseEvent>,
    licence: Option<Licence>,
    documents: Vec<DocumentRecord>,
}

/// What every copy reads.
struct Shared {
    app: App,
    open: Vec<Template>,
    issued: Vec<Template>,
    closed: Vec<Template>,
    calendar: Calendar,
    policy: LicencePolicy,
    plan: ScalePlan,
}

/// Copies made and written together (one transaction per kind of write).
const CHUNK: u64 = 2_000;
/// `progress` is told every this many cases.
const PROGRESS_EVERY: u64 = 10_000;
/// Enterprise code stems: Dalian, then `H` and a 7-digit serial (no demo code starts so).
const CODE_PREFIX: &str = "91210200H";
const SEED_ACTOR: &str = "bench-seed";

/// The enterprise of copy `i` (credit code, user name).
fn enterprise_of(i: u64, enterprises: u64) -> Result<(CreditCode, String), AppError> {
    let n = i % enterprises.max(1);
    let code = CreditCode::complete(&format!("{CODE_PREFIX}{n:07}"))
        .map_err(|e| AppError::Refused(format!("enterprise {n}: {e}")))?;
    Ok((code, format!("bench-e{n}")))
}

impl App {
    /// Adds the dataset to a database holding the demo (`seed_demo`, `seed_demo_cases`);
    /// `progress` hears the cases made so far.
    pub async fn seed_scale(
        &self,
        plan: ScalePlan,
        progress: impl Fn(&ScaleReport),
    ) -> Result<ScaleReport, AppError> {
        let mut report = ScaleReport {
            enterprises: self.seed_enterprises(plan.enterprises).await?,
            ..ScaleReport::default()
        };
        let shared = Arc::new(self.templates(plan).await?);
        let mut start = 0;
        while start < plan.cases {
            let end = (start + CHUNK).min(plan.cases);
            let made = shared.copy_chunk(start..end).await?;
            report.cases += made.cases;
            report.open += made.open;
            report.licences += made.licences;
            report.events += made.events;
            report.documents += made.documents;
            if report.cases.is_multiple_of(PROGRESS_EVERY) {
                progress(&report);
            }
            start = end;
        }
        if !report.cases.is_multiple_of(PROGRESS_EVERY) {
            progress(&report);
        }
        Ok(report)
    }

    /// The demo's cases, sorted into open, issued and otherwise closed.
    async fn templates(&self, plan: ScalePlan) -> Result<Shared, AppError> {
        let (records, _) = self.store.cases(&CaseFilter::default(), 0, 1_000).await?;
        let (mut open, mut issued, mut closed) = (Vec::new(), Vec::new(), Vec::new());
        for record in records {
            let case = self.load_case(&record.number).await?;
            let licence = self.store.licence_of_case(&record.number).await?;
            let template = Template {
                limits: self.limits_for(&case.definition, &record.item_code).await?,
                documents: self.store.documents_for_case(&record.number).await?,
                number: record.number,
                item_code: record.item_code,
                handling_org: record.handling_org,
                definition_code: record.definition_code,
                definition_version: record.definition_version,
                definition: case.definition,
                events: case.events,
                licence: licence.clone(),
            };
            match (record.projection.open, licence) {
                (true, _) => open.push(template),
                (false, Some(_)) => issued.push(template),
                (false, None) => closed.push(template),
            }
        }
        if open.is_empty() || issued.is_empty() || closed.is_empty() {
            return Err(AppError::Refused(
                "the demo cases are missing: seed the demo first (serve --demo)".into(),
            ));
        }
        Ok(Shared {
            app: self.clone(),
            open,
            issued,
            closed,
            calendar: self.calendar().await?,
            policy: self.licence_policy().await?,
            plan,
        })
    }
}

fn seed_audit(at: Timestamp, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        at,
        actor: SEED_ACTOR.into(),
        action: action.into(),
        detail: format!("{detail} (benchmark dataset)"),
    }
}
