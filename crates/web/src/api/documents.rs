//! Document verification as JSON: by the payload a QR code carries, or by the PDF itself. "Not
//! authentic" is an answer (200 with `authentic: false` and the reason), not an error; a missing
//! payload or an empty body is a problem naming it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use onewindow_app::documents::Verification;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ProblemDetail};
use crate::extract::RawParams;

/// The facts a valid signature vouches for.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifiedDocumentView {
    /// Kind slug, e.g. `acceptance`, `licence-original`.
    pub kind: String,
    /// Printed title, e.g. 受理通知书.
    pub title: String,
    /// Printed number (a licence's licence number).
    pub number: String,
    pub holder_name: String,
    pub holder_credit_code: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub valid_until: Option<String>,
    /// The signing key's id (16 hex digits), found in `/.well-known/onewindow/keys.json`.
    pub key_id: String,
    /// Issuing authority; only when a whole PDF was checked.
    pub bureau: Option<String>,
    /// Case number; only when a whole PDF was checked and the document has one.
    pub case_number: Option<String>,
}

/// A PDF file's bytes, as the request body (documented only; the handler reads raw bytes).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct PdfFile(Vec<u8>);

/// The answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationView {
    pub authentic: bool,
    /// Why not: `damaged`, `unknown_version`, `unknown_key`, `bad_signature`,
    /// `content_mismatch`, `no_verification_data` or `altered`.
    pub reason: Option<String>,
    /// The verifier's explanation.
    pub detail: Option<String>,
    pub document: Option<VerifiedDocumentView>,
}

impl From<Verification> for VerificationView {
    fn from(v: Verification) -> Self {
        match v {
            Verification::Authentic(f) => {
                let data = f.data.as_ref();
                VerificationView {
                    authentic: true,
                    reason: None,
                    detail: None,
                    document: Some(VerifiedDocumentView {
                        kind: f.kind.slug().to_owned(),
                        title: f.title.to_owned(),
                        number: f.number.clone(),
                        holder_name: f.holder_name.clone(),
                        holder_credit_code: f.holder_credit_code.clone(),
                        issued_on: f.issued_on.to_string(),
                        valid_until: f.valid_until.map(|d| d.to_string()),
                        key_id: f.key_id.clone(),
                        bureau: data.map(|d| d.bureau.clone()),
                        case_number: data
                            .map(|d| d.case_number.clone())
                            .filter(|c| !c.is_empty()),
                    }),
                }
            }
            Verification::NotAuthentic(why) => VerificationView {
                authentic: false,
                reason: Some(why.reason.to_owned()),
                detail: Some(why.detail),
                document: None,
            },
        }
    }
}

/// Verify a document by the signed payload of its QR code (the `p` of the verification link).
#[utoipa::path(get, path = "/api/v1/documents/verify", tag = "documents",
    params(("p" = String, Query, description = "The payload: the `p` parameter of the link the document's QR code holds")),
    responses(
        (status = 200, description = "Verified: authentic or not, with the reason", body = VerificationView),
        (status = 400, description = "`p` is missing or a parameter is unknown", body = crate::error::ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn verify_payload(
    State(state): State<AppState>,
    params: RawParams,
) -> Result<Json<VerificationView>, ApiError> {
    crate::params::check_names(&params, &["p"])?;
    let payload = params.get("p").ok_or_else(|| {
        ApiError::parameter(
            "p",
            "is required: the payload from the document's QR code link",
        )
    })?;
    let verification = state.app.verify_document_payload(payload).await?;
    Ok(Json(verification.into()))
}

/// Verify a PDF document: the seal over every byte, the signature and the embedded data.
#[utoipa::path(post, path = "/api/v1/documents/verify", tag = "documents",
    request_body(content = PdfFile, content_type = "application/pdf", description = "The PDF file, as issued"),
    responses(
        (status = 200, description = "Verified: authentic or not, with the reason", body = VerificationView),
        (status = 400, description = "The body is empty", body = crate::error::ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn verify_pdf(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<VerificationView>, ApiError> {
    if body.is_empty() {
        return Err(ApiError {
            status: axum::http::StatusCode::BAD_REQUEST,
            kind: "invalid-body",
            detail: "the request body must be the PDF file".into(),
            errors: vec![ProblemDetail {
                name: "body".into(),
                message: "is empty; send the PDF file as the body (Content-Type: application/pdf)"
                    .into(),
            }],
        });
    }
    let verification = state.app.verify_document_pdf(body.to_vec()).await?;
    Ok(Json(verification.into()))
}
