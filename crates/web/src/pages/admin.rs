//! Administration pages: sign-in and sign-out, the catalogue dashboard with import and export,
//! and one generic form for powers, guides and fees (built from each record's field list), with
//! the dated-change form and the publish / retire buttons. Every form carries the session's CSRF
//! token and the version it was read at.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, OriginalUri, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use onewindow_app::{App, AppError};
use onewindow_domain::catalogue::{FeeItem, FeeStatus, ServiceItem};
use onewindow_interchange::Format;
use onewindow_store::{AuditEntry, ItemFilter, SessionRecord};

use super::{PageError, layout, records, render};
use crate::AppState;
use crate::extract::{RawParams, SESSION_COOKIE, Viewer};
use crate::i18n::Lang;
use crate::views::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard))
        .route("/admin/login", get(login_form).post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/catalogue/import", post(import))
        .route("/admin/catalogue/export", get(export))
        .route(
            "/admin/{kind}/new",
            get(records::new_form).post(records::create),
        )
        .route(
            "/admin/{kind}/{code}",
            get(records::edit_form).post(records::save),
        )
        .route("/admin/{kind}/{code}/changes", post(records::append_change))
        .route("/admin/items/{code}/status", post(records::set_status))
}

fn here(uri: &OriginalUri) -> String {
    uri.path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/admin".into())
}

/// The signed-in administrator, or the response that sends anyone else away.
pub(super) fn admin_session(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    here: &str,
) -> Result<(SessionRecord, Layout), Response> {
    let layout = layout(state, lang, viewer, here.to_owned(), lang.t("admin"));
    match &viewer.session {
        None => Err(Redirect::to("/admin/login").into_response()),
        Some(s) if !s.user.is_administrator() => Err(PageError::from_app(
            layout,
            AppError::Forbidden(format!(
                "{} may not keep the catalogue; an administrator may",
                s.user.username
            )),
        )
        .into_response()),
        Some(s) => Ok((s.clone(), layout)),
    }
}

/// Refuses a form whose CSRF token is not the session's. A request signed with an API token
/// carries no CSRF token and needs none (see [`Viewer`]): its session's token is empty, which a
/// cookie session's never is.
pub(super) fn check_csrf(
    session: &SessionRecord,
    layout: &Layout,
    sent: Option<&str>,
) -> Result<(), Response> {
    let bearer = session.csrf_token.is_empty();
    if bearer || sent == Some(session.csrf_token.as_str()) {
        Ok(())
    } else {
        Err(PageError {
            layout: layout.clone(),
            status: StatusCode::FORBIDDEN,
            message: "the form has expired or did not come from this site (CSRF check); reload the page and submit again".into(),
            details: Vec::new(),
        }
        .into_response())
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    problem: Option<String>,
    username: String,
    /// Where to go after signing in (a local path), kept through a failed attempt.
    next: String,
}

/// `next` when it is a path on this site; anything else (another host, `//host`, a scheme)
/// is dropped, so the sign-in page cannot be used to send people elsewhere.
fn local_path(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    // A Location header is ASCII: characters beyond it (a Chinese search term) are
    // percent-encoded, as a browser would.
    local.then(|| {
        next.bytes()
            .map(|b| match b {
                b' ' | 0x80..=0xFF => format!("%{b:02X}"),
                _ => char::from(b).to_string(),
            })
            .collect()
    })
}

/// Where an account lands after signing in without `next`: administrators in the
/// administration, other staff at their workbench, enterprise users among their cases.
fn home_of(user: &onewindow_store::UserRecord) -> &'static str {
    match user.role() {
        _ if user.is_administrator() => "/admin",
        Some(_) => "/workbench",
        None => "/my/cases",
    }
}

async fn login_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("sign_in_title"));
    render(
        StatusCode::OK,
        &LoginPage {
            layout,
            problem: None,
            username: String::new(),
            next: local_path(params.get("next")).unwrap_or_default(),
        },
    )
}

