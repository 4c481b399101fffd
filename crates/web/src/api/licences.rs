//! The licence register over HTTP: the public register and verification (Administrative Licensing
//! Law art. 40) — anyone may ask whether a licence is valid and, if not, why — and status changes
//! by the issuing org's signatory or head, signed in with a bearer session token (API clients) or
//! the session cookie plus its CSRF token in `X-CSRF-Token` (the site's own scripts).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use onewindow_app::AppError;
use onewindow_app::documents::StoredDocument;
use onewindow_app::licences::{LicenceActor, LicenceView, RegisterPage};
use onewindow_domain::catalogue::{Org, Vocabulary};
use onewindow_domain::licences::{Licence, StatusChange, StatusReading, normalise_printed};
use onewindow_store::SessionRecord;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{OpenApi, ToSchema};

use super::dto::Term;
use crate::AppState;
use crate::error::{ApiError, ProblemBody, ProblemDetail};
use crate::extract::{RawParams, Viewer};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/licences", get(list))
        .route("/licences/{number}", get(show))
        .route("/licences/{number}/status", post(change_status))
}

/// The header carrying the session's CSRF token when the session cookie signs a request in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The org that issued a licence.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuingOrg {
    pub code: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
}

/// One status change in a licence's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceChange {
    /// YYYY-MM-DD, the day it took effect.
    pub on: String,
    /// `suspended`, `reinstated`, `revoked` or `cancelled`.
    pub change: String,
    pub reason: String,
}

/// A licence in the register with its status today.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceJson {
    /// As printed, e.g. `（辽）XK06-014-00001`.
    pub number: String,
    /// `valid`, `suspended`, `revoked`, `expired`, `cancelled` or `not_yet_valid`, today.
    pub status: String,
    /// Whether the licence may be relied on today.
    pub valid: bool,
    /// Why, in Chinese: `有效：有效期至2031-05-03`, `已于2026-05-03撤销：…`.
    pub reason_zh: String,
    /// Why, in English: `valid until 2031-05-03`, `revoked on 2026-05-03: …`.
    pub reason_en: String,
    /// YYYY-MM-DD when the status began (a change's date; for an expired licence the day after
    /// its last day of validity); null for a valid one.
    pub status_since: Option<String>,
    pub licence_type: Term,
    pub item_code: String,
    pub holder_name: String,
    pub holder_credit_code: String,
    pub production_address: String,
    /// Products, or equipment categories with grades.
    pub scope: Vec<String>,
    /// YYYY-MM-DD
    pub issued_on: String,
    /// YYYY-MM-DD, the last day of validity.
    pub valid_until: String,
    pub issuing_org: IssuingOrg,
    /// Status changes, oldest first.
    pub history: Vec<LicenceChange>,
    /// The number of changes: send it back as `version` when changing the status.
    pub version: i64,
    /// The certificate's PDFs, the newest original and copy, which anyone may download
    /// (art. 40). Given by `GET /api/v1/licences/{number}`; empty before they are made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Vec<CertificateLink>>,
    /// The grant decisions behind the licence, oldest first: its own case's and those of the
    /// change, renewal and cancellation cases granted on it, which anyone may download (art. 40:
    /// 准予行政许可决定应当予以公开). Given by `GET /api/v1/licences/{number}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_decisions: Option<Vec<CertificateLink>>,
    /// The electronic licence identifier of the current certificate (GB/T 36904 style,
    /// RULES.md §8), e.g. `1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U`:
    /// its version counts the certificates issued. Given by `GET /api/v1/licences/{number}`
    /// when the bureau configured identifiers; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electronic_identifier: Option<String>,
}

/// One public document of a licence: an edition of its certificate, or a grant decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateLink {
    /// `licence-original`, `licence-copy` or `grant-decision`.
    pub kind: String,
    /// The document's register number.
    pub number: String,
    /// Where the PDF is (no sign-in needed).
    pub url: String,
    /// The verification link its QR code holds.
    pub verify_url: String,
}

impl CertificateLink {
    fn of(d: StoredDocument) -> Self {
        CertificateLink {
            kind: d.kind.slug().to_owned(),
            url: format!("/documents/{}", d.number),
            number: d.number,
            verify_url: d.verify_url,
        }
    }
}

