//! A national-size dataset for the scale benchmarks (issues 3 and 6: a million cases): many
//! enterprises with valid credit codes and users, and many cases copied from the demo's cases
//! (one in every state, made through the use cases), each copy with its own applicant, moved back
//! in time by whole weeks and chained afresh (`reshape.rs`), its projection computed by the same
//! code as every change's; a copy of an issued case gets a licence of its own from the register's
//! series. Writes go through the store's ordinary ports, many at once, so case writes share
//! commits in the group-commit writer. For benchmarks only: the documents of an open copy are
//! register entries pointing at its template's PDF (typesetting ≈ 3 PDFs per open case would
//! take hours), so their signatures name the template's case and do not verify.

use std::sync::Arc;

use jiff::Timestamp;
use onewindow_domain::access::{Enterprise, Membership};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{CaseEvent, ChainHead, EventKind};
use onewindow_domain::clock::TimeLimits;
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{Licence, LicencePolicy};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{
    AuditEntry, CaseFilter, CaseId, DocumentRecord, NewCase, NewDocument, NewLicence, NewUser,
    StoreError,
};
use tokio::task::JoinSet;

use super::reshape::Reshape;
use crate::cases::{log, projection_with};
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

/// Cases written at once (they share commits in the group-commit writer).
const IN_FLIGHT: usize = 64;
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
        let mut tasks = JoinSet::new();
        for i in 0..plan.cases {
            if tasks.len() >= IN_FLIGHT {
                add(&mut report, tasks.join_next().await)?;
                if report.cases.is_multiple_of(10_000) {
                    progress(&report);
                }
            }
            let shared = shared.clone();
            tasks.spawn(async move { shared.copy(i).await });
        }
        while let Some(done) = tasks.join_next().await {
            add(&mut report, Some(done))?;
        }
        progress(&report);
        Ok(report)
    }

    async fn seed_enterprises(&self, count: u64) -> Result<u64, AppError> {
        let now = self.clock.now();
        let password_hash = crate::accounts::hash_password("bench-password-1")?;
        let mut tasks = JoinSet::new();
        for n in 0..count {
            if tasks.len() >= IN_FLIGHT
                && let Some(done) = tasks.join_next().await
            {
                done.map_err(|e| AppError::Refused(format!("enterprise task: {e}")))??;
            }
            let (app, hash) = (self.clone(), password_hash.clone());
            tasks.spawn(async move { app.seed_enterprise(n, count, hash, now).await });
        }
        while let Some(done) = tasks.join_next().await {
            done.map_err(|e| AppError::Refused(format!("enterprise task: {e}")))??;
        }
        Ok(count)
    }

    async fn seed_enterprise(
        &self,
        n: u64,
        count: u64,
        password_hash: String,
        at: Timestamp,
    ) -> Result<(), AppError> {
        let (credit_code, user) = enterprise_of(n, count)?;
        let enterprise = Enterprise {
            credit_code,
            name: format!("大连第{n}机械制造有限公司"),
            address: format!("大连市甘井子区工业路{}号", n % 2000 + 1),
            contact_name: "王经理".into(),
            contact_phone: format!("1390411{:04}", n % 10_000),
            registered_at: at,
        };
        let user = NewUser {
            username: onewindow_domain::access::Username::parse(&user)
                .map_err(|e| AppError::Refused(format!("{user}: {e}")))?,
            display_name: "王经理".into(),
            password_hash,
            membership: Membership::Enterprise { credit_code },
            created_at: at,
        };
        let audit = seed_audit(at, "register enterprise", &enterprise.name);
        match self
            .store
            .create_enterprise_with_user(&enterprise, user, &audit)
            .await
        {
            // A second seed into the same database: the enterprise is there.
            Ok(_) | Err(StoreError::Duplicate(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
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

fn add(
    report: &mut ScaleReport,
    done: Option<Result<Result<Copied, AppError>, tokio::task::JoinError>>,
) -> Result<(), AppError> {
    let Some(done) = done else { return Ok(()) };
    let copied = done.map_err(|e| AppError::Refused(format!("case task: {e}")))??;
    report.cases += 1;
    report.open += u64::from(copied.open);
    report.licences += u64::from(copied.licence);
    report.events += copied.events;
    report.documents += copied.documents;
    Ok(())
}

/// What one copy made.
struct Copied {
    open: bool,
    licence: bool,
    events: u64,
    documents: u64,
}

impl Shared {
    /// Copy `i`: which template, how far back, whose.
    async fn copy(&self, i: u64) -> Result<Copied, AppError> {
        let per_mille = (i * 7919) % 1000;
        let (template, weeks) = if per_mille < self.plan.open_per_mille {
            // Open copies keep their template's dates: its clock, warnings and documents fit.
            (&self.open[(i as usize) % self.open.len()], 0)
        } else if per_mille < self.plan.open_per_mille + self.plan.issued_per_mille {
            let weeks = (i * 31) % self.plan.weeks.max(1);
            (&self.issued[(i as usize) % self.issued.len()], weeks as i64)
        } else {
            let weeks = (i * 31) % self.plan.weeks.max(1);
            (&self.closed[(i as usize) % self.closed.len()], weeks as i64)
        };
        let (code, user) = enterprise_of(i, self.plan.enterprises)?;
        let mut reshape = Reshape {
            weeks,
            applicant: code.as_str(),
            applicant_user: &user,
            licence_number: None,
        };
        let issued_at = template
            .events
            .iter()
            .position(|e| matches!(e.kind, EventKind::LicenceIssued { .. }));
        let split = issued_at.unwrap_or(template.events.len());
        let head = reshape.apply(ChainHead::GENESIS, &template.events[..split]);
        let projection = self.projection(template, &head)?;
        let open = projection.open;
        let (id, number) = self.create(template, &head, projection).await?;
        let mut copied = Copied {
            open,
            licence: false,
            events: head.len() as u64,
            documents: 0,
        };
        if let (Some(_), Some(licence)) = (issued_at, &template.licence) {
            let issued = self
                .issue(licence, &number, &code, head.last().map(|e| e.at))
                .await?;
            reshape.licence_number = Some(&issued);
            let tail = reshape.apply(ChainHead::of(&head), &template.events[split..]);
            let mut all = head.clone();
            all.extend(tail.iter().cloned());
            let projection = self.projection(template, &all)?;
            let at = all.last().map_or(Timestamp::UNIX_EPOCH, |e| e.at);
            let stored = log::stored_events(&tail)?;
            self.app
                .store
                .append_events(id, head.len() as i64, &stored, &projection, at)
                .await?;
            copied.licence = true;
            copied.events += tail.len() as u64;
        }
        if copied.open {
            copied.documents = self.copy_documents(template, &number, &code).await?;
        }
        Ok(copied)
    }

    fn projection(
        &self,
        template: &Template,
        events: &[CaseEvent],
    ) -> Result<onewindow_store::CaseProjection, AppError> {
        projection_with(
            &template.definition,
            &template.handling_org,
            events,
            (&template.limits, &self.calendar),
            self.app.today(),
        )
    }

    /// Stores the copy's case with its first events; its id and number.
    async fn create(
        &self,
        template: &Template,
        events: &[CaseEvent],
        projection: onewindow_store::CaseProjection,
    ) -> Result<(CaseId, String), AppError> {
        let Some(first) = events.first() else {
            return Err(AppError::Refused(format!(
                "demo case {} has no events",
                template.number
            )));
        };
        let applicant = match &first.kind {
            EventKind::Submitted { applicant, .. } => applicant.clone(),
            _ => String::new(),
        };
        let case = NewCase {
            item_code: template.item_code.clone(),
            definition_code: template.definition_code.clone(),
            definition_version: template.definition_version,
            handling_org: template.handling_org.clone(),
            applicant,
            idempotency_key: None,
            licence_number: None,
            projection,
            events: log::stored_events(events)?,
            created_at: first.at,
        };
        let year = first.on.year();
        let created = self.app.store.create_case(&case, i32::from(year)).await?;
        let number = self
            .app
            .store
            .case(created.id)
            .await?
            .map(|(record, _)| record.number)
            .ok_or_else(|| AppError::NotFound(format!("case {}", created.id.0)))?;
        Ok((created.id, number))
    }

    /// A licence like the template's for the copy, numbered from the register's series.
    async fn issue(
        &self,
        template: &Licence,
        case_number: &str,
        holder: &CreditCode,
        at: Option<Timestamp>,
    ) -> Result<String, AppError> {
        let at = at.unwrap_or_else(|| self.app.clock.now());
        let issued_on = crate::china_date(at);
        let mut grant = template.grant.clone();
        grant.case_number = case_number.to_owned();
        grant.holder_credit_code = *holder;
        grant.issued_on = issued_on;
        let refused = |e: String| AppError::Refused(format!("licence of case {case_number}: {e}"));
        grant.valid_until = self
            .policy
            .valid_until(grant.licence_type, issued_on)
            .map_err(|e| refused(e.to_string()))?;
        let numbering = self
            .policy
            .numbering(
                grant.licence_type,
                grant.item_code.as_str(),
                grant.valid_until,
            )
            .map_err(|e| refused(e.to_string()))?;
        let audit = seed_audit(at, "issue_licence", case_number);
        let new = NewLicence {
            numbering,
            grant,
            issued_at: at,
        };
        let issued = self.app.store.issue_licence(&new, &audit).await?;
        Ok(issued.licence.number.to_string())
    }

    /// The register entries of the template's documents, for the copy (see the module note).
    async fn copy_documents(
        &self,
        template: &Template,
        case_number: &str,
        holder: &CreditCode,
    ) -> Result<u64, AppError> {
        for record in &template.documents {
            let d = &record.document;
            let (series, rest) = d.number.split_once('-').unwrap_or((&d.number, ""));
            let year: i32 = rest
                .split('-')
                .next()
                .and_then(|y| y.parse().ok())
                .unwrap_or(2026);
            let serial = self.app.store.next_document_serial(series, year).await?;
            let document = NewDocument {
                number: format!("{series}-{year}-{serial:06}"),
                case_number: Some(case_number.to_owned()),
                holder_credit_code: holder.as_str().to_owned(),
                idempotency_key: d.idempotency_key.replace(&template.number, case_number),
                ..d.clone()
            };
            self.app.store.record_document(&document).await?;
        }
        Ok(template.documents.len() as u64)
    }
}
