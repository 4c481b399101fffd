//! The names a case's log shows people instead of its keys: its steps' names from the process
//! definition it follows, orgs' names from the catalogue. The clock's explanation, the timeline
//! and the clock panel read them through `domain::clock::Names`. Also the applicant's name and
//! domicile: its enterprise record, or what it declared at the window.

use std::collections::BTreeMap;

use onewindow_domain::catalogue::Org;
use onewindow_domain::clock::{Name, Names};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::Generations;

use onewindow_domain::identifiers::CreditCode;

use super::{Loaded, OnRecord};
use crate::{App, AppError};

/// Step ids and org codes → their names, for one case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseNames {
    steps: BTreeMap<String, Name>,
    orgs: BTreeMap<String, Name>,
}

impl CaseNames {
    pub fn new(definition: &ProcessDefinition, orgs: &[Org]) -> CaseNames {
        let steps = definition
            .steps()
            .iter()
            .map(|s| {
                let name = Name::new(s.name_zh.clone(), s.name_en.clone());
                (s.id.as_str().to_owned(), name)
            })
            .collect();
        let orgs = orgs
            .iter()
            .map(|o| {
                let name = Name::new(o.name(false), o.name(true));
                (o.code.as_str().to_owned(), name)
            })
            .collect();
        CaseNames { steps, orgs }
    }
}

impl Names for CaseNames {
    fn step(&self, id: &str) -> Option<Name> {
        self.steps.get(id).cloned()
    }

    fn org(&self, code: &str) -> Option<Name> {
        self.orgs.get(code).cloned()
    }
}

impl App {
    /// The applicant's name and domicile: its enterprise's record, else what it declared at the
    /// window (`ApplicantNamed`); `None` for neither (a log from before window naming).
    pub(crate) async fn applicant_particulars(
        &self,
        case: &Loaded,
    ) -> Result<Option<(String, String)>, AppError> {
        match &case.applicant_on_record {
            // The enterprise's record came with the case, in the same statement (issue 6).
            OnRecord::Read(Some(on_record)) => return Ok(Some(on_record.clone())),
            OnRecord::Read(None) => {}
            OnRecord::Unread => {
                if let Ok(code) = CreditCode::parse(&case.record.applicant)
                    && let Some(enterprise) = self.store.enterprise(&code).await?
                {
                    return Ok(Some((enterprise.name, enterprise.address)));
                }
            }
        }
        Ok(case
            .state
            .applicant_named()
            .map(|(name, address)| (name.to_owned(), address.to_owned())))
    }

    /// The names for a case that follows `definition`.
    pub(crate) async fn case_names(
        &self,
        definition: &ProcessDefinition,
        generations: Generations,
    ) -> Result<CaseNames, AppError> {
        Ok(CaseNames::new(
            definition,
            &self.orgs_at(generations.catalogue).await?,
        ))
    }
}
