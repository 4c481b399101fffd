//! Granted licences (许可证) and what happens to them after the grant: the register entry with its
//! holder, scope and validity, its status history (suspended, reinstated, revoked, cancelled —
//! Administrative Licensing Law arts. 69–70), the status it has on a given day with the reason in
//! plain words (the public verification answer, art. 40), the rules about which change may follow
//! which, who may change it, and how numbers are made (RULES.md §2, §3, §8).
//!
//! Pure: the caller brings today's date, the serial and the policy. Expiry is never recorded: it
//! is computed from `valid_until` against the day asked about, so a licence expires on time
//! without any job running. Change, renewal and cancellation *cases* are the cases module's; what
//! such a case may ask of a licence and what its grant records on it is `request`'s.

mod access;
mod electronic_id;
mod events;
mod numbering;
mod policy;
mod printed;
mod request;
mod status;

pub use access::may_change_status;
pub use events::{LicenceError, LicenceEvent, LicenceEventKind, StatusChange};
pub use numbering::LicenceNumbering;
pub use policy::{ItemCodes, LicencePolicy, PolicyError, TypeRule};
pub use printed::{PrintedNumberError, normalise_printed};
pub use request::{LicenceRequest, RequestError};
pub use status::{DateCondition, LicenceStatus, StatusReading, StoredStatus};

use jiff::civil::Date;

use crate::catalogue::{CatalogueCode, OrgCode, vocabulary};
use crate::identifiers::{CreditCode, LicenceNumber};

vocabulary! {
    /// Which kind of licence: fixes the number's shape and the default validity. A new kind is a
    /// new row here, a number shape in `identifiers` and a rule in [`LicencePolicy`].
    pub enum LicenceType {
        IndustrialProduct => "industrial_product", "工业产品生产许可证", "Industrial product production licence";
        SpecialEquipment => "special_equipment", "特种设备生产许可证", "Special-equipment production licence";
    }
}

/// What the grant decision says about the licence, everything but its number: it is what the
/// case flow hands over when the licence is issued (art. 44) and what the certificate states
/// (RULES.md §2: holder, production address, product, issue date, validity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceGrant {
    pub licence_type: LicenceType,
    /// The service item the licence was applied for under.
    pub item_code: CatalogueCode,
    pub holder_name: String,
    pub holder_credit_code: CreditCode,
    pub production_address: String,
    /// Products, or equipment categories with their grades (`管件 B级`), one per entry.
    pub scope: Vec<String>,
    pub issued_on: Date,
    /// The last day of validity: valid through this day, expired from the next.
    pub valid_until: Date,
    pub issuing_org: OrgCode,
    /// The case the licence was granted in; one case issues at most one licence.
    pub case_number: String,
}

/// A licence in the register: its number, the grant and every change since, oldest first.
/// `grant` holds the particulars in force: as granted, then as changed (art. 49) and renewed
/// (art. 50) by the events ([`Licence::record`]). Its version is the number of changes, so an append can check nobody changed it since
/// it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    pub number: LicenceNumber,
    pub grant: LicenceGrant,
    pub events: Vec<LicenceEvent>,
}

impl Licence {
    /// How many status changes it has had: the version the next append expects.
    pub fn version(&self) -> i64 {
        i64::try_from(self.events.len()).unwrap_or(i64::MAX)
    }
}
