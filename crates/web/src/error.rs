//! The one place errors become HTTP: API requests get `application/problem+json` (RFC 9457)
//! naming the parameter or field; pages get an error page in the reader's language. Server
//! faults are logged in full and shown to the client only as "internal error".

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use onewindow_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

/// One named thing that is wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemDetail {
    /// The query parameter, form field or file position at fault.
    pub name: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every problem found, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemDetail>,
}

/// An error on its way to an API client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub detail: String,
    pub errors: Vec<ProblemDetail>,
}

impl ApiError {
    /// 404 for a path the API does not have.
    pub fn not_found(detail: String) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            kind: "not-found",
            detail,
            errors: Vec::new(),
        }
    }

    /// 401: not signed in, or a credential that does not work. The response asks for a bearer
    /// token (RFC 6750) — pages offer the sign-in form besides.
    pub fn unauthenticated(detail: String) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            kind: "unauthenticated",
            detail,
            errors: Vec::new(),
        }
    }

    /// A request body that cannot be read (not JSON, not multipart, a part that is not
    /// UTF-8): 400 naming the body, field or part.
    pub fn body(name: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid-body",
            detail: format!("{name}: {message}"),
            errors: vec![ProblemDetail {
                name: name.to_owned(),
                message,
            }],
        }
    }

    /// A field the body carries but whose value is wrong (or missing): 422 naming it.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: "invalid-field",
            ..Self::body(name, message)
        }
    }

    /// 413: a body or one of its files is larger than `limit`; the detail names the limit.
    pub fn too_large(name: &str, limit: &str) -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: "too-large",
            ..Self::body(name, format!("is larger than the limit of {limit}"))
        }
    }

    /// 403 for a state-changing request with a session cookie but without the session's CSRF
    /// token in `X-CSRF-Token`.
    pub fn csrf() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            kind: "csrf",
            ..Self::body(
                "X-CSRF-Token",
                "a request that changes something with a session cookie must send the session's CSRF token in this header",
            )
        }
    }

    /// The problem document with one extension member (RFC 9457 §3.2), e.g. the current state
    /// of a case a client tried to change from a stale version.
    pub fn with_member(self, name: &str, value: serde_json::Value) -> Response {
        let status = self.status;
        let mut doc = serde_json::to_value(ProblemBody::from(self))
            .unwrap_or_else(|_| serde_json::Value::Object(Default::default()));
        if let Some(members) = doc.as_object_mut() {
            members.insert(name.to_owned(), value);
        }
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(doc),
        )
            .into_response()
    }

    /// A bad query parameter: 400 naming it.
    pub fn parameter(name: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid-parameter",
            detail: format!("query parameter \"{name}\": {message}"),
            errors: vec![ProblemDetail {
                name: name.to_owned(),
                message,
            }],
        }
    }
}

/// What status and problem kind an application error is.
pub fn classify(err: &AppError) -> (StatusCode, &'static str) {
    match err {
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found"),
        AppError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid-record"),
        AppError::Import(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid-file"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        AppError::NotOpen(_) => (StatusCode::CONFLICT, "not-open"),
        AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::Refused(_) => (StatusCode::BAD_REQUEST, "refused"),
        AppError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate-limited"),
        AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        AppError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// The named problems inside an application error.
pub fn details(err: &AppError) -> Vec<ProblemDetail> {
    match err {
        AppError::Invalid { problems, .. } => problems
            .0
            .iter()
            .map(|p| ProblemDetail {
                name: p.field.to_owned(),
                message: match p.line {
                    Some(line) => format!("line {line}: {}", p.message),
                    None => p.message.clone(),
                },
            })
            .collect(),
        AppError::Import(problems) => problems
            .iter()
            .map(|p| ProblemDetail {
                name: position(p),
                message: p.message.clone(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `sheet powers, row 7, column C (category)` — where an import problem sits.
pub fn position(p: &onewindow_interchange::Problem) -> String {
    let mut parts = Vec::new();
    if let Some(sheet) = &p.sheet {
        parts.push(format!("sheet {sheet}"));
    }
    if let Some(row) = p.row {
        parts.push(format!("row {row}"));
    }
    if let Some(column) = &p.column {
        parts.push(format!("column {} ({})", column.letter(), column.name));
    }
    if parts.is_empty() {
        "file".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The message a client may see: server faults are not described.
pub fn public_detail(err: &AppError) -> String {
    match err {
        AppError::Store(inner) => {
            tracing::error!(error = %inner, "request failed");
            "internal error; the details are in the server log".to_owned()
        }
        other => other.to_string(),
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        let (status, kind) = classify(&err);
        Self {
            status,
            kind,
            detail: public_detail(&err),
            errors: details(&err),
        }
    }
}

/// For extractors that cannot fail.
impl From<std::convert::Infallible> for ApiError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<ApiError> for ProblemBody {
    fn from(err: ApiError) -> Self {
        ProblemBody {
            kind: format!("https://onewindow.invalid/problems/{}", err.kind),
            title: err.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: err.status.as_u16(),
            detail: err.detail,
            errors: err.errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let body = ProblemBody::from(self);
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(body),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"onewindow\""),
            );
        }
        response
    }
}
