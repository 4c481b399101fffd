//! Issuing documents: notices, decisions and licences as signed PDFs (issue 5). A caller (the
//! case flow, the licence register) asks for one with [`App::issue_document`] when its event
//! happens; the document is numbered, typeset from the template in use, signed with the current
//! key, its PDF stored in the file store by hash and entered in the register. A retried event
//! (same kind, same case or licence, same idempotency string) gets the same document back.
//!
//! Document numbers are `{series}-{year}-{serial}` in ASCII (`SL-2026-000001`), so they sit in
//! URLs and file names unescaped: the series is the pinyin initials of the kind (see
//! [`series`]), the year the year of issue in China, the serial counts per series and year. A
//! licence certificate states its licence number instead (RULES.md §2); its register number is
//! still a series number (`ZB-…` original, `FB-…` copy). A serial can be skipped, never reused:
//! it is taken after the data is checked and before typesetting, so a template failure or two
//! retries racing leave a gap.
//!
//! Typesetting runs on tokio's blocking pool; callers just await.

mod engine;
mod keys;
mod templates;
mod typesetter;
mod verify;

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::catalogue::Problems;
use onewindow_store::{ContentHash, DocumentRecord, NewDocument, StoreError};

pub use engine::{DEFAULT_PUBLIC_URL, DocumentEngine};
pub use keys::KeyInfo;
pub use onewindow_documents::{
    DataError, DocumentData, DocumentKind, Holder, KeyRing, LICENCE_IDENTIFIER, RIGHTS_TEXT,
    Requirements, Template, TemplateProblem, VALID_UNTIL, date_cn, sample_data, verify_url,
};
pub use templates::{TemplateDetail, TemplateSummary};
pub(crate) use typesetter::Typesetter;
pub use verify::{Rejection, Verification, VerifiedFacts, check_link, check_payload, check_pdf};

use crate::{App, AppError};

/// What a caller asks to issue. The app adds the number and the date of issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRequest {
    pub kind: DocumentKind,
    /// The issuing bureau as printed above the seal.
    pub bureau: String,
    /// The case the document belongs to; every kind but those about a licence needs one
    /// ([`Requirements::case_number`]).
    pub case_number: Option<String>,
    /// The licence it concerns: required for the certificate (it is its number) and put in
    /// the `licence_number` field of change, cancellation and renewal documents when absent.
    pub licence_number: Option<String>,
    pub holder: Holder,
    /// Named dates, fields and items as [`DocumentKind::requirements`] lists them.
    pub dates: BTreeMap<String, Date>,
    pub fields: BTreeMap<String, String>,
    pub items: Vec<String>,
    /// Names the event that asks (e.g. `event-7`): the same kind, case or licence and
    /// idempotency string give the same document.
    pub idempotency: String,
}

/// A document in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// The register number (`SL-2026-000001`), unique; what [`App::document_pdf`] takes.
    pub number: String,
    pub kind: DocumentKind,
    pub case_number: Option<String>,
    pub licence_number: Option<String>,
    /// Everything it states (`data.number` is the printed number).
    pub data: DocumentData,
    /// The PDF's name in `app.files`.
    pub content_hash: ContentHash,
    /// The signed payload in its QR code.
    pub payload: String,
    /// The verification link in its QR code.
    pub verify_url: String,
    pub key_id: String,
    pub created_at: Timestamp,
    /// True when this request had been answered before: nothing new was made.
    pub existing: bool,
}

/// The holder a licence's documents are addressed to: its registered name and credit code.
pub(crate) fn licence_holder(grant: &onewindow_domain::licences::LicenceGrant) -> Holder {
    Holder {
        name: grant.holder_name.clone(),
        credit_code: grant.holder_credit_code.as_str().to_owned(),
    }
}

/// Whether anyone may download a kind without signing in: the grant decision and the licence
/// certificate, original and copy. 行政许可法 art. 40: 作出的准予行政许可决定应当予以公开 — the
/// grant decision is public and the register shows its licence; every other document (the
/// vouchers, notices, a denial, the applicant's materials) is seen only by those who may see its
/// case.
pub fn is_public(kind: DocumentKind) -> bool {
    matches!(
        kind,
        DocumentKind::GrantDecision | DocumentKind::LicenceOriginal | DocumentKind::LicenceCopy
    )
}

