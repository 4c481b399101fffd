//! Open cases a sweep found with nothing due, remembered by this instance until the day, the
//! calendar or the catalogue changes (issue 6: the sweeper runs every minute over every open
//! case; at 100,000 open cases each pass parsed and folded a million events). Whether anything
//! is due on a case — a deemed acceptance or renewal, a warning not yet raised, a due date
//! moved, a stale projection — depends on its log (its version), today, the calendar and its
//! process and item (the catalogue generation) and on nothing else; so a case found quiet
//! stays quiet for as long as all of them are unchanged. A move by any instance changes its
//! version, and the next pass looks at it again.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use jiff::civil::Date;
use onewindow_store::{CaseId, Generations};

/// What the remembered answers hold for: the day and the generations they were found on.
type Basis = (Date, Generations);

/// Cases found with nothing due, by id, with the version they were found at.
#[derive(Default)]
pub(crate) struct QuietCases(Mutex<Option<(Basis, HashMap<CaseId, i64>)>>);

impl QuietCases {
    /// Whether case `id` at `version` was found quiet on `basis`. A pass on another basis
    /// forgets every answer.
    pub(crate) fn is_quiet(&self, basis: Basis, id: CaseId, version: i64) -> bool {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_mut() {
            Some((found_on, quiet)) if *found_on == basis => quiet.get(&id) == Some(&version),
            _ => {
                *kept = Some((basis, HashMap::new()));
                false
            }
        }
    }

    /// Remembers that case `id` at `version` has nothing due on `basis`.
    pub(crate) fn found_quiet(&self, basis: Basis, id: CaseId, version: i64) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_mut() {
            Some((found_on, quiet)) if *found_on == basis => {
                quiet.insert(id, version);
            }
            _ => *kept = Some((basis, HashMap::from([(id, version)]))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(day: &str, calendar: i64) -> Basis {
        let generations = Generations {
            calendar,
            catalogue: 1,
        };
        (day.parse().expect("a date"), generations)
    }

    #[test]
    fn a_case_stays_quiet_only_at_its_version_on_the_same_day_and_generations() {
        let quiet = QuietCases::default();
        let today = basis("2026-12-07", 1);
        assert!(!quiet.is_quiet(today, CaseId(1), 5));
        quiet.found_quiet(today, CaseId(1), 5);
        assert!(quiet.is_quiet(today, CaseId(1), 5));
        assert!(!quiet.is_quiet(today, CaseId(1), 6), "moved since");
        assert!(!quiet.is_quiet(today, CaseId(2), 5), "another case");
        assert!(
            !quiet.is_quiet(basis("2026-12-07", 2), CaseId(1), 5),
            "a calendar imported since"
        );
        assert!(
            !quiet.is_quiet(basis("2026-12-07", 1), CaseId(1), 5),
            "a pass on another basis forgot the answers"
        );
        quiet.found_quiet(today, CaseId(1), 5);
        assert!(
            !quiet.is_quiet(basis("2026-12-08", 1), CaseId(1), 5),
            "a new day"
        );
    }
}
