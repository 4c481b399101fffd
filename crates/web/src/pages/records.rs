//! One form for every catalogue record: a power, a guide or a fee is edited through its field
//! list (the same names as the catalogue file), list fields as one entry per line. An edit that
//! fails is shown again with the submitted values and every problem by field.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use onewindow_app::AppError;
use onewindow_app::catalogue::ChangeForm;
use onewindow_domain::catalogue::{
    CatalogueCode, ChangeKind, FeeItem, FieldMap, FieldSpec, FieldValue, HistoryOf, ItemStatus,
    Power, ServiceItem, Vocabulary,
};
use onewindow_interchange::list_cell;
use onewindow_store::SessionRecord;

use super::admin::{admin_session, check_csrf};
use super::{PageError, render};
use crate::AppState;
use crate::extract::{RawParams, Viewer};
use crate::i18n::Lang;
use crate::views::Layout;

/// Which record the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Powers,
    Items,
    Fees,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        match text {
            "powers" => Some(Kind::Powers),
            "items" => Some(Kind::Items),
            "fees" => Some(Kind::Fees),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Kind::Powers => "powers",
            Kind::Items => "items",
            Kind::Fees => "fees",
        }
    }

    fn fields(self) -> &'static [FieldSpec] {
        match self {
            Kind::Powers => Power::FIELDS,
            Kind::Items => ServiceItem::FIELDS,
            Kind::Fees => FeeItem::FIELDS,
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::Powers => lang.t("power_list"),
            Kind::Items => lang.t("item_list"),
            Kind::Fees => lang.t("fee_items"),
        }
    }

    fn history(self) -> Option<HistoryOf> {
        match self {
            Kind::Powers => Some(HistoryOf::Power),
            Kind::Fees => Some(HistoryOf::Fee),
            Kind::Items => None,
        }
    }
}

