//! The JSON API under `/api/v1`. Every route here is in the OpenAPI document served at
//! `/api/v1/openapi.json` (and committed as docs/openapi.json; a test keeps them equal).

mod calendar;
mod dto;
mod licences;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
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
        .merge(licences::routes())
        .route("/openapi.json", get(openapi))
        .fallback(unknown_endpoint)
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
    info(title = "onewindow API", description = "Licensing and inspection service platform for regulators: the public catalogue (power list and service guides), the working-day calendar and the register of granted licences."),
    paths(list_powers, get_power, list_items, get_item, calendar::add_working_days, calendar::working_days_between, calendar::year),
    components(schemas(ProblemBody, ProblemDetail)),
    tags(
        (name = "catalogue", description = "The power list (权力清单) and service guides (办事指南)"),
        (name = "calendar", description = "Working days on China's official holiday calendar (Administrative Licensing Law art. 82)"),
    )
)]
struct ApiDoc;

/// The OpenAPI document, pretty-printed (also committed as docs/openapi.json).
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .merge_from(licences::LicencesDoc::openapi())
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json())
}
