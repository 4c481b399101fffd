//! The JSON API under `/api/v1`. Every route here is in the OpenAPI document served at
//! `/api/v1/openapi.json` (and committed as docs/openapi.json; a test keeps them equal).

mod accounts;
mod calendar;
mod case_dto;
pub(crate) mod case_input;
pub(crate) mod cases;
mod clock_dto;
mod documents;
mod dto;
mod licences;
mod notifications;
mod prefer;
mod processes;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use onewindow_app::catalogue::Audience;
use utoipa::OpenApi;

use crate::AppState;
use crate::error::{ApiError, ProblemBody, ProblemDetail};
use crate::extract::RawParams;
use crate::params::{BadParam, ItemQuery, PowerQuery, code};
use dto::{ItemDetail, ItemSummary, PageView, PowerDetail, PowerSummary};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/powers", get(list_powers))
        .route("/powers/{code}", get(get_power))
        .route("/items", get(list_items))
        .route("/items/{code}", get(get_item))
        .route(
            "/calendar/add-working-days",
            get(calendar::add_working_days),
        )
        .route(
            "/calendar/working-days-between",
            get(calendar::working_days_between),
        )
        .route("/calendar/years/{year}", get(calendar::year))
        .route("/enterprises", post(accounts::register))
        .route("/me", get(accounts::me))
        .route(
            "/documents/verify",
            get(documents::verify_payload).post(documents::verify_pdf),
        )
        .merge(case_routes())
        .route("/processes", get(processes::list).post(processes::save))
        .route("/processes/{code}", get(processes::get))
        .route("/items/{code}/process", put(processes::set_item_process))
        .merge(licences::routes())
        .merge(notifications::routes())
        .route("/openapi.json", get(openapi))
        .fallback(unknown_endpoint)
}

/// The case flow; the routes that take materials accept larger bodies than the rest.
fn case_routes() -> Router<AppState> {
    let uploads = DefaultBodyLimit::max(case_input::MAX_CASE_REQUEST_BYTES);
    Router::new()
        .route(
            "/cases",
            get(cases::queue).post(cases::submit).layer(uploads),
        )
        .route("/cases/{number}", get(cases::get_case))
        .route("/cases/{number}/clock", get(cases::get_clock))
        .route(
            "/cases/{number}/moves",
            post(cases::make_move).layer(uploads),
        )
        .route("/cases/{number}/extension", post(cases::extend))
        .route("/cases/{number}/materials/{hash}", get(cases::material))
}

impl From<BadParam> for ApiError {
    fn from(b: BadParam) -> Self {
        ApiError::parameter(&b.name, b.message)
    }
}

