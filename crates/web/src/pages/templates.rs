//! The administrator's document templates: the list, one template's source in a text area with
//! its saved versions, save (refused with every problem by line, the submitted source shown
//! again) and "restore shipped". Every form carries the session's CSRF token.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use onewindow_app::AppError;
use onewindow_app::documents::{DocumentKind, TemplateDetail, TemplateSummary};
use onewindow_store::TemplateVersion;

use super::admin::{admin_session, check_csrf};
use super::{PageError, render};
use crate::AppState;
use crate::extract::Viewer;
use crate::i18n::Lang;
use crate::views::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/templates", get(list))
        .route("/admin/templates/{kind}", get(edit).post(save))
        .route("/admin/templates/{kind}/restore", post(restore))
}

fn here(uri: &OriginalUri) -> String {
    uri.path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/admin/templates".into())
}

/// A row of the list: the template, the kinds using it, the link (by its first kind).
pub struct Row {
    pub summary: TemplateSummary,
    pub titles: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "admin_templates.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> Response {
    let mut layout = match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok((_, layout)) => layout,
        Err(r) => return r,
    };
    layout.title = lang.t("doc_templates").to_owned();
    match state.app.document_templates().await {
        Ok(list) => {
            let rows = list
                .into_iter()
                .map(|summary| Row {
                    titles: summary
                        .kinds
                        .iter()
                        .map(|k| k.title())
                        .collect::<Vec<_>>()
                        .join("、"),
                    href: format!("/admin/templates/{}", summary.kinds[0].slug()),
                    summary,
                })
                .collect();
            render(StatusCode::OK, &ListPage { layout, rows })
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "template_form.html")]
struct FormPage {
    layout: Layout,
    kind: DocumentKind,
    detail: TemplateDetail,
    source: String,
    message: Option<String>,
    problems: Vec<String>,
}

impl FormPage {
    fn versions(&self) -> &[TemplateVersion] {
        &self.detail.versions
    }
}

/// The kind in the path, or a 404 page.
fn kind_of(layout: &Layout, slug: &str) -> Result<DocumentKind, Response> {
    DocumentKind::from_slug(slug).ok_or_else(|| {
        PageError::from_app(
            layout.clone(),
            AppError::NotFound(format!("document kind {slug}")),
        )
        .into_response()
    })
}

async fn form(
    state: &AppState,
    layout: Layout,
    kind: DocumentKind,
    source: Option<String>,
    message: Option<String>,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    match state.app.document_template(kind).await {
        Ok(detail) => {
            let mut layout = layout;
            layout.title = format!("{} · {}", layout.t("doc_templates"), detail.summary.name);
            let source = source.unwrap_or_else(|| detail.source.clone());
            let page = FormPage {
                layout,
                kind,
                detail,
                source,
                message,
                problems,
            };
            render(status, &page)
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(slug): Path<String>,
) -> Response {
    let layout = match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok((_, layout)) => layout,
        Err(r) => return r,
    };
    let kind = match kind_of(&layout, &slug) {
        Ok(kind) => kind,
        Err(r) => return r,
    };
    form(&state, layout, kind, None, None, Vec::new(), StatusCode::OK).await
}

async fn save(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(slug): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, fields.get("_csrf").map(String::as_str)) {
        return r;
    }
    let kind = match kind_of(&layout, &slug) {
        Ok(kind) => kind,
        Err(r) => return r,
    };
    // Browsers send CR LF line ends from a text area; typst and the line numbers want LF.
    let source = fields
        .get("source")
        .map(|s| s.replace("\r\n", "\n"))
        .unwrap_or_default();
    match state
        .app
        .save_document_template(&session.user, kind, &source)
        .await
    {
        Ok(version) => {
            let message = format!("{} {version}", lang.t("doc_template_saved"));
            form(
                &state,
                layout,
                kind,
                None,
                Some(message),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(err @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::classify(&err).0;
            let problems = crate::error::details(&err)
                .into_iter()
                .map(|d| format!("{}: {}", d.name, d.message))
                .collect::<Vec<_>>();
            let problems = if problems.is_empty() {
                vec![crate::error::public_detail(&err)]
            } else {
                problems
            };
            form(&state, layout, kind, Some(source), None, problems, status).await
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

async fn restore(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(slug): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, fields.get("_csrf").map(String::as_str)) {
        return r;
    }
    let kind = match kind_of(&layout, &slug) {
        Ok(kind) => kind,
        Err(r) => return r,
    };
    match state
        .app
        .restore_shipped_template(&session.user, kind)
        .await
    {
        Ok(_) => Redirect::to(&format!("/admin/templates/{}", kind.slug())).into_response(),
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}
