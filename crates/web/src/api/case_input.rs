//! Reading the bodies of the case API, strictly and with the field at fault named: JSON (not
//! JSON → 400 with the position; a field missing or of the wrong type → 422 naming it) and
//! multipart/form-data (text parts by name, one file part per material named
//! `material:<the guide's material name>`, each file at most 20 MiB → else 413 naming the limit).
//! Turns what was read into the app's inputs; decides nothing the app or the domain decides.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use onewindow_app::cases::{MoveRequest, Upload};
use onewindow_domain::flow::MoveInput;
use onewindow_domain::materials::MAX_MATERIAL_BYTES;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::error::ApiError;

/// The prefix of a file part's name; the rest is the material's name in the service guide.
pub const MATERIAL_PART: &str = "material:";
/// The prefix of a move's text part naming the org a step is handed to (`hand_over:<step>`).
const HAND_OVER_PART: &str = "hand_over:";
/// The largest request carrying materials: several files of up to 20 MiB each.
pub const MAX_CASE_REQUEST_BYTES: usize = 100 * 1024 * 1024;
/// The largest text part of a form (a reason, an opinion).
const MAX_TEXT_PART_BYTES: usize = 64 * 1024;
/// Idempotency keys are opaque to us, but short and printable.
const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// A JSON body of `T`, with every problem named.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ..ApiError::body("Content-Type", "must be application/json")
            });
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large("body", &mib(MAX_CASE_REQUEST_BYTES))
            } else {
                ApiError::body("body", e.body_text())
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = kind.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Parses JSON text: bad JSON is a 400 saying where, a bad field a 422 naming it.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(named)?;
    de.end()
        .map_err(|e| ApiError::body("body", format!("not JSON: {e}")))?;
    Ok(value)
}

/// A deserialisation problem, named by the field it is about.
fn named(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    let path = err.path().to_string();
    let inner = err.into_inner();
    if !matches!(inner.classify(), Category::Data) {
        return ApiError::body("body", format!("not JSON: {inner}"));
    }
    let message = inner.to_string();
    // A missing field is reported at its parent; the message names it.
    let field = missing_field(&message)
        .map(|f| match path.as_str() {
            "." => f.to_owned(),
            parent => format!("{parent}.{f}"),
        })
        .unwrap_or(path);
    ApiError::field(&field, message)
}

/// The field name in serde's "missing field `x`".
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// What a multipart body held: its text parts in order and its material files.
#[derive(Debug, Default)]
pub struct FormParts {
    pub fields: Vec<(String, String)>,
    pub uploads: Vec<Upload>,
}

impl FormParts {
    /// The one value of a text part; a part given twice is refused.
    pub fn single(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut found = self.fields.iter().filter(|(n, _)| n == name);
        let first = found.next().map(|(_, v)| v.as_str());
        match found.next() {
            Some(_) => Err(ApiError::body(name, "is given more than once")),
            None => Ok(first.map(str::trim).filter(|v| !v.is_empty())),
        }
    }
}

/// Reads every part: `material:<name>` parts are files (at most 20 MiB each, read as they come
/// so an oversized one is refused before the rest arrives), the others text.
pub async fn read_form(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<FormParts, ApiError> {
    let mut multipart = multipart.map_err(|e| ApiError::body("Content-Type", e.body_text()))?;
    let mut form = FormParts::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(material) = name.strip_prefix(MATERIAL_PART) {
            let material = material.trim().to_owned();
            if material.is_empty() {
                return Err(ApiError::body(
                    &name,
                    "name the material after \"material:\", as the service guide names it",
                ));
            }
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = read_part(field, MAX_MATERIAL_BYTES, &name).await?;
            form.uploads.push(Upload {
                material,
                file_name,
                bytes,
            });
        } else {
            let bytes = read_part(field, MAX_TEXT_PART_BYTES, &name).await?;
            let text =
                String::from_utf8(bytes).map_err(|_| ApiError::body(&name, "is not UTF-8 text"))?;
            form.fields.push((name, text));
        }
    }
    Ok(form)
}

