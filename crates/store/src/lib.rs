//! The storage ports: what the application needs from a database, as traits, with one error
//! type. Two backends implement them (SQLite and PostgreSQL, crate `onewindow-store-sql`) and
//! both must pass the conformance suite in [`conformance`] (feature `testing`). No SQL here and no
//! rules: the domain decides, the store remembers.

mod accounts;
mod bulk;
mod calendar;
mod cases;
mod catalogue;
mod documents;
mod enterprises;
mod error;
mod files;
mod licence_cases;
mod licences;
mod notifications;
mod settings;
mod sweep;
mod tokens;

#[cfg(feature = "testing")]
pub mod conformance;
#[cfg(feature = "testing")]
mod conformance_documents;

pub use accounts::{AccountStore, NewUser, SessionRecord, UserFilter, UserId, UserRecord};
pub use bulk::{BulkStore, CreatedCase};
pub use calendar::CalendarStore;
pub use cases::{
    CaseFilter, CaseForChange, CaseId, CaseProjection, CaseRecord, CaseStore, Created, Generations,
    LogHeadRow, NewCase, ProcessStore, SavedDefinition, StoredEvent,
};
pub use catalogue::{
    AuditEntry, CatalogueBatch, CatalogueStore, ItemFilter, PowerFilter, Versioned, Write,
};
pub use documents::{
    DocumentRecord, DocumentStore, NewDocument, Recorded, SigningKeyRecord, TemplateVersion,
};
pub use enterprises::EnterpriseStore;
pub use error::StoreError;
pub use files::{ContentHash, FileStore};
pub use licence_cases::LicenceCaseStore;
pub use licences::{
    COUNT_LIMIT, IssuedLicence, LicenceCursor, LicenceFilter, LicenceStore, LicenceTotal,
    NewLicence,
};
pub use notifications::{
    MailId, MailOutcome, MarkRead, NewMail, NewNotification, NotificationId, NotificationRecord,
    NotificationStore, OutboxMail, Recipient,
};
pub use settings::SettingsStore;
pub use sweep::{BatchAppend, OpenCases, SweepStore};
pub use tokens::{ApiTokenId, ApiTokenRecord, NewApiToken, TokenHolder, TokenStore};

/// Everything the application needs, in one object it can share.
pub trait Store:
    CatalogueStore
    + CalendarStore
    + CaseStore
    + ProcessStore
    + AccountStore
    + EnterpriseStore
    + TokenStore
    + SettingsStore
    + DocumentStore
    + LicenceStore
    + LicenceCaseStore
    + NotificationStore
    + SweepStore
    + BulkStore
    + Send
    + Sync
{
    /// Which database this is (for logs, `/healthz` and the conformance suite).
    fn backend(&self) -> Backend;
}

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}
