//! `/workbench`: a staff member's queue — the cases at the steps their role acts at (or every
//! case of their org), each with its clock colour, due date and how long it has waited in its
//! step. `/my/cases`: an enterprise's own applications.

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use onewindow_app::cases::{Person, QueueFilter, QueueRow};
use onewindow_app::catalogue::PageRequest;
use onewindow_domain::cases::CaseStatus;
use onewindow_domain::process::DefinitionSet;

use super::person_or_login;
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::pages::{PageError, layout, render};
use crate::views::Layout;

const PARAMS: &[&str] = &["all", "status", "clock", "closed", "page"];

pub struct Row {
    pub number: String,
    pub item: String,
    pub item_name: String,
    /// The credit code, shown small beside the name.
    pub applicant: String,
    /// The enterprise's name (its record, or declared at the window); empty when neither.
    pub applicant_name: String,
    pub status: String,
    pub step: String,
    pub colour: String,
    pub due: String,
    pub provisional: bool,
    pub waiting: String,
}

#[derive(Template)]
#[template(path = "cases/queue.html")]
pub struct QueuePage {
    pub layout: Layout,
    pub heading: &'static str,
    pub staff: bool,
    pub rows: Vec<Row>,
    pub total: usize,
    pub page: u32,
    pub pages: u32,
    pub all: bool,
    pub closed: bool,
    pub status: String,
    pub clock: String,
    pub statuses: Vec<(String, String)>,
    pub colours: Vec<String>,
}

pub async fn workbench(
    state: State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    queue(state, lang, viewer, uri, params, true).await
}

pub async fn mine(
    state: State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    queue(state, lang, viewer, uri, params, false).await
}

async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
    staff_page: bool,
) -> Response {
    let here = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    let layout = layout(
        &state,
        lang,
        &viewer,
        here,
        lang.t(if staff_page { "workbench" } else { "my_cases" }),
    );
    if let Err(e) = crate::params::check_names(&params, PARAMS) {
        return PageError::bad_request(layout, format!("{}: {}", e.name, e.message))
            .into_response();
    }
    let flag = |name: &str| params.map.get(name).is_some_and(|v| v == "1" || v == "on");
    let text = |name: &str| params.map.get(name).cloned().filter(|v| !v.is_empty());
    let page_number = match params.map.get("page").map(|p| p.parse::<u32>()) {
        None => 1,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            return PageError::bad_request(layout, "page: a whole number from 1".into())
                .into_response();
        }
    };
    let filter = QueueFilter {
        all_steps: flag("all"),
        status: text("status"),
        clock_status: text("clock"),
        include_closed: flag("closed"),
    };
    let page = PageRequest::new(page_number, 50).unwrap_or_else(|_| PageRequest::first());
    let result = state.app.case_queue(&person, &filter, page).await;
    let definitions = state.app.definitions().await;
    let (paged, definitions) = match (result, definitions) {
        (Ok(p), Ok(d)) => (p, d),
        (Err(e), _) | (_, Err(e)) => return PageError::from_app(layout, e).into_response(),
    };
    let en = lang.is_en();
    let rows = paged
        .items
        .iter()
        .map(|r| row(r, &definitions, en))
        .collect();
    let statuses = CaseStatus::ALL
        .iter()
        .filter(|s| **s != CaseStatus::NotSubmitted)
        .map(|s| {
            (
                s.key().to_owned(),
                if en { s.to_string() } else { s.zh().to_owned() },
            )
        })
        .collect();
    render(
        StatusCode::OK,
        &QueuePage {
            heading: if staff_page { "workbench" } else { "my_cases" },
            staff: matches!(person, Person::Staff { .. }),
            total: paged.total,
            page: page_number,
            pages: paged.pages(),
            rows,
            all: filter.all_steps,
            closed: filter.include_closed,
            status: filter.status.unwrap_or_default(),
            clock: filter.clock_status.unwrap_or_default(),
            statuses,
            colours: ["green", "yellow", "red", "overdue", "paused", "stopped"]
                .map(String::from)
                .to_vec(),
            layout,
        },
    )
}

fn row(r: &QueueRow, definitions: &DefinitionSet, en: bool) -> Row {
    let p = &r.record.projection;
    let version = u32::try_from(r.record.definition_version).unwrap_or(0);
    let step = p
        .step
        .as_deref()
        .and_then(|id| {
            definitions
                .get(&r.record.definition_code, version)?
                .step(id)
        })
        .map(|s| {
            if en {
                s.name_en.clone()
            } else {
                s.name_zh.clone()
            }
        })
        .unwrap_or_default();
    let status = CaseStatus::parse_key(&p.status)
        .map(|s| if en { s.to_string() } else { s.zh().to_owned() })
        .unwrap_or_else(|| p.status.clone());
    let waiting = r.waiting.map(|d| {
        let hours = d.as_secs() / 3600;
        match (hours / 24, hours % 24, en) {
            (0, h, true) => format!("{h} h"),
            (days, h, true) => format!("{days} d {h} h"),
            (0, h, false) => format!("{h} 小时"),
            (days, h, false) => format!("{days} 天 {h} 小时"),
        }
    });
    Row {
        number: r.record.number.clone(),
        item: r.record.item_code.clone(),
        item_name: match (&r.item_name, en) {
            ((_, english), true) if !english.is_empty() => english.clone(),
            ((zh, _), _) => zh.clone(),
        },
        applicant: r.record.applicant.clone(),
        applicant_name: r.applicant_name.clone().unwrap_or_default(),
        status,
        step,
        colour: p.clock_status.clone(),
        due: p.statutory_due.map(|d| d.to_string()).unwrap_or_default(),
        provisional: p.due_provisional,
        waiting: waiting.unwrap_or_default(),
    }
}