struct FieldView {
    name: &'static str,
    label: String,
    value: String,
    list: bool,
    rows: usize,
    readonly: bool,
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct RecordForm {
    layout: Layout,
    kind_label: &'static str,
    heading: String,
    message: Option<String>,
    problems: Vec<String>,
    view_href: Option<String>,
    action: String,
    version: String,
    fields: Vec<FieldView>,
    change_action: Option<String>,
    change_kinds: Vec<ChangeKind>,
    status_actions: Vec<ItemStatus>,
}

/// What the form shows: the values, the version and whether the record exists yet.
struct Loaded {
    values: HashMap<&'static str, String>,
    version: Option<i64>,
}

fn text_of(value: FieldValue) -> String {
    match value {
        FieldValue::Text(t) => t,
        FieldValue::List(l) => list_cell::join(&l),
    }
}

async fn load(state: &AppState, kind: Kind, code: &CatalogueCode) -> Result<Loaded, AppError> {
    let not_found = || AppError::NotFound(format!("{} {code}", kind.path()));
    let (values, version) = match kind {
        Kind::Powers => state
            .app
            .store
            .power(code)
            .await?
            .map(|v| (v.value.fields(), v.version)),
        Kind::Items => state
            .app
            .store
            .item(code)
            .await?
            .map(|v| (v.value.fields(), v.version)),
        Kind::Fees => state
            .app
            .store
            .fee(code)
            .await?
            .map(|v| (v.value.fields(), v.version)),
    }
    .ok_or_else(not_found)?;
    let values = kind
        .fields()
        .iter()
        .map(|f| f.name)
        .zip(values.into_iter().map(text_of))
        .collect();
    Ok(Loaded {
        values,
        version: Some(version),
    })
}

fn form_page(
    layout: Layout,
    kind: Kind,
    loaded: &Loaded,
    code: Option<&str>,
    message: Option<String>,
    problems: Vec<String>,
) -> RecordForm {
    let lang = layout.lang;
    let existing = loaded.version.is_some();
    let fields = kind
        .fields()
        .iter()
        .map(|f| {
            let value = loaded.values.get(f.name).cloned().unwrap_or_default();
            FieldView {
                name: f.name,
                label: lang.try_t(f.name).unwrap_or(f.name).to_owned(),
                rows: value.lines().count().clamp(3, 14),
                value,
                list: f.list,
                // History is appended to, never edited; a code names the record for good.
                readonly: existing && (f.name == "history" || f.name == "code"),
            }
        })
        .collect();
    let base = match code {
        Some(code) => format!("/admin/{}/{code}", kind.path()),
        None => format!("/admin/{}/new", kind.path()),
    };
    let change_kinds = match kind.history() {
        Some(of) => ChangeKind::ALL
            .iter()
            .copied()
            .filter(|k| of.allows(*k))
            .collect(),
        None => Vec::new(),
    };
    RecordForm {
        kind_label: kind.label(lang),
        heading: code
            .map(|c| format!("{} {c}", lang.t("edit")))
            .unwrap_or_else(|| lang.t("create").to_owned()),
        message,
        problems,
        view_href: code
            .filter(|_| kind != Kind::Fees)
            .map(|c| format!("/{}/{c}", kind.path())),
        change_action: (existing && kind.history().is_some()).then(|| format!("{base}/changes")),
        change_kinds,
        status_actions: if existing && kind == Kind::Items {
            ItemStatus::ALL.to_vec()
        } else {
            Vec::new()
        },
        action: base,
        version: loaded.version.map(|v| v.to_string()).unwrap_or_default(),
        fields,
        layout,
    }
}

type Guarded = Result<(SessionRecord, Layout, Kind), Response>;

fn guard(state: &AppState, lang: Lang, viewer: &Viewer, uri: &OriginalUri, kind: &str) -> Guarded {
    let here = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let (session, layout) = admin_session(state, lang, viewer, &here)?;
    let kind = Kind::parse(kind).ok_or_else(|| {
        PageError::from_app(layout.clone(), AppError::NotFound(format!("/admin/{kind}")))
            .into_response()
    })?;
    Ok((session, layout, kind))
}

pub async fn new_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(kind): Path<String>,
) -> Response {
    match guard(&state, lang, &viewer, &uri, &kind) {
        Ok((_, layout, kind)) => render(
            StatusCode::OK,
            &form_page(
                layout,
                kind,
                &Loaded {
                    values: HashMap::new(),
                    version: None,
                },
                None,
                None,
                Vec::new(),
            ),
        ),
        Err(r) => r,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path((kind, code)): Path<(String, String)>,
    params: RawParams,
) -> Response {
    let (_, layout, kind) = match guard(&state, lang, &viewer, &uri, &kind) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let loaded = match CatalogueCode::parse(&code) {
        Ok(c) => load(&state, kind, &c).await,
        Err(e) => Err(AppError::NotFound(format!("{} {code} ({e})", kind.path()))),
    };
    match loaded {
        Ok(loaded) => {
            let message = params
                .get("saved")
                .map(|_| lang.t("record_saved").to_owned());
            render(
                StatusCode::OK,
                &form_page(layout, kind, &loaded, Some(&code), message, Vec::new()),
            )
        }
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

/// The submitted form as a record.
fn field_map(kind: Kind, form: &HashMap<String, String>) -> FieldMap {
    let mut map = FieldMap::new();
    for f in kind.fields() {
        let value = form.get(f.name).map(String::as_str).unwrap_or("");
        if f.list {
            map.set_list(f.name, list_cell::split(value));
        } else {
            map.set(f.name, value);
        }
    }
    map
}

fn version(form: &HashMap<String, String>) -> Option<i64> {
    form.get("_version").and_then(|v| v.trim().parse().ok())
}

fn problem_lines(err: &AppError) -> Vec<String> {
    let details = crate::error::details(err);
    if details.is_empty() {
        vec![crate::error::public_detail(err)]
    } else {
        details
            .into_iter()
            .map(|d| format!("{}: {}", d.name, d.message))
            .collect()
    }
}

async fn save_record(
    state: &AppState,
    session: &SessionRecord,
    kind: Kind,
    map: &FieldMap,
    version: Option<i64>,
) -> Result<String, AppError> {
    let user = &session.user;
    Ok(match kind {
        Kind::Powers => state
            .app
            .save_power(user, map, version)
            .await?
            .code
            .to_string(),
        Kind::Items => state
            .app
            .save_item(user, map, version)
            .await?
            .code
            .to_string(),
        Kind::Fees => state
            .app
            .save_fee(user, map, version)
            .await?
            .code
            .to_string(),
    })
}

async fn save_and_redirect(
    state: AppState,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    kind: String,
    code: Option<String>,
    form: HashMap<String, String>,
) -> Response {
    let (session, layout, kind) = match guard(&state, lang, &viewer, &uri, &kind) {
        Ok(g) => g,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, form.get("_csrf").map(String::as_str)) {
        return r;
    }
    let map = field_map(kind, &form);
    // An edit form saves the record its URL names; a code is never changed by editing.
    let sent = form.get("code").map(|c| c.trim()).unwrap_or("");
    if let Some(code) = code.as_deref().filter(|c| *c != sent) {
        let err = AppError::Refused(format!(
            "code: this form edits {code}; the code \"{sent}\" cannot be changed (create a new record instead)"
        ));
        let values = kind
            .fields()
            .iter()
            .map(|f| (f.name, form.get(f.name).cloned().unwrap_or_default()))
            .collect();
        let loaded = Loaded {
            values,
            version: version(&form),
        };
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(layout, kind, &loaded, Some(code), None, problem_lines(&err)),
        );
    }
    match save_record(&state, &session, kind, &map, version(&form)).await {
        Ok(code) => Redirect::to(&format!("/admin/{}/{code}?saved=1", kind.path())).into_response(),
        Err(err) => {
            let status = crate::error::classify(&err).0;
            let values = kind
                .fields()
                .iter()
                .map(|f| (f.name, form.get(f.name).cloned().unwrap_or_default()))
                .collect();
            let loaded = Loaded {
                values,
                version: version(&form),
            };
            render(
                status,
                &form_page(
                    layout,
                    kind,
                    &loaded,
                    code.as_deref(),
                    None,
                    problem_lines(&err),
                ),
            )
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(kind): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    save_and_redirect(state, lang, viewer, uri, kind, None, form).await
}

pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path((kind, code)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    save_and_redirect(state, lang, viewer, uri, kind, Some(code), form).await
}

/// Re-shows a stored record's form with the problems of a failed action.
async fn reshow(
    state: &AppState,
    layout: Layout,
    kind: Kind,
    code: &CatalogueCode,
    err: AppError,
) -> Response {
    let status = crate::error::classify(&err).0;
    match load(state, kind, code).await {
        Ok(loaded) => render(
            status,
            &form_page(
                layout,
                kind,
                &loaded,
                Some(code.as_str()),
                None,
                problem_lines(&err),
            ),
        ),
        Err(e) => PageError::from_app(layout, e).into_response(),
    }
}

pub async fn append_change(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path((kind, code)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout, kind) = match guard(&state, lang, &viewer, &uri, &kind) {
        Ok(g) => g,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, form.get("_csrf").map(String::as_str)) {
        return r;
    }
    let Ok(code) = CatalogueCode::parse(&code) else {
        return PageError::from_app(
            layout,
            AppError::NotFound(format!("{} {code}", kind.path())),
        )
        .into_response();
    };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let change = ChangeForm {
        date: get("date"),
        kind: get("kind"),
        decree: get("decree"),
        org: get("org"),
        note: get("note"),
    };
    let version = version(&form).unwrap_or(-1);
    let result = match kind {
        Kind::Powers => {
            state
                .app
                .append_power_change(&session.user, &code, &change, version)
                .await
        }
        Kind::Fees => {
            state
                .app
                .append_fee_change(&session.user, &code, &change, version)
                .await
        }
        Kind::Items => Err(AppError::Refused(
            "guides have no history; change their power".into(),
        )),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/admin/{}/{code}?saved=1", kind.path())).into_response(),
        Err(err) => reshow(&state, layout, kind, &code, err).await,
    }
}

pub async fn set_status(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    uri: OriginalUri,
    Path(code): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (session, layout, kind) = match guard(&state, lang, &viewer, &uri, "items") {
        Ok(g) => g,
        Err(r) => return r,
    };
    if let Err(r) = check_csrf(&session, &layout, form.get("_csrf").map(String::as_str)) {
        return r;
    }
    let Ok(code) = CatalogueCode::parse(&code) else {
        return PageError::from_app(layout, AppError::NotFound(format!("items {code}")))
            .into_response();
    };
    let status = form.get("status").and_then(|s| ItemStatus::parse_key(s));
    let result = match status {
        Some(status) => {
            state
                .app
                .set_item_status(&session.user, &code, status, version(&form).unwrap_or(-1))
                .await
        }
        None => Err(AppError::Refused(format!(
            "status must be one of {}",
            ItemStatus::expected()
        ))),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/admin/items/{code}?saved=1")).into_response(),
        Err(err) => reshow(&state, layout, kind, &code, err).await,
    }
}