async fn read_part(mut field: Field<'_>, limit: usize, name: &str) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::too_large(name, &mib(limit)));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn multipart_error(err: MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large("body", &mib(MAX_CASE_REQUEST_BYTES))
    } else {
        ApiError::body("body", err.body_text())
    }
}

/// The `Idempotency-Key` header, if sent: printable ASCII, at most 200 characters.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::body(
            "Idempotency-Key",
            format!(
                "must be 1–{MAX_IDEMPOTENCY_KEY_CHARS} printable ASCII characters, e.g. a UUID"
            ),
        )
    };
    let key = value.to_str().map_err(|_| bad())?.trim();
    let printable = key.chars().all(|c| c.is_ascii_graphic());
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS || !printable {
        return Err(bad());
    }
    Ok(Some(key.to_owned()))
}

/// A move, sent as JSON or (for a supplement with files) as multipart/form-data with the same
/// fields as text parts (`items`, `inspectors` and `reasons` once per entry; `hand_over:<step>`
/// for each hand-over) and `material:<name>` file parts.
pub struct MoveForm(pub MoveRequest);

impl<S: Send + Sync> FromRequest<S> for MoveForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_multipart(req.headers()) {
            let JsonBody(body) = JsonBody::<MoveBody>::from_request(req, state).await?;
            return move_request(body, Vec::new()).map(MoveForm);
        }
        let form = read_form(Multipart::from_request(req, state).await).await?;
        let value = move_fields_as_json(&form.fields)?;
        let body: MoveBody = serde_path_to_error::deserialize(value).map_err(named)?;
        move_request(body, form.uploads).map(MoveForm)
    }
}

/// A move from a multipart form's parts (the pages' move forms send the same fields).
pub fn move_from_parts(form: FormParts) -> Result<MoveRequest, ApiError> {
    let value = move_fields_as_json(&form.fields)?;
    let body: MoveBody = serde_path_to_error::deserialize(value).map_err(named)?;
    move_request(body, form.uploads)
}

