//! The catalogue as a file (docs/catalogue-format.md): which record kinds exist, which columns
//! each has, and the mapping between spreadsheet rows and domain records in both directions.
//! The bytes themselves are `onewindow-interchange`'s business.

mod export;
mod import;

pub use import::ImportSummary;

use onewindow_domain::catalogue::{FeeItem, FieldSpec, Org, Power, ServiceItem};

/// A kind of record in the file: its sheet name, its CSV `record` value, its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RecordKind {
    pub sheet: &'static str,
    pub record: &'static str,
    pub fields: &'static [FieldSpec],
}

pub(crate) const ORGS: RecordKind = RecordKind {
    sheet: "orgs",
    record: "org",
    fields: Org::FIELDS,
};
pub(crate) const POWERS: RecordKind = RecordKind {
    sheet: "powers",
    record: "power",
    fields: Power::FIELDS,
};
pub(crate) const ITEMS: RecordKind = RecordKind {
    sheet: "items",
    record: "item",
    fields: ServiceItem::FIELDS,
};
pub(crate) const FEES: RecordKind = RecordKind {
    sheet: "fees",
    record: "fee",
    fields: FeeItem::FIELDS,
};

/// Every kind, in the order they are written and must be read (orgs before what names them).
pub(crate) const KINDS: [RecordKind; 4] = [ORGS, POWERS, ITEMS, FEES];

/// The CSV header: `record`, then the union of the kinds' columns, first appearance wins.
pub(crate) fn csv_header() -> Vec<&'static str> {
    let mut header = vec!["record"];
    for kind in KINDS {
        for f in kind.fields {
            if !header.contains(&f.name) {
                header.push(f.name);
            }
        }
    }
    header
}
