//! Applying from a service guide: `/apply/{item}` shows one file input per material the guide
//! lists (required ones marked); an enterprise applies for itself, a window clerk of the handling
//! org registers the applicant at the counter: its credit code, and for an applicant the bureau
//! has no record of, its name and domicile (a registered enterprise's are looked up and used).
//! `/window` lists the clerk's org's published items. A hidden idempotency key makes a double
//! click one case. A refused form comes back with what was typed and each message under its
//! field. A change, renewal or cancellation item (arts. 49, 50, 70) also asks which licence, and
//! for a change the new particulars, for a cancellation why; `?licence=` fills the number in (the
//! holder's licence page links here).

use askama::Template;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use onewindow_app::AppError;
use onewindow_app::cases::{Person, Submission};
use onewindow_domain::catalogue::{CatalogueCode, ItemStatus, ServiceItem};
use onewindow_domain::identifiers::CreditCode;
use onewindow_store::ItemFilter;

use super::person_or_login;
use crate::AppState;
use crate::api::case_input::read_form;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::pages::{PageError, layout, render};
use crate::views::Layout;

/// The licence fields as typed, to show again with a problem.
#[derive(Debug, Clone, Default)]
pub struct LicenceFields {
    pub number: String,
    pub holder_name: String,
    pub production_address: String,
    pub scope: String,
    pub reason: String,
}

impl LicenceFields {
    fn of(field: impl Fn(&str) -> String) -> LicenceFields {
        LicenceFields {
            number: field("licence_number"),
            holder_name: field("holder_name"),
            production_address: field("production_address"),
            scope: field("scope"),
            reason: field("reason"),
        }
    }
}

/// The key of a handling kind whose applications name a licence; empty for the others.
fn licence_handling(item: &ServiceItem) -> &'static str {
    use onewindow_domain::catalogue::{HandlingKind, Vocabulary};
    match item.handling_kind {
        HandlingKind::Change | HandlingKind::Renewal | HandlingKind::Cancellation => {
            item.handling_kind.key()
        }
        _ => "",
    }
}

pub struct MaterialInput {
    pub name: String,
    pub required: bool,
    pub note: String,
}

#[derive(Template)]
#[template(path = "cases/apply.html")]
pub struct ApplyPage {
    pub layout: Layout,
    pub code: String,
    pub item: String,
    pub at_window: bool,
    pub applicant: Applicant,
    pub key: String,
    pub materials: Vec<MaterialInput>,
    /// `change`, `renewal`, `cancellation`, or empty for an item that names no licence.
    pub handling: &'static str,
    pub licence: LicenceFields,
    pub problem: Option<String>,
    /// Problems no field shows.
    pub problems: Vec<String>,
    /// Field name → its problem, shown under the field.
    pub field_errors: Vec<(String, String)>,
}

/// The applicant as the window form holds it.
#[derive(Debug, Clone, Default)]
pub struct Applicant {
    pub credit_code: String,
    pub name: String,
    pub address: String,
    /// `Some(true)`: a registered enterprise (its record is used); `Some(false)`: looked up and
    /// not found; `None`: not looked up.
    pub known: Option<bool>,
}

impl ApplyPage {
    /// The problem of one field, for under it.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }
}

/// The fields a problem may sit under; a material's problem starts with its name.
fn field_of(name: &str, message: &str, materials: &[MaterialInput]) -> Option<String> {
    match name {
        "applicant" | "applicant_name" | "applicant_address" | "licence_number" | "holder_name"
        | "production_address" | "scope" | "reason" => Some(name.to_owned()),
        "materials" => materials
            .iter()
            .find(|m| message.starts_with(&format!("{}:", m.name)))
            .map(|m| format!("material:{}", m.name)),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "cases/window.html")]
pub struct WindowPage {
    pub layout: Layout,
    pub items: Vec<(String, String)>,
}

