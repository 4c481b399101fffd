//! Who may change a licence's status. Suspending, reinstating, revoking or cancelling a licence is
//! a decision of the organ that granted it (Administrative Licensing Law arts. 69–70), signed like
//! the grant: by a signatory or the head of the issuing org. Administrators keep the system, not
//! licensing decisions; clerks, reviewers, inspectors and institutes prepare, they do not decide;
//! staff of another org, even a higher one, act through the issuing org.

use super::Licence;
use crate::access::Role;
use crate::catalogue::{OrgCode, Vocabulary};

/// Whether `role` in `org` may change `licence`'s status; the refusal says who may.
pub fn may_change_status(role: Role, org: &OrgCode, licence: &Licence) -> Result<(), String> {
    let issuing = &licence.grant.issuing_org;
    if !matches!(role, Role::Signatory | Role::Head) {
        return Err(format!(
            "a {} may not change a licence's status; a signatory or the head of the issuing org \
             ({issuing}) may",
            role.label_en().to_lowercase()
        ));
    }
    if org != issuing {
        return Err(format!(
            "licence {} was issued by {issuing}; staff of {org} may not change its status",
            licence.number
        ));
    }
    Ok(())
}