/// A move's text parts as the JSON object the JSON form of the request would carry.
fn move_fields_as_json(fields: &[(String, String)]) -> Result<Value, ApiError> {
    const LISTS: [&str; 3] = ["items", "inspectors", "reasons"];
    let mut object = Map::new();
    let mut hand_over = Map::new();
    for (name, text) in fields {
        let value = Value::String(text.trim().to_owned());
        if let Some(step) = name.strip_prefix(HAND_OVER_PART) {
            hand_over.insert(step.to_owned(), value);
        } else if LISTS.contains(&name.as_str()) {
            let list = object
                .entry(name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(entries) = list {
                entries.push(value);
            }
        } else if object.contains_key(name) {
            return Err(ApiError::body(name, "is given more than once"));
        } else if name == "expected_version" {
            let version: i64 = text
                .trim()
                .parse()
                .map_err(|_| ApiError::field(name, format!("\"{text}\" is not a whole number")))?;
            object.insert(name.clone(), Value::from(version));
        } else {
            object.insert(name.clone(), value);
        }
    }
    if !hand_over.is_empty() {
        object.insert("hand_over".into(), Value::Object(hand_over));
    }
    Ok(Value::Object(object))
}

/// The app's move request from the body: dates parsed strictly, blank texts left out.
fn move_request(body: MoveBody, uploads: Vec<Upload>) -> Result<MoveRequest, ApiError> {
    let text = |t: Option<String>| t.filter(|t| !t.trim().is_empty());
    let deadline = match text(body.deadline) {
        Some(date) => Some(
            onewindow_domain::dates::parse_date(date.trim())
                .map_err(|e| ApiError::field("deadline", e))?,
        ),
        None => None,
    };
    Ok(MoveRequest {
        step: body.step,
        outcome: body.outcome,
        expected_version: body.expected_version,
        input: MoveInput {
            items: body.items,
            reason: text(body.reason),
            competent_org: text(body.competent_org),
            materials: Vec::new(),
            opinion: text(body.opinion),
            inspectors: body.inspectors,
            deadline,
            result: text(body.result),
            reasons: body.reasons,
            rights: text(body.rights),
            licence_number: None,
            hand_over: body.hand_over,
        },
        uploads,
    })
}

/// A move, as `POST /api/v1/cases/{number}/moves` takes it. Only the fields the move's `needs`
/// name are read; the others may be left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"step": "acceptance", "outcome": "request_supplement", "expected_version": 2, "items": ["营业执照副本（加盖公章）"]}))]
pub struct MoveBody {
    /// The step's id, as the case's `moves` list it.
    pub step: String,
    /// The outcome's key.
    pub outcome: String,
    /// The case `version` the caller saw; another current version is a 409 with the case.
    pub expected_version: i64,
    /// Art. 32: every material to supplement, one entry each.
    #[serde(default)]
    pub items: Vec<String>,
    /// Why (a refusal or a withdrawal).
    pub reason: Option<String>,
    /// The competent organ, when this one is not (a refusal, art. 32).
    pub competent_org: Option<String>,
    /// The review opinion.
    pub opinion: Option<String>,
    /// Art. 34: the user names of the inspectors on site.
    #[serde(default)]
    pub inspectors: Vec<String>,
    /// The date to rectify by, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// The result of the testing or appraisal that paused the clock.
    pub result: Option<String>,
    /// Art. 38: the reasons for a denial.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The rights statement of a denial; art. 38's standard text when left out.
    pub rights: Option<String>,
    /// Step id → org code, for each step the move hands to an institute or a lower org.
    #[serde(default)]
    #[schema(example = json!({"issuance_testing": "210200-ZJY"}))]
    pub hand_over: BTreeMap<String, String>,
}

/// `POST /api/v1/cases/{number}/extension` (art. 42: the head of the organ only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"days": 10, "reason": "需组织专家论证", "expected_version": 14}))]
pub struct ExtensionBody {
    /// Working days added to the statutory limit.
    pub days: u32,
    /// The reasons, told to the applicant.
    pub reason: String,
    pub expected_version: i64,
}

/// The multipart/form-data body of `POST /api/v1/cases` (documentation only: the material
/// parts are named after the guide's materials).
#[derive(Serialize, ToSchema)]
pub struct SubmitForm {
    /// The service item's code.
    #[schema(example = "BS-XK-0101-002-XB")]
    item: String,
    /// The applicant's Unified Social Credit Code: required from a window clerk registering an
    /// application at the counter.
    #[schema(example = "91210211MA0Y8K3L7G")]
    applicant: Option<String>,
    /// At the window, for an applicant with no enterprise record: its name, as the decisions
    /// and the licence will state it (a registered enterprise's record is used instead).
    #[schema(example = "大连华信阀门制造有限公司")]
    applicant_name: Option<String>,
    /// With `applicant_name`: its domicile (RULES.md §2: the certificate states it).
    #[schema(example = "辽宁省大连市甘井子区华北路88号")]
    applicant_address: Option<String>,
    /// For a change, renewal or cancellation item (arts. 49, 50, 70): the number of the
    /// applicant's licence the application is about, in any printed form. It must exist, be the
    /// applicant's own, and its status must allow the request.
    #[schema(example = "（辽）XK13-014-00001")]
    licence_number: Option<String>,
    /// A change: the new holder name (blank: unchanged).
    holder_name: Option<String>,
    /// A change: the new production address (blank: unchanged).
    production_address: Option<String>,
    /// A change: the new products, one per line (blank: unchanged).
    scope: Option<String>,
    /// A cancellation: why the licence is to be cancelled (e.g. production stopped).
    reason: Option<String>,
    /// One file part per material, named `material:` followed by the material's name in the
    /// service guide (e.g. `material:《全国工业产品生产许可证申请书》`), with a `filename`. PDF,
    /// JPEG, PNG or OFD (judged by content), at most 20 MiB each; a material may have several
    /// parts.
    #[serde(rename = "material:<name>")]
    #[schema(value_type = Vec<String>, format = Binary)]
    materials: Vec<Vec<u8>>,
}
