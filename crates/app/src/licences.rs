//! The licence register's use cases: issuing a licence when a case reaches "issue the licence"
//! (Administrative Licensing Law art. 44), the public register of grants and the verification
//! answer (art. 40), and status changes by the issuing org's signatory or head (arts. 69–70),
//! each audited in the transaction that records it. Validity and numbering come from the licence
//! policy (RULES.md §2, §3), kept in the settings under [`POLICY_SETTING`].

use jiff::civil::Date;
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{Org, OrgCode, Problems, Vocabulary};
use onewindow_domain::identifiers::{CreditCode, ElectronicLicenceId, LicenceNumber};
use onewindow_domain::licences::{
    Licence, LicenceStatus, LicenceType, StatusReading, normalise_printed,
};
use onewindow_store::{LicenceFilter, UserRecord};

use crate::{App, AppError};

mod catch_up;
mod certificates;
mod grant;
mod issue;
mod on_case;
mod open_case;
mod reminders;
mod status;

pub use certificates::CertificateLink;
pub use issue::IssueLicence;
pub use on_case::{LicenceApplication, LicenceCaseItem};

/// The setting holding the licence policy as JSON; absent, [`LicencePolicy::default`] holds.
pub const POLICY_SETTING: &str = "licence_policy";

/// A staff member acting on the register: who, in which role, in which org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceActor {
    pub username: String,
    pub role: Role,
    pub org: OrgCode,
}

impl LicenceActor {
    /// The staff member an account is; `None` for an enterprise's user, who changes nothing in
    /// the register.
    pub fn of(user: &UserRecord) -> Option<Self> {
        Some(LicenceActor {
            username: user.username.to_string(),
            role: user.role()?,
            org: user.org()?.clone(),
        })
    }

    /// The staff member an account is, or why it may not act on the register.
    pub fn require(user: &UserRecord) -> Result<Self, AppError> {
        Self::of(user).ok_or_else(|| {
            AppError::Forbidden(
                "only the issuing org's signatory or head changes a licence's status".into(),
            )
        })
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
    /// The electronic identifier of its current certificate, when the policy configures one
    /// (RULES.md §8, optional).
    pub electronic_id: Option<ElectronicLicenceId>,
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
    /// How many match, counted up to [`onewindow_store::COUNT_LIMIT`].
    pub total: u64,
    /// False when more than `total` match.
    pub total_exact: bool,
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

/// The issuing bureau's name as documents print it.
fn bureau_of(view: &LicenceView) -> String {
    let licence = &view.licence;
    view.issuing_org
        .as_ref()
        .map_or(licence.grant.issuing_org.as_str().to_owned(), |o| {
            o.name_zh.clone()
        })
}

pub(crate) fn invalid(what: &str, problems: Problems) -> AppError {
    AppError::Invalid {
        what: what.into(),
        problems,
    }
}

impl App {
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
        let electronic_id = self.licence_policy().await?.electronic_id(&licence);
        Ok(LicenceView {
            electronic_id,
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
            total: total.count,
            total_exact: total.exact,
            offset,
            limit,
        })
    }
}
