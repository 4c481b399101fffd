//! The signed-in person's notifications over HTTP (issue 3, ADR 0004): the list, unread first,
//! and marking read — some (each must be the caller's: another's or an unknown id is a 404 and
//! nothing is marked) or all; and the e-mail address copies go to. A bearer token, or the session cookie with `X-CSRF-Token`.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use onewindow_store::{MarkRead, NotificationId, NotificationRecord};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ProblemBody, ProblemDetail};
use crate::extract::Caller;

const PROBLEM: &str = "application/problem+json";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/notifications", get(list))
        .route("/me/notifications/read", post(mark_read))
        .route("/me/notifications/email", put(set_email))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationJson {
    pub id: i64,
    pub case_number: String,
    /// The case page.
    pub case_link: String,
    /// The event it tells of (its position in the case's log).
    pub event_seq: i64,
    /// The event's key, e.g. `warning_raised`, `accepted`, `licence_issued`.
    pub kind: String,
    pub text_zh: String,
    pub text_en: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; absent while unread.
    pub read_at: Option<String>,
}

impl From<&NotificationRecord> for NotificationJson {
    fn from(n: &NotificationRecord) -> Self {
        Self {
            id: n.id.0,
            case_number: n.case_number.clone(),
            case_link: format!("/cases/{}", n.case_number),
            event_seq: n.event_seq,
            kind: n.kind.clone(),
            text_zh: n.text_zh.clone(),
            text_en: n.text_en.clone(),
            created_at: n.created_at.to_string(),
            read_at: n.read_at.map(|t| t.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: u64,
    /// Unread first, then newest first; at most 200.
    pub notifications: Vec<NotificationJson>,
}

/// Which notifications to mark read: `{"ids": [3, 4]}` or `{"all": true}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MarkReadRequest {
    pub ids: Vec<i64>,
    pub all: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    /// How many were unread and are read now.
    pub marked: u64,
    pub unread: u64,
}

/// The caller's notifications, unread first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications",
    responses(
        (status = 200, body = NotificationList),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
    ))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<NotificationList>, ApiError> {
    let inbox = state.app.inbox(&caller.person).await?;
    Ok(Json(NotificationList {
        unread: inbox.unread,
        notifications: inbox.notifications.iter().map(Into::into).collect(),
    }))
}

/// Mark some or all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications",
    request_body = MarkReadRequest,
    responses(
        (status = 200, body = MarkedRead),
        (status = 400, description = "The body is not JSON of this shape", body = ProblemBody, content_type = PROBLEM),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Session cookie without its CSRF token", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "An id that is not one of the caller's notifications; nothing was marked", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Neither ids nor all, or both", body = ProblemBody, content_type = PROBLEM),
    ))]
async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<MarkReadRequest>, JsonRejection>,
) -> Result<Json<MarkedRead>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        kind: "invalid-body",
        detail: format!(
            "the body is not {{\"ids\": [...]}} or {{\"all\": true}}: {}",
            e.body_text()
        ),
        errors: vec![ProblemDetail {
            name: "body".into(),
            message: e.body_text(),
        }],
    })?;
    let which = match (body.all, body.ids.is_empty()) {
        (true, true) => MarkRead::All,
        (false, false) => MarkRead::Only(body.ids.into_iter().map(NotificationId).collect()),
        (true, false) => {
            return Err(ApiError::field("ids", "give ids or all, not both"));
        }
        (false, true) => {
            return Err(ApiError::field(
                "ids",
                "name at least one notification, or send \"all\": true",
            ));
        }
    };
    let marked = state
        .app
        .mark_notifications_read(&caller.person, which)
        .await?;
    let unread = state.app.unread_notifications(caller.person.user()).await?;
    Ok(Json(MarkedRead { marked, unread }))
}

/// The address e-mail copies of notifications go to; empty or absent removes it.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationEmail {
    pub email: Option<String>,
}

/// Set (or remove, with an empty address) where e-mail copies of the caller's notifications go.
#[utoipa::path(put, path = "/api/v1/me/notifications/email", tag = "notifications",
    request_body = NotificationEmail,
    responses(
        (status = 200, description = "The address now in force", body = NotificationEmail),
        (status = 400, description = "The body is not JSON of this shape", body = ProblemBody, content_type = PROBLEM),
        (status = 401, body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Session cookie without its CSRF token", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Not one address like name@example.cn; the field is named", body = ProblemBody, content_type = PROBLEM),
    ))]
async fn set_email(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NotificationEmail>, JsonRejection>,
) -> Result<Json<NotificationEmail>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::body("body", e.body_text()))?;
    let email = state
        .app
        .set_notification_email(&caller.person, body.email.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(NotificationEmail { email }))
}

/// The notification endpoints' part of the OpenAPI document, merged into the whole.
#[derive(OpenApi)]
#[openapi(
    paths(list, mark_read, set_email),
    components(schemas(NotificationJson, NotificationList, MarkReadRequest, MarkedRead, NotificationEmail)),
    tags((name = "notifications", description = "The signed-in person's notifications: deadline warnings for staff, notices and decisions for applicants")),
)]
pub struct NotificationsDoc;
