//! The catalogue's storage port: orgs, powers, service items and fees, read with filters and
//! written in batches that succeed or fail whole, each write leaving an audit entry.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::catalogue::{
    CatalogueCode, FeeItem, ItemStatus, Org, OrgCode, Power, PowerCategory, PowerSource,
    ServiceItem,
};

use crate::StoreError;

/// A record with the version it was stored at; a write naming an older version is a conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
}

/// Narrows a list of powers. Every field is optional; all given ones must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PowerFilter {
    /// Case-insensitive substring of the code, names or legal basis — one Chinese character
    /// (泵) is enough.
    pub text: Option<String>,
    pub category: Option<PowerCategory>,
    pub source: Option<PowerSource>,
    pub org: Option<OrgCode>,
}

/// Narrows a list of service items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub text: Option<String>,
    pub power: Option<CatalogueCode>,
    pub status: Option<ItemStatus>,
}

/// One record to write, with the version the writer last saw (`None`: write whatever is there,
/// as an import does).
#[derive(Debug, Clone, PartialEq)]
pub struct Write<T> {
    pub record: T,
    pub expected_version: Option<i64>,
}

impl<T> Write<T> {
    pub fn new(record: T) -> Self {
        Self {
            record,
            expected_version: None,
        }
    }

    pub fn expecting(record: T, version: i64) -> Self {
        Self {
            record,
            expected_version: Some(version),
        }
    }
}

/// Records written together in one transaction: all of them or none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogueBatch {
    pub orgs: Vec<Write<Org>>,
    pub powers: Vec<Write<Power>>,
    pub items: Vec<Write<ServiceItem>>,
    pub fees: Vec<Write<FeeItem>>,
}

impl CatalogueBatch {
    pub fn len(&self) -> usize {
        self.orgs.len() + self.powers.len() + self.items.len() + self.fees.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Who changed the catalogue, when, and what they did; stored with the write it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: String,
    /// `import`, `edit`, `append_change`, `publish` …
    pub action: String,
    pub detail: String,
}

#[async_trait]
pub trait CatalogueStore {
    async fn orgs(&self) -> Result<Vec<Org>, StoreError>;
    /// Changes whenever a catalogue write commits (bumped in its transaction), so every
    /// instance sharing the database notices and drops what it cached.
    async fn catalogue_version(&self) -> Result<i64, StoreError>;
    /// Powers matching the filter, ordered by code.
    async fn powers(&self, filter: &PowerFilter) -> Result<Vec<Power>, StoreError>;
    async fn power(&self, code: &CatalogueCode) -> Result<Option<Versioned<Power>>, StoreError>;
    /// Items matching the filter, ordered by code.
    async fn items(&self, filter: &ItemFilter) -> Result<Vec<ServiceItem>, StoreError>;
    async fn item(
        &self,
        code: &CatalogueCode,
    ) -> Result<Option<Versioned<ServiceItem>>, StoreError>;
    /// All fee items, ordered by code.
    async fn fees(&self) -> Result<Vec<FeeItem>, StoreError>;
    async fn fee(&self, code: &CatalogueCode) -> Result<Option<Versioned<FeeItem>>, StoreError>;
    /// Inserts or replaces every record of the batch and records the audit entry, in one
    /// transaction. A record whose `expected_version` is not the stored one fails the whole
    /// batch with [`StoreError::Conflict`].
    async fn write_catalogue(
        &self,
        batch: &CatalogueBatch,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The latest audit entries, newest first.
    async fn catalogue_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
}