fn idempotency_key(state: &AppState) -> String {
    hex_of(&state.app.random.bytes32()[..16])
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn item_of(state: &AppState, code: &str) -> Result<ServiceItem, AppError> {
    let code = CatalogueCode::parse(code)
        .map_err(|e| AppError::NotFound(format!("service item {code} ({e})")))?;
    state
        .app
        .store
        .item(&code)
        .await?
        .map(|v| v.value)
        .filter(|i| i.status == ItemStatus::Published)
        .ok_or_else(|| AppError::NotFound(format!("service item {}", code.as_str())))
}

fn apply_page(
    layout: Layout,
    item: &ServiceItem,
    person: &Person,
    key: String,
    applicant: Applicant,
    licence: LicenceFields,
    problem: Option<AppError>,
) -> ApplyPage {
    let en = layout.lang.is_en();
    let materials: Vec<MaterialInput> = item
        .materials
        .iter()
        .map(|m| MaterialInput {
            name: m.name.clone(),
            required: m.required && !m.omittable,
            note: m.source.clone(),
        })
        .collect();
    let (mut problems, mut field_errors) = (Vec::new(), Vec::<(String, String)>::new());
    let problem = problem.map(|e| {
        for d in crate::error::details(&e) {
            match field_of(&d.name, &d.message, &materials) {
                Some(field) => match field_errors.iter_mut().find(|(f, _)| f == &field) {
                    Some((_, message)) => *message = format!("{message}; {}", d.message),
                    None => field_errors.push((field, d.message)),
                },
                None => problems.push(format!("{}: {}", d.name, d.message)),
            }
        }
        crate::error::public_detail(&e)
    });
    ApplyPage {
        code: item.code.as_str().to_owned(),
        item: if en && !item.name_en.is_empty() {
            item.name_en.clone()
        } else {
            item.name_zh.clone()
        },
        at_window: matches!(person, Person::Staff { .. }),
        applicant,
        key,
        materials,
        handling: licence_handling(item),
        licence,
        problem,
        problems,
        field_errors,
        layout,
    }
}

/// The applicant named in a window form's look-up (`?applicant=…`): a registered enterprise's
/// name and domicile filled in, or a note that it has no record.
async fn looked_up(state: &AppState, params: &RawParams) -> Result<Applicant, AppError> {
    let Some(code) = params.get("applicant") else {
        return Ok(Applicant::default());
    };
    let mut applicant = Applicant {
        credit_code: code.to_owned(),
        name: params.get("applicant_name").unwrap_or_default().to_owned(),
        address: params
            .get("applicant_address")
            .unwrap_or_default()
            .to_owned(),
        known: None,
    };
    if let Ok(credit_code) = CreditCode::parse(code) {
        let enterprise = state.app.store.enterprise(&credit_code).await?;
        applicant.known = Some(enterprise.is_some());
        if let Some(e) = enterprise {
            (applicant.name, applicant.address) = (e.name, e.address);
        }
    }
    Ok(applicant)
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(code): Path<String>,
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
    let layout = layout(&state, lang, &viewer, here, lang.t("apply"));
    let item = item_of(&state, &code).await;
    let open = match &item {
        Ok(item) => state
            .app
            .item_process(&item.code)
            .await
            .map(|p| p.is_some()),
        Err(_) => Ok(true),
    };
    match (item, open) {
        (Ok(item), Ok(false)) => PageError::from_app(
            layout,
            AppError::Refused(format!(
                "{} is not open to online applications yet: ask at the window ({})",
                item.code.as_str(),
                item.phone
            )),
        )
        .into_response(),
        (Err(e), _) | (_, Err(e)) => PageError::from_app(layout, e).into_response(),
        (Ok(item), Ok(true)) => {
            // A look-up keeps the form's key: the registration it leads to is still one case.
            let key = params
                .get("idempotency_key")
                .map_or_else(|| idempotency_key(&state), str::to_owned);
            let applicant = match looked_up(&state, &params).await {
                Ok(applicant) => applicant,
                Err(e) => return PageError::from_app(layout, e).into_response(),
            };
            let licence = LicenceFields {
                number: params.get("licence").unwrap_or_default().to_owned(),
                ..Default::default()
            };
            render(
                StatusCode::OK,
                &apply_page(layout, &item, &person, key, applicant, licence, None),
            )
        }
    }
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(code): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let here = format!("/apply/{code}");
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    let layout = layout(&state, lang, &viewer, here, lang.t("apply"));
    let item = match item_of(&state, &code).await {
        Ok(item) => item,
        Err(e) => return PageError::from_app(layout, e).into_response(),
    };
    let form = match read_form(multipart).await {
        Ok(form) => form,
        Err(e) => return PageError::bad_request(layout, e.detail).into_response(),
    };
    let field = |name: &str| {
        form.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    if let Some(session) = &viewer.session
        && let Err(refused) =
            crate::pages::admin::check_csrf(session, &layout, Some(field("csrf").as_str()))
    {
        return refused;
    }
    let key = field("idempotency_key");
    let applicant_text = field("applicant");
    let typed = Applicant {
        credit_code: applicant_text.clone(),
        name: field("applicant_name"),
        address: field("applicant_address"),
        known: None,
    };
    let licence_fields = LicenceFields::of(field);
    let again = |layout, problem| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &apply_page(
                layout,
                &item,
                &person,
                key.clone(),
                typed.clone(),
                licence_fields.clone(),
                Some(problem),
            ),
        )
    };
    let applicant = match (&person, applicant_text.is_empty()) {
        (Person::Staff { .. }, false) => match CreditCode::parse(&applicant_text) {
            Ok(code) => Some(code),
            Err(e) => {
                let suggestion = CreditCode::suggest(&applicant_text)
                    .filter(|s| s != &applicant_text)
                    .map(|s| format!(" — perhaps {s}?"))
                    .unwrap_or_default();
                let mut problems = onewindow_domain::catalogue::Problems::default();
                problems.push("applicant", format!("{e}{suggestion}"));
                return again(
                    layout,
                    AppError::Invalid {
                        what: "application".into(),
                        problems,
                    },
                );
            }
        },
        _ => None,
    };
    let licence = match crate::api::cases::licence_application(&form) {
        Ok(licence) => licence,
        Err(e) => return PageError::bad_request(layout, e.detail).into_response(),
    };
    let uploads = form
        .uploads
        .into_iter()
        .filter(|u| !u.bytes.is_empty())
        .collect();
    let text = |value: &str| Some(value.to_owned()).filter(|v| !v.is_empty());
    let submission = Submission {
        item: item.code.clone(),
        applicant,
        applicant_name: text(&typed.name),
        applicant_address: text(&typed.address),
        uploads,
        idempotency_key: Some(key.clone()).filter(|k| !k.is_empty()),
        licence,
    };
    match state.app.submit_application(&person, submission).await {
        Ok(number) => Redirect::to(&format!("/cases/{number}?done=1")).into_response(),
        Err(e) => again(layout, e),
    }
}

/// `/window`: the published items of the clerk's org, to register an application at the counter.
pub async fn window(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
) -> Response {
    let here = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let person = match person_or_login(&viewer, &here) {
        Ok(person) => person,
        Err(login) => return login,
    };
    let layout = layout(&state, lang, &viewer, here, lang.t("window"));
    let Person::Staff { org, .. } = &person else {
        return PageError::from_app(
            layout,
            AppError::Forbidden("the window page is for window clerks".into()),
        )
        .into_response();
    };
    let items = match state.app.store.items(&ItemFilter::default()).await {
        Ok(items) => items,
        Err(e) => return PageError::from_app(layout, e.into()).into_response(),
    };
    let en = lang.is_en();
    let items = items
        .into_iter()
        .filter(|i| i.status == ItemStatus::Published && &i.handling_org == org)
        .map(|i| {
            (
                i.code.as_str().to_owned(),
                if en && !i.name_en.is_empty() {
                    i.name_en
                } else {
                    i.name_zh
                },
            )
        })
        .collect();
    render(StatusCode::OK, &WindowPage { layout, items })
}
