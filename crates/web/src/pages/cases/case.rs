//! `/cases/{number}`: the case page. Header, the clock panel, the timeline, the materials and the
//! documents issued, and one form per move this person may make now (from the move's `needs`).
//! A move posts as multipart (a supplement carries files); success comes back here with a
//! notice; a refusal shows the page again with what was typed kept and each field's message
//! under its field; a stale version says plainly that someone else moved the case first, what
//! it is now, and offers the moves open now.

use askama::Template;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use onewindow_app::AppError;
use onewindow_app::cases::{CaseView, MoveView, Person};
use onewindow_app::documents::StoredDocument;
use onewindow_domain::catalogue::{Org, OrgKind};
use onewindow_domain::flow::Need;

use super::clock::ClockPanel;
use super::person_or_login;
use super::timeline::{TimelineLine, lines};
use crate::AppState;
use crate::api::case_input::{move_from_parts, read_form};
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::pages::{PageError, layout, render};
use crate::views::Layout;

/// One form field a move needs.
pub struct Field {
    pub name: String,
    /// `text`, `lines`, `date`, `select`, `file`.
    pub kind: &'static str,
    pub label: String,
    pub required: bool,
    pub value: String,
    pub options: Vec<(String, String)>,
    /// What was wrong with the value sent, shown under the field.
    pub error: Option<String>,
    /// The move's need this field answers (`Need::field`), which problems name.
    need: &'static str,
}

pub struct MoveForm {
    pub key: String,
    pub title: String,
    pub fields: Vec<Field>,
}

/// A move form as it was sent: `step/outcome` and its fields as typed (files aside).
pub struct Sent {
    key: String,
    fields: Vec<(String, String)>,
}

impl Sent {
    /// Puts what was typed back into `form` and each problem under its field; returns the
    /// problems no field of the form shows.
    fn refill(&self, form: &mut MoveForm, problems: Vec<(String, String)>) -> Vec<String> {
        for field in &mut form.fields {
            let typed: Vec<&str> = self
                .fields
                .iter()
                .filter(|(name, _)| name == &field.name)
                .map(|(_, value)| value.as_str())
                .collect();
            if !typed.is_empty() && field.kind != "file" {
                field.value = typed.join("\n");
            }
        }
        let mut left = Vec::new();
        for (name, message) in problems {
            match form.fields.iter_mut().find(|f| f.need == name) {
                Some(field) if field.error.is_none() => field.error = Some(message),
                Some(field) => {
                    let joined = format!("{}; {message}", field.error.take().unwrap_or_default());
                    field.error = Some(joined);
                }
                None => left.push(format!("{name}: {message}")),
            }
        }
        left
    }
}

