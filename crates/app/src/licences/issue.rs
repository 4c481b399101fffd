//! Issuing a licence when a case reaches "issue the licence" (Administrative Licensing Law
//! art. 44), and the licence policy it is dated and numbered by (RULES.md §2, §3).

use jiff::civil::Date;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode, Problems};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{Licence, LicenceGrant, LicencePolicy, LicenceType, PolicyError};
use onewindow_store::{AuditEntry, NewLicence};

use super::{LicenceActor, POLICY_SETTING, invalid};
use crate::{App, AppError};

/// Longest free-text fields of a licence, in characters.
const MAX_NAME_CHARS: usize = 200;
const MAX_SCOPE_ENTRIES: usize = 50;

/// What the case flow hands over when a case reaches "issue the licence" (art. 44: within 10
/// working days of the grant). Issuing twice for one case returns the first licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueLicence {
    pub case_number: String,
    pub item_code: CatalogueCode,
    pub licence_type: LicenceType,
    pub holder_name: String,
    pub holder_credit_code: CreditCode,
    pub production_address: String,
    /// Products, or equipment categories with grades; one per entry.
    pub scope: Vec<String>,
    pub issuing_org: OrgCode,
    pub issued_on: Date,
    /// Who issues it (a user name), for the audit trail.
    pub actor: String,
}

/// A required text field, trimmed, at most `max` characters.
fn required(problems: &mut Problems, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim();
    let count = value.chars().count();
    if count == 0 {
        problems.push(field, "is required");
    } else if count > max {
        problems.push(field, format!("is {count} characters long; at most {max}"));
    }
    value.to_owned()
}

impl App {
    /// The licence policy in force: the stored one, or the default.
    pub async fn licence_policy(&self) -> Result<LicencePolicy, AppError> {
        let Some(json) = self.store.setting(POLICY_SETTING).await? else {
            return Ok(LicencePolicy::default());
        };
        let policy: LicencePolicy = serde_json::from_str(&json).map_err(|e| {
            AppError::Refused(format!("the stored licence policy cannot be read: {e}"))
        })?;
        policy.check().map_err(|e| {
            AppError::Refused(format!("the stored licence policy is unusable: {e}"))
        })?;
        Ok(policy)
    }

    /// Replaces the licence policy (administrators only); a policy that could not number or
    /// date a licence is refused whole.
    pub async fn set_licence_policy(
        &self,
        actor: &LicenceActor,
        policy: &LicencePolicy,
    ) -> Result<(), AppError> {
        if !actor.role.may_edit_catalogue() {
            return Err(AppError::Forbidden(format!(
                "{} may not change the licence policy; an administrator may",
                actor.username
            )));
        }
        self.save_licence_policy(&actor.username, policy).await
    }

    /// Replaces the licence policy for the operator at the machine (`onewindow licence-policy
    /// set`), who holds the database itself; checked whole as an administrator's would be.
    pub async fn set_licence_policy_from_command_line(
        &self,
        policy: &LicencePolicy,
    ) -> Result<(), AppError> {
        self.save_licence_policy("command line", policy).await
    }

    async fn save_licence_policy(
        &self,
        actor: &str,
        policy: &LicencePolicy,
    ) -> Result<(), AppError> {
        policy.check().map_err(|e| {
            let mut problems = Problems::default();
            problems.push("policy", e.to_string());
            invalid("licence policy", problems)
        })?;
        let json = serde_json::to_string(policy)
            .map_err(|e| AppError::Refused(format!("cannot store the policy: {e}")))?;
        self.store.set_setting(POLICY_SETTING, &json).await?;
        tracing::info!(actor, "licence policy replaced");
        Ok(())
    }

    /// Issues the licence of a granted case: checks the fields, dates it by the type's validity,
    /// draws its number and records it with an audit entry. Idempotent per case number.
    pub async fn issue_licence(&self, issue: IssueLicence) -> Result<Licence, AppError> {
        let generation = self.store.generations().await?.catalogue;
        self.issue_licence_at(issue, generation).await
    }

