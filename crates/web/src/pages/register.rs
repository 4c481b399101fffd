//! Enterprise registration: one form for the enterprise (name, credit code, address, contact)
//! and its first user. A refused form comes back with what was typed and each problem beside
//! its field — a wrong credit code with the position and the reason, and the corrected code
//! when there is one. Nobody is signed in yet, so the CSRF token is a double-submit pair: a
//! random value in a `SameSite=Strict` cookie that the form must echo.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use onewindow_app::AppError;
use onewindow_app::accounts::MIN_PASSWORD_LEN;
use onewindow_app::enterprises::{Registered, Registration};
use onewindow_domain::access::EnterpriseDraft;

use super::{PageError, layout, render};
use crate::AppState;
use crate::extract::{Viewer, cookie_in};
use crate::i18n::Lang;
use crate::views::Layout;

/// The cookie holding the registration form's CSRF value.
const FORM_COOKIE: &str = "ow_form";

pub fn routes() -> Router<AppState> {
    Router::new().route("/register", get(form).post(submit))
}

/// One input of the form, with what was typed and its problem.
struct Field {
    name: &'static str,
    label: &'static str,
    value: String,
    secret: bool,
    autocomplete: &'static str,
    help: String,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    csrf: String,
    fields: Vec<Field>,
    /// Problems not tied to one field (a conflict, a store failure shown briefly).
    general: Vec<String>,
    has_problems: bool,
    done: Option<Registered>,
}

/// (field, label key, secret, autocomplete) in the order the form shows them.
const FIELDS: &[(&str, &str, bool, &str)] = &[
    ("name", "enterprise_name", false, "organization"),
    ("credit_code", "credit_code", false, "off"),
    ("address", "enterprise_address", false, "street-address"),
    ("contact_name", "contact_name", false, "name"),
    ("contact_phone", "contact_phone", false, "tel"),
    ("username", "username", false, "username"),
    ("password", "password", true, "new-password"),
    ("password_again", "password_again", true, "new-password"),
];

fn fields(
    lang: Lang,
    typed: &HashMap<String, String>,
    problems: &[(String, String)],
) -> Vec<Field> {
    FIELDS
        .iter()
        .map(|&(name, label, secret, autocomplete)| Field {
            name,
            label: lang.t(label),
            // Passwords are never sent back.
            value: if secret {
                String::new()
            } else {
                typed.get(name).cloned().unwrap_or_default()
            },
            secret,
            autocomplete,
            help: match (name, lang) {
                ("credit_code", _) => lang.t("credit_code_help").to_owned(),
                ("password", Lang::Zh) => format!("至少 {MIN_PASSWORD_LEN} 个字符"),
                ("password", Lang::En) => format!("at least {MIN_PASSWORD_LEN} characters"),
                _ => String::new(),
            },
            problem: problems
                .iter()
                .filter(|(field, _)| field == name)
                .map(|(_, message)| message.clone())
                .reduce(|a, b| format!("{a}; {b}")),
        })
        .collect()
}

fn page_response(
    layout: Layout,
    status: StatusCode,
    csrf: String,
    fields: Vec<Field>,
    general: Vec<String>,
    done: Option<Registered>,
) -> Response {
    let set_cookie =
        format!("{FORM_COOKIE}={csrf}; Path=/register; HttpOnly; SameSite=Strict; Max-Age=86400");
    let page = RegisterPage {
        layout,
        csrf,
        has_problems: fields.iter().any(|f| f.problem.is_some()),
        fields,
        general,
        done,
    };
    ([(header::SET_COOKIE, set_cookie)], render(status, &page)).into_response()
}

async fn form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> Response {
    let layout = layout(
        &state,
        lang,
        &viewer,
        uri.to_string(),
        lang.t("register_enterprise"),
    );
    let csrf = hex_token(&state);
    let fields = fields(lang, &HashMap::new(), &[]);
    page_response(layout, StatusCode::OK, csrf, fields, Vec::new(), None)
}

fn hex_token(state: &AppState) -> String {
    state
        .app
        .random
        .bytes32()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    headers: axum::http::HeaderMap,
    Form(typed): Form<HashMap<String, String>>,
) -> Response {
    let layout = layout(
        &state,
        lang,
        &viewer,
        uri.to_string(),
        lang.t("register_enterprise"),
    );
    if !csrf_matches(&headers, typed.get("_csrf")) {
        return PageError {
            layout,
            status: StatusCode::FORBIDDEN,
            message: "the form has expired or did not come from this site (CSRF check); reload the page and submit again".into(),
            details: Vec::new(),
        }
        .into_response();
    }
    let text = |name: &str| typed.get(name).cloned().unwrap_or_default();
    let registration = Registration {
        enterprise: EnterpriseDraft {
            credit_code: text("credit_code"),
            name: text("name"),
            address: text("address"),
            contact_name: text("contact_name"),
            contact_phone: text("contact_phone"),
        },
        username: text("username"),
        password: text("password"),
        password_again: Some(text("password_again")),
    };
    let csrf = hex_token(&state);
    match state.app.register_enterprise(&registration).await {
        Ok(done) => {
            let fields = fields(lang, &HashMap::new(), &[]);
            page_response(
                layout,
                StatusCode::CREATED,
                csrf,
                fields,
                Vec::new(),
                Some(done),
            )
        }
        Err(AppError::Invalid { problems, .. }) => {
            let named: Vec<(String, String)> = problems
                .0
                .iter()
                .map(|p| (p.field.to_owned(), p.message.clone()))
                .collect();
            let fields = fields(lang, &typed, &named);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page_response(layout, status, csrf, fields, Vec::new(), None)
        }
        Err(err @ AppError::Conflict(_)) => {
            let general = vec![crate::error::public_detail(&err)];
            let fields = fields(lang, &typed, &[]);
            page_response(layout, StatusCode::CONFLICT, csrf, fields, general, None)
        }
        Err(err) => PageError::from_app(layout, err).into_response(),
    }
}

/// Whether the form echoed the value of the form cookie.
fn csrf_matches(headers: &axum::http::HeaderMap, sent: Option<&String>) -> bool {
    match (cookie_in(headers, FORM_COOKIE), sent) {
        (Some(expected), Some(sent)) => !expected.is_empty() && expected == sent,
        _ => false,
    }
}
