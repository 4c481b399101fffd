//! Status changes of a licence in the register (arts. 69–70): what the issuing org's signatory
//! or head may change today, the change itself (version-checked, audited in its transaction),
//! and the written notices a cancellation or a granted change makes. A case's grant reaches the
//! register through the same `record_licence_event` (`grant.rs`).

use onewindow_domain::catalogue::{Problems, Vocabulary};
use onewindow_domain::licences::{LicenceEventKind, StatusChange, may_change_status};
use onewindow_store::AuditEntry;

use super::{LicenceActor, LicenceView, bureau_of, invalid};
use crate::{App, AppError};

impl App {
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
}
