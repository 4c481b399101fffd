//! The working-day calendar as people read it: a year of months, each day marked working, weekend,
//! holiday or make-up working day; and the administrator's import of next year's schedule.

use askama::Template;
use axum::extract::{Multipart, OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::{Date, Weekday};
use onewindow_domain::calendar::{Calendar, DayKind};

use super::admin::{admin_session, check_csrf};
use super::{PageError, layout, render};
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::views::Layout;

/// One day of the grid.
pub struct DayCell {
    pub day: i8,
    /// `work`, `rest`, `holiday` or `makeup` (a CSS class too).
    pub class: &'static str,
    pub title: String,
    pub date: String,
}

pub struct MonthView {
    pub number: i8,
    pub weeks: Vec<Vec<Option<DayCell>>>,
}

fn month(calendar: &Calendar, year: i16, number: i8) -> Option<MonthView> {
    let first = Date::new(year, number, 1).ok()?;
    let lead = usize::try_from(first.weekday().to_monday_zero_offset()).ok()?;
    let mut cells: Vec<Option<DayCell>> = (0..lead).map(|_| None).collect();
    for day in 1..=first.days_in_month() {
        let date = Date::new(year, number, day).ok()?;
        let listed = calendar
            .entries()
            .binary_search_by(|e| e.date.cmp(&date))
            .ok()
            .map(|i| &calendar.entries()[i]);
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        let (class, title) = match listed {
            Some(e) if e.kind == DayKind::Holiday => ("holiday", e.name.clone()),
            Some(e) => ("makeup", format!("{}（调休上班）", e.name)),
            None if weekend => ("rest", String::new()),
            None => ("work", String::new()),
        };
        cells.push(Some(DayCell {
            day,
            class,
            title,
            date: date.to_string(),
        }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut weeks = Vec::new();
    let mut iter = cells.into_iter().peekable();
    while iter.peek().is_some() {
        weeks.push(iter.by_ref().take(7).collect());
    }
    Some(MonthView { number, weeks })
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    layout: Layout,
    year: i32,
    known: bool,
    first_year: i32,
    last_year: i32,
    months: Vec<MonthView>,
    message: Option<String>,
    problems: Vec<String>,
    admin: bool,
}

async fn page(
    state: &AppState,
    layout: Layout,
    year: Option<i32>,
    message: Option<String>,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    let calendar = match state.app.calendar().await {
        Ok(c) => c,
        Err(e) => return PageError::from_app(layout, e).into_response(),
    };
    let today_year = i32::from(state.app.today().year());
    let year = year.unwrap_or(today_year);
    let months = i16::try_from(year)
        .map(|y| (1..=12).filter_map(|m| month(&calendar, y, m)).collect())
        .unwrap_or_default();
    let admin = layout.is_admin;
    let page = CalendarPage {
        layout,
        year,
        known: calendar.knows_year(year),
        first_year: calendar.first_year(),
        last_year: calendar.last_year(),
        months,
        message,
        problems,
        admin,
    };
    render(status, &page)
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    let here = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let layout = layout(&state, lang, &viewer, here, lang.t("calendar"));
    let year = match params
        .get("year")
        .map(|y| y.parse::<i32>().ok().filter(|y| (1949..=9999).contains(y)))
    {
        Some(None) => {
            return PageError::bad_request(layout, "year must be a year such as 2027".into())
                .into_response();
        }
        Some(Some(y)) => Some(y),
        None => None,
    };
    page(&state, layout, year, None, Vec::new(), StatusCode::OK).await
}

/// Imports one schedule year from an uploaded CSV (`date,kind,name`), audited; all or nothing.
pub async fn import(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    mut multipart: Multipart,
) -> Response {
    let here = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let (session, layout) = match admin_session(&state, lang, &viewer, &here) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (mut csrf, mut year, mut replace, mut file) = (None, None, false, None);
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let Ok(bytes) = field.bytes().await else {
            return page(
                &state,
                layout,
                None,
                None,
                vec!["the upload could not be read (is it larger than 20 MB?)".into()],
                StatusCode::BAD_REQUEST,
            )
            .await;
        };
        let text = || String::from_utf8_lossy(&bytes).trim().to_owned();
        match name.as_str() {
            "_csrf" => csrf = Some(text()),
            "year" => year = Some(text()),
            "replace" => replace = text() == "on" || text() == "true",
            "file" => file = Some(bytes.to_vec()),
            _ => {}
        }
    }
    if let Err(r) = check_csrf(&session, &layout, csrf.as_deref()) {
        return r;
    }
    let Some(year_value) = year.as_deref().and_then(|y| y.parse::<i32>().ok()) else {
        return page(
            &state,
            layout,
            None,
            None,
            vec![format!(
                "year: \"{}\" is not a year such as 2027",
                year.unwrap_or_default()
            )],
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return page(
            &state,
            layout,
            Some(year_value),
            None,
            vec!["file: choose the CSV of the year's schedule".into()],
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match state
        .app
        .import_calendar_year(session.user.username.as_str(), year_value, &file, replace)
        .await
    {
        Ok(done) => {
            let message = format!(
                "{} {}: {} rows",
                lang.t("import_done"),
                done.year,
                done.rows
            );
            page(
                &state,
                layout,
                Some(year_value),
                Some(message),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(err) => {
            let status = crate::error::classify(&err).0;
            let problems = match &err {
                onewindow_app::AppError::Import(list) => list
                    .iter()
                    .map(|p| format!("{}: {}", crate::error::position(p), p.message))
                    .collect(),
                other => vec![crate::error::public_detail(other)],
            };
            page(&state, layout, Some(year_value), None, problems, status).await
        }
    }
}