#[derive(Template)]
#[template(path = "cases/case.html")]
pub struct CasePage {
    pub layout: Layout,
    pub number: String,
    pub item: String,
    pub applicant: String,
    pub applicant_name: String,
    pub status: String,
    pub step: String,
    pub version: i64,
    pub waiting_for: String,
    pub clock: Option<ClockPanel>,
    pub timeline: Vec<TimelineLine>,
    pub materials: Vec<(String, String)>,
    pub documents: Vec<(String, String)>,
    pub moves: Vec<MoveForm>,
    pub may_extend: bool,
    pub notice: Option<String>,
    pub problem: Option<String>,
    pub problems: Vec<String>,
    pub licence: Option<String>,
    /// The licence a change, renewal or cancellation case is about: (what, number, link).
    pub about_licence: Option<(String, String, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(number): Path<String>,
    params: RawParams,
) -> Response {
    let here = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    let layout = layout(&state, lang, &viewer, here, number.clone());
    let notice = params
        .map
        .get("done")
        .map(|_| lang.t("move_recorded").to_owned());
    page(
        &state,
        layout,
        &person,
        &number,
        StatusCode::OK,
        notice,
        None,
        None,
    )
    .await
}

/// Renders the case page with an optional notice or problem, and the move form as sent.
#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    layout: Layout,
    person: &Person,
    number: &str,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<AppError>,
    sent: Option<Sent>,
) -> Response {
    let view = match state.app.case_view(person, number).await {
        Ok(view) => view,
        Err(e) => return PageError::from_app(layout, e).into_response(),
    };
    let documents = state
        .app
        .documents_for_case(number)
        .await
        .unwrap_or_default();
    let orgs = state.app.orgs().await.unwrap_or_default();
    let en = layout.lang.is_en();
    let stale = matches!(problem, Some(AppError::Conflict(_)));
    let (problem, details) = match problem {
        Some(e) => {
            let details = crate::error::details(&e)
                .into_iter()
                .map(|d| (d.name, d.message))
                .collect();
            (Some(crate::error::public_detail(&e)), details)
        }
        None => (None, Vec::new()),
    };
    let mut page = build(
        layout,
        view,
        &documents,
        &orgs,
        en,
        notice,
        problem,
        Vec::new(),
    );
    if stale {
        // Someone else moved the case first: say what it is now; the forms below are the
        // moves open now, with the current version.
        let now = match page.step.as_str() {
            "" => page.status.clone(),
            step if en => format!("{} ({step})", page.status),
            step => format!("{}（{step}）", page.status),
        };
        page.problem = Some(format!(
            "{}{}{now}",
            page.layout.t("case_moved_by_someone_else"),
            page.layout.t("case_now")
        ));
    }
    let own = sent.as_ref().and_then(|sent| {
        let form = page.moves.iter_mut().find(|m| m.key == sent.key)?;
        Some(sent.refill(form, details.clone()))
    });
    page.problems = match own {
        Some(left) => left,
        None => details
            .into_iter()
            .map(|(name, message)| format!("{name}: {message}"))
            .collect(),
    };
    render(status, &page)
}

#[allow(clippy::too_many_arguments)]
fn build(
    layout: Layout,
    view: CaseView,
    documents: &[StoredDocument],
    orgs: &[Org],
    en: bool,
    notice: Option<String>,
    problem: Option<String>,
    problems: Vec<String>,
) -> CasePage {
    let pick = |zh: &str, english: &str| {
        if en {
            english.to_owned()
        } else {
            zh.to_owned()
        }
    };
    let listed: Vec<String> = view
        .state
        .supplement_notice()
        .map(|(_, items)| items.to_vec())
        .unwrap_or_default();
    let moves = view
        .moves
        .iter()
        .map(|m| move_form(m, &layout, orgs, &listed, en))
        .collect();
    CasePage {
        number: view.record.number.clone(),
        item: pick(&view.item_name_zh, &view.item_name_en),
        applicant: view.record.applicant.clone(),
        applicant_name: view.applicant_name.clone().unwrap_or_default(),
        status: if en {
            view.status.to_string()
        } else {
            view.status.zh().to_owned()
        },
        step: view
            .step_names()
            .map(|(zh, english)| pick(zh, english))
            .unwrap_or_default(),
        version: view.record.version,
        waiting_for: view
            .waiting_for
            .iter()
            .map(|(zh, english)| pick(zh, english))
            .collect::<Vec<_>>()
            .join(", "),
        clock: view
            .clock
            .as_ref()
            .map(|c| ClockPanel::of(c, &view.names, en)),
        timeline: lines(&view.events, &view.names, en),
        materials: view
            .state
            .materials()
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    format!("/cases/{}/materials/{}", view.record.number, m.content_hash),
                )
            })
            .collect(),
        documents: documents
            .iter()
            .map(|d| {
                // The printed title (受理通知书 …), the document's own name in either language.
                (
                    format!("{} {}", d.kind.title(), d.number),
                    format!("/documents/{}", d.number),
                )
            })
            .collect(),
        moves,
        may_extend: view.may_extend,
        notice,
        problem,
        problems,
        licence: view.state.licence_number().map(str::to_owned),
        about_licence: view.state.licence_case().map(|about| {
            let what = match en {
                true => about.request.key(),
                false => about.request.zh(),
            };
            (
                what.to_owned(),
                about.number.clone(),
                format!("/licences/{}", crate::views::percent_encode(&about.number)),
            )
        }),
        layout,
    }
}