/// List the power list (权力清单), filtered and paginated.
#[utoipa::path(get, path = "/api/v1/powers", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, description = "Substring of code, name or legal basis; one Chinese character is enough"),
        ("category" = Option<String>, Query, description = "Category code: 01 … 10, 20"),
        ("status" = Option<String>, Query, description = "in_force, delegated_down or cancelled (as of today)"),
        ("org" = Option<String>, Query, description = "Implementing org code, e.g. 210200"),
        ("source" = Option<String>, Query, description = "statutory, delegated or entrusted"),
        ("page" = Option<u32>, Query, description = "1-based page number"),
        ("per_page" = Option<u32>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, body = PageView<PowerSummary>),
        (status = 400, description = "A parameter is unknown or malformed", body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn list_powers(
    State(state): State<AppState>,
    params: RawParams,
) -> Result<Json<PageView<PowerSummary>>, ApiError> {
    let q = PowerQuery::parse(&params)?;
    let paged = state.app.list_powers(&q.filter, q.status, q.page).await?;
    Ok(Json(PageView::map(&paged, dto::power_summary)))
}

/// One power with its legal basis, responsibilities and dated history.
#[utoipa::path(get, path = "/api/v1/powers/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "Power code")),
    responses(
        (status = 200, body = PowerDetail),
        (status = 404, body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn get_power(
    State(state): State<AppState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    params: RawParams,
) -> Result<Json<PowerDetail>, ApiError> {
    no_params(&params)?;
    let page = state
        .app
        .power_page(&path_code(path)?, Audience::Public)
        .await?;
    Ok(Json(PowerDetail::from(&page)))
}

/// List the published service guides.
#[utoipa::path(get, path = "/api/v1/items", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, description = "Substring of code or name"),
        ("power" = Option<String>, Query, description = "Only items of this power"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses(
        (status = 200, body = PageView<ItemSummary>),
        (status = 400, body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn list_items(
    State(state): State<AppState>,
    params: RawParams,
) -> Result<Json<PageView<ItemSummary>>, ApiError> {
    let q = ItemQuery::parse(&params)?;
    let paged = state.app.list_items(&q.filter, q.page).await?;
    Ok(Json(PageView::map(&paged, |i| ItemSummary::from(i))))
}

/// One published service guide, complete (RULES.md §6).
#[utoipa::path(get, path = "/api/v1/items/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "Item code")),
    responses(
        (status = 200, body = ItemDetail),
        (status = 404, body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn get_item(
    State(state): State<AppState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    params: RawParams,
) -> Result<Json<ItemDetail>, ApiError> {
    no_params(&params)?;
    let page = state
        .app
        .item_page(&path_code(path)?, Audience::Public)
        .await?;
    Ok(Json(ItemDetail::from(&page)))
}

/// Any other path under /api/v1: a problem document, like every API error.
async fn unknown_endpoint(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "no API endpoint at {}; see /api/v1/openapi.json",
        uri.path()
    ))
}

/// A code from the path, or a problem naming `code` when the path is not UTF-8.
fn path_code(
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<onewindow_domain::catalogue::CatalogueCode, ApiError> {
    let Path(raw) =
        path.map_err(|e| ApiError::parameter("code", format!("cannot be read: {e}")))?;
    Ok(code(&raw)?)
}

fn no_params(params: &RawParams) -> Result<(), ApiError> {
    Ok(crate::params::check_names(params, &[])?)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "onewindow API", description = "Licensing and inspection service platform for regulators: the public catalogue (power list and service guides), the working-day calendar, accounts, the register of granted licences, the case flow (applications, moves along the process definition, the legal clock) and document verification. Systems sign their requests with an API token (`Authorization: Bearer ow_…`) made by an administrator; the token acts as its account. A request that changes something with the session cookie sends the session's CSRF token in `X-CSRF-Token`."),
    paths(list_powers, get_power, list_items, get_item, calendar::add_working_days, calendar::working_days_between, calendar::year, accounts::register, accounts::me, documents::verify_payload, documents::verify_pdf,
        cases::submit, cases::queue, cases::get_case, cases::get_clock, cases::make_move, cases::extend, cases::material,
        processes::list, processes::get, processes::save, processes::set_item_process),
    components(schemas(ProblemBody, ProblemDetail, prefer::ChangedJson, documents::VerificationView, documents::VerifiedDocumentView, documents::PdfFile)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "cases", description = "Applications and their handling (Administrative Licensing Law arts. 29–45)"),
        (name = "processes", description = "Process definitions: the steps, roles, outcomes and budgets cases follow"),
        (name = "accounts", description = "Enterprise registration and the signed-in account"),
        (name = "catalogue", description = "The power list (权力清单) and service guides (办事指南)"),
        (name = "calendar", description = "Working days on China's official holiday calendar (Administrative Licensing Law art. 82)"),
        (name = "documents", description = "Verifying notices, decisions and licences; the public keys are at /.well-known/onewindow/keys.json"),
    )
)]
struct ApiDoc;

/// The two ways to sign a request: an API token, or the session cookie of a signed-in browser.
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token, `ow_` and 40 hex characters"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::extract::SESSION_COOKIE,
            ))),
        );
    }
}

/// The OpenAPI document, pretty-printed (also committed as docs/openapi.json).
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .merge_from(licences::LicencesDoc::openapi())
        .merge_from(notifications::NotificationsDoc::openapi())
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json())
}
