//! The public site: home, the power list and a power's page, the service guides and the
//! overview of published figures, and the language switch. No sign-in needed.

use askama::Template;
use axum::Router;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use onewindow_app::catalogue::{Audience, ItemPage, PageRequest, PowerEntry, PowerPage};
use onewindow_domain::catalogue::{
    ItemStatus, Org, Overview, PowerCategory, PowerSource, PowerStatus, ServiceItem, Vocabulary,
};
use onewindow_store::ItemFilter;

use super::{PageError, layout, render};
use crate::AppState;
use crate::extract::{LANG_COOKIE, RawParams, Viewer};
use crate::i18n::Lang;
use crate::params::{ItemQuery, PowerQuery, code};
use crate::views::{Layout, query_string};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/powers", get(powers))
        .route("/powers/{code}", get(power))
        .route("/items", get(items))
        .route("/items/{code}", get(item))
        .route("/overview", get(overview))
        .route("/lang/{code}", get(switch_language))
}

fn here(uri: &OriginalUri) -> String {
    uri.path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/".into())
}

type PageResult = Result<Response, PageError>;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    overview: Overview,
    published_items: usize,
}

async fn home(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> PageResult {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("home"));
    let fail = |e| PageError::from_app(layout.clone(), e);
    let overview = state.app.overview().await.map_err(fail)?;
    let published = ItemFilter {
        status: Some(ItemStatus::Published),
        ..Default::default()
    };
    let published_items = state
        .app
        .list_items(&published, PageRequest::first())
        .await
        .map_err(fail)?
        .total;
    Ok(render(
        StatusCode::OK,
        &HomePage {
            layout,
            overview,
            published_items,
        },
    ))
}

#[derive(Template)]
#[template(path = "powers.html")]
struct PowersPage {
    layout: Layout,
    problem: Option<String>,
    q: String,
    category: String,
    status: String,
    source: String,
    org: String,
    categories: &'static [PowerCategory],
    statuses: &'static [PowerStatus],
    sources: &'static [PowerSource],
    orgs: Vec<Org>,
    entries: Vec<PowerEntry>,
    total: usize,
    page: u32,
    pages: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// Links to the neighbouring pages that keep every other parameter.
fn pager(
    params: &RawParams,
    keys: &[&str],
    base: &str,
    page: u32,
    pages: u32,
) -> (Option<String>, Option<String>) {
    let link = |n: u32| {
        let mut pairs: Vec<(&str, String)> = keys
            .iter()
            .filter(|k| **k != "page")
            .map(|k| (*k, params.get(k).unwrap_or("").to_owned()))
            .collect();
        pairs.push(("page", n.to_string()));
        format!("{base}{}", query_string(&pairs))
    };
    (
        (page > 1).then(|| link(page - 1)),
        (page < pages).then(|| link(page + 1)),
    )
}

async fn powers(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> PageResult {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("power_list"));
    let fail = |e| PageError::from_app(layout.clone(), e);
    let orgs = state.app.orgs().await.map_err(fail)?;
    let text = |k: &str| params.get(k).unwrap_or("").to_owned();
    let mut page = PowersPage {
        layout: layout.clone(),
        problem: None,
        q: text("q"),
        category: text("category"),
        status: text("status"),
        source: text("source"),
        org: text("org"),
        categories: PowerCategory::ALL,
        statuses: PowerStatus::ALL,
        sources: PowerSource::ALL,
        orgs,
        entries: Vec::new(),
        total: 0,
        page: 1,
        pages: 1,
        prev_href: None,
        next_href: None,
    };
    let query = match PowerQuery::parse(&params) {
        Ok(q) => q,
        Err(bad) => {
            page.problem = Some(format!("{}: {}", bad.name, bad.message));
            return Ok(render(StatusCode::BAD_REQUEST, &page));
        }
    };
    let paged = state
        .app
        .list_powers(&query.filter, query.status, query.page)
        .await
        .map_err(fail)?;
    page.total = paged.total;
    page.page = paged.page.number;
    page.pages = paged.pages();
    (page.prev_href, page.next_href) = pager(
        &params,
        crate::params::POWER_PARAMS,
        "/powers",
        page.page,
        page.pages,
    );
    page.entries = paged.items;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "power.html")]
