//! Queues: the cases a person works on now. Staff see their org's cases and the work handed to
//! it; by default only those at a step their role acts at ("my queue"), each with its clock
//! colour and how long it has waited in its step (the signatory's queue: how long each case has
//! waited for signature). An enterprise sees its own applications.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use onewindow_domain::cases::EventKind;
use onewindow_domain::catalogue::CatalogueCode;
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::process::{Actor, DefinitionSet};
use onewindow_store::{CaseFilter, CaseId, CaseRecord};

use super::Person;
use crate::catalogue::{PageRequest, Paged};
use crate::{App, AppError};

/// The clock colours a queue filters on (the projection's `clock_status`).
pub const CLOCK_STATUSES: &[&str] = &["green", "yellow", "red", "overdue", "paused", "stopped"];

/// What a queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Every case of the org, not only those at this person's steps.
    pub all_steps: bool,
    pub status: Option<String>,
    /// `green`, `yellow`, `red`, `overdue`, `paused`, `stopped`.
    pub clock_status: Option<String>,
    /// Closed cases too.
    pub include_closed: bool,
}

/// One line of a queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub record: CaseRecord,
    /// The service item's names (zh, en); the code when the catalogue has no such item.
    pub item_name: (String, String),
    /// How long the case has been in its current step.
    pub waiting: Option<SignedDuration>,
    /// The applicant's name: its enterprise's record, else the name declared at the window
    /// (`ApplicantNamed`); `None` for neither (a window case from before names were taken, for
    /// an applicant that never registered).
    pub applicant_name: Option<String>,
}

impl App {
    pub async fn case_queue(
        &self,
        person: &Person,
        filter: &QueueFilter,
        page: PageRequest,
    ) -> Result<Paged<QueueRow>, AppError> {
        let mut store_filter = CaseFilter {
            status: filter.status.clone(),
            clock_status: filter.clock_status.clone(),
            open: (!filter.include_closed).then_some(true),
            ..CaseFilter::default()
        };
        match person {
            Person::Staff { org, role, .. } => {
                store_filter.visible_to_org = Some(org.as_str().to_owned());
                if !filter.all_steps {
                    let definitions = self.definitions().await?;
                    store_filter.steps = steps_of(&definitions, Actor::Staff(*role));
                    if store_filter.steps.is_empty() {
                        return Ok(Paged::from_page(Vec::new(), 0, page));
                    }
                }
            }
            Person::Enterprise { credit_code, .. } => {
                store_filter.applicant = Some(credit_code.as_str().to_owned());
            }
        }
        let offset = page.number.saturating_sub(1).saturating_mul(page.size);
        let (records, total) = self.store.cases(&store_filter, offset, page.size).await?;
        let now = self.clock.now();
        // A page holds few distinct items: one read each.
        let mut names: BTreeMap<String, (String, String)> = BTreeMap::new();
        for record in &records {
            if names.contains_key(&record.item_code) {
                continue;
            }
            let item = match CatalogueCode::parse(&record.item_code) {
                Ok(code) => self.store.item(&code).await?.map(|v| v.value),
                Err(_) => None,
            };
            let name = item.map_or_else(
                || (record.item_code.clone(), record.item_code.clone()),
                |i| (i.name_zh, i.name_en),
            );
            names.insert(record.item_code.clone(), name);
        }
        let applicants = self.applicant_names(&records).await?;
        let rows = records
            .into_iter()
            .map(|record| QueueRow {
                waiting: record.projection.step_since.map(|since| waited(since, now)),
                item_name: names.get(&record.item_code).cloned().unwrap_or_default(),
                applicant_name: applicants.get(&record.id).cloned(),
                record,
            })
            .collect();
        Ok(Paged::from_page(rows, total as usize, page))
    }
}

impl App {
    /// The applicants' names of a page of cases, by case: one enterprise read per distinct
    /// applicant; the log only of a case whose applicant has no record (a window applicant
    /// named at the counter).
    async fn applicant_names(
        &self,
        records: &[CaseRecord],
    ) -> Result<BTreeMap<CaseId, String>, AppError> {
        let mut registered: BTreeMap<&str, Option<String>> = BTreeMap::new();
        let mut names = BTreeMap::new();
        for record in records {
            let applicant = record.applicant.as_str();
            if !registered.contains_key(applicant) {
                let name = match CreditCode::parse(applicant) {
                    Ok(code) => self.store.enterprise(&code).await?.map(|e| e.name),
                    Err(_) => None,
                };
                registered.insert(applicant, name);
            }
            let name = match registered.get(applicant).cloned().flatten() {
                Some(name) => Some(name),
                None => self.declared_name(record).await?,
            };
            if let Some(name) = name {
                names.insert(record.id, name);
            }
        }
        Ok(names)
    }

    /// The name a window applicant without a record declared (`ApplicantNamed`), if it did.
    async fn declared_name(&self, record: &CaseRecord) -> Result<Option<String>, AppError> {
        let Some((_, stored)) = self.store.case(record.id).await? else {
            return Ok(None);
        };
        let events = super::log::parse_events(&record.number, &stored)?;
        Ok(events.into_iter().find_map(|e| match e.kind {
            EventKind::ApplicantNamed { name, .. } => Some(name),
            _ => None,
        }))
    }
}

fn waited(since: Timestamp, now: Timestamp) -> SignedDuration {
    now.duration_since(since).max(SignedDuration::ZERO)
}

/// The step ids where `actor` acts: the steps naming its role, and the lead steps such a step
/// runs beside (the case waits in the lead while, e.g., the inspectors verify the site).
fn steps_of(definitions: &DefinitionSet, actor: Actor) -> Vec<String> {
    let mut steps: Vec<String> = Vec::new();
    for definition in definitions.latest_all() {
        for step in definition.steps() {
            let companions_act = step
                .parallel_with
                .iter()
                .filter_map(|id| definition.step(id.as_str()))
                .any(|c| c.roles.contains(&actor));
            if step.roles.contains(&actor) || companions_act {
                steps.push(step.id.as_str().to_owned());
            }
        }
    }
    steps.sort();
    steps.dedup();
    steps
}
