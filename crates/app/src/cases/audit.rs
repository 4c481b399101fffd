//! `onewindow audit verify`: every case's log checked link by link (DESIGN.md "Cases are event
//! logs"), naming the first event of each case that does not match — an altered, removed,
//! added or reordered event, a row whose columns disagree with its body, or a case row whose
//! version is not its last event's seq.

use onewindow_domain::cases::{CaseEvent, verify_chain};
use onewindow_store::CaseId;

use crate::{App, AppError};

/// One case whose log does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFault {
    pub case_number: String,
    /// The first event that does not match (`None`: the case row itself).
    pub seq: Option<i64>,
    pub reason: String,
}

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditReport {
    pub cases: u64,
    pub events: u64,
    pub faults: Vec<AuditFault>,
}

/// Cases read and checked a page at a time (two reads a page).
const PAGE: u32 = 2_000;

impl App {
    /// Verifies every case's chain; `progress` is told the number of cases checked so far.
    pub async fn audit_verify(
        &self,
        mut progress: impl FnMut(u64),
    ) -> Result<AuditReport, AppError> {
        let mut report = AuditReport::default();
        let mut after = CaseId(0);
        loop {
            let page = self.store.cases_with_logs_after(after, PAGE).await?;
            let Some((last, _)) = page.last() else { break };
            after = last.id;
            for (record, stored) in page {
                report.cases += 1;
                report.events += stored.len() as u64;
                if let Some(fault) = check_case(&record.number, record.version, &stored) {
                    report.faults.push(fault);
                }
            }
            progress(report.cases);
        }
        Ok(report)
    }
}

fn check_case(
    number: &str,
    version: i64,
    stored: &[onewindow_store::StoredEvent],
) -> Option<AuditFault> {
    let fault = |seq: Option<i64>, reason: String| AuditFault {
        case_number: number.to_owned(),
        seq,
        reason,
    };
    let mut events: Vec<CaseEvent> = Vec::with_capacity(stored.len());
    for row in stored {
        match super::log::event_of(row) {
            Ok(event) => events.push(event),
            Err(why) => return Some(fault(Some(row.seq), why)),
        }
    }
    if let Err(e) = verify_chain(&events) {
        return Some(fault(Some(e.seq as i64), e.reason.to_string()));
    }
    let last = events.last().map_or(0, |e| e.seq as i64);
    (last != version).then(|| {
        fault(
            None,
            format!("the case row says version {version}, but its log ends at event {last}"),
        )
    })
}
