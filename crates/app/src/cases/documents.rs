//! The written documents the law asks for when a case's events happen (issue 5; RULES.md §1):
//! the acceptance voucher and the refusal (art. 32), the one-time supplement notice (art. 32),
//! the notice of the time testing or appraisal will take (art. 45), the extension notice
//! (art. 42), the grant and denial decisions (art. 38) and the certificate (art. 44). Each is
//! issued once per event (the event's seq is its idempotency key), right after the event is
//! stored or by the background worker (`document_jobs.rs`). Issuing never blocks or undoes the
//! event: a document that could not be made now (e.g. the font is missing) is made by the
//! sweeper's next pass over the open case.

use std::collections::BTreeMap;

use onewindow_domain::cases::{CaseEvent, EventKind, case_clock};
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::clock::AsRecorded;

use super::Loaded;
use crate::documents::{DocumentKind, DocumentRequest, Holder, RIGHTS_TEXT, StoredDocument};
use crate::{App, AppError};

/// The court named in a denial or refusal when a bureau has not configured one: the law gives
/// the applicant the competent court, which the bureau names on its own documents.
const DEFAULT_COURT: &str = "有管辖权的人民法院";

impl App {
    /// Issues the documents the case's events from `from_seq` on call for. Returns those made
    /// (or found already made).
    pub(crate) async fn issue_case_documents(
        &self,
        case: &Loaded,
        events: &[CaseEvent],
        from_seq: u64,
    ) -> Result<Vec<StoredDocument>, AppError> {
        let context = self.document_context(case).await?;
        let mut issued = Vec::new();
        for event in events.iter().filter(|e| e.seq >= from_seq) {
            let due = match event.kind {
                EventKind::Extended { .. } => self.due_after(case, events, event).await?,
                _ => None,
            };
            for request in context.requests_for(event, events, due) {
                issued.push(self.issue_document(request).await?);
            }
            if let EventKind::LicenceIssued { number } = &event.kind {
                let on_licence = case.state.licence_case().is_some();
                for request in self
                    .certificate_requests(&context, event, number, on_licence)
                    .await?
                {
                    issued.push(self.issue_document(request).await?);
                }
            }
        }
        Ok(issued)
    }

    /// Issues what a change's new events call for now, logging (not failing) when a document
    /// cannot be made: the events are stored; the sweeper makes the document later.
    pub(crate) async fn issue_documents_now(&self, number: &str, from_seq: u64) {
        let result = async {
            let case = self.load_case(number).await?;
            self.issue_case_documents(&case, &case.events, from_seq)
                .await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(case = number, error = %e, "documents not issued yet; the sweeper will retry");
        }
    }

    /// The statutory due date right after `event` (an extension moves it, art. 42).
    async fn due_after(
        &self,
        case: &Loaded,
        events: &[CaseEvent],
        event: &CaseEvent,
    ) -> Result<Option<jiff::civil::Date>, AppError> {
        let upto: Vec<CaseEvent> = events
            .iter()
            .filter(|e| e.seq <= event.seq)
            .cloned()
            .collect();
        let limits = self
            .limits_for(&case.definition, &case.record.item_code)
            .await?;
        let calendar = self.calendar().await?;
        let clock = case_clock(&upto, &limits, &calendar, event.on, &AsRecorded)
            .map_err(|e| AppError::Refused(format!("case {}: clock: {e}", case.record.number)))?;
        Ok(clock.map(|c| c.statutory_due.date))
    }

    /// The certificate, original and copy (art. 44; RULES.md §2), from the register's entry.
    async fn certificate_requests(
        &self,
        context: &Context,
        event: &CaseEvent,
        number: &str,
        on_licence: bool,
    ) -> Result<Vec<DocumentRequest>, AppError> {
        let licence = self.licence_view(number).await?.licence;
        if on_licence && licence.event_of_case(&context.case_number).is_none() {
            // A change or renewal whose grant the register does not hold yet: the certificate
            // would state the old particulars. The sweeper makes it once the grant is carried
            // out (`licences/catch_up.rs`).
            return Err(AppError::NotOpen(format!(
                "licence {number} does not yet hold the grant of case {}; its certificate is made once it does",
                context.case_number
            )));
        }
        let mut requests = self
            .certificates_of(&licence, &context.bureau, format!("event-{}", event.seq))
            .await?;
        // The case issuing it: for a new licence its own case; for a change or renewal
        // (arts. 49–50) the later case, whose certificate states the particulars in force.
        for request in &mut requests {
            request.case_number = Some(context.case_number.clone());
        }
        Ok(requests)
    }

    /// The certificate documents of a licence, with the idempotency string that names why they
    /// are made (the issuing event, or a re-rendering run).
    pub(crate) async fn certificates_of(
        &self,
        licence: &onewindow_domain::licences::Licence,
        bureau: &str,
        idempotency: String,
    ) -> Result<Vec<DocumentRequest>, AppError> {
        let grant = &licence.grant;
        let domicile = match self.store.enterprise(&grant.holder_credit_code).await? {
            Some(enterprise) => enterprise.address,
            None => grant.production_address.clone(),
        };
        // RULES.md §8: the certificate prints its identifier only when the bureau configured one.
        let identifier = self.licence_policy().await?.electronic_id(licence);
        let requests = [DocumentKind::LicenceOriginal, DocumentKind::LicenceCopy]
            .into_iter()
            .map(|kind| {
                let mut fields = BTreeMap::new();
                fields.insert("domicile".to_owned(), domicile.clone());
                fields.insert(
                    "production_address".to_owned(),
                    grant.production_address.clone(),
                );
                fields.insert("product".to_owned(), grant.scope.join("、"));
                if let Some(id) = &identifier {
                    fields.insert(
                        crate::documents::LICENCE_IDENTIFIER.to_owned(),
                        id.to_string(),
                    );
                }
                let mut dates = BTreeMap::new();
                dates.insert(crate::documents::VALID_UNTIL.to_owned(), grant.valid_until);
                DocumentRequest {
                    kind,
                    bureau: bureau.to_owned(),
                    case_number: Some(grant.case_number.clone()),
                    licence_number: Some(licence.number.to_string()),
                    holder: crate::documents::licence_holder(grant),
                    dates,
                    fields,
                    items: Vec::new(),
                    idempotency: idempotency.clone(),
                }
            })
            .collect();
        Ok(requests)
    }

