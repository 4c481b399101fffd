//! Account administration, administrators only: the list of accounts (filtered by kind and the
//! start of the user name), the form for a new staff account, and API tokens — made for an
//! account and shown once, listed, revoked. Every form carries the session's CSRF token; a
//! refused form comes back with what was typed and each problem beside its field.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use onewindow_app::AppError;
use onewindow_app::catalogue::PageRequest;
use onewindow_app::staff::{AccountsOverview, StaffForm};
use onewindow_domain::access::{Membership, MembershipKind, Role};
use onewindow_domain::catalogue::{Org, Vocabulary};
use onewindow_store::{ApiTokenRecord, SessionRecord, UserFilter};

use super::admin::{admin_session, check_csrf};
use super::{PageError, render};
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::views::{Layout, query_string};

const PAGE_SIZE: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create_staff))
        .route("/admin/tokens", post(create_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
}

/// One input of a form: what was typed and its problem.
struct Input {
    name: &'static str,
    label: &'static str,
    value: String,
    problem: Option<String>,
}

struct UserRow {
    username: String,
    display_name: String,
    kind: &'static str,
    /// The role and org, or the enterprise's credit code.
    belongs_to: String,
    created_at: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    message: Option<String>,
    /// A token just made, shown this once.
    issued: Option<String>,
    staff_inputs: Vec<Input>,
    role_input: Input,
    org_input: Input,
    roles: Vec<Role>,
    orgs: Vec<Org>,
    token_inputs: Vec<Input>,
    users: Vec<UserRow>,
    total: usize,
    kind: String,
    q: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    tokens: Vec<ApiTokenRecord>,
}

/// What a rendering needs beyond the overview: the outcome of a form, if one was sent.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    issued: Option<String>,
    staff_typed: HashMap<String, String>,
    token_typed: HashMap<String, String>,
    problems: Vec<(String, String)>,
}

fn input(
    lang: Lang,
    name: &'static str,
    label: &str,
    o: &Outcome,
    typed: &HashMap<String, String>,
) -> Input {
    Input {
        name,
        label: lang.t(label),
        value: if name == "password" {
            String::new()
        } else {
            typed.get(name).cloned().unwrap_or_default()
        },
        problem: o
            .problems
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, m)| m.clone())
            .reduce(|a, b| format!("{a}; {b}")),
    }
}

/// The filter, page and links of the account list.
struct Listing {
    filter: UserFilter,
    page: PageRequest,
    kind: String,
    q: String,
}

fn listing(params: &RawParams) -> Result<Listing, String> {
    if let Err(bad) = crate::params::check_names(params, &["kind", "q", "page"]) {
        return Err(format!("{}: {}", bad.name, bad.message));
    }
    let kind = params.get("kind").unwrap_or_default().to_owned();
    let parsed_kind = match kind.as_str() {
        "" => None,
        other => Some(
            MembershipKind::parse_key(other)
                .ok_or_else(|| format!("kind \"{other}\" is not staff or enterprise"))?,
        ),
    };
    let number = match params.get("page") {
        None => 1,
        Some(text) => text
            .parse::<u32>()
            .map_err(|_| format!("page \"{text}\" is not a page number"))?,
    };
    let page = PageRequest::new(number, PAGE_SIZE)?;
    let q = params.get("q").unwrap_or_default().to_lowercase();
    Ok(Listing {
        filter: UserFilter {
            kind: parsed_kind,
            username_prefix: Some(q.clone()).filter(|q| !q.is_empty()),
        },
        page,
        kind,
        q,
    })
}

fn belongs_to(layout: &Layout, orgs: &[Org], membership: &Membership) -> String {
    match membership {
        Membership::Staff { role, org } => {
            format!("{} · {}", layout.label(*role), layout.org_name(orgs, org))
        }
        Membership::Enterprise { credit_code } => credit_code.to_string(),
    }
}

fn page(layout: Layout, overview: AccountsOverview, listing: &Listing, o: Outcome) -> UsersPage {
    let lang = layout.lang;
    let users = overview
        .users
        .items
        .iter()
        .map(|u| UserRow {
            username: u.username.to_string(),
            display_name: u.display_name.clone(),
            kind: layout.label(u.membership.kind()),
            belongs_to: belongs_to(&layout, &overview.orgs, &u.membership),
            created_at: u.created_at.to_string(),
        })
        .collect();
    let href = |n: u32| {
        let pairs = [
            ("kind", listing.kind.clone()),
            ("q", listing.q.clone()),
            ("page", n.to_string()),
        ];
        format!("/admin/users{}", query_string(&pairs))
    };
    let number = overview.users.page.number;
    let pages = overview.users.pages();
    let staff = &o.staff_typed;
    UsersPage {
        message: o.message.clone(),
        issued: o.issued.clone(),
        staff_inputs: vec![
            input(lang, "username", "username", &o, staff),
            input(lang, "display_name", "display_name", &o, staff),
            input(lang, "password", "initial_password", &o, staff),
        ],
        role_input: input(lang, "role", "role", &o, staff),
        org_input: input(lang, "org", "org", &o, staff),
        roles: Role::ALL.to_vec(),
        token_inputs: vec![
            input(lang, "token_user", "username", &o, &o.token_typed),
            input(lang, "label", "token_label", &o, &o.token_typed),
        ],
        users,
        total: overview.users.total,
        kind: listing.kind.clone(),
        q: listing.q.clone(),
        prev_href: (number > 1).then(|| href(number - 1)),
        next_href: (number < pages).then(|| href(number + 1)),
        tokens: overview.tokens,
        orgs: overview.orgs,
        layout,
    }
}