/// The number series of a kind: pinyin initials, never changed once documents are issued.
pub fn series(kind: DocumentKind) -> &'static str {
    use DocumentKind as K;
    match kind {
        K::Acceptance => "SL",             // 受理
        K::Refusal => "BYSL",              // 不予受理
        K::SupplementNotice => "BZ",       // 补正
        K::SpecialProcedureNotice => "TB", // 特别程序
        K::ExtensionNotice => "YQ",        // 延期
        K::GrantDecision => "ZY",          // 准予
        K::DenialDecision => "BY",         // 不予
        K::LicenceOriginal => "ZB",        // 正本
        K::LicenceCopy => "FB",            // 副本
        K::ChangeNotice => "BG",           // 变更
        K::CancellationNotice => "ZX",     // 注销
        K::RenewalReminder => "YX",        // 延续
    }
}

fn is_certificate(kind: DocumentKind) -> bool {
    matches!(
        kind,
        DocumentKind::LicenceOriginal | DocumentKind::LicenceCopy
    )
}

fn invalid(field: &'static str, message: String) -> AppError {
    let mut problems = Problems::default();
    problems.push(field, message);
    AppError::Invalid {
        what: "document".into(),
        problems,
    }
}

fn data_problem(err: DataError) -> AppError {
    let field = match &err {
        DataError::Missing { what: "date", .. } => "dates",
        DataError::Missing { what: "field", .. } => "fields",
        DataError::Missing { key, .. } if key.starts_with("holder") => "holder",
        DataError::Missing { key, .. } if key == "case_number" => "case_number",
        DataError::NoItems { .. } => "items",
        _ => "data",
    };
    invalid(field, err.to_string())
}

impl DocumentRequest {
    /// The key that makes a retry find its first document.
    fn idempotency_key(&self) -> String {
        let scope = match (&self.case_number, &self.licence_number) {
            (Some(case), _) => format!("case:{case}"),
            (None, Some(licence)) => format!("licence:{licence}"),
            (None, None) => "-".to_owned(),
        };
        format!("{}/{scope}/{}", self.kind.slug(), self.idempotency)
    }

    /// The data to render, numbered `number` (the licence number for a certificate).
    fn data(&self, number: &str, issued_on: Date) -> Result<DocumentData, AppError> {
        let mut fields = self.fields.clone();
        let printed = if is_certificate(self.kind) {
            self.licence_number.clone().ok_or_else(|| {
                invalid(
                    "licence_number",
                    format!("a {} states its licence number", self.kind),
                )
            })?
        } else {
            number.to_owned()
        };
        if let Some(licence) = &self.licence_number
            && self.kind.requirements().fields.contains(&"licence_number")
        {
            fields
                .entry("licence_number".into())
                .or_insert_with(|| licence.clone());
        }
        let data = DocumentData {
            kind: self.kind,
            number: printed,
            bureau: self.bureau.clone(),
            case_number: self.case_number.clone().unwrap_or_default(),
            holder: self.holder.clone(),
            issued_on,
            dates: self.dates.clone(),
            fields,
            items: self.items.clone(),
        };
        data.validate().map_err(data_problem)?;
        Ok(data)
    }
}

fn corrupt(number: &str, detail: String) -> AppError {
    AppError::Store(StoreError::Corrupt {
        what: format!("document {number}"),
        detail,
    })
}

impl App {
    /// Sets the public address verification links point to (e.g. `https://zw.example.gov.cn`);
    /// call before the app is shared.
    pub fn with_public_url(mut self, public_url: &str) -> Self {
        self.documents = std::sync::Arc::new(DocumentEngine::new(public_url));
        self
    }

    /// The public address verification links point to.
    pub fn public_url(&self) -> &str {
        self.documents.public_url()
    }

    /// Finds the CJK font now (at start-up) rather than at the first document; the error says
    /// how to install it.
    pub async fn check_document_fonts(&self) -> Result<(), AppError> {
        self.documents.fonts().await.map(|_| ())
    }

