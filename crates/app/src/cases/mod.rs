//! The case flow's use cases (issue 4): submit an application, make a move on a case, extend
//! its time limit, read a case, list a queue. Each loads the log, lets the domain decide
//! (`domain::flow` over `domain::cases`), and appends the new events with the projection in one
//! version-checked write: of two people acting at once one wins, the other gets a conflict and
//! the current state. Who may see and act on which case (org scope, the applicant's own cases)
//! is checked here, in `scope`.

mod audit;
mod definitions;
mod document_jobs;
mod documents;
mod load;
pub(crate) mod log;
mod log_cache;
mod materials;
mod names;
mod queue;
mod quiet_cases;
mod recompute;
mod rerender;
mod scope;
mod submit;
mod sweep;
pub(crate) mod sweep_window;
mod view;

pub use audit::{AuditFault, AuditReport};
pub(crate) use definitions::DefinitionCache;
pub use definitions::default_process_for;
pub use document_jobs::DOCUMENT_QUEUE_CAPACITY;
pub(crate) use document_jobs::DocumentJobs;
pub(crate) use load::{Loaded, OnRecord};
pub(crate) use log_cache::LogCache;
pub use materials::Upload;
pub use names::CaseNames;
pub use queue::{CLOCK_STATUSES, QueueFilter, QueueRow};
pub(crate) use quiet_cases::QuietCases;
pub use recompute::{COUNTED_ON, COUNTED_ON_VERSION, RecomputeReport};
pub use scope::Person;
pub use submit::{Submission, Submitted};
pub use sweep::SweepReport;
pub(crate) use view::projection_with;
pub use view::{CaseView, MoveView};

use onewindow_domain::cases::Command;
use onewindow_domain::flow::{Flow, FlowError, MoveInput, Planned};

use crate::{App, AppError};
use view::projection_of;

/// What a change answers with besides the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The case as the person sees it after the change (`Changed::view`).
    View,
    /// The version alone (`Changed::view` is `None`): for a caller that does not show the case
    /// (an API client asking `Prefer: return=minimal`), no view is built.
    Version,
}

/// A change as the person who made it sees the case afterwards.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The case's version after the change.
    pub version: i64,
    /// `None` when the change took the case out of the person's sight (an institute reporting
    /// its test hands the case back to the handling org).
    pub view: Option<CaseView>,
}

/// A case right after a change was stored: its row, log and state as they are now, with the
/// item and the clock its projection was computed from (the answer reuses them).
pub(crate) struct Recorded {
    pub case: Loaded,
    pub item: Option<onewindow_domain::catalogue::ServiceItem>,
    pub clock: Option<onewindow_domain::clock::ClockSnapshot>,
    /// The names its clock is explained with (steps, orgs, roles).
    pub names: names::CaseNames,
}

/// A move as asked for by a person: the step, the outcome and what they gave.
#[derive(Debug, Clone, Default)]
pub struct MoveRequest {
    pub step: String,
    pub outcome: String,
    /// The case version the person saw; a different current version is a conflict.
    pub expected_version: i64,
    pub input: MoveInput,
    /// Files for a supplement, by the guide's material name.
    pub uploads: Vec<Upload>,
}

impl App {
    /// Makes a move on a case (an outcome of its current step) and returns the new version.
    pub async fn make_move(
        &self,
        person: &Person,
        number: &str,
        request: MoveRequest,
    ) -> Result<i64, AppError> {
        Ok(self
            .make_move_answered(person, number, request, Answer::Version)
            .await?
            .version)
    }

    /// [`App::make_move`], answering with the case as the person sees it after the move (the
    /// API's answer), built from the state the move decided on instead of read back.
    pub async fn make_move_viewed(
        &self,
        person: &Person,
        number: &str,
        request: MoveRequest,
    ) -> Result<Changed, AppError> {
        self.make_move_answered(person, number, request, Answer::View)
            .await
    }

    /// [`App::make_move`], answering as `answer` asks.
    pub async fn make_move_answered(
        &self,
        person: &Person,
        number: &str,
        mut request: MoveRequest,
        answer: Answer,
    ) -> Result<Changed, AppError> {
        let case = self.load_case_to_change(number).await?;
        self.check_visible(person, &case)?;
        self.check_may_act_at(person, &case, &request.step)?;
        check_version(&case, request.expected_version)?;
        if !request.uploads.is_empty() {
            request.input.materials = self.store_uploads(&request.uploads).await?;
        }
        let actor = person.actor();
        let flow = Flow::new(&case.definition, &case.state);
        let needs_number = flow
            .find_move(&request.step, &request.outcome, person.process_actor())
            .is_some_and(|m| {
                m.needs
                    .iter()
                    .any(|n| matches!(n, onewindow_domain::flow::Need::LicenceNumber))
            });
        if needs_number && request.input.licence_number.is_none() {
            request.input.licence_number = Some(self.licence_number_for(&case, person).await?);
        }
        let planned = flow
            .plan(&request.step, &request.outcome, &actor, request.input)
            .map_err(flow_error)?;
        let grants = planned.iter().any(|p| p.command == Command::Grant);
        if grants && let Some(about) = case.state.licence_case() {
            // Arts. 49, 50, 70: the register must be able to take the grant; it changes only
            // once the decision is stored (`record`, `licences/grant.rs`).
            self.check_licence_grant(&case.record.number, about, person.user(), false)
                .await?;
        }
        self.change_seen_by(person, case, planned, answer).await
    }