impl LicenceJson {
    fn new(licence: &Licence, status: &StatusReading, orgs: &[Org]) -> Self {
        let g = &licence.grant;
        let org = orgs.iter().find(|o| o.code == g.issuing_org);
        LicenceJson {
            number: licence.number.to_string(),
            status: status.status.key().to_owned(),
            valid: status.is_valid(),
            reason_zh: status.zh.clone(),
            reason_en: status.en.clone(),
            status_since: status.since.map(|d| d.to_string()),
            licence_type: Term::of(g.licence_type),
            item_code: g.item_code.to_string(),
            holder_name: g.holder_name.clone(),
            holder_credit_code: g.holder_credit_code.to_string(),
            production_address: g.production_address.clone(),
            scope: g.scope.clone(),
            issued_on: g.issued_on.to_string(),
            valid_until: g.valid_until.to_string(),
            issuing_org: IssuingOrg {
                code: g.issuing_org.to_string(),
                name_zh: org.map(|o| o.name_zh.clone()),
                name_en: org.map(|o| o.name_en.clone()),
            },
            history: licence
                .events
                .iter()
                .map(|e| LicenceChange {
                    on: e.on.to_string(),
                    change: e.kind.key().to_owned(),
                    reason: e.kind.reason().to_owned(),
                })
                .collect(),
            version: licence.version(),
            certificates: None,
            grant_decisions: None,
            electronic_identifier: None,
        }
    }

    fn of_view(view: &LicenceView) -> Self {
        let orgs: Vec<Org> = view.issuing_org.iter().cloned().collect();
        let mut json = Self::new(&view.licence, &view.status, &orgs);
        json.electronic_identifier = view.electronic_id.as_ref().map(ToString::to_string);
        json
    }
}

/// A window of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceList {
    pub items: Vec<LicenceJson>,
    /// How many match, counted up to 10,000.
    pub total: u64,
    /// False when more than `total` match (the count stops at 10,000).
    pub total_exact: bool,
    pub offset: u32,
    pub limit: u32,
}

impl From<&RegisterPage> for LicenceList {
    fn from(page: &RegisterPage) -> Self {
        LicenceList {
            items: page
                .entries
                .iter()
                .map(|e| LicenceJson::new(&e.licence, &e.status, &page.orgs))
                .collect(),
            total: page.total,
            total_exact: page.total_exact,
            offset: page.offset,
            limit: page.limit,
        }
    }
}

/// A status change to make today.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    /// `suspend`, `reinstate`, `revoke` or `cancel`.
    pub change: String,
    /// Why; shown publicly on the register (1–500 characters).
    pub reason: String,
    /// The licence's `version` as last read; a stale one is a 409 conflict. Omitted: the
    /// current version.
    pub version: Option<i64>,
}

/// A path parameter that cannot be a licence number: 400 naming it and the position.
fn number_problem(raw: &str) -> Result<(), ApiError> {
    normalise_printed(raw).map(|_| ()).map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        kind: "invalid-parameter",
        detail: format!("path parameter \"number\": {e}"),
        errors: vec![ProblemDetail {
            name: "number".into(),
            message: e.to_string(),
        }],
    })
}

