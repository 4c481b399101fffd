//! The electronic licence identifier a certificate carries when the bureau configured one
//! (电子证照标识, GB/T 36904 style; RULES.md §8, optional): which parts the policy gives (the
//! issuing organ's credit code, a type code per licence type) and which the licence gives (the
//! serial from its number, the version from how many certificates it has had). Must not format
//! or check identifiers itself — that is `identifiers::ElectronicLicenceId`'s.

use crate::identifiers::ElectronicLicenceId;

use super::{Licence, LicenceEventKind, LicencePolicy, LicenceType, PolicyError};
use crate::catalogue::Vocabulary;

impl Licence {
    /// How many certificates this licence has had: the first at the grant (art. 44), and one
    /// more for each change (art. 49) and renewal (art. 50, deemed ones included), since each
    /// states particulars or a validity the earlier one did not. Suspension, reinstatement,
    /// revocation and cancellation issue none.
    pub fn certificate_count(&self) -> u16 {
        let reissues = self
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    LicenceEventKind::Changed { .. } | LicenceEventKind::Renewed { .. }
                )
            })
            .count();
        u16::try_from(reissues + 1).unwrap_or(u16::MAX)
    }

    /// The serial part of its electronic identifier: the number's digits and capital letters in
    /// order (`（辽）XK06-014-00001` → `XK0601400001`); the province and the dashes are print.
    pub fn electronic_serial(&self) -> String {
        self.number
            .to_string()
            .chars()
            .filter(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            .collect()
    }
}

impl LicencePolicy {
    /// The identifier of the licence's current certificate, when the policy configures one for
    /// its type; `None` when the bureau has not (the identifier is optional, RULES.md §8).
    pub fn electronic_id(&self, licence: &Licence) -> Option<ElectronicLicenceId> {
        let issuer = self.electronic_issuer.as_ref()?;
        let type_code = self
            .rule(licence.grant.licence_type)
            .electronic_type_code
            .as_deref()?;
        ElectronicLicenceId::new(
            type_code,
            issuer,
            &licence.electronic_serial(),
            licence.certificate_count(),
        )
        .ok()
    }

    /// Whether the identifier settings can make identifiers: each type code is one an
    /// identifier accepts with this issuer, and a type code has an issuer to go with it.
    pub(super) fn check_electronic_id(&self) -> Result<(), PolicyError> {
        for licence_type in <LicenceType as Vocabulary>::ALL {
            let Some(type_code) = &self.rule(*licence_type).electronic_type_code else {
                continue;
            };
            let what = format!("electronic_type_code of {}", Vocabulary::key(*licence_type));
            let Some(issuer) = &self.electronic_issuer else {
                return Err(PolicyError::Invalid {
                    what,
                    why: "is set but electronic_issuer (the issuing organ's credit code) is not"
                        .into(),
                });
            };
            // The longest serial a number makes is far below the identifier's 64.
            ElectronicLicenceId::new(type_code, issuer, "1", 1).map_err(|e| {
                PolicyError::Invalid {
                    what,
                    why: e.to_string(),
                }
            })?;
        }
        Ok(())
    }
}
