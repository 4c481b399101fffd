//! The public register of granted licences (Administrative Licensing Law art. 40) and the
//! verification page: a big clear answer — valid, or not valid and why — with the licence's
//! particulars and history. Staff who may change the status (the issuing org's signatory or
//! head) see a form for it on the same page; it carries the CSRF token and the version read.
//! Both link the certificate's PDFs (original and copy), which anyone may download.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use onewindow_app::AppError;
use onewindow_app::documents::DocumentKind;
use onewindow_app::licences::{LicenceActor, LicenceView};
use onewindow_domain::catalogue::{Org, Vocabulary};
use onewindow_domain::licences::{
    Licence, LicenceStatus, StatusChange, StatusReading, normalise_printed,
};

mod holder;
mod register;

use super::admin::check_csrf;
use super::{PageError, layout, render};
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::views::{Layout, percent_encode};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/licences", get(register::register))
        .route("/licences/{number}", get(show))
        .route("/licences/{number}/status", post(change_status))
}

fn here(uri: &OriginalUri) -> String {
    uri.path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/licences".into())
}

/// The page of a licence, by its canonical number.
fn href(licence: &Licence) -> String {
    format!("/licences/{}", percent_encode(&licence.number.to_string()))
}

fn reason(lang: Lang, status: &StatusReading) -> String {
    if lang.is_en() {
        status.en.clone()
    } else {
        status.zh.clone()
    }
}

/// The certificate's PDFs as links anyone may follow: the newest original and copy.
async fn certificates(state: &AppState, number: &str) -> Vec<(&'static str, String)> {
    // A register line without its links is better than no register: a failed lookup is logged.
    let documents = match state.app.licence_certificates(number).await {
        Ok(documents) => documents,
        Err(e) => {
            tracing::warn!(licence = number, error = %e, "certificate documents");
            return Vec::new();
        }
    };
    documents
        .iter()
        .map(|d| {
            (
                certificate_label(d.kind),
                format!("/documents/{}", d.number),
            )
        })
        .collect()
}

/// The words of a certificate link: the original, or a copy.
fn certificate_label(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::LicenceOriginal => "licence_certificate_original",
        _ => "licence_certificate_copy",
    }
}

/// The grant decisions behind a licence, which anyone may download (art. 40): their numbers.
async fn grant_decisions(state: &AppState, licence: &Licence) -> Vec<String> {
    // As with the certificate: the page without the links beats no page; the failure is logged.
    match state.app.licence_grant_decisions(licence).await {
        Ok(documents) => documents.into_iter().map(|d| d.number).collect(),
        Err(e) => {
            tracing::warn!(licence = %licence.number, error = %e, "grant decisions");
            Vec::new()
        }
    }
}

fn org_name(layout: &Layout, orgs: &[Org], licence: &Licence) -> String {
    layout.org_name(orgs, &licence.grant.issuing_org)
}

/// One status change in the history as the page shows it.
struct HistoryRow {
    on: String,
    label: &'static str,
    reason: String,
    /// Shown to signed-in staff only.
    actor: String,
}

/// The status form, with what was submitted and what was wrong with it.
#[derive(Default)]
struct ChangeForm {
    action: String,
    changes: Vec<StatusChange>,
    selected: String,
    reason: String,
    version: i64,
    change_error: Option<String>,
    reason_error: Option<String>,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "licence.html")]
struct LicencePage {
    layout: Layout,
    number: String,
    valid: bool,
    status: LicenceStatus,
    reason: String,
    licence: Licence,
    org: String,
    history: Vec<HistoryRow>,
    staff: bool,
    message: Option<String>,
    /// The certificate's PDFs (label key, link), for anyone (art. 40).
    certificates: Vec<(&'static str, String)>,
    /// The grant decisions behind the licence (document numbers), for anyone (art. 40).
    grant_decisions: Vec<String>,
    /// The current certificate's electronic identifier, when configured (RULES.md §8).
    electronic_id: Option<String>,
    /// A refusal when no form is left to show it beside (e.g. the licence became final).
    alert: Option<String>,
    form: Option<ChangeForm>,
    /// For the holder: applications it may make on the licence (change, renewal,
    /// cancellation) as (label, link), and the licence's documents as (label, link).
    holder: Option<holder::HolderSection>,
}

fn event_label(lang: Lang, key: &str) -> &'static str {
    lang.t(match key {
        "suspended" => "licence_event_suspended",
        "reinstated" => "licence_event_reinstated",
        "revoked" => "licence_event_revoked",
        "changed" => "licence_event_changed",
        "renewed" => "licence_event_renewed",
        _ => "licence_event_cancelled",
    })
}