/// Renders the page for `listing` after a form's `outcome`.
async fn show(
    state: &AppState,
    session: &SessionRecord,
    layout: Layout,
    listing: &Listing,
    outcome: Outcome,
    status: StatusCode,
) -> Response {
    match state
        .app
        .accounts_overview(&session.user, &listing.filter, listing.page)
        .await
    {
        Ok(overview) => render(status, &page(layout, overview, listing, outcome)),
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

fn first_page() -> Listing {
    Listing {
        filter: UserFilter::default(),
        page: PageRequest {
            number: 1,
            size: PAGE_SIZE,
        },
        kind: String::new(),
        q: String::new(),
    }
}

/// The outcome of a refused form: every problem by field, or the error page.
fn refused(
    err: AppError,
    layout: &Layout,
    rename: &[(&str, &str)],
) -> Result<Vec<(String, String)>, Response> {
    match err {
        AppError::Invalid { problems, .. } => Ok(problems
            .0
            .into_iter()
            .map(|p| {
                let field = rename
                    .iter()
                    .find(|(from, _)| *from == p.field)
                    .map_or(p.field, |(_, to)| *to);
                (field.to_owned(), p.message)
            })
            .collect()),
        other => Err(PageError::from_app(layout.clone(), other).into_response()),
    }
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &uri.to_string()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let layout = Layout {
        title: lang.t("accounts").to_owned(),
        ..layout
    };
    match listing(&params) {
        Ok(listing) => {
            show(
                &state,
                &session,
                layout,
                &listing,
                Outcome::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(message) => PageError::bad_request(layout, message).into_response(),
    }
}

async fn create_staff(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Form(typed): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &uri.to_string()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, typed.get("_csrf").map(String::as_str)) {
        return r;
    }
    let text = |name: &str| typed.get(name).cloned().unwrap_or_default();
    let form = StaffForm {
        username: text("username"),
        display_name: text("display_name"),
        role: text("role"),
        org: text("org"),
        password: text("password"),
    };
    let (outcome, status) = match state.app.create_staff_user(&session.user, &form).await {
        Ok(user) => {
            let message = format!("{}: {}", lang.t("account_created"), user.username);
            let outcome = Outcome {
                message: Some(message),
                ..Outcome::default()
            };
            (outcome, StatusCode::CREATED)
        }
        Err(err) => match refused(err, &layout, &[]) {
            Ok(problems) => {
                let outcome = Outcome {
                    staff_typed: typed,
                    problems,
                    ..Outcome::default()
                };
                (outcome, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(response) => return response,
        },
    };
    show(&state, &session, layout, &first_page(), outcome, status).await
}

async fn create_token(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Form(typed): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &uri.to_string()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, typed.get("_csrf").map(String::as_str)) {
        return r;
    }
    let user = typed.get("token_user").cloned().unwrap_or_default();
    let label = typed.get("label").cloned().unwrap_or_default();
    let (outcome, status) = match state
        .app
        .create_api_token(&session.user, &user, &label)
        .await
    {
        Ok(issued) => {
            let message = format!(
                "{}: {} ({})",
                lang.t("token_created"),
                issued.record.label,
                issued.record.username
            );
            let outcome = Outcome {
                message: Some(message),
                issued: Some(issued.token),
                ..Outcome::default()
            };
            (outcome, StatusCode::CREATED)
        }
        Err(err) => match refused(err, &layout, &[("username", "token_user")]) {
            Ok(problems) => {
                let outcome = Outcome {
                    token_typed: typed,
                    problems,
                    ..Outcome::default()
                };
                (outcome, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(response) => return response,
        },
    };
    show(&state, &session, layout, &first_page(), outcome, status).await
}

async fn revoke_token(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Form(typed): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout) = match admin_session(&state, lang, &viewer, &uri.to_string()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, typed.get("_csrf").map(String::as_str)) {
        return r;
    }
    if let Err(e) = state.app.revoke_api_token(&session.user, id).await {
        return PageError::from_app(layout, e).into_response();
    }
    let outcome = Outcome {
        message: Some(format!("{}: {id}", lang.t("token_revoked"))),
        ..Outcome::default()
    };
    show(
        &state,
        &session,
        layout,
        &first_page(),
        outcome,
        StatusCode::OK,
    )
    .await
}