    /// [`App::issue_licence`], checking the item and the issuing org against the catalogue as
    /// stored at `catalogue_generation` or later (a case's move passes the generation read with
    /// the case, so the check costs no read of its own).
    pub(crate) async fn issue_licence_at(
        &self,
        issue: IssueLicence,
        catalogue_generation: i64,
    ) -> Result<Licence, AppError> {
        let mut problems = Problems::default();
        let case_number = required(&mut problems, "case_number", &issue.case_number, 64);
        let holder_name = required(
            &mut problems,
            "holder_name",
            &issue.holder_name,
            MAX_NAME_CHARS,
        );
        let address = required(
            &mut problems,
            "production_address",
            &issue.production_address,
            MAX_NAME_CHARS,
        );
        let scope: Vec<String> = issue.scope.iter().map(|s| s.trim().to_owned()).collect();
        if scope.is_empty() || scope.len() > MAX_SCOPE_ENTRIES {
            problems.push(
                "scope",
                format!("lists 1–{MAX_SCOPE_ENTRIES} products or categories"),
            );
        }
        for (i, entry) in scope.iter().enumerate() {
            let count = entry.chars().count();
            if count == 0 || count > MAX_NAME_CHARS {
                problems.push_line("scope", i + 1, format!("is 1–{MAX_NAME_CHARS} characters"));
            }
        }
        let today = self.today();
        if issue.issued_on > today {
            problems.push(
                "issued_on",
                format!("{} is after today ({today})", issue.issued_on),
            );
        }
        if self
            .item_at(issue.item_code.as_str(), catalogue_generation)
            .await?
            .is_none()
        {
            problems.push(
                "item_code",
                format!("there is no service item {}", issue.item_code),
            );
        }
        if !self
            .orgs_at(catalogue_generation)
            .await?
            .iter()
            .any(|o| o.code == issue.issuing_org)
        {
            problems.push(
                "issuing_org",
                format!("there is no org {}", issue.issuing_org),
            );
        }
        let policy = self.licence_policy().await?;
        let dates = policy.valid_until(issue.licence_type, issue.issued_on);
        let numbering = dates.clone().and_then(|until| {
            policy.numbering(issue.licence_type, issue.item_code.as_str(), until)
        });
        match (&dates, &numbering) {
            (Err(e), _) => problems.push("issued_on", e.to_string()),
            (_, Err(e @ (PolicyError::NoCodes { .. } | PolicyError::WrongType { .. }))) => {
                problems.push("item_code", e.to_string())
            }
            (_, Err(e)) => problems.push("licence_type", e.to_string()),
            _ => {}
        }
        let (Ok(valid_until), Ok(numbering), true) = (dates, numbering, problems.is_empty()) else {
            return Err(invalid("licence", problems));
        };
        let grant = LicenceGrant {
            licence_type: issue.licence_type,
            item_code: issue.item_code,
            holder_name,
            holder_credit_code: issue.holder_credit_code,
            production_address: address,
            scope,
            issued_on: issue.issued_on,
            valid_until,
            issuing_org: issue.issuing_org,
            case_number,
        };
        let now = self.clock.now();
        let audit = AuditEntry {
            at: now,
            actor: issue.actor.clone(),
            action: "issue_licence".into(),
            detail: format!(
                "case {}: {} for {} ({})",
                grant.case_number,
                numbering.pattern(),
                grant.holder_name,
                grant.holder_credit_code
            ),
        };
        let new = NewLicence {
            numbering,
            grant,
            issued_at: now,
        };
        let issued = self.store.issue_licence(&new, &audit).await?;
        if issued.existing && issued.licence.grant != new.grant {
            tracing::warn!(
                case = %new.grant.case_number,
                number = %issued.licence.number,
                "issuing again for a case with a licence: the first licence stands"
            );
        }
        Ok(issued.licence)
    }
}