fn move_form(m: &MoveView, layout: &Layout, orgs: &[Org], notice: &[String], en: bool) -> MoveForm {
    let t = |key: &str| layout.t(key).to_owned();
    let mut fields = Vec::new();
    for need in &m.needs {
        let field = |name: &str, kind, label: String, required| Field {
            name: name.to_owned(),
            kind,
            label,
            required,
            value: String::new(),
            options: Vec::new(),
            error: None,
            need: need.field(),
        };
        match need {
            Need::SupplementItems => fields.push(field("items", "lines", t("need_items"), true)),
            Need::Reason => fields.push(field("reason", "text", t("need_reason"), true)),
            Need::CompetentOrg => fields.push(field(
                "competent_org",
                "text",
                t("need_competent_org"),
                false,
            )),
            // One file per material the supplement notice listed.
            Need::Materials => fields.extend(
                notice
                    .iter()
                    .map(|item| field(&format!("material:{item}"), "file", item.clone(), false)),
            ),
            Need::Opinion => fields.push(field("opinion", "text", t("need_opinion"), true)),
            Need::Inspectors { min, .. } => fields.push(field(
                "inspectors",
                "lines",
                format!("{} (≥ {min})", t("need_inspectors")),
                true,
            )),
            Need::RectifyDeadline => {
                fields.push(field("deadline", "date", t("need_deadline"), true))
            }
            Need::Result => fields.push(field("result", "text", t("need_result"), true)),
            Need::DenialReasons => {
                fields.push(field("reasons", "lines", t("need_reasons"), true));
                let mut rights = field("rights", "text", t("need_rights"), false);
                rights.value = onewindow_domain::cases::RIGHTS_NOTICE_ZH.to_owned();
                fields.push(rights);
            }
            Need::LicenceNumber => {}
            Need::HandOverOrg { step, institute } => {
                let mut select = field(
                    &format!("hand_over:{step}"),
                    "select",
                    t(if *institute {
                        "need_institute"
                    } else {
                        "need_lower_org"
                    }),
                    true,
                );
                select.options = orgs
                    .iter()
                    .filter(|o| (o.kind == OrgKind::Institute) == *institute)
                    .map(|o| (o.code.as_str().to_owned(), o.name(en).to_owned()))
                    .collect();
                fields.push(select);
            }
        }
    }
    let (step, outcome) = if en {
        (&m.step_name_en, &m.outcome_name_en)
    } else {
        (&m.step_name_zh, &m.outcome_name_zh)
    };
    MoveForm {
        key: format!("{}/{}", m.step, m.outcome),
        title: format!("{step}：{outcome}"),
        fields,
    }
}

/// POST `/cases/{number}/moves` (multipart): one move.
pub async fn make_move(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(number): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let here = format!("/cases/{number}");
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    let layout = layout(&state, lang, &viewer, here.clone(), number.clone());
    let mut form = match read_form(multipart).await {
        Ok(form) => form,
        Err(e) => return PageError::bad_request(layout, e.detail).into_response(),
    };
    let csrf = take(&mut form.fields, "csrf");
    if let Some(session) = &viewer.session
        && let Err(refused) = crate::pages::admin::check_csrf(session, &layout, csrf.as_deref())
    {
        return refused;
    }
    let sent = Sent {
        key: format!(
            "{}/{}",
            field_of(&form.fields, "step"),
            field_of(&form.fields, "outcome")
        ),
        fields: form.fields.clone(),
    };
    // Text areas hold one entry per line; the API takes one part per entry.
    let mut fields = Vec::new();
    for (name, value) in form.fields.drain(..) {
        if matches!(name.as_str(), "items" | "inspectors" | "reasons") {
            fields.extend(
                value
                    .split(['\n', ',', '，'])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| (name.clone(), v.to_owned())),
            );
        } else if !value.trim().is_empty() {
            fields.push((name, value));
        }
    }
    form.fields = fields;
    let request = match move_from_parts(form) {
        Ok(request) => request,
        Err(e) => return PageError::bad_request(layout, e.detail).into_response(),
    };
    match state.app.make_move(&person, &number, request).await {
        Ok(_) => match state.app.case_view(&person, &number).await {
            Ok(_) => Redirect::to(&format!("{here}?done=1")).into_response(),
            // Handed out of this person's sight (an institute reporting back).
            Err(_) => Redirect::to(if matches!(person, Person::Staff { .. }) {
                "/workbench"
            } else {
                "/my/cases"
            })
            .into_response(),
        },
        Err(e) => {
            let status = crate::error::classify(&e).0;
            let sent = Some(sent);
            page(
                &state,
                layout,
                &person,
                &number,
                status,
                None,
                Some(e),
                sent,
            )
            .await
        }
    }
}

