//! The copies of the demo cases, a chunk at a time. Reshaping a log (every event hashed afresh)
//! and folding its projection is CPU work, done on both cores; the chunk is then written with
//! one transaction per kind of write: the cases with their first events, the issued copies'
//! licences, the events that follow the licence (they state its number, known only once it is
//! drawn), and the open copies' document entries.

use std::ops::Range;
use std::sync::Arc;

use jiff::Timestamp;
use onewindow_domain::cases::{CaseEvent, ChainHead, EventKind};
use onewindow_domain::identifiers::CreditCode;
use onewindow_store::{
    AuditEntry, BatchAppend, CaseId, CaseProjection, CreatedCase, NewCase, NewLicence,
};

use super::{ScaleReport, Shared, Template, enterprise_of, seed_audit};
use crate::AppError;
use crate::cases::{log, projection_with};
use crate::demo::reshape::Reshape;

/// A copy up to its licence (or its whole log when it has none).
pub(super) struct Head {
    pub(super) i: u64,
    pub(super) code: CreditCode,
    user: String,
    events: Vec<CaseEvent>,
    pub(super) open: bool,
}

/// What a copy whose licence was issued still needs: its last events.
struct Tail {
    head: Head,
    id: CaseId,
    licence_number: String,
}

impl Shared {
    /// Copy `i`'s template and how many weeks back the copy goes.
    pub(super) fn template_of(&self, i: u64) -> (&Template, i64) {
        let per_mille = (i * 7919) % 1000;
        let weeks = ((i * 31) % self.plan.weeks.max(1)) as i64;
        let pick = |list: &'_ [Template]| (i as usize) % list.len();
        if per_mille < self.plan.open_per_mille {
            // Open copies keep their template's dates: its clock, warnings and documents fit.
            (&self.open[pick(&self.open)], 0)
        } else if per_mille < self.plan.open_per_mille + self.plan.issued_per_mille {
            (&self.issued[pick(&self.issued)], weeks)
        } else {
            (&self.closed[pick(&self.closed)], weeks)
        }
    }

    /// Makes copies `range` and writes them; what they made.
    pub(super) async fn copy_chunk(
        self: &Arc<Self>,
        range: Range<u64>,
    ) -> Result<ScaleReport, AppError> {
        let made = self.on_both_cores(range.collect(), Shared::head).await?;
        let (heads, cases): (Vec<Head>, Vec<(NewCase, i32)>) = made.into_iter().unzip();
        let created = self.app.store.create_cases(&cases).await?;
        let mut report = ScaleReport {
            cases: heads.len() as u64,
            open: heads.iter().filter(|h| h.open).count() as u64,
            events: heads.iter().map(|h| h.events.len() as u64).sum(),
            ..ScaleReport::default()
        };
        report.documents = self.copy_documents(&heads, &created).await?;
        // The copies that end with a licence; the others are whole already.
        let issuing: Vec<(Head, CreatedCase)> = heads
            .into_iter()
            .zip(created)
            .filter(|(head, _)| self.licence_of(head).is_some())
            .collect();
        let licences = issuing
            .iter()
            .map(|(head, case)| self.licence_for(head, &case.number))
            .collect::<Result<Vec<_>, _>>()?;
        let issued = self.app.store.issue_licences(&licences).await?;
        let tails: Vec<Tail> = issuing
            .into_iter()
            .zip(&issued)
            .map(|((head, case), licence)| Tail {
                head,
                id: case.id,
                licence_number: licence.number.to_string(),
            })
            .collect();
        let appends = self.on_both_cores(tails, Shared::tail).await?;
        report.licences = issued.len() as u64;
        report.events += appends
            .iter()
            .map(|(a, _)| a.events.len() as u64)
            .sum::<u64>();
        self.app.store.append_to_cases(&appends).await?;
        Ok(report)
    }

    /// `work` on each item, the items split between two blocking threads; results in order.
    async fn on_both_cores<T, U>(
        self: &Arc<Self>,
        mut items: Vec<T>,
        work: fn(&Shared, T) -> Result<U, AppError>,
    ) -> Result<Vec<U>, AppError>
    where
        T: Send + 'static,
        U: Send + 'static,
    {
        let second = items.split_off(items.len() / 2);
        let run = |part: Vec<T>| {
            let shared = self.clone();
            tokio::task::spawn_blocking(move || {
                part.into_iter()
                    .map(|item| work(&shared, item))
                    .collect::<Result<Vec<U>, AppError>>()
            })
        };
        let (first, second) = (run(items), run(second));
        let joined = |e: tokio::task::JoinError| AppError::Refused(format!("copy task: {e}"));
        let mut all = first.await.map_err(joined)??;
        all.extend(second.await.map_err(joined)??);
        Ok(all)
    }