    async fn document_context(&self, case: &Loaded) -> Result<Context, AppError> {
        let orgs = self.store.orgs().await?;
        let handling = orgs
            .iter()
            .find(|o| o.code.as_str() == case.record.handling_org);
        let bureau = handling.map_or(case.record.handling_org.clone(), |o| o.name_zh.clone());
        // Administrative reconsideration lies with the organ one level up (行政复议法 art. 24).
        let reconsideration = handling
            .and_then(|o| o.parent.as_ref())
            .and_then(|parent: &OrgCode| orgs.iter().find(|o| &o.code == parent))
            .map_or("上一级主管部门".to_owned(), |o| o.name_zh.clone());
        let item = match CatalogueCode::parse(&case.record.item_code) {
            Ok(code) => self.store.item(&code).await?.map(|v| v.value.name_zh),
            Err(_) => None,
        }
        .unwrap_or_else(|| case.record.item_code.clone());
        let holder_name = self
            .applicant_particulars(case)
            .await?
            .map_or_else(|| case.record.applicant.clone(), |(name, _)| name);
        Ok(Context {
            bureau,
            reconsideration,
            item,
            case_number: case.record.number.clone(),
            holder: Holder {
                name: holder_name,
                credit_code: case.record.applicant.clone(),
            },
        })
    }
}

/// What every document of one case shares.
struct Context {
    bureau: String,
    reconsideration: String,
    item: String,
    case_number: String,
    holder: Holder,
}

impl Context {
    fn request(&self, kind: DocumentKind, event: &CaseEvent) -> DocumentRequest {
        let mut fields = BTreeMap::new();
        fields.insert("item".to_owned(), self.item.clone());
        DocumentRequest {
            kind,
            bureau: self.bureau.clone(),
            case_number: Some(self.case_number.clone()),
            licence_number: None,
            holder: self.holder.clone(),
            dates: BTreeMap::new(),
            fields,
            items: Vec::new(),
            idempotency: format!("event-{}", event.seq),
        }
    }

    fn with_rights(&self, mut request: DocumentRequest, rights: Option<&str>) -> DocumentRequest {
        request
            .fields
            .insert("reconsideration_organ".into(), self.reconsideration.clone());
        request
            .fields
            .insert("court".into(), DEFAULT_COURT.to_owned());
        if let Some(text) = rights.filter(|t| !t.trim().is_empty()) {
            request.fields.insert(RIGHTS_TEXT.into(), text.to_owned());
        }
        request
    }

    /// The documents one event calls for.
    fn requests_for(
        &self,
        event: &CaseEvent,
        log: &[CaseEvent],
        extended_due: Option<jiff::civil::Date>,
    ) -> Vec<DocumentRequest> {
        let received_on = log
            .iter()
            .take_while(|e| e.seq <= event.seq)
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Submitted { .. } | EventKind::Supplemented { .. }
                )
            })
            .last()
            .map(|e| e.on);
        let submitted = |mut r: DocumentRequest| {
            if let Some(on) = received_on {
                r.dates.insert("submitted_on".into(), on);
            }
            r
        };
        match &event.kind {
            EventKind::Accepted | EventKind::DeemedAccepted { .. } => {
                vec![submitted(self.request(DocumentKind::Acceptance, event))]
            }
            EventKind::Refused {
                reason,
                competent_org,
            } => {
                let mut r = submitted(self.request(DocumentKind::Refusal, event));
                r.items.push(reason.clone());
                if let Some(org) = competent_org {
                    r.items.push(format!("请向{org}提出申请"));
                }
                vec![self.with_rights(r, None)]
            }
            EventKind::SupplementRequested { items } => {
                let mut r = submitted(self.request(DocumentKind::SupplementNotice, event));
                r.items = items.clone();
                vec![r]
            }
            EventKind::PauseStarted {
                reason,
                by,
                expected_days,
            } => {
                let mut r = self.request(DocumentKind::SpecialProcedureNotice, event);
                r.fields
                    .insert("procedure".into(), format!("{}（{by}）", reason.zh()));
                r.fields
                    .insert("duration".into(), format!("{expected_days}个工作日"));
                vec![r]
            }
            EventKind::Extended { days, reason } => {
                let mut r = self.request(DocumentKind::ExtensionNotice, event);
                r.fields
                    .insert("extension".into(), format!("{days}个工作日"));
                r.items.push(reason.clone());
                match extended_due {
                    Some(due) => {
                        r.dates.insert("new_deadline".into(), due);
                        vec![r]
                    }
                    None => Vec::new(),
                }
            }
            EventKind::Granted => {
                let mut r = self.request(DocumentKind::GrantDecision, event);
                r.fields.insert("product".into(), self.item.clone());
                vec![r]
            }
            EventKind::Denied { reasons, rights } => {
                let mut r = self.request(DocumentKind::DenialDecision, event);
                r.items = reasons.clone();
                vec![self.with_rights(r, Some(rights))]
            }
            _ => Vec::new(),
        }
    }
}
