//! Public verification of documents, no sign-in: the page a QR code opens
//! (`/verify/{kind}/{number}?p=…`, the exact link `onewindow-documents` prints), the same check
//! by payload alone (`/verify?p=…`), a PDF upload (`POST /verify`), and the bureau's public keys
//! at `/.well-known/onewindow/keys.json` so anyone can verify offline.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use onewindow_app::AppError;
use onewindow_app::documents::{DocumentKind, Verification, VerifiedFacts, date_cn};

use super::{PageError, layout, render};
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::views::{Layout, percent_encode};

/// Where the public keys are published.
pub const KEYS_PATH: &str = "/.well-known/onewindow/keys.json";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verify", get(by_payload).post(upload))
        .route("/verify/{kind}/{number}", get(by_link))
        .route(KEYS_PATH, get(keys))
}

/// One verification answer as the page shows it.
pub struct ResultView {
    pub authentic: bool,
    /// Why not, in the reader's language, and the verifier's own words.
    pub reason: String,
    pub detail: String,
    pub rows: Vec<(&'static str, String)>,
    /// A QR check covers the key facts only: the reader compares the paper.
    pub paper: bool,
    /// A licence certificate links back to the licence's page in the register, which says
    /// whether it is valid today (a signature only says it was issued).
    pub licence_href: Option<String>,
}

impl ResultView {
    fn new(lang: Lang, verification: Verification) -> Self {
        match verification {
            Verification::Authentic(facts) => Self {
                authentic: true,
                reason: String::new(),
                detail: String::new(),
                paper: facts.data.is_none(),
                rows: rows(lang, &facts),
                licence_href: matches!(
                    facts.kind,
                    DocumentKind::LicenceOriginal | DocumentKind::LicenceCopy
                )
                .then(|| format!("/licences/{}", percent_encode(&facts.number))),
            },
            Verification::NotAuthentic(why) => Self {
                authentic: false,
                reason: lang
                    .try_t(&format!("verify_why_{}", why.reason))
                    .unwrap_or(why.reason)
                    .to_owned(),
                detail: why.detail,
                paper: false,
                rows: Vec::new(),
                licence_href: None,
            },
        }
    }
}

fn rows(lang: Lang, facts: &VerifiedFacts) -> Vec<(&'static str, String)> {
    let date = |d: jiff::civil::Date| match lang {
        Lang::Zh => date_cn(d),
        Lang::En => d.to_string(),
    };
    let mut rows = vec![
        (lang.t("doc_type"), facts.title.to_owned()),
        (lang.t("doc_number"), facts.number.clone()),
        (lang.t("doc_holder"), facts.holder_name.clone()),
        (lang.t("doc_credit_code"), facts.holder_credit_code.clone()),
        (lang.t("doc_issued_on"), date(facts.issued_on)),
    ];
    if let Some(until) = facts.valid_until {
        rows.push((lang.t("doc_valid_until"), date(until)));
    }
    if let Some(data) = &facts.data {
        rows.push((lang.t("doc_issuing_bureau"), data.bureau.clone()));
        if !data.case_number.is_empty() {
            rows.push((lang.t("doc_case_number"), data.case_number.clone()));
        }
    }
    rows.push((lang.t("doc_signing_key"), facts.key_id.clone()));
    rows
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    layout: Layout,
    result: Option<ResultView>,
    problem: Option<String>,
    keys_path: &'static str,
}

fn page(layout: Layout, outcome: Result<Option<Verification>, AppError>) -> Response {
    let lang = layout.lang;
    match outcome {
        Ok(result) => render(
            StatusCode::OK,
            &VerifyPage {
                layout,
                result: result.map(|v| ResultView::new(lang, v)),
                problem: None,
                keys_path: KEYS_PATH,
            },
        ),
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

fn refused(layout: Layout, problem: String) -> Response {
    render(
        StatusCode::BAD_REQUEST,
        &VerifyPage {
            layout,
            result: None,
            problem: Some(problem),
            keys_path: KEYS_PATH,
        },
    )
}

fn here(uri: &OriginalUri) -> String {
    uri.path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/verify".into())
}

/// The form, or the answer for `?p=<payload>`.
async fn by_payload(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("verify"));
    if let Err(bad) = crate::params::check_names(&params, &["p"]) {
        return refused(layout, format!("{}: {}", bad.name, bad.message));
    }
    let outcome = match params.get("p") {
        Some(payload) => state.app.verify_document_payload(payload).await.map(Some),
        None => Ok(None),
    };
    page(layout, outcome)
}

/// What a QR code opens: the kind and number in the path must be the signed ones.
async fn by_link(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> Response {
    let link = here(&uri);
    let layout = layout(&state, lang, &viewer, link.clone(), lang.t("verify"));
    let outcome = state.app.verify_document_link(&link).await.map(Some);
    page(layout, outcome)
}

/// A PDF uploaded in the form's `file` field.
async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    mut multipart: Multipart,
) -> Response {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("verify"));
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes.to_vec()),
                Err(e) => {
                    return refused(layout, format!("file: the upload could not be read: {e}"));
                }
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => return refused(layout, format!("file: the upload could not be read: {e}")),
        }
    }
    let Some(pdf) = file.filter(|f| !f.is_empty()) else {
        return refused(layout, format!("file: {}", lang.t("verify_choose_file")));
    };
    let outcome = state.app.verify_document_pdf(pdf).await.map(Some);
    page(layout, outcome)
}

/// The JWK Set of every key ever used (public parts only). Keys are only ever added, so the
/// number of keys and the newest id name the set: that is the ETag.
async fn keys(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ring = match state.app.key_ring().await {
        Ok(ring) => ring,
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let newest = ring.keys().last().map(|k| k.key_id().to_string());
    let etag = format!(
        "\"{}-{}\"",
        ring.keys().len(),
        newest.unwrap_or_else(|| "none".into())
    );
    let cache = [
        (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        (header::ETAG, etag.clone()),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
    ];
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        cache,
        [(header::CONTENT_TYPE, "application/jwk-set+json")],
        ring.to_json(),
    )
        .into_response()
}
