//! The licence register's storage port (Administrative Licensing Law art. 40: grants are public):
//! issuing a licence with the next serial of its series, reading one by number or by the case it
//! came from, searching the register, and appending a status change with a version check. The
//! store keeps, beside each licence, its recorded status (the last change's) so the register can
//! filter by status without folding; expiry is read from the dates (see
//! [`LicenceStatus::stored_as`]).

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{
    Licence, LicenceEvent, LicenceGrant, LicenceNumbering, LicenceStatus,
};

use crate::{AuditEntry, StoreError};

/// A licence to issue: what the grant says and how its number is made. The store draws the
/// serial from the numbering's series inside the transaction that records the licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLicence {
    pub numbering: LicenceNumbering,
    pub grant: LicenceGrant,
    pub issued_at: Timestamp,
}

/// The outcome of [`LicenceStore::issue_licence`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLicence {
    pub licence: Licence,
    /// True when the case had its licence already: nothing new was issued or numbered.
    pub existing: bool,
}

/// Where a walk over [`LicenceStore::expiring_licences`] stands; `default()` starts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LicenceCursor(pub i64);

/// The most matches a search counts exactly: past it, the total says "more than", so a search
/// matching most of a national register costs what a selective one does.
pub const COUNT_LIMIT: u64 = 10_000;

/// How many licences match a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenceTotal {
    /// The number of matches, at most [`COUNT_LIMIT`].
    pub count: u64,
    /// False when more than [`COUNT_LIMIT`] match.
    pub exact: bool,
}

/// Narrows the register. Every field is optional; all given ones must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LicenceFilter {
    /// Words that must each appear in the number, the holder's name or credit code, or the
    /// scope: Chinese as any substring (one character is enough for a product), letters and
    /// digits from the start of a word (`XK06-014`, `00042`, `91210200`), case and width folded.
    pub text: Option<String>,
    /// The status on a day (normally today).
    pub status_on: Option<(LicenceStatus, Date)>,
    pub holder_credit_code: Option<CreditCode>,
    pub issuing_org: Option<OrgCode>,
}

#[async_trait]
pub trait LicenceStore {
    /// Issues a licence: the next serial of its numbering's series, the number, the licence and
    /// `audit`, in one transaction — two issues at once never share a serial. Idempotent per
    /// case: when the grant's case already has a licence, returns that one (`existing`) and
    /// changes nothing, so the case flow may retry safely. A full series is
    /// [`StoreError::Exhausted`].
    async fn issue_licence(
        &self,
        licence: &NewLicence,
        audit: &AuditEntry,
    ) -> Result<IssuedLicence, StoreError>;
    async fn licence(&self, number: &LicenceNumber) -> Result<Option<Licence>, StoreError>;
    /// The licence a case issued, if any.
    async fn licence_of_case(&self, case_number: &str) -> Result<Option<Licence>, StoreError>;
    /// Licences recorded valid whose last day of validity is in `from..=through`, after the
    /// cursor, at most `limit`, in a stable order; with the cursor to continue from (the same
    /// one when nothing more was found). For the renewal reminders (art. 50).
    async fn expiring_licences(
        &self,
        from: Date,
        through: Date,
        after: LicenceCursor,
        limit: u32,
    ) -> Result<(Vec<Licence>, LicenceCursor), StoreError>;
    /// Licences matching the filter, newest first, with how many match (counted up to
    /// [`COUNT_LIMIT`]).
    async fn licences(
        &self,
        filter: &LicenceFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Licence>, LicenceTotal), StoreError>;
    /// Appends a change if the licence is still at `expected_version` (its number of changes),
    /// with `audit`, in one transaction; a stale version is [`StoreError::Conflict`] and nothing
    /// is written. A change of particulars or a renewal also updates the row's particulars in
    /// force and its search terms ([`Licence::record`]). `None` when there is no such licence.
    /// The caller has checked the change against the domain's rules.
    async fn append_licence_event(
        &self,
        number: &LicenceNumber,
        expected_version: i64,
        event: &LicenceEvent,
        audit: &AuditEntry,
    ) -> Result<Option<Licence>, StoreError>;
}