    /// Issues one document: numbers, renders, signs, stores the PDF and records it. A failure
    /// at any step records nothing; the same request again returns the first document.
    pub async fn issue_document(
        &self,
        request: DocumentRequest,
    ) -> Result<StoredDocument, AppError> {
        let key = request.idempotency_key();
        if let Some(record) = self.store.document_by_idempotency_key(&key).await? {
            return self.stored(record, true);
        }
        let issued_on = self.today();
        // Checked before a number is taken, so bad data leaves no gap in the series.
        request.data("-", issued_on)?;
        let signer = self.current_signer().await?;
        let revision = self.store.templates_revision().await?;
        let renderer = match self.documents.cached(&signer, revision) {
            Some(renderer) => renderer,
            None => {
                let saved = self.store.latest_templates().await?;
                self.documents.build(signer, revision, saved).await?
            }
        };
        let year = i32::from(issued_on.year());
        let serial = self
            .store
            .next_document_serial(series(request.kind), year)
            .await?;
        let number = format!("{}-{year}-{serial:06}", series(request.kind));
        let data = request.data(&number, issued_on)?;
        let typesetter = self.document_jobs.typesetter();
        let rendered = engine::render(renderer, data.clone(), typesetter)
            .await?
            .map_err(|e| {
                AppError::Unavailable(format!(
                    "{} {number} could not be rendered, nothing was issued: {e}",
                    request.kind
                ))
            })?;
        let content_hash = self.files.put(&rendered.pdf).await?;
        let document = NewDocument {
            kind: request.kind.slug().to_owned(),
            number,
            case_number: request.case_number.clone(),
            licence_number: request.licence_number.clone(),
            holder_name: data.holder.name.clone(),
            holder_credit_code: data.holder.credit_code.clone(),
            content_hash,
            data_json: String::from_utf8_lossy(&data.canonical_json()).into_owned(),
            payload: rendered.payload,
            key_id: rendered.key_id.to_string(),
            idempotency_key: key,
            created_at: self.clock.now(),
        };
        let recorded = self.store.record_document(&document).await?;
        self.stored(recorded.record, recorded.existing)
    }

    /// The PDF of a document by register number. Who may see it is the caller's to check.
    pub async fn document_pdf(&self, number: &str) -> Result<Vec<u8>, AppError> {
        let record = self
            .store
            .document(number)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("document {number}")))?;
        self.files
            .get(&record.document.content_hash)
            .await?
            .ok_or_else(|| corrupt(number, "its PDF is missing from the file store".into()))
    }

    /// A document in the register by number.
    pub async fn document(&self, number: &str) -> Result<StoredDocument, AppError> {
        match self.store.document(number).await? {
            Some(record) => self.stored(record, false),
            None => Err(AppError::NotFound(format!("document {number}"))),
        }
    }

    /// The case's documents, oldest first.
    pub async fn documents_for_case(
        &self,
        case_number: &str,
    ) -> Result<Vec<StoredDocument>, AppError> {
        let records = self.store.documents_for_case(case_number).await?;
        records.into_iter().map(|r| self.stored(r, false)).collect()
    }

    /// The licence's documents, oldest first.
    pub async fn documents_for_licence(
        &self,
        licence_number: &str,
    ) -> Result<Vec<StoredDocument>, AppError> {
        let records = self.store.documents_for_licence(licence_number).await?;
        records.into_iter().map(|r| self.stored(r, false)).collect()
    }

    /// The licence's certificate as it stands: the newest original and the newest copy (a
    /// re-rendering adds newer ones), in that order; empty before the certificate is made.
    pub async fn licence_certificates(
        &self,
        licence_number: &str,
    ) -> Result<Vec<StoredDocument>, AppError> {
        let documents = self.documents_for_licence(licence_number).await?;
        let newest = |kind| documents.iter().rev().find(|d| d.kind == kind).cloned();
        Ok([DocumentKind::LicenceOriginal, DocumentKind::LicenceCopy]
            .into_iter()
            .filter_map(newest)
            .collect())
    }

    /// The grant decisions behind a licence, oldest first (art. 40, public): its own case's, and
    /// those of the change, renewal and cancellation cases granted on it since. A deemed renewal
    /// (art. 50 ¶2) has none, as no decision was made.
    pub async fn licence_grant_decisions(
        &self,
        licence: &onewindow_domain::licences::Licence,
    ) -> Result<Vec<StoredDocument>, AppError> {
        let cases = std::iter::once(licence.grant.case_number.as_str())
            .chain(licence.events.iter().filter_map(|e| e.kind.case_number()));
        let mut decisions = Vec::new();
        for case in cases {
            let documents = self.documents_for_case(case).await?;
            decisions.extend(
                documents
                    .into_iter()
                    .filter(|d| d.kind == DocumentKind::GrantDecision),
            );
        }
        Ok(decisions)
    }

    fn stored(&self, record: DocumentRecord, existing: bool) -> Result<StoredDocument, AppError> {
        let d = record.document;
        let data: DocumentData = serde_json::from_str(&d.data_json)
            .map_err(|e| corrupt(&d.number, format!("its data: {e}")))?;
        Ok(StoredDocument {
            verify_url: verify_url(self.public_url(), data.kind, &data.number, &d.payload),
            kind: data.kind,
            number: d.number,
            case_number: d.case_number,
            licence_number: d.licence_number,
            data,
            content_hash: d.content_hash,
            payload: d.payload,
            key_id: d.key_id,
            created_at: d.created_at,
            existing,
        })
    }
}