struct PowerView {
    layout: Layout,
    page: PowerPage,
}

fn audience(viewer: &Viewer) -> Audience {
    if viewer.session.is_some() {
        Audience::Staff
    } else {
        Audience::Public
    }
}

async fn power(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> PageResult {
    let mut layout = layout(&state, lang, &viewer, here(&uri), lang.t("power"));
    let raw = path.map(|Path(raw)| raw).unwrap_or_default();
    let code = code(&raw)
        .map_err(|b| PageError::bad_request(layout.clone(), format!("code: {}", b.message)))?;
    let page = state
        .app
        .power_page(&code, audience(&viewer))
        .await
        .map_err(|e| PageError::from_app(layout.clone(), e))?;
    layout.title = page.power.value.name(lang.is_en()).to_owned();
    Ok(render(StatusCode::OK, &PowerView { layout, page }))
}

#[derive(Template)]
#[template(path = "items.html")]
struct ItemsPage {
    layout: Layout,
    problem: Option<String>,
    q: String,
    items: Vec<ServiceItem>,
    total: usize,
    page: u32,
    pages: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
}

async fn items(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> PageResult {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("item_list"));
    let mut page = ItemsPage {
        layout: layout.clone(),
        problem: None,
        q: params.get("q").unwrap_or("").to_owned(),
        items: Vec::new(),
        total: 0,
        page: 1,
        pages: 1,
        prev_href: None,
        next_href: None,
    };
    let query = match ItemQuery::parse(&params) {
        Ok(q) => q,
        Err(bad) => {
            page.problem = Some(format!("{}: {}", bad.name, bad.message));
            return Ok(render(StatusCode::BAD_REQUEST, &page));
        }
    };
    let paged = state
        .app
        .list_items(&query.filter, query.page)
        .await
        .map_err(|e| PageError::from_app(layout, e))?;
    page.total = paged.total;
    page.page = paged.page.number;
    page.pages = paged.pages();
    (page.prev_href, page.next_href) = pager(
        &params,
        crate::params::ITEM_PARAMS,
        "/items",
        page.page,
        page.pages,
    );
    page.items = paged.items;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemView {
    layout: Layout,
    page: ItemPage,
}

async fn item(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> PageResult {
    let mut layout = layout(&state, lang, &viewer, here(&uri), lang.t("item_list"));
    let raw = path.map(|Path(raw)| raw).unwrap_or_default();
    let code = code(&raw)
        .map_err(|b| PageError::bad_request(layout.clone(), format!("code: {}", b.message)))?;
    let page = state
        .app
        .item_page(&code, audience(&viewer))
        .await
        .map_err(|e| PageError::from_app(layout.clone(), e))?;
    layout.title = page.item.value.name(lang.is_en()).to_owned();
    Ok(render(StatusCode::OK, &ItemView { layout, page }))
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    layout: Layout,
    overview: Overview,
}

async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> PageResult {
    let layout = layout(&state, lang, &viewer, here(&uri), lang.t("overview"));
    let overview = state
        .app
        .overview()
        .await
        .map_err(|e| PageError::from_app(layout.clone(), e))?;
    Ok(render(StatusCode::OK, &OverviewPage { layout, overview }))
}

/// Sets the language cookie and returns to the page (only ever a path on this site).
async fn switch_language(Path(code): Path<String>, params: RawParams) -> Response {
    let lang = Lang::from_code(&code).unwrap_or(Lang::Zh);
    let back = params
        .get("back")
        .filter(|b| is_local_path(b))
        .unwrap_or("/");
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(back)).into_response()
}

/// Whether `back` is a path on this site: starts with one `/`, no backslash, no control characters
/// (browsers drop tabs and line breaks from URLs, so `/\t/evil` would become `//evil`), and a
/// valid URI path.
fn is_local_path(back: &str) -> bool {
    back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control)
        && back.parse::<axum::http::uri::PathAndQuery>().is_ok()
}
