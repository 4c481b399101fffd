//! The storage ports: what the application needs from a database, as traits, with one error
//! type. Two backends implement them (SQLite and PostgreSQL, crate `onewindow-store-sql`) and
//! both must pass the conformance suite in [`conformance`] (feature `testing`). No SQL here and no
//! rules: the domain decides, the store remembers.

mod accounts;
mod calendar;
mod cases;
mod catalogue;
mod error;
mod files;
mod licences;
mod settings;

#[cfg(feature = "testing")]
pub mod conformance;

pub use accounts::{AccountStore, NewUser, SessionRecord, UserId, UserRecord};
pub use calendar::CalendarStore;
pub use cases::{
    CaseFilter, CaseId, CaseProjection, CaseRecord, CaseStore, Created, NewCase, StoredEvent,
};
pub use catalogue::{
    AuditEntry, CatalogueBatch, CatalogueStore, ItemFilter, PowerFilter, Versioned, Write,
};
pub use error::StoreError;
pub use files::{ContentHash, FileStore};
pub use licences::{
    COUNT_LIMIT, IssuedLicence, LicenceFilter, LicenceStore, LicenceTotal, NewLicence,
};
pub use settings::SettingsStore;

/// Everything the application needs, in one object it can share.
pub trait Store:
    CatalogueStore
    + CalendarStore
    + CaseStore
    + AccountStore
    + SettingsStore
    + LicenceStore
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
