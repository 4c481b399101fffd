//! The case API (issue 4): submit an application with its materials, list the caller's queue,
//! read a case with its clock and the caller's moves, make a move, extend the time limit,
//! download a material. Each handler extracts, calls one use case of `App` (reading the case
//! back to answer with it), and renders; who may do what is the app's and the domain's.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use onewindow_app::AppError;
use onewindow_app::cases::{Answer, CLOCK_STATUSES, Changed, Person, QueueFilter, Submission};
use onewindow_app::licences::LicenceApplication;
use onewindow_domain::cases::{CaseNumber, CaseStatus};
use onewindow_domain::catalogue::CatalogueCode;
use onewindow_domain::identifiers::CreditCode;

use super::case_dto::{CaseJson, QueueRowView, queue_row};
use super::case_input::{
    ExtensionBody, FormParts, JsonBody, MoveBody, MoveForm, SubmitForm, idempotency_key, read_form,
};
use super::clock_dto::CaseClock;
use super::dto::PageView;
use super::prefer::{self, ChangedJson, PREFERENCE_APPLIED};
use crate::AppState;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Caller, RawParams};
use crate::params::{check_names, page};

const PROBLEM: &str = "application/problem+json";

/// Submit an application (online for an enterprise; at the window by a clerk for the
/// applicant named in `applicant`). Every material the guide requires must be attached.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    request_body(content = SubmitForm, content_type = "multipart/form-data",
        description = "Parts: `item`, `applicant` (window clerks), `licence_number` with `holder_name`, `production_address`, `scope` (a change) or `reason` (a cancellation) for an application on an existing licence, and one file part per material named `material:<the guide's material name>`. At most 20 MiB per file, 100 MiB in all."),
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key again from the same person returns the case the first request made (200) instead of a new one")),
    responses(
        (status = 201, description = "The new case", body = CaseJson, headers(("Location" = String, description = "/api/v1/cases/{number}"))),
        (status = 200, description = "The case an earlier request with this Idempotency-Key made", body = CaseJson),
        (status = 400, description = "A part cannot be read", body = ProblemBody, content_type = PROBLEM),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Not a window clerk of the handling org, or no CSRF token", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "A file over 20 MiB or a request over 100 MiB", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "A field or material is missing or wrong; each is named", body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let submission = submission(read_form(multipart).await?, key)?;
    let submitted = state.app.submit(&caller.person, submission).await?;
    let view = state
        .app
        .case_view(&caller.person, &submitted.number)
        .await?;
    let status = match submitted.existing {
        true => StatusCode::OK,
        false => StatusCode::CREATED,
    };
    let location = format!("/api/v1/cases/{}", submitted.number);
    Ok((
        status,
        [(header::LOCATION, location)],
        Json(CaseJson::from(&view)),
    )
        .into_response())
}

fn submission(form: FormParts, key: Option<String>) -> Result<Submission, ApiError> {
    if let Some((name, _)) = form
        .fields
        .iter()
        .find(|(n, _)| !SUBMISSION_PARTS.contains(&n.as_str()))
    {
        return Err(ApiError::body(
            name,
            "is not a part of this form; send item, applicant, applicant_name, applicant_address, \
             the licence parts (licence_number, holder_name, production_address, scope, reason) \
             and material:<name> file parts",
        ));
    }
    let item = form
        .single("item")?
        .ok_or_else(|| ApiError::field("item", "the service item's code is required"))?;
    let item = CatalogueCode::parse(item).map_err(|e| ApiError::field("item", e.to_string()))?;
    let applicant = form
        .single("applicant")?
        .map(|c| CreditCode::parse(c).map_err(|e| ApiError::field("applicant", e.to_string())))
        .transpose()?;
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        Ok(form.single(name)?.map(str::to_owned))
    };
    let licence = licence_application(&form)?;
    Ok(Submission {
        item,
        applicant,
        applicant_name: text("applicant_name")?,
        applicant_address: text("applicant_address")?,
        uploads: form.uploads,
        idempotency_key: key,
        licence,
    })
}

/// The text parts a submission takes.
const SUBMISSION_PARTS: &[&str] = &[
    "item",
    "applicant",
    "applicant_name",
    "applicant_address",
    "licence_number",
    "holder_name",
    "production_address",
    "scope",
    "reason",
];

