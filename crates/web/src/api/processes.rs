//! Process definitions through the API (DESIGN.md "Process definitions are data"): every
//! version of each, readable by any signed-in person; an administrator saves new ones (TOML,
//! each problem named by its line) and chooses the one a service item's new cases follow.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use onewindow_app::AppError;
use onewindow_domain::process::{Next, ProcessDefinition, Step};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::case_input::JsonBody;
use super::clock_dto::{Label, pause_reason};
use super::dto::Term;
use crate::AppState;
use crate::error::{ApiError, ProblemBody};
use crate::extract::Caller;
use crate::params::code;

const PROBLEM: &str = "application/problem+json";

/// The latest version of a definition, with the versions held.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessSummary {
    pub code: String,
    pub latest_version: u32,
    pub name_zh: String,
    pub name_en: String,
    pub statutory_limit_days: u32,
    pub promised_limit_days: u32,
    /// Every version held, oldest first (running cases keep the one they started under).
    pub versions: Vec<u32>,
}

/// Every version of one definition, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessDetail {
    pub code: String,
    pub versions: Vec<ProcessVersion>,
}

/// One version of a definition, as checked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessVersion {
    pub code: String,
    pub version: u32,
    pub name_zh: String,
    pub name_en: String,
    /// Working days from acceptance to decision (art. 42 or a sector law).
    pub statutory_limit_days: u32,
    /// The bureau's public promise; 0: decided on the spot.
    pub promised_limit_days: u32,
    /// The step every case starts at.
    pub start: String,
    pub steps: Vec<StepView>,
    /// What the checks found questionable but not wrong.
    pub warnings: Vec<LineProblem>,
    /// The TOML text.
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: Term,
    /// Role keys (and `applicant`) that carry the step out.
    pub roles: Vec<String>,
    /// The step's budget in working days; none for the applicant's and clock-pausing steps.
    pub budget_days: Option<u32>,
    /// Art. 45: the step's time is not counted.
    pub pause: Option<PauseStep>,
    /// Art. 34: how many act together (at least two on site).
    pub min_actors: u32,
    pub max_actors: Option<u32>,
    /// Done by a lower org for this organ (arts. 35, 43).
    pub delegate_to_lower_org: bool,
    /// Steps that run beside this one.
    pub parallel_with: Vec<String>,
    pub outcomes: Vec<OutcomeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PauseStep {
    pub reason: Label,
    /// The time the applicant is told in writing, in days.
    pub expected_days: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// The next step's id, or the end (`issued`, `denied`, `refused`, `withdrawn` …).
    pub next: String,
    pub ends: bool,
    /// Who may choose it instead of the step's roles.
    pub roles: Option<Vec<String>>,
    /// At most once per case (art. 32: one supplement notice).
    pub once: bool,
}

/// A problem or warning in a definition's text, by line.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineProblem {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

/// `PUT /api/v1/items/{code}/process`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"definition": "PROC-XK-ONSITE-FIRST"}))]
pub struct ItemProcess {
    /// The definition's code; new cases follow its latest version.
    pub definition: String,
}

fn summary(latest: &ProcessDefinition, versions: Vec<u32>) -> ProcessSummary {
    ProcessSummary {
        code: latest.code().as_str().to_owned(),
        latest_version: latest.version(),
        name_zh: latest.name_zh().to_owned(),
        name_en: latest.name_en().to_owned(),
        statutory_limit_days: latest.statutory_limit_days(),
        promised_limit_days: latest.promised_limit_days(),
        versions,
    }
}

fn version(d: &ProcessDefinition) -> ProcessVersion {
    ProcessVersion {
        code: d.code().as_str().to_owned(),
        version: d.version(),
        name_zh: d.name_zh().to_owned(),
        name_en: d.name_en().to_owned(),
        statutory_limit_days: d.statutory_limit_days(),
        promised_limit_days: d.promised_limit_days(),
        start: d.start().id.as_str().to_owned(),
        steps: d.steps().iter().map(step).collect(),
        warnings: d
            .warnings()
            .iter()
            .map(|w| LineProblem {
                line: w.line,
                column: w.column,
                message: w.message.clone(),
            })
            .collect(),
        source: d.source().to_owned(),
    }
}

