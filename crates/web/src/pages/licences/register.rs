//! `GET /licences`: the public register of granted licences (Administrative Licensing Law
//! art. 40), searchable and filtered by status, a window at a time, each line with its status
//! today and the certificate's PDFs.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;

use onewindow_domain::catalogue::Vocabulary;
use onewindow_domain::licences::LicenceStatus;

use super::{certificate_label, here, href, org_name, reason};
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::pages::{PageError, layout, render};
use crate::views::{Layout, query_string};

/// One line of the register as the page shows it.
struct Row {
    href: String,
    number: String,
    holder: String,
    credit_code: String,
    scope: String,
    issued_on: String,
    valid_until: String,
    org: String,
    status: LicenceStatus,
    reason: String,
    /// The certificate's PDFs (label key, link), for anyone (art. 40).
    certificates: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "licences.html")]
struct RegisterPage {
    layout: Layout,
    problem: Option<String>,
    q: String,
    status: String,
    statuses: &'static [LicenceStatus],
    rows: Vec<Row>,
    /// The count as shown: `10000+` past the count limit.
    total: String,
    page: u32,
    pages: u32,
    /// `pages`, with `+` past the count limit.
    pages_shown: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub(super) async fn register(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    params: RawParams,
) -> Result<Response, PageError> {
    let layout = layout(
        &state,
        lang,
        &viewer,
        here(&uri),
        lang.t("licence_register"),
    );
    let text = |k: &str| params.get(k).unwrap_or("").to_owned();
    let mut page = RegisterPage {
        layout: layout.clone(),
        problem: None,
        q: text("q"),
        status: text("status"),
        statuses: LicenceStatus::ALL,
        rows: Vec::new(),
        total: "0".into(),
        page: 1,
        pages: 1,
        pages_shown: "1".into(),
        prev_href: None,
        next_href: None,
    };
    let (query, request) = match crate::params::register_page(&params) {
        Ok(parsed) => parsed,
        Err(bad) => {
            page.problem = Some(format!("{}: {}", bad.name, bad.message));
            return Ok(render(StatusCode::BAD_REQUEST, &page));
        }
    };
    let offset = (request.number - 1).saturating_mul(request.size);
    let found = state
        .app
        .licence_register(&query, offset, request.size)
        .await
        .map_err(|e| PageError::from_app(layout.clone(), e))?;
    // Every line's certificate links in one read (issue 6). A register page without its links
    // is better than no register: a failed read is logged.
    let numbers: Vec<String> = found
        .entries
        .iter()
        .map(|e| e.licence.number.to_string())
        .collect();
    let mut links = match state.app.register_certificates(&numbers).await {
        Ok(links) => links,
        Err(e) => {
            tracing::warn!(error = %e, "certificate documents of a register page");
            BTreeMap::new()
        }
    };
    let links: Vec<Vec<(&'static str, String)>> = numbers
        .iter()
        .map(|number| {
            links
                .remove(number)
                .unwrap_or_default()
                .into_iter()
                .map(|link| {
                    (
                        certificate_label(link.kind),
                        format!("/documents/{}", link.number),
                    )
                })
                .collect()
        })
        .collect();
    page.rows = links
        .into_iter()
        .zip(&found.entries)
        .map(|(certificates, e)| {
            let g = &e.licence.grant;
            Row {
                certificates,
                href: href(&e.licence),
                number: e.licence.number.to_string(),
                holder: g.holder_name.clone(),
                credit_code: g.holder_credit_code.to_string(),
                scope: g.scope.join("；"),
                issued_on: g.issued_on.to_string(),
                valid_until: g.valid_until.to_string(),
                org: org_name(&layout, &found.orgs, &e.licence),
                status: e.status.status,
                reason: reason(lang, &e.status),
            }
        })
        .collect();
    page.total = if found.total_exact {
        found.total.to_string()
    } else {
        format!("{}+", found.total)
    };
    page.page = request.number;
    // Past the count limit the last page is unknown: offer the next one while pages are full.
    let counted_pages = found.total.div_ceil(u64::from(request.size)).max(1);
    page.pages = u32::try_from(counted_pages).unwrap_or(u32::MAX);
    let more = !found.total_exact && found.entries.len() == request.size as usize;
    page.pages_shown = if found.total_exact {
        page.pages.to_string()
    } else {
        format!("{}+", page.pages.max(page.page))
    };
    let link = |n: u32| {
        let pairs = [
            ("q", page.q.clone()),
            ("status", page.status.clone()),
            ("holder", text("holder")),
            ("org", text("org")),
            ("per_page", text("per_page")),
            ("page", n.to_string()),
        ];
        format!("/licences{}", query_string(&pairs))
    };
    page.prev_href = (page.page > 1).then(|| link(page.page - 1));
    page.next_href = (page.page < page.pages || more).then(|| link(page.page + 1));
    Ok(render(StatusCode::OK, &page))
}
