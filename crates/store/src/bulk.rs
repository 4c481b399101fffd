//! Loading many rows at once (issue 6: a national-size dataset of a million cases must be
//! practical to make). Each call is one transaction, all or nothing, so thousands of rows share
//! one commit instead of paying one each; the rows are the same rows, with the same numbering,
//! chains and audit entries, as the one-at-a-time ports write.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::Enterprise;
use onewindow_domain::licences::Licence;

use crate::{
    AuditEntry, BatchAppend, CaseId, DocumentRecord, NewCase, NewDocument, NewLicence, NewUser,
    StoreError,
};

/// A case made by [`BulkStore::create_cases`]: its id and the number drawn for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedCase {
    pub id: CaseId,
    pub number: String,
}

#[async_trait]
pub trait BulkStore {
    /// Each enterprise with its first user and audit entry, as
    /// [`crate::EnterpriseStore::create_enterprise_with_user`] stores one, all in one
    /// transaction. A registered code or a taken user name fails the whole call
    /// ([`StoreError::Duplicate`]) and nothing is kept.
    async fn create_enterprises_with_users(
        &self,
        batch: Vec<(Enterprise, NewUser, AuditEntry)>,
    ) -> Result<(), StoreError>;

    /// New cases with their events, each numbered from the series of its year (the `i32`) as
    /// [`crate::CaseStore::create_case`] numbers one, in one transaction; answers them in the
    /// order given. A case with an idempotency key is refused (a bulk load has no retries to
    /// recognise); a second open case on a licence fails the whole call.
    async fn create_cases(&self, cases: &[(NewCase, i32)]) -> Result<Vec<CreatedCase>, StoreError>;

    /// Each append with the time it happened (the case's `updated_at`), checked against its
    /// case's version as [`crate::CaseStore::append_events`] checks one, in one transaction. A
    /// stale version fails the whole call ([`StoreError::Conflict`]) and nothing is kept.
    async fn append_to_cases(&self, appends: &[(BatchAppend, Timestamp)])
    -> Result<(), StoreError>;

    /// Each licence issued and numbered from its series as
    /// [`crate::LicenceStore::issue_licence`] issues one, with its audit entry, in one
    /// transaction; answers them in the order given. A case that has its licence already fails
    /// the whole call ([`StoreError::Duplicate`]).
    async fn issue_licences(
        &self,
        batch: &[(NewLicence, AuditEntry)],
    ) -> Result<Vec<Licence>, StoreError>;

    /// Takes `count` serials of a document number series at once (as `count` calls of
    /// [`crate::DocumentStore::next_document_serial`] would); answers the first of them.
    async fn reserve_document_serials(
        &self,
        series: &str,
        year: i32,
        count: u32,
    ) -> Result<i64, StoreError>;

    /// Enters numbered documents in the register in one transaction. A taken number or
    /// idempotency key fails the whole call ([`StoreError::Duplicate`]).
    async fn record_documents(
        &self,
        documents: &[NewDocument],
    ) -> Result<Vec<DocumentRecord>, StoreError>;
}