fn step(s: &Step) -> StepView {
    let keys = |actors: &[onewindow_domain::process::Actor]| {
        actors.iter().map(|a| a.key().to_owned()).collect()
    };
    StepView {
        id: s.id.as_str().to_owned(),
        name_zh: s.name_zh.clone(),
        name_en: s.name_en.clone(),
        kind: Term::of(s.kind),
        roles: keys(&s.roles),
        budget_days: s.budget_days,
        pause: s.pause.as_ref().map(|p| PauseStep {
            reason: pause_reason(&p.reason),
            expected_days: p.expected_days,
        }),
        min_actors: s.min_actors,
        max_actors: s.max_actors,
        delegate_to_lower_org: s.delegate_to_lower_org,
        parallel_with: s
            .parallel_with
            .iter()
            .map(|id| id.as_str().to_owned())
            .collect(),
        outcomes: s
            .outcomes
            .iter()
            .map(|o| OutcomeView {
                key: o.key.as_str().to_owned(),
                name_zh: o.name_zh.clone(),
                name_en: o.name_en.clone(),
                next: o.next.key().to_owned(),
                ends: matches!(o.next, Next::End(_)),
                roles: o.roles.as_deref().map(keys),
                once: o.once,
            })
            .collect(),
    }
}

/// Every process definition: the latest version of each, with the versions held.
#[utoipa::path(get, path = "/api/v1/processes", tag = "processes",
    responses(
        (status = 200, body = Vec<ProcessSummary>),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<Vec<ProcessSummary>>, ApiError> {
    let set = state.app.definitions().await?;
    let all = set
        .latest_all()
        .map(|latest| {
            let code = latest.code().as_str();
            summary(latest, set.versions(code).map(|d| d.version()).collect())
        })
        .collect();
    Ok(Json(all))
}

/// One process definition, every version: steps, roles, outcomes, budgets, pauses.
#[utoipa::path(get, path = "/api/v1/processes/{code}", tag = "processes",
    params(("code" = String, Path, description = "e.g. PROC-XK-ONSITE-FIRST")),
    responses(
        (status = 200, body = ProcessDetail),
        (status = 404, body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn get(
    State(state): State<AppState>,
    _caller: Caller,
    Path(raw): Path<String>,
) -> Result<Json<ProcessDetail>, ApiError> {
    let set = state.app.definitions().await?;
    let versions: Vec<ProcessVersion> = set.versions(&raw).map(version).collect();
    if versions.is_empty() {
        return Err(AppError::NotFound(format!("process definition {raw}")).into());
    }
    Ok(Json(ProcessDetail {
        code: raw,
        versions,
    }))
}

/// Save a process definition (administrators): a new code, or a higher version of one. The
/// body is the definition's TOML text; a bad one is refused with each problem and its line.
#[utoipa::path(post, path = "/api/v1/processes", tag = "processes",
    request_body(content = String, content_type = "application/toml", description = "The definition in TOML, as in crates/domain/data/processes/"),
    responses(
        (status = 201, body = ProcessVersion, headers(("Location" = String))),
        (status = 403, description = "Not an administrator", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "That version (or a higher one) exists", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Each problem, named `definition`, its message starting with its line", body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let by = caller.person.administrator()?;
    let source =
        std::str::from_utf8(&body).map_err(|_| ApiError::body("body", "is not UTF-8 text"))?;
    let saved = state.app.save_definition(by, source).await?;
    let location = format!("/api/v1/processes/{}", saved.code().as_str());
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(version(&saved)),
    )
        .into_response())
}

/// Choose the definition a service item's new cases follow (administrators; running cases keep
/// theirs).
#[utoipa::path(put, path = "/api/v1/items/{code}/process", tag = "processes",
    params(("code" = String, Path, description = "Service item code")),
    request_body = ItemProcess,
    responses(
        (status = 200, body = ItemProcess),
        (status = 403, body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such item or definition", body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn set_item_process(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<ItemProcess>,
) -> Result<Json<ItemProcess>, ApiError> {
    let by = caller.person.administrator()?;
    let item = code(&raw)?;
    state
        .app
        .set_item_process(by, &item, &body.definition)
        .await?;
    Ok(Json(body))
}
