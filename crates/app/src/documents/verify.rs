//! Verifying a document: a PDF (seal, payload signature, embedded data), a scanned QR link or a
//! bare payload, against a key ring — the installation's (every key it ever used) or a published
//! JWK Set read offline. "Not authentic" is an answer, not an error: it says why.

use jiff::civil::Date;
use onewindow_documents::{
    DocumentData, DocumentKind, KeyRing, VerifiedDocument, VerifyError, verify_link,
    verify_payload, verify_pdf,
};

use crate::{App, AppError};

/// The facts a valid signature vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedFacts {
    pub kind: DocumentKind,
    /// The printed title, e.g. 受理通知书.
    pub title: &'static str,
    /// The printed number (for a licence, the licence number).
    pub number: String,
    pub holder_name: String,
    pub holder_credit_code: String,
    pub issued_on: Date,
    pub valid_until: Option<Date>,
    pub key_id: String,
    /// Everything the document states — present when a whole PDF was checked, absent for a QR
    /// payload (which carries the key facts and the hash of the rest).
    pub data: Option<DocumentData>,
}

/// The answer to "is this document authentic?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Authentic(Box<VerifiedFacts>),
    /// Not authentic, and why (a changed byte, an unknown key, no verification data …).
    NotAuthentic(Rejection),
}

/// Why a document is not authentic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// A stable key for the interface's words: `damaged`, `unknown_version`, `unknown_key`,
    /// `bad_signature`, `content_mismatch`, `no_verification_data` or `altered`.
    pub reason: &'static str,
    /// The verifier's own explanation (English).
    pub detail: String,
}

fn rejection(err: VerifyError) -> Verification {
    let reason = match &err {
        VerifyError::Malformed(_) => "damaged",
        VerifyError::UnsupportedVersion(_) => "unknown_version",
        VerifyError::UnknownKey(_) => "unknown_key",
        VerifyError::BadSignature => "bad_signature",
        VerifyError::ContentMismatch(_) => "content_mismatch",
        VerifyError::NotFound(_) => "no_verification_data",
        VerifyError::Tampered(_) => "altered",
    };
    Verification::NotAuthentic(Rejection {
        reason,
        detail: err.to_string(),
    })
}

impl Verification {
    pub fn is_authentic(&self) -> bool {
        matches!(self, Verification::Authentic(_))
    }
}

fn facts(document: VerifiedDocument, data: Option<DocumentData>) -> VerifiedFacts {
    VerifiedFacts {
        kind: document.kind,
        title: document.kind.title(),
        number: document.number,
        holder_name: document.holder_name,
        holder_credit_code: document.holder_credit_code,
        issued_on: document.issued_on,
        valid_until: document.valid_until,
        key_id: document.key_id.to_string(),
        data,
    }
}

/// Checks a PDF against `ring`, offline.
pub fn check_pdf(pdf: &[u8], ring: &KeyRing) -> Verification {
    match verify_pdf(pdf, ring) {
        Ok(v) => Verification::Authentic(Box::new(facts(v.document, Some(v.data)))),
        Err(e) => rejection(e),
    }
}

/// Checks a QR payload (the `p` of a verification link) against `ring`, offline.
pub fn check_payload(payload: &str, ring: &KeyRing) -> Verification {
    match verify_payload(payload, ring) {
        Ok(document) => Verification::Authentic(Box::new(facts(document, None))),
        Err(e) => rejection(e),
    }
}

/// Checks a whole verification link (`…/verify/{kind}/{number}?p=…`): the payload must verify
/// and the kind and number in the path must be the signed ones.
pub fn check_link(link: &str, ring: &KeyRing) -> Verification {
    match verify_link(link, ring) {
        Ok(document) => Verification::Authentic(Box::new(facts(document, None))),
        Err(e) => rejection(e),
    }
}

impl App {
    /// Checks an uploaded PDF against every key this installation ever used.
    pub async fn verify_document_pdf(&self, pdf: Vec<u8>) -> Result<Verification, AppError> {
        let ring = self.key_ring().await?;
        // Hashing a large upload and scanning it is CPU work: keep it off the request threads.
        super::engine::blocking(move || check_pdf(&pdf, &ring)).await
    }

    /// Checks a QR payload.
    pub async fn verify_document_payload(&self, payload: &str) -> Result<Verification, AppError> {
        Ok(check_payload(payload, &self.key_ring().await?))
    }

    /// Checks a verification link as the QR code holds it (path and query are enough).
    pub async fn verify_document_link(&self, link: &str) -> Result<Verification, AppError> {
        Ok(check_link(link, &self.key_ring().await?))
    }
}
