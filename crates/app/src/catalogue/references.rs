//! Checks that every code a record points at exists — in the same batch or already stored — so
//! neither an import nor an edit can leave a power implemented by an unknown org or a guide
//! carrying out a power that is not there.

use std::collections::HashSet;

use onewindow_domain::catalogue::{Change, Org, OrgCode, Power, Vocabulary};
use onewindow_store::{CatalogueBatch, PowerFilter, Store, StoreError};

/// A dangling reference: which record, which field, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dangling {
    /// `("powers", 3)`: the batch list and the record's index in it.
    pub record: (&'static str, usize),
    pub field: &'static str,
    pub message: String,
}

/// Codes to treat as present although neither stored nor in the batch (rows of a file that
/// failed for other reasons, so their dependants are not reported twice).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assumed {
    pub orgs: HashSet<String>,
    pub powers: HashSet<String>,
}

/// Every dangling reference of the batch.
pub(crate) async fn check_references(
    store: &dyn Store,
    batch: &CatalogueBatch,
    assumed: &Assumed,
) -> Result<Vec<Dangling>, StoreError> {
    let stored_orgs = store.orgs().await?;
    let stored_powers = store.powers(&PowerFilter::default()).await?;
    let orgs: HashSet<&OrgCode> = stored_orgs
        .iter()
        .map(|o: &Org| &o.code)
        .chain(batch.orgs.iter().map(|w| &w.record.code))
        .collect();
    let powers: HashSet<&str> = stored_powers
        .iter()
        .map(|p: &Power| p.code.as_str())
        .chain(batch.powers.iter().map(|w| w.record.code.as_str()))
        .collect();
    let mut out = Vec::new();
    let mut need_org = |record, field, code: &OrgCode| {
        if !orgs.contains(code) && !assumed.orgs.contains(code.as_str()) {
            out.push(Dangling {
                record,
                field,
                message: format!("org \"{code}\" does not exist (add it to the orgs first)"),
            });
        }
    };
    for (i, w) in batch.orgs.iter().enumerate() {
        if let Some(parent) = &w.record.parent {
            need_org(("orgs", i), "parent_code", parent);
        }
    }
    for (i, w) in batch.powers.iter().enumerate() {
        need_org(
            ("powers", i),
            "implementing_org",
            &w.record.implementing_org,
        );
        for change in w.record.history.changes() {
            if let Some(org) = &change.org {
                need_org(("powers", i), "history", org);
            }
        }
    }
    for (i, w) in batch.items.iter().enumerate() {
        need_org(("items", i), "handling_org", &w.record.handling_org);
    }
    for (i, w) in batch.fees.iter().enumerate() {
        for change in w.record.history.changes() {
            if let Some(org) = &change.org {
                need_org(("fees", i), "history", org);
            }
        }
    }
    let mut need_power = |record, field, code: &str| {
        if !powers.contains(code) && !assumed.powers.contains(code) {
            out.push(Dangling {
                record,
                field,
                message: format!("power \"{code}\" does not exist"),
            });
        }
    };
    for (i, w) in batch.powers.iter().enumerate() {
        if let Some(parent) = &w.record.parent {
            need_power(("powers", i), "parent_code", parent.as_str());
        }
    }
    for (i, w) in batch.items.iter().enumerate() {
        need_power(("items", i), "power_code", w.record.power.as_str());
    }
    for (i, w) in batch.fees.iter().enumerate() {
        if let Some(power) = &w.record.power {
            need_power(("fees", i), "power_code", power.as_str());
        }
    }
    for (i, w) in batch.powers.iter().enumerate() {
        if let Some(stored) = stored_powers.iter().find(|p| p.code == w.record.code) {
            history_is_kept(
                ("powers", i),
                stored.history.changes(),
                w.record.history.changes(),
                &mut out,
            );
        }
    }
    for (i, w) in batch.fees.iter().enumerate() {
        if let Some(stored) = store.fee(&w.record.code).await? {
            history_is_kept(
                ("fees", i),
                stored.value.history.changes(),
                w.record.history.changes(),
                &mut out,
            );
        }
    }
    Ok(out)
}

/// History is append-only: a write must keep every stored change, in order, and may only add
/// changes after them. A delegation or cancellation is never overwritten.
fn history_is_kept(
    record: (&'static str, usize),
    stored: &[Change],
    written: &[Change],
    out: &mut Vec<Dangling>,
) {
    if let Some(i) = stored.iter().zip(written).position(|(s, w)| s != w) {
        out.push(Dangling { record, field: "history", message: format!("line {} differs from the stored change ({}); history is only appended to — add a new dated change instead", i + 1, stored[i].kind.key()) });
    } else if written.len() < stored.len() {
        out.push(Dangling {
            record,
            field: "history",
            message: format!(
                "{} stored change(s) are missing; history is only appended to",
                stored.len() - written.len()
            ),
        });
    }
}