/// The page of `view` for `viewer`, with the status form when the viewer may change it.
fn licence_page(
    state: &AppState,
    mut layout: Layout,
    viewer: &Viewer,
    view: LicenceView,
) -> LicencePage {
    let lang = layout.lang;
    let number = view.licence.number.to_string();
    layout.title = number.clone();
    let actor = viewer
        .session
        .as_ref()
        .and_then(|s| LicenceActor::of(&s.user));
    let changes = actor
        .as_ref()
        .map(|a| state.app.licence_changes_for(a, &view))
        .unwrap_or_default();
    let form = (!changes.is_empty()).then(|| ChangeForm {
        action: format!("{}/status", href(&view.licence)),
        changes,
        version: view.licence.version(),
        ..Default::default()
    });
    let orgs: Vec<Org> = view.issuing_org.iter().cloned().collect();
    LicencePage {
        number,
        valid: view.status.is_valid(),
        status: view.status.status,
        reason: reason(lang, &view.status),
        org: org_name(&layout, &orgs, &view.licence),
        history: view
            .licence
            .events
            .iter()
            .map(|e| HistoryRow {
                on: e.on.to_string(),
                label: event_label(lang, e.kind.key()),
                reason: e.kind.reason().to_owned(),
                actor: e.actor.clone(),
            })
            .collect(),
        staff: viewer.session.is_some(),
        message: None,
        certificates: Vec::new(),
        grant_decisions: Vec::new(),
        electronic_id: view.electronic_id.as_ref().map(ToString::to_string),
        alert: None,
        form,
        holder: None,
        licence: view.licence,
        layout,
    }
}

/// The number in the path, or a 400 page naming the position that cannot be right.
fn checked_number(layout: &Layout, raw: &str) -> Result<(), PageError> {
    normalise_printed(raw)
        .map(|_| ())
        .map_err(|e| PageError::bad_request(layout.clone(), e.to_string()))
}

async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(raw): Path<String>,
    params: RawParams,
) -> Result<Response, PageError> {
    let layout = layout(
        &state,
        lang,
        &viewer,
        here(&uri),
        lang.t("licence_register"),
    );
    checked_number(&layout, &raw)?;
    let view = state
        .app
        .licence_view(&raw)
        .await
        .map_err(|e| PageError::from_app(layout.clone(), e))?;
    let status = view.status.status;
    let mut page = licence_page(&state, layout, &viewer, view);
    page.certificates = certificates(&state, &page.number).await;
    page.grant_decisions = grant_decisions(&state, &page.licence).await;
    page.holder = holder::holder_section(&state, lang, &viewer, &page.licence, status).await;
    if params.get("changed").is_some() {
        page.message = Some(lang.t("licence_status_changed").to_owned());
    }
    Ok(render(StatusCode::OK, &page))
}

async fn change_status(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(raw): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let layout = layout(
        &state,
        lang,
        &viewer,
        here(&uri),
        lang.t("licence_register"),
    );
    let Some(session) = &viewer.session else {
        return Ok(Redirect::to("/admin/login").into_response());
    };
    if let Err(refused) = check_csrf(session, &layout, form.get("_csrf").map(String::as_str)) {
        return Ok(refused);
    }
    checked_number(&layout, &raw)?;
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let (selected, reason_text) = (field("change"), field("reason"));
    let version = field("_version").trim().parse::<i64>().ok();
    let actor =
        LicenceActor::require(&session.user).map_err(|e| PageError::from_app(layout.clone(), e))?;
    let outcome = match StatusChange::parse_key(&selected) {
        Some(change) => {
            state
                .app
                .change_licence_status(&actor, &raw, change, &reason_text, version)
                .await
        }
        None => Err(AppError::Refused(format!(
            "change: \"{selected}\" is not one of {}",
            StatusChange::expected()
        ))),
    };
    let (status, mut change_error, mut reason_error, mut problem) =
        (StatusCode::UNPROCESSABLE_ENTITY, None, None, None);
    match outcome {
        Ok(view) => {
            return Ok(Redirect::to(&format!("{}?changed=1", href(&view.licence))).into_response());
        }
        Err(AppError::Invalid { problems, .. }) => {
            for p in problems.0 {
                match p.field {
                    "reason" => reason_error = Some(p.message),
                    _ => change_error = Some(p.message),
                }
            }
        }
        Err(AppError::Refused(message)) => change_error = Some(message),
        Err(AppError::Conflict(message)) => problem = Some(message),
        Err(other) => return Err(PageError::from_app(layout, other)),
    }
    let status = if problem.is_some() {
        StatusCode::CONFLICT
    } else {
        status
    };
    let view = state
        .app
        .licence_view(&raw)
        .await
        .map_err(|e| PageError::from_app(layout.clone(), e))?;
    let mut page = licence_page(&state, layout, &viewer, view);
    page.certificates = certificates(&state, &page.number).await;
    page.grant_decisions = grant_decisions(&state, &page.licence).await;
    match &mut page.form {
        Some(form) => {
            form.selected = selected;
            form.reason = reason_text;
            form.change_error = change_error;
            form.reason_error = reason_error;
            form.problem = problem;
        }
        None => page.alert = problem.or(change_error).or(reason_error),
    }
    Ok(render(status, &page))
}
