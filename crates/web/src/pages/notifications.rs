//! The "通知 / Notifications" page (issue 3, ADR 0004): the signed-in person's notifications,
//! unread first, each linking to its case; mark one or all read; the e-mail address copies go
//! to. Forms carry the CSRF token; a refusal (another's notification, a bad address) shows the
//! page again with the message.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use onewindow_app::AppError;
use onewindow_app::cases::Person;
use onewindow_store::{MarkRead, NotificationId, NotificationRecord};

use super::admin::check_csrf;
use super::{PageError, layout, render};
use crate::AppState;
use crate::extract::Viewer;
use crate::i18n::Lang;
use crate::views::{Layout, percent_encode};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(show))
        .route("/notifications/read", post(mark_read))
        .route("/notifications/email", post(set_email))
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    notifications: Vec<NotificationRecord>,
    unread: u64,
    email: String,
    message: Option<String>,
    problem: Option<String>,
}

impl NotificationsPage {
    fn text<'a>(&self, n: &'a NotificationRecord) -> &'a str {
        match self.layout.lang {
            Lang::Zh => &n.text_zh,
            Lang::En => &n.text_en,
        }
    }

    /// `2026-12-16 09:00` in China time, the day the law counts in.
    fn when(&self, n: &NotificationRecord) -> String {
        jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8))
            .to_datetime(n.created_at)
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }
}

/// The signed-in person and the page's layout, or the sign-in page that comes back here.
fn signed_in(state: &AppState, lang: Lang, viewer: &Viewer) -> Result<(Person, Layout), Response> {
    let layout = layout(
        state,
        lang,
        viewer,
        "/notifications".into(),
        lang.t("notifications"),
    );
    match viewer.user() {
        Some(user) => Ok((Person::of(user), layout)),
        None => Err(Redirect::to(&format!(
            "/admin/login?next={}",
            percent_encode("/notifications")
        ))
        .into_response()),
    }
}

async fn page(
    state: &AppState,
    person: &Person,
    layout: Layout,
    message: Option<String>,
    problem: Option<String>,
    email: Option<String>,
) -> Response {
    let status = match problem {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let loaded = async {
        let inbox = state.app.inbox(person).await?;
        let email = match email {
            Some(e) => e,
            None => state
                .app
                .notification_email(person)
                .await?
                .unwrap_or_default(),
        };
        Ok::<_, AppError>((inbox, email))
    };
    match loaded.await {
        Ok((inbox, email)) => {
            // The header shows the count as it is now, after a mark.
            let layout = Layout {
                unread: inbox.unread,
                ..layout
            };
            render(
                status,
                &NotificationsPage {
                    layout,
                    notifications: inbox.notifications,
                    unread: inbox.unread,
                    email,
                    message,
                    problem,
                },
            )
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

async fn show(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    match signed_in(&state, lang, &viewer) {
        Ok((person, layout)) => page(&state, &person, layout, None, None, None).await,
        Err(r) => r,
    }
}

async fn mark_read(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (person, layout) = match signed_in(&state, lang, &viewer) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(session) = &viewer.session
        && let Err(refused) = check_csrf(session, &layout, form.get("_csrf").map(String::as_str))
    {
        return refused;
    }
    let which = match (form.get("all"), form.get("id")) {
        (Some(_), _) => Ok(MarkRead::All),
        (None, Some(id)) => id
            .trim()
            .parse::<i64>()
            .map(|id| MarkRead::Only(vec![NotificationId(id)]))
            .map_err(|_| format!("id: \"{id}\" is not a notification number")),
        (None, None) => Err("id: name a notification, or mark all read".to_owned()),
    };
    let outcome = match which {
        Ok(which) => state
            .app
            .mark_notifications_read(&person, which)
            .await
            .map_err(|e| e.to_string()),
        Err(problem) => Err(problem),
    };
    match outcome {
        Ok(_) => Redirect::to("/notifications").into_response(),
        Err(problem) => page(&state, &person, layout, None, Some(problem), None).await,
    }
}

async fn set_email(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (person, layout) = match signed_in(&state, lang, &viewer) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(session) = &viewer.session
        && let Err(refused) = check_csrf(session, &layout, form.get("_csrf").map(String::as_str))
    {
        return refused;
    }
    let typed = form.get("email").cloned().unwrap_or_default();
    match state.app.set_notification_email(&person, &typed).await {
        Ok(_) => {
            let saved = lang.t("notification_email_saved").to_owned();
            page(&state, &person, layout, Some(saved), None, None).await
        }
        Err(e) => {
            page(
                &state,
                &person,
                layout,
                None,
                Some(e.to_string()),
                Some(typed),
            )
            .await
        }
    }
}
