//! Cases on an existing licence (arts. 49, 50, 70): naming the licence with the submission, and
//! the deemed renewal of art. 50 ¶2 — a renewal applied for in time and still undecided when the
//! licence expires is granted. Checks only; the entry point is `decide`. Whether the licence may
//! be the subject of the request is the register's (`crate::licences::LicenceRequest`), checked
//! by the app before it names it.

use jiff::civil::Date;

use super::decide::Check;
use super::error::CaseError;
use super::event::EventKind;
use super::state::CaseState;
use super::status::CaseStatus;
use crate::licences::LicenceRequest;

impl Check<'_> {
    pub(super) fn name_licence(
        &self,
        number: String,
        request: LicenceRequest,
        valid_until: Date,
        in_time: bool,
    ) -> Result<EventKind, CaseError> {
        if self.status != CaseStatus::Submitted || self.state.acceptance().is_some() {
            return Err(self.wrong("the licence is named with the submission"));
        }
        if let Some(named) = self.state.licence_case() {
            return Err(self.wrong(format!(
                "the case is already about licence {}",
                named.number
            )));
        }
        let in_time = in_time && request == LicenceRequest::Renewal;
        Ok(EventKind::LicenceNamed {
            number: self.text("licence_number", number)?,
            request,
            valid_until,
            in_time,
        })
    }

    pub(super) fn deem_renewal(&self) -> Result<EventKind, CaseError> {
        match self.state.deemed_renewal_due(self.on) {
            Some(expired_on) => Ok(EventKind::RenewalDeemed { expired_on }),
            None => Err(self.wrong(
                "only a renewal applied for in time and undecided when the licence expired is deemed granted (art. 50)",
            )),
        }
    }
}

impl CaseState {
    /// Art. 50 ¶2: the day the licence expired (the day after its last day of validity) if this
    /// case is a renewal applied for in time, still without a decision and not ended, and
    /// `today` is past the expiry; the sweeper then decides `Command::DeemRenewal`.
    pub fn deemed_renewal_due(&self, today: Date) -> Option<Date> {
        let case = self.licence_case()?;
        let open = !self.status().is_final() && self.decision().is_none();
        let applies = case.request == LicenceRequest::Renewal && case.in_time && open;
        (applies && crate::clock::deemed_renewal(case.valid_until, false, today))
            .then(|| case.valid_until.tomorrow().ok())
            .flatten()
    }
}
