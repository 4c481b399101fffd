//! The server-rendered pages: the public site ([`public`]) and the administration ([`admin`]).
//! Pages work without JavaScript; errors render as a page in the reader's language.

mod admin;
mod calendar;
mod cases;
mod licences;
mod notifications;
mod public;
mod records;
mod register;
mod templates;
mod users;
mod verify;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use onewindow_app::AppError;

use crate::AppState;
use crate::error::{classify, details, position, public_detail};
use crate::extract::Viewer;
use crate::i18n::Lang;
use crate::views::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(public::routes())
        .merge(admin::routes())
        .merge(register::routes())
        .merge(users::routes())
        .merge(templates::routes())
        .merge(verify::routes())
        .merge(licences::routes())
        .merge(cases::routes())
        .merge(notifications::routes())
        .route("/static/style.css", get(stylesheet))
        .route("/calendar", get(calendar::show))
        .route(
            "/admin/calendar/import",
            axum::routing::post(calendar::import),
        )
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

/// Builds the layout for a page.
pub fn layout(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    here: String,
    title: impl Into<String>,
) -> Layout {
    let session = viewer.session.as_ref();
    Layout {
        lang,
        demo: state.demo,
        user: session.map(|s| s.user.display_name.clone()),
        is_admin: session.is_some_and(|s| s.user.is_administrator()),
        workspace: session.map(|s| match s.user.credit_code() {
            Some(_) => ("/my/cases", "my_cases"),
            None => ("/workbench", "workbench"),
        }),
        is_clerk: session
            .is_some_and(|s| s.user.role() == Some(onewindow_domain::access::Role::WindowClerk)),
        here,
        title: title.into(),
        csrf: session.map(|s| s.csrf_token.clone()).unwrap_or_default(),
        unread: viewer.unread,
    }
}

/// Renders a template, or a plain 500 if the template itself fails (logged).
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
    pub details: Vec<String>,
}

/// An error on its way to a reader of pages.
pub struct PageError {
    pub layout: Layout,
    pub status: StatusCode,
    pub message: String,
    pub details: Vec<String>,
}

impl PageError {
    pub fn from_app(layout: Layout, err: AppError) -> Self {
        let (status, _) = classify(&err);
        let details = match &err {
            AppError::Import(problems) => problems
                .iter()
                .map(|p| format!("{}: {}", position(p), p.message))
                .collect(),
            _ => details(&err)
                .into_iter()
                .map(|d| format!("{}: {}", d.name, d.message))
                .collect(),
        };
        Self {
            layout,
            status,
            message: public_detail(&err),
            details,
        }
    }

    pub fn bad_request(layout: Layout, message: String) -> Self {
        Self {
            layout,
            status: StatusCode::BAD_REQUEST,
            message,
            details: Vec::new(),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let heading = match self.status {
            StatusCode::NOT_FOUND => self.layout.t("not_found").to_owned(),
            s => format!("{} {}", s.as_u16(), s.canonical_reason().unwrap_or("")),
        };
        let mut layout = self.layout;
        layout.title = heading.clone();
        render(
            self.status,
            &ErrorPage {
                layout,
                heading,
                message: self.message,
                details: self.details,
            },
        )
    }
}