/// The licence a change, renewal or cancellation is about (arts. 49, 50, 70), from the parts
/// `licence_number` and, for a change, `holder_name`, `production_address`, `scope` (one product
/// per line), for a cancellation `reason`. `None` without a licence number.
pub(crate) fn licence_application(
    form: &FormParts,
) -> Result<Option<LicenceApplication>, ApiError> {
    let Some(number) = form.single("licence_number")? else {
        return Ok(None);
    };
    Ok(Some(LicenceApplication {
        number: number.to_owned(),
        holder_name: form.single("holder_name")?.map(str::to_owned),
        production_address: form.single("production_address")?.map(str::to_owned),
        scope: form
            .single("scope")?
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        reason: form.single("reason")?.map(str::to_owned),
    }))
}

const QUEUE_PARAMS: &[&str] = &[
    "all_steps",
    "status",
    "clock_status",
    "include_closed",
    "page",
    "per_page",
];

/// The caller's queue: staff see their org's cases (and work handed to it) at the steps their
/// role acts at; enterprises their own applications. Newest first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    params(
        ("all_steps" = Option<bool>, Query, description = "Every open case of the org, not only those at the caller's steps"),
        ("status" = Option<String>, Query, description = "A status key, e.g. under_review"),
        ("clock_status" = Option<String>, Query, description = "green, yellow, red, overdue, paused or stopped"),
        ("include_closed" = Option<bool>, Query, description = "Closed cases too"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, body = PageView<QueueRowView>),
        (status = 400, body = ProblemBody, content_type = PROBLEM),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    params: RawParams,
) -> Result<Json<PageView<QueueRowView>>, ApiError> {
    let (filter, page) = queue_query(&params)?;
    let rows = state.app.case_queue(&caller.person, &filter, page).await?;
    Ok(Json(PageView::map(&rows, queue_row)))
}

fn queue_query(
    params: &RawParams,
) -> Result<(QueueFilter, onewindow_app::catalogue::PageRequest), ApiError> {
    check_names(params, QUEUE_PARAMS)?;
    let flag = |name: &str| match params.get(name) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::parameter(
            name,
            format!("\"{other}\" is not true or false"),
        )),
    };
    let status = params.get("status");
    if let Some(s) = status
        && CaseStatus::parse_key(s).is_none()
    {
        let known: Vec<&str> = CaseStatus::ALL.iter().map(|s| s.key()).collect();
        return Err(ApiError::parameter(
            "status",
            format!("\"{s}\" is not one of {}", known.join(", ")),
        ));
    }
    let clock_status = params.get("clock_status");
    if let Some(c) = clock_status
        && !CLOCK_STATUSES.contains(&c)
    {
        return Err(ApiError::parameter(
            "clock_status",
            format!("\"{c}\" is not one of {}", CLOCK_STATUSES.join(", ")),
        ));
    }
    let filter = QueueFilter {
        all_steps: flag("all_steps")?,
        status: status.map(str::to_owned),
        clock_status: clock_status.map(str::to_owned),
        include_closed: flag("include_closed")?,
    };
    Ok((filter, page(params)?))
}

/// A case number from the path, checked for its form.
fn case_number(raw: &str) -> Result<String, ApiError> {
    CaseNumber::parse(raw).map_err(|e| ApiError::parameter("number", e.to_string()))?;
    Ok(raw.to_owned())
}

/// One case: its record, timeline, clock with the explanation, and the moves the caller may
/// make now (only those).
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases",
    params(("number" = String, Path, description = "Case number, e.g. 2026-000001")),
    responses(
        (status = 200, body = CaseJson),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such case, or not one the caller may see", body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn get_case(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<CaseJson>, ApiError> {
    let view = state
        .app
        .case_view(&caller.person, &case_number(&number)?)
        .await?;
    Ok(Json(CaseJson::from(&view)))
}

