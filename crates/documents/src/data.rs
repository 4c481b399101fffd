//! The data one document states, and its canonical form.
//!
//! Owns [`DocumentData`] (plain, serialisable, independent of the case flow), its
//! validation against the kind's requirements, and the canonical JSON whose SHA-256
//! is signed. It must not render or sign anything.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::kind::{DocumentKind, ItemsRule};

/// Field key of the optional electronic licence identifier (GB/T 36904 style,
/// RULES.md §8), shown on the licence when present. Taken as plain text here.
pub const LICENCE_IDENTIFIER: &str = "licence_identifier";

/// Field key that, when present, replaces the default rights sentence of a
/// decision (the text differs by place; RULES.md "configurable").
pub const RIGHTS_TEXT: &str = "rights_text";

/// Date key of the end of validity; signed into the payload when present.
pub const VALID_UNTIL: &str = "valid_until";

/// The applicant or licence holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Enterprise name, as registered.
    pub name: String,
    /// Unified social credit code (GB 32100), already validated by the caller.
    pub credit_code: String,
}

/// Everything a document states. The visible text is rendered from exactly this,
/// and its canonical JSON is what the signature's content hash covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentData {
    /// Which document this is.
    pub kind: DocumentKind,
    /// The document number (文书编号); for a licence, the licence number.
    pub number: String,
    /// The issuing bureau, as printed above the seal.
    pub bureau: String,
    /// The case this document belongs to; empty for a licence document issued outside
    /// a case (see [`crate::Requirements::case_number`]).
    pub case_number: String,
    /// Applicant or holder.
    pub holder: Holder,
    /// Date of issue printed above the seal.
    pub issued_on: Date,
    /// Other named dates: `submitted_on`, `valid_until`, `new_deadline` … (see
    /// [`DocumentKind::requirements`]).
    pub dates: BTreeMap<String, Date>,
    /// Named text fields: `item`, `product`, `reconsideration_organ` …
    pub fields: BTreeMap<String, String>,
    /// Ordered list: materials to supplement, reasons, changes, product details.
    pub items: Vec<String>,
}

/// Why a [`DocumentData`] cannot be issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// A required value is missing or blank.
    #[error("{kind} needs {what} `{key}`")]
    Missing {
        /// The document kind.
        kind: DocumentKind,
        /// "date", "field" or "value".
        what: &'static str,
        /// The missing key.
        key: String,
    },
    /// The kind needs at least one item (a reason, a material, a change).
    #[error("{kind} needs at least one item (reasons, materials or changes)")]
    NoItems {
        /// The document kind.
        kind: DocumentKind,
    },
    /// A value is too long to be signed into the compact payload.
    #[error("`{key}` is {len} bytes long; at most 255 bytes can be signed")]
    TooLong {
        /// Which value.
        key: &'static str,
        /// Its length in bytes.
        len: usize,
    },
}

impl DocumentData {
    /// Checks the kind's requirements (RULES.md §1: a denial without reasons, a
    /// supplement notice without its list, a licence without its validity are refused).
    pub fn validate(&self) -> Result<(), DataError> {
        let kind = self.kind;
        let missing = |what, key: &str| DataError::Missing {
            kind,
            what,
            key: key.to_owned(),
        };
        let needs = kind.requirements();
        for (key, value) in [
            ("number", &self.number),
            ("bureau", &self.bureau),
            ("case_number", &self.case_number),
            ("holder.name", &self.holder.name),
            ("holder.credit_code", &self.holder.credit_code),
        ] {
            let optional = key == "case_number" && !needs.case_number;
            if value.trim().is_empty() && !optional {
                return Err(missing("value", key));
            }
        }
        for (key, value) in [
            ("number", &self.number),
            ("holder.name", &self.holder.name),
            ("holder.credit_code", &self.holder.credit_code),
        ] {
            if value.len() > 255 {
                return Err(DataError::TooLong {
                    key,
                    len: value.len(),
                });
            }
        }
        if let Some(key) = needs.dates.iter().find(|k| !self.dates.contains_key(**k)) {
            return Err(missing("date", key));
        }
        let blank = |k: &&&str| self.fields.get(**k).is_none_or(|v| v.trim().is_empty());
        if let Some(key) = needs.fields.iter().find(blank) {
            return Err(missing("field", key));
        }
        if needs.items == ItemsRule::Required && self.items.iter().all(|i| i.trim().is_empty()) {
            return Err(DataError::NoItems { kind });
        }
        Ok(())
    }

    /// The canonical JSON: struct fields in declaration order, maps sorted by key,
    /// dates as `YYYY-MM-DD`, no whitespace. The content hash is taken over these bytes.
    pub fn canonical_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("document data always serialises")
    }

    /// SHA-256 of [`Self::canonical_json`].
    pub fn content_hash(&self) -> [u8; 32] {
        sha256(&self.canonical_json())
    }

    /// The end of validity, if the document has one.
    pub fn valid_until(&self) -> Option<Date> {
        self.dates.get(VALID_UNTIL).copied()
    }
}

/// SHA-256 of some bytes.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A date as printed on Chinese official documents: `2026年11月28日`.
pub fn date_cn(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_data;

    #[test]
    fn every_sample_satisfies_its_kinds_requirements() {
        for kind in DocumentKind::ALL {
            sample_data(kind).validate().unwrap();
        }
    }

    #[test]
    fn a_denial_without_reasons_is_refused() {
        let mut data = sample_data(DocumentKind::DenialDecision);
        data.items.clear();
        assert_eq!(
            data.validate(),
            Err(DataError::NoItems {
                kind: DocumentKind::DenialDecision
            })
        );
    }

    #[test]
    fn a_licence_without_validity_is_refused() {
        let mut data = sample_data(DocumentKind::LicenceOriginal);
        data.dates.remove(VALID_UNTIL);
        let err = data.validate().unwrap_err();
        assert!(err.to_string().contains("valid_until"), "{err}");
    }

    #[test]
    fn only_documents_about_a_licence_may_be_issued_outside_a_case() {
        let mut reminder = sample_data(DocumentKind::RenewalReminder);
        reminder.case_number.clear();
        reminder.validate().unwrap();
        let mut acceptance = sample_data(DocumentKind::Acceptance);
        acceptance.case_number.clear();
        let err = acceptance.validate().unwrap_err();
        assert!(err.to_string().contains("case_number"), "{err}");
    }

    #[test]
    fn canonical_json_is_stable_and_sorted() {
        let data = sample_data(DocumentKind::Acceptance);
        let json = String::from_utf8(data.canonical_json()).unwrap();
        assert!(
            json.starts_with("{\"kind\":\"acceptance\",\"number\":"),
            "{json}"
        );
        let back: DocumentData = serde_json::from_str(&json).unwrap();
        assert_eq!(back.canonical_json(), data.canonical_json());
    }

    #[test]
    fn dates_print_the_chinese_way() {
        assert_eq!(date_cn(jiff::civil::date(2026, 3, 9)), "2026年3月9日");
    }
}
