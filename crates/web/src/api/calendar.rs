//! Working-day arithmetic over HTTP, on the calendar in force (shipped schedules plus imported
//! years). Answers past the known years say `"provisional": true` (RULES.md §1).

use axum::Json;
use axum::extract::{Path, State};
use onewindow_domain::calendar::{DayKind, WorkingDays};
use onewindow_domain::dates::parse_date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::RawParams;

/// A date reached by counting working days.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkingDateView {
    /// YYYY-MM-DD
    pub date: String,
    /// True when part of the count lies past the years the calendar knows (weekends only there).
    pub provisional: bool,
}

/// A count of working days.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkingCountView {
    pub days: i64,
    pub provisional: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDayView {
    pub date: String,
    /// `holiday` (a day of an official holiday period) or `workday` (a weekend make-up day).
    pub kind: String,
    pub name: String,
}

/// One schedule year (1 Dec of the year before – 30 Nov).
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarYearView {
    pub year: i32,
    /// Whether the calendar holds this year's official schedule.
    pub known: bool,
    pub first_known_year: i32,
    pub last_known_year: i32,
    pub days: Vec<CalendarDayView>,
}

fn only(params: &RawParams, allowed: &[&str]) -> Result<(), ApiError> {
    Ok(crate::params::check_names(params, allowed)?)
}

fn date_param(params: &RawParams, name: &str) -> Result<jiff::civil::Date, ApiError> {
    let value = params
        .get(name)
        .ok_or_else(|| ApiError::parameter(name, "is required (YYYY-MM-DD)"))?;
    parse_date(value).map_err(|m| ApiError::parameter(name, m))
}

/// The N-th working day after a date (the date itself not counted).
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "calendar",
    params(
        ("from" = String, Query, description = "YYYY-MM-DD; not counted"),
        ("days" = u32, Query, description = "0–3650 working days"),
    ),
    responses(
        (status = 200, body = WorkingDateView, example = json!({"date": "2026-10-13", "provisional": false})),
        (status = 400, body = crate::error::ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn add_working_days(
    State(state): State<AppState>,
    params: RawParams,
) -> Result<Json<WorkingDateView>, ApiError> {
    only(&params, &["from", "days"])?;
    let from = date_param(&params, "from")?;
    let days: WorkingDays = params
        .get("days")
        .ok_or_else(|| ApiError::parameter("days", "is required (a whole number of working days)"))?
        .parse()
        .map_err(|e: onewindow_domain::calendar::WorkingDaysError| {
            ApiError::parameter("days", e.to_string())
        })?;
    let due = state.app.add_working_days(from, days).await?;
    Ok(Json(WorkingDateView {
        date: due.date.to_string(),
        provisional: due.provisional,
    }))
}

/// Working days in (from, to]; negative when `to` is before `from`.
#[utoipa::path(get, path = "/api/v1/calendar/working-days-between", tag = "calendar",
    params(("from" = String, Query, description = "YYYY-MM-DD"), ("to" = String, Query, description = "YYYY-MM-DD")),
    responses(
        (status = 200, body = WorkingCountView),
        (status = 400, body = crate::error::ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn working_days_between(
    State(state): State<AppState>,
    params: RawParams,
) -> Result<Json<WorkingCountView>, ApiError> {
    only(&params, &["from", "to"])?;
    let count = state
        .app
        .working_days_between(date_param(&params, "from")?, date_param(&params, "to")?)
        .await?;
    Ok(Json(WorkingCountView {
        days: count.days,
        provisional: count.provisional,
    }))
}

/// The listed days (holidays and make-up working days) of one schedule year.
#[utoipa::path(get, path = "/api/v1/calendar/years/{year}", tag = "calendar",
    params(("year" = i32, Path, description = "Schedule year, e.g. 2026")),
    responses(
        (status = 200, body = CalendarYearView),
        (status = 400, body = crate::error::ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn year(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    params: RawParams,
) -> Result<Json<CalendarYearView>, ApiError> {
    only(&params, &[])?;
    let year: i32 = raw
        .parse()
        .ok()
        .filter(|y| (1949..=9999).contains(y))
        .ok_or_else(|| {
            ApiError::parameter("year", format!("\"{raw}\" is not a year (1949–9999)"))
        })?;
    let calendar = state.app.calendar().await?;
    let days = calendar
        .entries_of_year(year)
        .iter()
        .map(|e| CalendarDayView {
            date: e.date.to_string(),
            kind: match e.kind {
                DayKind::Holiday => "holiday",
                DayKind::Workday => "workday",
            }
            .into(),
            name: e.name.clone(),
        })
        .collect();
    Ok(Json(CalendarYearView {
        year,
        known: calendar.knows_year(year),
        first_known_year: calendar.first_year(),
        last_known_year: calendar.last_year(),
        days,
    }))
}
