//! The licence register's use cases: issuing a licence when a case reaches "issue the licence"
//! (Administrative Licensing Law art. 44), the public register of grants and the verification
//! answer (art. 40), and status changes by the issuing org's signatory or head (arts. 69–70),
//! each audited in the transaction that records it. Validity and numbering come from the licence
//! policy (RULES.md §2, §3), kept in the settings under [`POLICY_SETTING`].

use jiff::civil::Date;
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, Org, OrgCode, Problems, Vocabulary};
use onewindow_domain::identifiers::{CreditCode, LicenceNumber};
use onewindow_domain::licences::{
    Licence, LicenceGrant, LicencePolicy, LicenceStatus, LicenceType, PolicyError, StatusChange,
    StatusReading, may_change_status, normalise_printed,
};
use onewindow_store::{AuditEntry, LicenceFilter, NewLicence, UserRecord};

use crate::{App, AppError};

/// The setting holding the licence policy as JSON; absent, [`LicencePolicy::default`] holds.
pub const POLICY_SETTING: &str = "licence_policy";

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

/// A staff member acting on the register: who, in which role, in which org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceActor {
    pub username: String,
    pub role: Role,
    pub org: OrgCode,
}

impl From<&UserRecord> for LicenceActor {
    fn from(user: &UserRecord) -> Self {
        LicenceActor {
            username: user.username.to_string(),
            role: user.role,
            org: user.org.clone(),
        }
    }
}

/// What the verification page and API show: the licence, its status today with the reason,
/// and the issuing org.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenceView {
    pub licence: Licence,
    pub status: StatusReading,
    pub today: Date,
    pub issuing_org: Option<Org>,
}

/// One line of the register: a licence and its status today.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterEntry {
    pub licence: Licence,
    pub status: StatusReading,
}

/// A window of the register: the entries from `offset`, at most `limit`, and how many match.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterPage {
    pub entries: Vec<RegisterEntry>,
    /// The orgs that issued the entries, for their names.
    pub orgs: Vec<Org>,
    pub total: u64,
    pub offset: u32,
    pub limit: u32,
}

/// The most entries one window of the register holds.
pub const MAX_REGISTER_LIMIT: u32 = 200;

/// What the register is narrowed by; each given field must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterQuery {
    /// Words of the number, holder name or credit code, or products (see
    /// [`LicenceFilter::text`]).
    pub text: Option<String>,
    /// The status today.
    pub status: Option<LicenceStatus>,
    pub holder_credit_code: Option<CreditCode>,
    pub issuing_org: Option<OrgCode>,
}

