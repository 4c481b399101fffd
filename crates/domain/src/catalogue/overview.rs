//! The figures a bureau publishes about its catalogue (the seed's: powers by category, cancelled,
//! delegated down, received from the province, fees cancelled and reduced), each computed from
//! the records' histories as of one day — never typed in.

use jiff::civil::Date;

use super::{ChangeKind, FeeItem, FeeStatus, Power, PowerCategory, PowerStatus, Vocabulary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    pub category: PowerCategory,
    pub total: usize,
    pub in_force: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub as_of: Date,
    pub powers_total: usize,
    pub in_force: usize,
    pub by_category: Vec<CategoryCount>,
    /// Powers cancelled and still cancelled on `as_of`.
    pub cancelled: usize,
    /// Powers handed down to a lower org at some point up to `as_of`.
    pub delegated_down: usize,
    /// Powers received from a higher org up to `as_of`.
    pub received_from_higher: usize,
    pub fees_total: usize,
    pub fees_cancelled: usize,
    pub fees_reduced: usize,
    pub fees_waived: usize,
}

impl Overview {
    pub fn compute<'a>(
        powers: impl IntoIterator<Item = &'a Power>,
        fees: impl IntoIterator<Item = &'a FeeItem>,
        as_of: Date,
    ) -> Overview {
        let mut by_category: Vec<CategoryCount> = PowerCategory::ALL
            .iter()
            .map(|&category| CategoryCount {
                category,
                total: 0,
                in_force: 0,
            })
            .collect();
        let mut o = Overview {
            as_of,
            powers_total: 0,
            in_force: 0,
            by_category: Vec::new(),
            cancelled: 0,
            delegated_down: 0,
            received_from_higher: 0,
            fees_total: 0,
            fees_cancelled: 0,
            fees_reduced: 0,
            fees_waived: 0,
        };
        for power in powers {
            // A power established after `as_of` did not exist yet.
            if power.history.in_force_on(as_of).next().is_none() {
                continue;
            }
            let status = power.status_on(as_of);
            o.powers_total += 1;
            let slot = by_category
                .iter_mut()
                .find(|c| c.category == power.category);
            if let Some(slot) = slot {
                slot.total += 1;
                slot.in_force += usize::from(status != PowerStatus::Cancelled);
            }
            o.in_force += usize::from(status != PowerStatus::Cancelled);
            o.cancelled += usize::from(status == PowerStatus::Cancelled);
            o.delegated_down += usize::from(power.history.has(ChangeKind::DelegatedDown, as_of));
            o.received_from_higher += usize::from(power.history.has(ChangeKind::Received, as_of));
        }
        for fee in fees {
            if fee.history.in_force_on(as_of).next().is_none() {
                continue;
            }
            o.fees_total += 1;
            match fee.status_on(as_of) {
                FeeStatus::Cancelled => o.fees_cancelled += 1,
                FeeStatus::Reduced => o.fees_reduced += 1,
                FeeStatus::Waived => o.fees_waived += 1,
                FeeStatus::Charged => {}
            }
        }
        o.by_category = by_category;
        o
    }
}