fn path_number(
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<String, ApiError> {
    let Path(raw) =
        path.map_err(|e| ApiError::parameter("number", format!("cannot be read: {e}")))?;
    number_problem(&raw)?;
    Ok(raw)
}

/// Search the register of granted licences (art. 40), newest first.
#[utoipa::path(get, path = "/api/v1/licences", tag = "licences",
    params(
        ("q" = Option<String>, Query, description = "Words of the number, holder name or credit code, or products: Chinese as any substring (one character is enough), letters and digits from the start of a word (XK06-014, 00042, 91210200)"),
        ("status" = Option<String>, Query, description = "Status today: valid, suspended, revoked, expired, cancelled or not_yet_valid"),
        ("holder" = Option<String>, Query, description = "The holder's Unified Social Credit Code, exactly"),
        ("org" = Option<String>, Query, description = "Issuing org code, e.g. 210200"),
        ("offset" = Option<u32>, Query, description = "Entries to skip, default 0"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, body = LicenceList),
        (status = 400, description = "A parameter is unknown or malformed", body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn list(
    State(state): State<AppState>,
    params: RawParams,
) -> Result<Json<LicenceList>, ApiError> {
    let (query, offset, limit) = crate::params::register_window(&params)?;
    let page = state.app.licence_register(&query, offset, limit).await?;
    Ok(Json(LicenceList::from(&page)))
}

/// Verify a licence: valid today, or not valid and why.
#[utoipa::path(get, path = "/api/v1/licences/{number}", tag = "licences",
    params(("number" = String, Path, description = "The licence number as printed, with or without the province: （辽）XK06-014-00001, (辽)XK06-014-00001, XK06-014-00001, TS2721001-2030; spaces, lower case and full-width characters are read too")),
    responses(
        (status = 200, body = LicenceJson),
        (status = 400, description = "It cannot be a licence number; the message names the position", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No licence with that number", body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn show(
    State(state): State<AppState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    params: RawParams,
) -> Result<Json<LicenceJson>, ApiError> {
    crate::params::check_names(&params, &[])?;
    let raw = path_number(path)?;
    let view = state.app.licence_view(&raw).await?;
    let mut json = LicenceJson::of_view(&view);
    let number = view.licence.number.to_string();
    let certificates = state.app.licence_certificates(&number).await?;
    json.certificates = Some(certificates.into_iter().map(CertificateLink::of).collect());
    let decisions = state.app.licence_grant_decisions(&view.licence).await?;
    json.grant_decisions = Some(decisions.into_iter().map(CertificateLink::of).collect());
    Ok(Json(json))
}

/// The signed-in staff member: an API token (`Authorization: Bearer ow_…`, read by `Viewer`), or
/// the session cookie with its CSRF token in `X-CSRF-Token` (a cookie alone could be sent by
/// another site's form).
async fn staff(
    _state: &AppState,
    headers: &HeaderMap,
    viewer: &Viewer,
) -> Result<SessionRecord, ApiError> {
    let Some(session) = &viewer.session else {
        return Err(AppError::Unauthenticated(
            "sign in: send `Authorization: Bearer ow_…` with an API token, or the session cookie \
             with its CSRF token in X-CSRF-Token"
                .into(),
        )
        .into());
    };
    if !viewer.bearer {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent != Some(session.csrf_token.as_str()) {
            return Err(AppError::Forbidden(
                "a request signed in by the session cookie must carry the session's CSRF token \
                 in X-CSRF-Token"
                    .into(),
            )
            .into());
        }
    }
    Ok(session.clone())
}

/// Suspend, reinstate, revoke or cancel a licence today, with the reason (arts. 69–70). Only a
/// signatory or the head of the issuing org may.
#[utoipa::path(post, path = "/api/v1/licences/{number}/status", tag = "licences",
    params(("number" = String, Path, description = "The licence number as printed")),
    request_body = StatusChangeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The licence after the change", body = LicenceJson),
        (status = 400, description = "The number or the body cannot be read", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Not a signatory or head of the issuing org, or no CSRF token with a cookie", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The licence changed since `version`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The rules refuse the change (e.g. a revoked licence is final) or the reason is missing; names `change` or `reason`", body = ProblemBody, content_type = "application/problem+json"),
    ))]
async fn change_status(
    State(state): State<AppState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
    viewer: Viewer,
    body: Bytes,
) -> Result<Json<LicenceJson>, ApiError> {
    let raw = path_number(path)?;
    let session = staff(&state, &headers, &viewer).await?;
    let request: StatusChangeRequest = serde_json::from_slice(&body).map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        kind: "invalid-body",
        detail: format!("the body is not a status change: {e}"),
        errors: vec![ProblemDetail {
            name: "body".into(),
            message: format!(
                "expected {{\"change\": \"suspend|reinstate|revoke|cancel\", \"reason\": \"…\", \
                 \"version\": 0}}: {e}"
            ),
        }],
    })?;
    let change = StatusChange::parse_key(&request.change).ok_or_else(|| ApiError {
        status: StatusCode::BAD_REQUEST,
        kind: "invalid-body",
        detail: format!("\"{}\" is not a status change", request.change),
        errors: vec![ProblemDetail {
            name: "change".into(),
            message: format!("is one of {}", StatusChange::expected()),
        }],
    })?;
    let actor = LicenceActor::require(&session.user)?;
    let view = state
        .app
        .change_licence_status(&actor, &raw, change, &request.reason, request.version)
        .await?;
    Ok(Json(LicenceJson::of_view(&view)))
}

/// Adds the bearer scheme the status change names.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The licence endpoints' part of the OpenAPI document, merged into the whole.
#[derive(OpenApi)]
#[openapi(
    paths(list, show, change_status),
    components(schemas(LicenceJson, LicenceList, LicenceChange, IssuingOrg, StatusChangeRequest)),
    modifiers(&BearerScheme),
    tags((name = "licences", description = "The register of granted licences (Administrative Licensing Law art. 40): verification, search, and status changes by the issuing org")),
)]
pub struct LicencesDoc;
