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
    Licence, LicenceEventKind, LicenceStatus, LicenceType, StatusChange, StatusReading,
    may_change_status, normalise_printed,
};
use onewindow_store::{AuditEntry, LicenceFilter, UserRecord};

use crate::{App, AppError};

mod issue;
mod on_case;
mod reminders;

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
        self.record_licence_event(
            &view,
            version,
            &event,
            &actor.username,
            "change_licence_status",
        )
        .await?;
        self.licence_view(&licence.number.to_string()).await
    }

    /// Appends a change to a licence at `version` with its audit entry, then issues the written
    /// notice it calls for: a cancellation notice (art. 70) or a change notice (art. 49). The
    /// one path for status changes by staff and for the grants of cases on a licence. The
    /// change stands even when the notice cannot be rendered now (it is logged; issuing it
    /// again is idempotent per licence event).
    pub(crate) async fn record_licence_event(
        &self,
        view: &LicenceView,
        version: i64,
        event: &onewindow_domain::licences::LicenceEvent,
        actor: &str,
        action: &str,
    ) -> Result<(), AppError> {
        let licence = &view.licence;
        let audit = AuditEntry {
            at: self.clock.now(),
            actor: actor.to_owned(),
            action: action.into(),
            detail: format!(
                "{}: {} — {}",
                licence.number,
                // A status change by its name (`suspend`), a case's change by the event's.
                event.kind.change().map_or(event.kind.key(), |c| c.key()),
                event.kind.reason()
            ),
        };
        self.store
            .append_licence_event(&licence.number, version, event, &audit)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("licence {}", licence.number)))?;
        let notice = match &event.kind {
            LicenceEventKind::Cancelled {
                reason,
                case_number,
            } => Some(self.cancellation_notice(view, reason, case_number.as_deref(), version + 1)),
            LicenceEventKind::Changed { case_number, .. } => {
                Some(self.change_notice(view, event, case_number, version + 1))
            }
            _ => None,
        };
        if let Some(notice) = notice
            && let Err(e) = self.issue_document(notice).await
        {
            tracing::warn!(licence = %licence.number, error = %e, "licence notice not issued yet");
        }
        Ok(())
    }

    /// The written notice of a cancellation (注销通知书, art. 70), naming the ground and the
    /// holder's rights.
    fn cancellation_notice(
        &self,
        view: &LicenceView,
        ground: &str,
        case_number: Option<&str>,
        event_version: i64,
    ) -> crate::documents::DocumentRequest {
        let licence = &view.licence;
        let bureau = bureau_of(view);
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("licence_number".to_owned(), licence.number.to_string());
        fields.insert("ground".to_owned(), ground.to_owned());
        fields.insert(
            "reconsideration_organ".to_owned(),
            "上一级主管部门".to_owned(),
        );
        fields.insert("court".to_owned(), "有管辖权的人民法院".to_owned());
        crate::documents::DocumentRequest {
            kind: crate::documents::DocumentKind::CancellationNotice,
            bureau,
            case_number: case_number.map(str::to_owned),
            licence_number: Some(licence.number.to_string()),
            holder: crate::documents::licence_holder(&licence.grant),
            dates: std::collections::BTreeMap::new(),
            fields,
            items: Vec::new(),
            idempotency: format!("licence-event-{event_version}"),
        }
    }

    /// The written notice of a change of particulars (变更通知书, art. 49), one line per
    /// particular changed, addressed to the holder under its new name.
    fn change_notice(
        &self,
        view: &LicenceView,
        event: &onewindow_domain::licences::LicenceEvent,
        case_number: &str,
        event_version: i64,
    ) -> crate::documents::DocumentRequest {
        let licence = &view.licence;
        let holder_name = match &event.kind {
            LicenceEventKind::Changed { holder_name, .. } => holder_name.clone(),
            _ => licence.grant.holder_name.clone(),
        };
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("licence_number".to_owned(), licence.number.to_string());
        crate::documents::DocumentRequest {
            kind: crate::documents::DocumentKind::ChangeNotice,
            bureau: bureau_of(view),
            case_number: Some(case_number.to_owned()),
            licence_number: Some(licence.number.to_string()),
            holder: crate::documents::Holder {
                name: holder_name,
                credit_code: licence.grant.holder_credit_code.as_str().to_owned(),
            },
            dates: std::collections::BTreeMap::new(),
            fields,
            items: licence.changed_lines(event),
            idempotency: format!("licence-event-{event_version}"),
        }
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
