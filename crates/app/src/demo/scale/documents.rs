//! The document entries of the open copies: their templates' entries, renumbered from each
//! series (serials reserved a chunk at a time) and put in the copy's case and holder's name.

use std::collections::BTreeMap;

use onewindow_store::{CreatedCase, NewDocument};

use super::Shared;
use super::copies::Head;
use crate::AppError;

impl Shared {
    /// The register entries of the open copies' templates' documents, for the copies, numbered
    /// from their series a chunk at a time (see the module note of `scale.rs`).
    pub(super) async fn copy_documents(
        &self,
        heads: &[Head],
        created: &[CreatedCase],
    ) -> Result<u64, AppError> {
        // (template's document, copy's case, holder) for every open copy.
        let mut wanted = Vec::new();
        for (head, case) in heads.iter().zip(created).filter(|(h, _)| h.open) {
            let (template, _) = self.template_of(head.i);
            for record in &template.documents {
                wanted.push((&record.document, template, case, head.code));
            }
        }
        let series_of = |number: &str| {
            let (series, rest) = number.split_once('-').unwrap_or((number, ""));
            let year: i32 = rest
                .split('-')
                .next()
                .and_then(|y| y.parse().ok())
                .unwrap_or(2026);
            (series.to_owned(), year)
        };
        let mut counts: BTreeMap<(String, i32), u32> = BTreeMap::new();
        for (document, ..) in &wanted {
            *counts.entry(series_of(&document.number)).or_default() += 1;
        }
        let mut next: BTreeMap<(String, i32), i64> = BTreeMap::new();
        for ((series, year), count) in counts {
            let first = self
                .app
                .store
                .reserve_document_serials(&series, year, count)
                .await?;
            next.insert((series, year), first);
        }
        let documents: Vec<NewDocument> = wanted
            .into_iter()
            .map(|(d, template, case, holder)| {
                let key = series_of(&d.number);
                let serial = next.get(&key).copied().unwrap_or(1);
                next.insert(key.clone(), serial + 1);
                NewDocument {
                    number: format!("{}-{}-{serial:06}", key.0, key.1),
                    case_number: Some(case.number.clone()),
                    holder_credit_code: holder.as_str().to_owned(),
                    idempotency_key: d.idempotency_key.replace(&template.number, &case.number),
                    ..d.clone()
                }
            })
            .collect();
        self.app.store.record_documents(&documents).await?;
        Ok(documents.len() as u64)
    }
}