fn field_of<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

fn take(fields: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let at = fields.iter().position(|(n, _)| n == name)?;
    Some(fields.remove(at).1)
}

/// POST `/cases/{number}/extension` (art. 42, the head of the handling org).
pub async fn extend(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(number): Path<String>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    let here = format!("/cases/{number}");
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    let layout = layout(&state, lang, &viewer, here.clone(), number.clone());
    if let Some(session) = &viewer.session
        && let Err(refused) =
            crate::pages::admin::check_csrf(session, &layout, form.get("csrf").map(String::as_str))
    {
        return refused;
    }
    let days = form
        .get("days")
        .and_then(|d| d.trim().parse::<u32>().ok())
        .unwrap_or(0);
    let version = form
        .get("expected_version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(-1);
    let reason = form.get("reason").cloned().unwrap_or_default();
    match state
        .app
        .extend_case(&person, &number, version, days, reason)
        .await
    {
        Ok(_) => Redirect::to(&format!("{here}?done=1")).into_response(),
        Err(e) => {
            let status = crate::error::classify(&e).0;
            page(
                &state,
                layout,
                &person,
                &number,
                status,
                None,
                Some(e),
                None,
            )
            .await
        }
    }
}

/// A material of the case, for those who may see the case; named by its hash, never by the
/// sender's file name.
pub async fn material(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((number, hash)): Path<(String, String)>,
) -> Response {
    let here = format!("/cases/{number}");
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    match state.app.case_material(&person, &number, &hash).await {
        Ok((bytes, kind)) => (
            [
                (header::CONTENT_TYPE, kind.media_type().to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{hash}.{}\"", kind.extension()),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            PageError::from_app(layout(&state, lang, &viewer, here, number), e).into_response()
        }
    }
}

/// A document's PDF: a licence certificate for anyone (art. 40, `documents::is_public`), any
/// other for those who may see its case.
pub async fn document(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(number): Path<String>,
) -> Response {
    let here = format!("/documents/{number}");
    let public = state
        .app
        .document(&number)
        .await
        .is_ok_and(|d| onewindow_app::documents::is_public(d.kind));
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => Some(person),
        Err(_) if public => None,
        Err(login) => return login,
    };
    let layout = layout(&state, lang, &viewer, here, number.clone());
    let result = async {
        if let Some(person) = person.as_ref().filter(|_| !public) {
            let document = state.app.document(&number).await?;
            // Seeing the case is what allows the document; a licence's own documents (renewal
            // reminders) are its holder's and the issuing org's.
            match (&document.case_number, &document.licence_number) {
                (Some(case), _) => state.app.case_view(person, case).await.map(|_| ())?,
                (None, Some(licence)) => state
                    .app
                    .check_licence_documents(person, licence)
                    .await
                    .map(|_| ())?,
                (None, None) => return Err(AppError::NotFound(format!("document {number}"))),
            }
        }
        state.app.document_pdf(&number).await
    }
    .await;
    match result {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{number}.pdf\""),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}
