//! `/admin/processes`: the administrator's view of the process definitions (every version, with
//! its limits, steps and warnings), which definition each service item's new cases follow, and
//! a form to save a new definition or version — a bad one is shown again with each problem and
//! its line, and nothing is saved. Running cases keep the version they started under.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use onewindow_app::AppError;
use onewindow_domain::catalogue::CatalogueCode;
use onewindow_store::ItemFilter;

use crate::AppState;
use crate::extract::Viewer;
use crate::i18n::Lang;
use crate::pages::admin::{admin_session, check_csrf};
use crate::pages::{PageError, render};
use crate::views::Layout;

pub struct DefinitionRow {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub limits: String,
    pub steps: String,
    pub warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "cases/processes.html")]
pub struct ProcessesPage {
    pub layout: Layout,
    pub definitions: Vec<DefinitionRow>,
    pub codes: Vec<String>,
    /// (item code, item name, its definition code or empty)
    pub items: Vec<(String, String, String)>,
    pub source: String,
    pub notice: Option<String>,
    pub problems: Vec<String>,
}

async fn page(
    state: &AppState,
    layout: Layout,
    source: String,
    notice: Option<String>,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    let en = layout.lang.is_en();
    let definitions = match state.app.definitions().await {
        Ok(d) => d,
        Err(e) => return PageError::from_app(layout, e).into_response(),
    };
    let mut rows = Vec::new();
    let mut codes = Vec::new();
    for latest in definitions.latest_all() {
        codes.push(latest.code().as_str().to_owned());
        for d in definitions.versions(latest.code().as_str()) {
            rows.push(DefinitionRow {
                code: d.code().as_str().to_owned(),
                version: d.version(),
                name: if en {
                    d.name_en().to_owned()
                } else {
                    d.name_zh().to_owned()
                },
                limits: format!("{} / {}", d.statutory_limit_days(), d.promised_limit_days()),
                steps: d
                    .steps()
                    .iter()
                    .map(|s| {
                        if en {
                            s.name_en.clone()
                        } else {
                            s.name_zh.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" → "),
                warnings: d.warnings().iter().map(ToString::to_string).collect(),
            });
        }
    }
    let all_items = state
        .app
        .store
        .items(&ItemFilter::default())
        .await
        .unwrap_or_default();
    let mut items = Vec::new();
    for item in all_items {
        let process = state
            .app
            .item_process(&item.code)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let name = if en && !item.name_en.is_empty() {
            item.name_en
        } else {
            item.name_zh
        };
        items.push((item.code.as_str().to_owned(), name, process));
    }
    render(
        status,
        &ProcessesPage {
            layout,
            definitions: rows,
            codes,
            items,
            source,
            notice,
            problems,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> Response {
    let (_, layout) = match admin_session(&state, lang, &viewer, &uri.to_string()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let layout = Layout {
        title: lang.t("processes").to_owned(),
        ..layout
    };
    page(
        &state,
        layout,
        String::new(),
        None,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// POST `/admin/processes`: save a definition (field `source`).
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, "/admin/processes") {
        Ok(s) => s,
        Err(r) => return r,
    };
    let layout = Layout {
        title: lang.t("processes").to_owned(),
        ..layout
    };
    if let Err(refused) = check_csrf(&session, &layout, form.get("csrf").map(String::as_str)) {
        return refused;
    }
    let source = form.get("source").cloned().unwrap_or_default();
    match state
        .app
        .save_definition(session.user.username.as_str(), &source)
        .await
    {
        Ok(d) => {
            let notice = format!("{} v{} {}", d.code().as_str(), d.version(), lang.t("saved"));
            page(
                &state,
                layout,
                String::new(),
                Some(notice),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let status = crate::error::classify(&e).0;
            let problems = match &e {
                AppError::Invalid { problems, .. } => {
                    problems.0.iter().map(|p| p.to_string()).collect()
                }
                other => vec![crate::error::public_detail(other)],
            };
            page(&state, layout, source, None, problems, status).await
        }
    }
}

/// POST `/admin/processes/items`: which definition an item's new cases follow.
pub async fn set_item(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, "/admin/processes") {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(refused) = check_csrf(&session, &layout, form.get("csrf").map(String::as_str)) {
        return refused;
    }
    let item = form.get("item").map(String::as_str).unwrap_or_default();
    let definition = form
        .get("definition")
        .map(String::as_str)
        .unwrap_or_default();
    let result = match CatalogueCode::parse(item) {
        Ok(code) => {
            state
                .app
                .set_item_process(session.user.username.as_str(), &code, definition)
                .await
        }
        Err(e) => Err(AppError::NotFound(format!("service item {item} ({e})"))),
    };
    match result {
        Ok(()) => Redirect::to("/admin/processes").into_response(),
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}