    /// Art. 42: the head of the organ extends the time limit, with the reasons told to the
    /// applicant.
    pub async fn extend_case(
        &self,
        person: &Person,
        number: &str,
        expected_version: i64,
        days: u32,
        reason: String,
    ) -> Result<i64, AppError> {
        let extended = self
            .extend_case_answered(
                person,
                number,
                (expected_version, days, reason),
                Answer::Version,
            )
            .await?;
        Ok(extended.version)
    }

    /// [`App::extend_case`], answering with the case as the person sees it after.
    pub async fn extend_case_viewed(
        &self,
        person: &Person,
        number: &str,
        expected_version: i64,
        days: u32,
        reason: String,
    ) -> Result<Changed, AppError> {
        self.extend_case_answered(
            person,
            number,
            (expected_version, days, reason),
            Answer::View,
        )
        .await
    }

    /// [`App::extend_case`] (expected version, days, reason), answering as `answer` asks.
    pub async fn extend_case_answered(
        &self,
        person: &Person,
        number: &str,
        (expected_version, days, reason): (i64, u32, String),
        answer: Answer,
    ) -> Result<Changed, AppError> {
        let case = self.load_case_to_change(number).await?;
        self.check_visible(person, &case)?;
        self.check_home_org(person, &case.record)?;
        check_version(&case, expected_version)?;
        let planned = vec![Planned {
            actor: person.actor(),
            command: onewindow_domain::cases::Command::Extend { days, reason },
        }];
        self.change_seen_by(person, case, planned, answer).await
    }

    /// Records a person's change, has its documents made, and shows them the case after it.
    async fn change_seen_by(
        &self,
        person: &Person,
        case: Loaded,
        planned: Vec<Planned>,
        answer: Answer,
    ) -> Result<Changed, AppError> {
        let from_seq = case.record.version as u64 + 1;
        let recorded = self.record(case, planned).await?;
        let number = recorded.case.record.number.clone();
        self.issue_documents_after(&number, from_seq).await;
        let version = recorded.case.record.version;
        // Work handed back (an institute reporting its test) may leave the person's sight.
        let case = &recorded.case;
        let view = match answer == Answer::View && person.may_see_case(&case.record, &case.events) {
            true => Some(
                self.view_with(
                    person,
                    recorded.case,
                    recorded.item,
                    recorded.clock,
                    recorded.names,
                )
                .await?,
            ),
            false => None,
        };
        Ok(Changed { version, view })
    }

    /// Decides and appends planned commands on a loaded case; returns the case as stored.
    pub(crate) async fn record(
        &self,
        case: Loaded,
        planned: Vec<Planned>,
    ) -> Result<Recorded, AppError> {
        let now = self.clock.now();
        let flow = Flow::new(&case.definition, &case.state);
        let new = flow
            .execute(planned, &flow.policy(), now, crate::china_date(now))
            .map_err(flow_error)?;
        let Loaded {
            id,
            mut record,
            mut events,
            mut state,
            definition,
            generations,
            applicant_on_record,
        } = case;
        new.iter().for_each(|event| state.apply(event));
        events.extend(new.iter().cloned());
        let item = self.case_item(&record, generations).await?;
        let names = self.case_names(&definition, generations).await?;
        let clock = self
            .clock_of(
                &definition,
                item.as_ref(),
                &record.number,
                &events,
                &names,
                generations,
            )
            .await?;
        let projection = projection_of(
            &definition,
            &record.handling_org,
            &state,
            &events,
            clock.as_ref(),
        );
        let stored = log::stored_events(&new)?;
        let expected_version = record.version;
        let from_seq = expected_version as u64 + 1;
        record.version = events.len() as i64;
        record.projection = projection;
        record.updated_at = now;
        let case = Loaded {
            id,
            record,
            events,
            state,
            definition,
            generations,
            applicant_on_record,
        };
        // Told in the same transaction as the events (ADR 0004): no commit of their own, and
        // a stale version writes neither.
        let notifications = self.notifications_after(&case, from_seq).await;
        self.store
            .append_events_notifying(
                id,
                expected_version,
                &stored,
                &case.record.projection,
                now,
                &notifications,
            )
            .await
            .map_err(|e| match e {
                onewindow_store::StoreError::Conflict { .. } => conflict(&case.record.number),
                other => other.into(),
            })?;
        self.log_cache.put(
            &case.record.number,
            std::sync::Arc::new(case.events.clone()),
        );
        // A grant on a licence case changes the licence now that the decision is stored.
        self.carry_out_after(&case, from_seq).await;
        Ok(Recorded {
            case,
            item,
            clock,
            names,
        })
    }

