//! The documents' storage port: the Ed25519 keys that sign documents, the register of issued
//! documents (their PDF bytes live in the [`crate::FileStore`], named by hash), and the versions
//! of the document templates an administrator saved. Keys live in the database so that every
//! instance on one PostgreSQL signs with the same key (docs/adr/0002-document-signatures.md).
//! The store keeps the key material and the document data as text it never interprets.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::{AuditEntry, ContentHash, StoreError};

/// One signing key, current (`retired_at` is `None`) or retired (verify-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeyRecord {
    /// 16 lowercase hex digits, derived from the public key.
    pub key_id: String,
    pub created_at: Timestamp,
    /// When a newer key took over; a retired key never signs again but still verifies.
    pub retired_at: Option<Timestamp>,
    /// The public key as one JWK (RFC 8037), exactly as published.
    pub public_jwk: String,
    /// The private key, as the application encoded it (PKCS#8 DER, base64).
    pub private_key: String,
}

/// A document to enter in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// The document kind's slug (`acceptance`, `licence-original`, …).
    pub kind: String,
    /// The register number, unique across all documents (e.g. `SL-2026-000001`).
    pub number: String,
    pub case_number: Option<String>,
    pub licence_number: Option<String>,
    pub holder_name: String,
    pub holder_credit_code: String,
    /// The PDF's name in the file store.
    pub content_hash: ContentHash,
    /// The data the document states, as canonical JSON (what its signature covers).
    pub data_json: String,
    /// The signed payload its QR code carries.
    pub payload: String,
    pub key_id: String,
    /// One key per (kind, case or licence, caller's idempotency string): a retried event
    /// finds the document it already made.
    pub idempotency_key: String,
    pub created_at: Timestamp,
}

/// A document in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub id: i64,
    pub document: NewDocument,
}

/// The outcome of [`DocumentStore::record_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub record: DocumentRecord,
    /// True when the idempotency key had been used: the earlier document is returned and
    /// nothing was written.
    pub existing: bool,
}

/// One saved version of a document template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVersion {
    /// The template name (`DocumentKind::template`: the licence original and copy share
    /// `licence`).
    pub template: String,
    /// 1, 2, … per template.
    pub version: i64,
    /// The typst source.
    pub source: String,
    pub saved_by: String,
    pub saved_at: Timestamp,
}

#[async_trait]
pub trait DocumentStore {
    /// Every signing key, oldest first.
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError>;
    /// Adds the first key. At most one key is current (a unique constraint), so when another
    /// instance added one first this fails with [`StoreError::Duplicate`]: read the keys again.
    async fn add_first_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError>;
    /// Retires the current key at `key.created_at` and makes `key` current, in one transaction
    /// with the audit entry. Two rotations at once: one fails with [`StoreError::Duplicate`].
    async fn rotate_signing_key(
        &self,
        key: &SigningKeyRecord,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// The next serial of a document number series (e.g. prefix `SL`, year 2026): 1, 2, …
    async fn next_document_serial(&self, series: &str, year: i32) -> Result<i64, StoreError>;
    /// Enters a document in the register; with an idempotency key already used, returns that
    /// document instead. A number already taken is [`StoreError::Duplicate`].
    async fn record_document(&self, document: &NewDocument) -> Result<Recorded, StoreError>;
    async fn document(&self, number: &str) -> Result<Option<DocumentRecord>, StoreError>;
    async fn document_by_idempotency_key(
        &self,
        key: &str,
    ) -> Result<Option<DocumentRecord>, StoreError>;
    /// The case's documents, oldest first.
    async fn documents_for_case(
        &self,
        case_number: &str,
    ) -> Result<Vec<DocumentRecord>, StoreError>;
    /// The licence's documents (the certificate, its changes, cancellation …), oldest first.
    async fn documents_for_licence(
        &self,
        licence_number: &str,
    ) -> Result<Vec<DocumentRecord>, StoreError>;

    /// The documents of every licence in `licence_numbers`, oldest first, in one read (a
    /// register page's certificate links).
    async fn documents_for_licences(
        &self,
        licence_numbers: &[String],
    ) -> Result<Vec<DocumentRecord>, StoreError>;

    /// Saves a new version of a template with its audit entry; returns its version number.
    async fn save_template(
        &self,
        template: &str,
        source: &str,
        saved_by: &str,
        saved_at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError>;
    /// Every saved version of one template, newest first.
    async fn template_versions(&self, template: &str) -> Result<Vec<TemplateVersion>, StoreError>;
    /// The newest saved version of each template that has one.
    async fn latest_templates(&self) -> Result<Vec<TemplateVersion>, StoreError>;
    /// Changes whenever any template is saved (0 when none ever was): a cheap check whether a
    /// cached set of templates is still current.
    async fn templates_revision(&self) -> Result<i64, StoreError>;
}