fn invalid(what: &str, problems: Problems) -> AppError {
    AppError::Invalid {
        what: what.into(),
        problems,
    }
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
        policy.check().map_err(|e| {
            let mut problems = Problems::default();
            problems.push("policy", e.to_string());
            invalid("licence policy", problems)
        })?;
        let json = serde_json::to_string(policy)
            .map_err(|e| AppError::Refused(format!("cannot store the policy: {e}")))?;
        self.store.set_setting(POLICY_SETTING, &json).await?;
        tracing::info!(actor = %actor.username, "licence policy replaced");
        Ok(())
    }

    /// Issues the licence of a granted case: checks the fields, dates it by the type's validity,
    /// draws its number and records it with an audit entry. Idempotent per case number.
    pub async fn issue_licence(&self, issue: IssueLicence) -> Result<Licence, AppError> {
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
        if self.store.item(&issue.item_code).await?.is_none() {
            problems.push(
                "item_code",
                format!("there is no service item {}", issue.item_code),
            );
        }
        if !self
            .store
            .orgs()
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

    /// The licence `number_text` names, in any printed form (with or without `（辽）`, ASCII
    /// brackets, spaces, lower case, full-width characters), with its status today.
    pub async fn licence_view(&self, number_text: &str) -> Result<LicenceView, AppError> {
        let number = normalise_printed(number_text).map_err(|e| {
            let mut problems = Problems::default();
            problems.push("number", e.to_string());
            invalid("licence number", problems)
        })?;
        let licence = self
            .find_licence(&number)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("licence {number}")))?;
        let today = self.today();
        let issuing_org = self
            .store
            .orgs()
            .await?
            .into_iter()
            .find(|o| o.code == licence.grant.issuing_org);
        Ok(LicenceView {
            status: licence.status_on(today),
            licence,
            today,
            issuing_org,
        })
    }

    /// The licence with `number`; a number typed without its province is tried with the
    /// provinces the policy prints (the certificate says `（辽）`, the reader may not).
    async fn find_licence(&self, number: &LicenceNumber) -> Result<Option<Licence>, AppError> {
        if let Some(found) = self.store.licence(number).await? {
            return Ok(Some(found));
        }
        if number.province().is_some() {
            return Ok(None);
        }
        let policy = self.licence_policy().await?;
        for licence_type in LicenceType::ALL {
            let Some(province) = &policy.rule(*licence_type).province else {
                continue;
            };
            let Ok(full) = LicenceNumber::parse(&format!("（{province}）{number}")) else {
                continue;
            };
            if let Some(found) = self.store.licence(&full).await? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The changes `actor` may make to the licence today: none unless the actor may change its
    /// status at all, then those the rules allow.
    pub fn licence_changes_for(
        &self,
        actor: &LicenceActor,
        view: &LicenceView,
    ) -> Vec<StatusChange> {
        match may_change_status(actor.role, &actor.org, &view.licence) {
            Ok(()) => view.licence.allowed_changes(view.today),
            Err(_) => Vec::new(),
        }
    }

    /// Suspends, reinstates, revokes or cancels a licence today, with the reason, audited.
    /// Only the issuing org's signatory or head may; `expected_version` (the number of changes
    /// the actor saw) guards against two people changing it at once.
    pub async fn change_licence_status(
        &self,
        actor: &LicenceActor,
        number_text: &str,
        change: StatusChange,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<LicenceView, AppError> {
        let view = self.licence_view(number_text).await?;
        let licence = &view.licence;
        may_change_status(actor.role, &actor.org, licence)
            .map_err(|why| AppError::Forbidden(format!("{}: {why}", actor.username)))?;
        let version = expected_version.unwrap_or(licence.version());
        if version != licence.version() {
            return Err(AppError::Conflict(format!(
                "licence {} was changed by someone else (you saw version {version}, it is now at \
                 {}); reload and try again",
                licence.number,
                licence.version()
            )));
        }
        let event = licence
            .decide(change, reason, &actor.username, view.today)
            .map_err(|e| {
                let mut problems = Problems::default();
                problems.push(e.field(), e.to_string());
                invalid("licence status change", problems)
            })?;
        let audit = AuditEntry {
            at: self.clock.now(),
            actor: actor.username.clone(),
            action: "change_licence_status".into(),
            detail: format!(
                "{}: {} — {}",
                licence.number,
                change.key(),
                event.kind.reason()
            ),
        };
        self.store
            .append_licence_event(&licence.number, version, &event, &audit)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("licence {}", licence.number)))?;
        self.licence_view(&licence.number.to_string()).await
    }

    /// A window of the public register of grants (art. 40), newest first, with each licence's
    /// status today; `limit` is held to 1–[`MAX_REGISTER_LIMIT`].
    pub async fn licence_register(
        &self,
        query: &RegisterQuery,
        offset: u32,
        limit: u32,
    ) -> Result<RegisterPage, AppError> {
        let today = self.today();
        let limit = limit.clamp(1, MAX_REGISTER_LIMIT);
        let filter = LicenceFilter {
            text: query.text.clone(),
            status_on: query.status.map(|s| (s, today)),
            holder_credit_code: query.holder_credit_code,
            issuing_org: query.issuing_org.clone(),
        };
        let (licences, total) = self.store.licences(&filter, offset, limit).await?;
        let entries = licences
            .into_iter()
            .map(|licence| RegisterEntry {
                status: licence.status_on(today),
                licence,
            })
            .collect::<Vec<_>>();
        let orgs = self
            .store
            .orgs()
            .await?
            .into_iter()
            .filter(|o| {
                entries
                    .iter()
                    .any(|e| e.licence.grant.issuing_org == o.code)
            })
            .collect();
        Ok(RegisterPage {
            entries,
            orgs,
            total,
            offset,
            limit,
        })
    }
}