async fn login(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let username = form
        .get("username")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let next = local_path(form.get("next").map(String::as_str));
    match state.app.sign_in(&username, &password).await {
        Ok(session) => {
            let max_age = session.expires_at.as_second() - state.app.clock.now().as_second();
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax",
                session.token
            );
            let to = next.unwrap_or_else(|| home_of(&session.user).to_owned());
            ([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response()
        }
        Err(err) => {
            let layout = layout(&state, lang, &viewer, here(&uri), lang.t("sign_in_title"));
            let status = crate::error::classify(&err).0;
            render(
                status,
                &LoginPage {
                    layout,
                    problem: Some(crate::error::public_detail(&err)),
                    username,
                    next: next.unwrap_or_default(),
                },
            )
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let (Some(session), Some(token)) = (&viewer.session, &viewer.token) {
        let layout = layout(&state, lang, &viewer, here(&uri), lang.t("sign_out"));
        let sent = form.get("csrf").or(form.get("_csrf")).map(String::as_str);
        if let Err(r) = check_csrf(session, &layout, sent) {
            return r;
        }
        if let Err(e) = state.app.sign_out(token).await {
            return PageError::from_app(layout, e).into_response();
        }
    }
    let cookie = format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

#[derive(Template)]
#[template(path = "admin.html")]
struct Dashboard {
    layout: Layout,
    message: Option<String>,
    problems: Vec<String>,
    items: Vec<ServiceItem>,
    fees: Vec<(FeeItem, FeeStatus)>,
    audit: Vec<AuditEntry>,
}

async fn dashboard_page(
    app: &App,
    layout: Layout,
    message: Option<String>,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    let load = async {
        let items = app.store.items(&ItemFilter::default()).await?;
        let today = app.today();
        let fees = app
            .store
            .fees()
            .await?
            .into_iter()
            .map(|f| {
                let s = f.status_on(today);
                (f, s)
            })
            .collect();
        let audit = app.store.catalogue_audit(20).await?;
        Ok::<_, onewindow_store::StoreError>((items, fees, audit))
    };
    match load.await {
        Ok((items, fees, audit)) => render(
            status,
            &Dashboard {
                layout,
                message,
                problems,
                items,
                fees,
                audit,
            },
        ),
        Err(e) => PageError::from_app(layout, e.into()).into_response(),
    }
}

async fn dashboard(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> Response {
    match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok((_, layout)) => {
            dashboard_page(&state.app, layout, None, Vec::new(), StatusCode::OK).await
        }
        Err(r) => r,
    }
}

async fn import(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    mut multipart: Multipart,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut csrf = None;
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                let file_name = field.file_name().map(str::to_owned);
                match field.bytes().await {
                    Ok(bytes) if name == "_csrf" => {
                        csrf = Some(String::from_utf8_lossy(&bytes).into_owned())
                    }
                    Ok(bytes) if name == "file" => file = Some((file_name, bytes.to_vec())),
                    Ok(_) => {}
                    Err(e) => return too_large_or_broken(&state.app, layout, e.to_string()).await,
                }
            }
            Ok(None) => break,
            Err(e) => return too_large_or_broken(&state.app, layout, e.to_string()).await,
        }
    }
    if let Err(r) = check_csrf(&session, &layout, csrf.as_deref()) {
        return r;
    }
    let Some((file_name, bytes)) = file else {
        return dashboard_page(
            &state.app,
            layout,
            None,
            vec!["no file was chosen".into()],
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let actor = session.user.username.to_string();
    match state
        .app
        .import_catalogue(&actor, file_name.as_deref(), &bytes)
        .await
    {
        Ok(s) => {
            let message = format!(
                "{}: {} orgs, {} powers, {} items, {} fees",
                lang.t("import_done"),
                s.orgs,
                s.powers,
                s.items,
                s.fees
            );
            dashboard_page(
                &state.app,
                layout,
                Some(message),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Import(problems)) => {
            let list = problems
                .iter()
                .map(|p| format!("{}: {}", crate::error::position(p), p.message))
                .collect();
            dashboard_page(
                &state.app,
                layout,
                None,
                list,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

async fn too_large_or_broken(app: &App, layout: Layout, detail: String) -> Response {
    let message = if detail.contains("length limit") || detail.contains("too large") {
        format!(
            "the file is larger than the {} MB limit; split it or remove unneeded rows",
            crate::MAX_UPLOAD_BYTES / (1024 * 1024)
        )
    } else {
        format!("the upload could not be read: {detail}")
    };
    dashboard_page(
        app,
        layout,
        None,
        vec![message],
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await
}

async fn export(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    let layout = match admin_session(&state, lang, &viewer, &here(&uri)) {
        Ok((_, layout)) => layout,
        Err(r) => return r,
    };
    if let Err(bad) = crate::params::check_names(&params, &["format"]) {
        return PageError::bad_request(layout, format!("{}: {}", bad.name, bad.message))
            .into_response();
    }
    let format = match params.get("format") {
        Some("csv") => Format::Csv,
        Some("xlsx") | None => Format::Xlsx,
        Some(other) => {
            return PageError::bad_request(
                layout,
                format!("format \"{other}\" is not csv or xlsx"),
            )
            .into_response();
        }
    };
    match state.app.export_catalogue(format).await {
        Ok(bytes) => {
            let name = format!(
                "onewindow-catalogue-{}.{}",
                state.app.today(),
                format.extension()
            );
            let disposition = format!("attachment; filename=\"{name}\"");
            (
                [
                    (header::CONTENT_TYPE, format.media_type().to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}
