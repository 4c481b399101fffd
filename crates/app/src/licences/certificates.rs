//! The certificate links of a register page: for every licence on it, the newest original and
//! the newest copy of its certificate (art. 40: anyone may download them), read for the whole
//! page at once (issue 6: one read per line cost the page its p99 at 200,000 cases).

use std::collections::BTreeMap;

use crate::documents::DocumentKind;
use crate::{App, AppError};

/// A certificate PDF of a licence: its kind (original or copy) and its register number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateLink {
    pub kind: DocumentKind,
    pub number: String,
}

impl App {
    /// Each licence's certificate as it stands, by licence number: the newest original and the
    /// newest copy (a re-rendering adds newer ones), in that order; a licence whose certificate
    /// is not made yet has none. One store read for all of them.
    pub async fn register_certificates(
        &self,
        licence_numbers: &[String],
    ) -> Result<BTreeMap<String, Vec<CertificateLink>>, AppError> {
        let records = self.store.documents_for_licences(licence_numbers).await?;
        let mut newest: BTreeMap<(String, usize), String> = BTreeMap::new();
        let order = [DocumentKind::LicenceOriginal, DocumentKind::LicenceCopy];
        // Oldest first: a later document of a kind replaces an earlier one.
        for record in records {
            let d = record.document;
            let (Some(licence), Some(kind)) = (d.licence_number, DocumentKind::from_slug(&d.kind))
            else {
                continue;
            };
            if let Some(place) = order.iter().position(|k| *k == kind) {
                newest.insert((licence, place), d.number);
            }
        }
        let mut links: BTreeMap<String, Vec<CertificateLink>> = BTreeMap::new();
        for ((licence, place), number) in newest {
            links.entry(licence).or_default().push(CertificateLink {
                kind: order[place],
                number,
            });
        }
        Ok(links)
    }
}