/// A case's legal clock with its explanation (`clock` is null until acceptance).
#[utoipa::path(get, path = "/api/v1/cases/{number}/clock", tag = "cases",
    params(("number" = String, Path)),
    responses(
        (status = 200, body = CaseClock),
        (status = 404, body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn get_clock(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> Result<Json<CaseClock>, ApiError> {
    let view = state
        .app
        .case_view(&caller.person, &case_number(&number)?)
        .await?;
    Ok(Json(CaseClock::from(&view)))
}

/// Make a move: an outcome of the case's current step (or of a step beside it). JSON, or
/// multipart/form-data with the same fields as text parts and `material:<name>` file parts for
/// a supplement.
#[utoipa::path(post, path = "/api/v1/cases/{number}/moves", tag = "cases",
    params(("number" = String, Path),
        ("Prefer" = Option<String>, Header, description = "`return=minimal` (RFC 7240): answer with the number and new version only, without the case")),
    request_body(content = MoveBody, description = "application/json; or multipart/form-data with the same fields as text parts (`items`, `inspectors`, `reasons` once per entry, `hand_over:<step>` per hand-over) and `material:<name>` file parts"),
    responses(
        (status = 200, description = "The case after the move; with `Prefer: return=minimal`, its number and new version only (`ChangedJson`) and `Preference-Applied: return=minimal`", body = CaseJson),
        (status = 204, description = "The move was made and handed the case back out of the caller's sight (e.g. an institute reporting its test)"),
        (status = 400, description = "The body is not JSON or cannot be read", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The rules do not let the caller do this (another org's step, acceptor reviewing), or no CSRF token", body = ProblemBody, content_type = PROBLEM),
        (status = 404, body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "Stale `expected_version` (type …/conflict) or a move not open now (type …/not-open); the member `case` holds the case as it is now", body = ProblemBody, content_type = PROBLEM),
        (status = 413, body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "A field the move needs is missing or wrong; it is named", body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn make_move(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    headers: HeaderMap,
    MoveForm(request): MoveForm,
) -> Result<Response, ApiError> {
    let number = case_number(&number)?;
    let wanted = prefer::answer(&headers);
    let done = state
        .app
        .make_move_answered(&caller.person, &number, request, wanted)
        .await;
    answer(&state, &caller.person, &number, done, wanted).await
}

/// Art. 42: the head of the handling org extends the time limit, once, with reasons told to
/// the applicant.
#[utoipa::path(post, path = "/api/v1/cases/{number}/extension", tag = "cases",
    params(("number" = String, Path),
        ("Prefer" = Option<String>, Header, description = "`return=minimal` (RFC 7240): answer with the number and new version only, without the case")),
    request_body = ExtensionBody,
    responses(
        (status = 200, description = "The case after the extension; with `Prefer: return=minimal`, its number and new version only (`ChangedJson`)", body = CaseJson),
        (status = 403, description = "Not the head of the handling org", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "Stale version, or no extension possible now; `case` holds the current case", body = ProblemBody, content_type = PROBLEM),
        (status = 422, body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn extend(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ExtensionBody>,
) -> Result<Response, ApiError> {
    let number = case_number(&number)?;
    let wanted = prefer::answer(&headers);
    let done = state
        .app
        .extend_case_answered(
            &caller.person,
            &number,
            (body.expected_version, body.days, body.reason),
            wanted,
        )
        .await;
    answer(&state, &caller.person, &number, done, wanted).await
}

/// The case after a change (204 when the change took it out of the caller's sight); for a
/// conflict (a stale version, a move not open now) the problem document carries the case as
/// it is now, so the client can show it and try again.
async fn answer(
    state: &AppState,
    person: &Person,
    number: &str,
    done: Result<Changed, AppError>,
    wanted: Answer,
) -> Result<Response, ApiError> {
    match done {
        Ok(Changed { version, .. }) if wanted == Answer::Version => {
            let minimal = ChangedJson {
                number: number.to_owned(),
                version,
            };
            Ok(([(PREFERENCE_APPLIED, prefer::applied())], Json(minimal)).into_response())
        }
        Ok(Changed {
            view: Some(view), ..
        }) => Ok(Json(CaseJson::from(&view)).into_response()),
        // Work handed back (an institute reporting its test) leaves the caller's sight.
        Ok(Changed { view: None, .. }) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(err @ (AppError::Conflict(_) | AppError::NotOpen(_))) => {
            let current = state.app.case_view(person, number).await?;
            let current = serde_json::to_value(CaseJson::from(&current)).unwrap_or_default();
            Ok(ApiError::from(err).with_member("case", current))
        }
        Err(other) => Err(other.into()),
    }
}

/// A material of a case, as stored: its type judged by content, under its content hash.
#[utoipa::path(get, path = "/api/v1/cases/{number}/materials/{hash}", tag = "cases",
    params(("number" = String, Path), ("hash" = String, Path, description = "The material's content hash (SHA-256, hex)")),
    responses(
        (status = 200, description = "The file (PDF, JPEG, PNG or OFD)", content_type = "application/octet-stream",
            headers(("Content-Disposition" = String, description = "attachment; filename=\"<hash>.<ext>\""))),
        (status = 404, body = ProblemBody, content_type = PROBLEM),
    ))]
pub async fn material(
    State(state): State<AppState>,
    caller: Caller,
    Path((number, hash)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let number = case_number(&number)?;
    let (bytes, kind) = state
        .app
        .case_material(&caller.person, &number, &hash)
        .await?;
    // The stored name is the hash: the sender's file name never reaches a header or a path.
    let disposition = format!("attachment; filename=\"{hash}.{}\"", kind.extension());
    Ok((
        [
            (header::CONTENT_TYPE, kind.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