    /// Copy `i` up to its licence, and the case to store.
    fn head(&self, i: u64) -> Result<(Head, (NewCase, i32)), AppError> {
        let (template, weeks) = self.template_of(i);
        let (code, user) = enterprise_of(i, self.plan.enterprises)?;
        let reshape = Reshape {
            weeks,
            applicant: code.as_str(),
            applicant_user: &user,
            licence_number: None,
        };
        let split = issued_at(template).unwrap_or(template.events.len());
        let events = reshape.apply(ChainHead::GENESIS, &template.events[..split]);
        let projection = self.projection(template, &events)?;
        let Some(first) = events.first() else {
            return Err(AppError::Refused(format!(
                "demo case {} has no events",
                template.number
            )));
        };
        let applicant = match &first.kind {
            EventKind::Submitted { applicant, .. } => applicant.clone(),
            _ => String::new(),
        };
        let case = NewCase {
            item_code: template.item_code.clone(),
            definition_code: template.definition_code.clone(),
            definition_version: template.definition_version,
            handling_org: template.handling_org.clone(),
            applicant,
            idempotency_key: None,
            licence_number: None,
            events: log::stored_events(&events)?,
            created_at: first.at,
            projection,
        };
        let year = i32::from(first.on.year());
        let head = Head {
            i,
            code,
            user,
            open: case.projection.open,
            events,
        };
        Ok((head, (case, year)))
    }

    /// The template's licence, when the copy ends with one.
    fn licence_of(&self, head: &Head) -> Option<&onewindow_domain::licences::Licence> {
        let (template, _) = self.template_of(head.i);
        issued_at(template).and(template.licence.as_ref())
    }

    /// The copy's events after its licence was issued as `licence_number`, with its projection
    /// and the time of its last event.
    fn tail(&self, tail: Tail) -> Result<(BatchAppend, Timestamp), AppError> {
        let (template, weeks) = self.template_of(tail.head.i);
        let reshape = Reshape {
            weeks,
            applicant: tail.head.code.as_str(),
            applicant_user: &tail.head.user,
            licence_number: Some(&tail.licence_number),
        };
        let split = issued_at(template).unwrap_or(template.events.len());
        let after = reshape.apply(ChainHead::of(&tail.head.events), &template.events[split..]);
        let mut all = tail.head.events;
        let expected_version = all.len() as i64;
        all.extend(after.iter().cloned());
        let projection = self.projection(template, &all)?;
        let at = all.last().map_or(Timestamp::UNIX_EPOCH, |e| e.at);
        let append = BatchAppend {
            id: tail.id,
            expected_version,
            events: log::stored_events(&after)?,
            projection,
        };
        Ok((append, at))
    }

    fn projection(
        &self,
        template: &Template,
        events: &[CaseEvent],
    ) -> Result<CaseProjection, AppError> {
        projection_with(
            &template.definition,
            &template.handling_org,
            events,
            (&template.limits, &self.calendar),
            self.app.today(),
        )
    }

    /// A licence like the template's for the copy, to be numbered from the register's series.
    fn licence_for(
        &self,
        head: &Head,
        case_number: &str,
    ) -> Result<(NewLicence, AuditEntry), AppError> {
        let refused = |e: String| AppError::Refused(format!("licence of case {case_number}: {e}"));
        let template = self
            .licence_of(head)
            .ok_or_else(|| refused("its template has no licence".into()))?;
        let at = head
            .events
            .last()
            .map_or_else(|| self.app.clock.now(), |e| e.at);
        let issued_on = crate::china_date(at);
        let mut grant = template.grant.clone();
        grant.case_number = case_number.to_owned();
        grant.holder_credit_code = head.code;
        grant.issued_on = issued_on;
        grant.valid_until = self
            .policy
            .valid_until(grant.licence_type, issued_on)
            .map_err(|e| refused(e.to_string()))?;
        let numbering = self
            .policy
            .numbering(
                grant.licence_type,
                grant.item_code.as_str(),
                grant.valid_until,
            )
            .map_err(|e| refused(e.to_string()))?;
        let audit = seed_audit(at, "issue_licence", case_number);
        let new = NewLicence {
            numbering,
            grant,
            issued_at: at,
        };
        Ok((new, audit))
    }
}

/// Where the template's licence was issued: its log splits there.
fn issued_at(template: &Template) -> Option<usize> {
    template
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::LicenceIssued { .. }))
}