    /// The licence for a case reaching issuance (art. 44): entered in the register, which
    /// numbers it by the licence policy; idempotent per case, so a retried move gets the same
    /// licence.
    async fn licence_number_for(&self, case: &Loaded, person: &Person) -> Result<String, AppError> {
        if let Some(about) = case.state.licence_case() {
            // A change or renewal re-issues the certificate of the licence it is about.
            return Ok(about.number.clone());
        }
        let policy = self.licence_policy().await?;
        let item_code = &case.record.item_code;
        let codes = policy.items.get(item_code).ok_or_else(|| {
            AppError::Refused(format!(
                "item {item_code} has no licence number codes in the licence policy: an administrator adds them before its licences can be issued"
            ))
        })?;
        let parse = |what: &str, e: String| {
            AppError::Refused(format!("case {}: {what}: {e}", case.record.number))
        };
        let holder_credit_code =
            onewindow_domain::identifiers::CreditCode::parse(&case.record.applicant)
                .map_err(|e| parse("applicant", e.to_string()))?;
        let item_code = onewindow_domain::catalogue::CatalogueCode::parse(item_code)
            .map_err(|e| parse("item", e.to_string()))?;
        let item = self
            .item_at(item_code.as_str(), case.generations.catalogue)
            .await?;
        let product = item
            .as_ref()
            .map_or(item_code.as_str().to_owned(), |i| product_of(&i.name_zh));
        let issuing_org = onewindow_domain::catalogue::OrgCode::parse(&case.record.handling_org)
            .map_err(|e| parse("handling org", e.to_string()))?;
        // The enterprise's record, or what the applicant declared at the window; only a log
        // from before the window took names has neither (the certificate states the code).
        let (holder_name, production_address) = match self.applicant_particulars(case).await? {
            Some(particulars) => particulars,
            None => (
                format!("统一社会信用代码 {}", holder_credit_code.as_str()),
                "见申请材料".to_owned(),
            ),
        };
        let licence = self
            .issue_licence_at(
                crate::licences::IssueLicence {
                    case_number: case.record.number.clone(),
                    item_code,
                    licence_type: codes.licence_type(),
                    holder_name,
                    holder_credit_code,
                    production_address,
                    scope: vec![product],
                    issuing_org,
                    issued_on: self.today(),
                    actor: person.user().to_owned(),
                },
                case.generations.catalogue,
            )
            .await?;
        Ok(licence.number.to_string())
    }
}

/// The product of an item named like 工业产品生产许可证核发（泵）: the words in its last brackets.
fn product_of(item_name: &str) -> String {
    item_name
        .rsplit_once('（')
        .and_then(|(_, rest)| rest.strip_suffix('）'))
        .filter(|p| !p.is_empty())
        .unwrap_or(item_name)
        .to_owned()
}

fn check_version(case: &Loaded, expected: i64) -> Result<(), AppError> {
    if expected != case.record.version {
        return Err(conflict(&case.record.number));
    }
    Ok(())
}

fn conflict(number: &str) -> AppError {
    AppError::Conflict(format!(
        "case {number} was changed by someone else since you opened it; \
         reload it to see its current state and try again"
    ))
}

/// A refused move as the app's one error: a missing or wrong field is a field problem; a move
/// the case's state does not allow now is "not open"; a person the rules do not allow is
/// forbidden. Every message is the domain's, naming the rule.
pub(crate) fn flow_error(err: FlowError) -> AppError {
    use onewindow_domain::cases::CaseError;
    let invalid = |field: &'static str, problem: String| {
        let mut problems = onewindow_domain::catalogue::Problems::default();
        problems.push(field, problem);
        AppError::Invalid {
            what: "move".into(),
            problems,
        }
    };
    match err {
        FlowError::Missing { field, problem } => invalid(field, problem),
        FlowError::Case(CaseError::Invalid { field, problem, .. }) => invalid(field, problem),
        FlowError::UnknownStep(_) => invalid("step", err.to_string()),
        FlowError::UnknownOutcome { .. } => invalid("outcome", err.to_string()),
        FlowError::Case(
            CaseError::NotPermitted { .. }
            | CaseError::BadActor { .. }
            | CaseError::SeparationOfDuties { .. },
        ) => AppError::Forbidden(err.to_string()),
        FlowError::NotOpen { .. } | FlowError::Case(_) => AppError::NotOpen(err.to_string()),
    }
}
