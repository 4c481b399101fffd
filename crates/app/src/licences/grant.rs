//! What the grant of a case on an existing licence does to it (arts. 49, 50, 70): new
//! particulars with the same number (art. 49), a new validity counted from the old expiry
//! (art. 50, also when deemed under art. 50 ¶2), or the cancellation (art. 70).
//!
//! The licence changes with the grant, never before it: the move (or the sweeper deeming a
//! renewal) first checks that the register can take the change (`check_licence_grant`, which
//! writes nothing), then appends the case's decision under its version check, and only once
//! that append committed carries the grant into the register (`carry_out_after`). A grant whose
//! append failed (stale version, refused) leaves the licence as it was. Carrying out is
//! idempotent per case — the licence event names the case — so a retry or a second instance
//! finds it done; one lost to a crash between the two writes is caught up by the sweeper
//! (`catch_up.rs`), which then makes the certificate the grant called for.

use onewindow_domain::cases::{EventKind, LicenceCase};
use onewindow_domain::catalogue::Vocabulary;
use onewindow_domain::identifiers::LicenceNumber;
use onewindow_domain::licences::{Licence, LicenceEvent, LicenceRequest, LicenceStatus};

use super::LicenceView;
use crate::cases::Loaded;
use crate::{App, AppError};

impl App {
    /// Whether the register can take the grant of `case_number` now (the licence still open to
    /// the request); writes nothing. Called before the case's decision is appended.
    pub(crate) async fn check_licence_grant(
        &self,
        case_number: &str,
        about: &LicenceCase,
        actor: &str,
        deemed: bool,
    ) -> Result<(), AppError> {
        let view = self.licence_view(&about.number).await?;
        self.grant_event(&view, case_number, about, actor, deemed)
            .await
            .map(|_| ())
    }

    /// After a case's new events (from `from_seq`) were stored: a grant among them on a
    /// licence case is carried into the register. A failure is logged, not returned — the
    /// decision is recorded; the sweeper carries it out later.
    pub(crate) async fn carry_out_after(&self, case: &Loaded, from_seq: u64) {
        let Some(about) = case.state.licence_case() else {
            return;
        };
        let Some((actor, deemed)) = grant_in(case, from_seq) else {
            return;
        };
        let number = &case.record.number;
        if let Err(e) = self
            .carry_out_licence_case(number, about, &actor, deemed)
            .await
        {
            tracing::warn!(case = %number, error = %e, "licence not changed yet; the sweeper will retry");
        }
    }

    /// Carries a granted case on a licence into the register (see the module documentation);
    /// `deemed` for the renewal art. 50 ¶2 grants by itself. Returns the licence as it is now.
    pub(crate) async fn carry_out_licence_case(
        &self,
        case_number: &str,
        about: &LicenceCase,
        actor: &str,
        deemed: bool,
    ) -> Result<Licence, AppError> {
        for _ in 0..3 {
            let view = self.licence_view(&about.number).await?;
            let Some(event) = self
                .grant_event(&view, case_number, about, actor, deemed)
                .await?
            else {
                return Ok(view.licence);
            };
            let licence = &view.licence;
            let action = format!("grant_licence_{}", about.request.key());
            match self
                .record_licence_event(&view, licence.version(), &event, actor, &action)
                .await
            {
                Ok(()) => return self.licence_now(&licence.number).await,
                // Someone changed the licence meanwhile (another instance carrying out this very
                // case, or staff): read it again; the case's event may be there now.
                Err(AppError::Conflict(_)) => continue,
                Err(other) => return Err(other),
            }
        }
        Err(AppError::Conflict(format!(
            "licence {} kept changing while case {case_number} was being carried out; try again",
            about.number
        )))
    }

    /// The licence event the grant of `case_number` makes, or `None` when the licence already
    /// has it; refused when the licence's status no longer allows the request.
    async fn grant_event(
        &self,
        view: &LicenceView,
        case_number: &str,
        about: &LicenceCase,
        actor: &str,
        deemed: bool,
    ) -> Result<Option<LicenceEvent>, AppError> {
        let licence = &view.licence;
        if licence.event_of_case(case_number).is_some() {
            return Ok(None);
        }
        let status = licence.status_on(view.today);
        let expired_unrenewable = status.status == LicenceStatus::Expired
            && !deemed
            && !matches!(about.request, LicenceRequest::Cancellation { .. });
        if matches!(
            status.status,
            LicenceStatus::Revoked | LicenceStatus::Cancelled
        ) || expired_unrenewable
        {
            return Err(AppError::NotOpen(format!(
                "licence {} is {} since the application ({}); the {} cannot be granted",
                licence.number,
                status.status.key(),
                status.en,
                about.request.key()
            )));
        }
        let policy = self.licence_policy().await?;
        licence
            .event_for_grant(
                &about.request,
                case_number,
                &policy,
                deemed,
                actor,
                view.today,
            )
            .map(Some)
            .map_err(|e| AppError::Refused(format!("licence {}: {e}", licence.number)))
    }

    async fn licence_now(&self, number: &LicenceNumber) -> Result<Licence, AppError> {
        self.store
            .licence(number)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("licence {number}")))
    }
}

/// The grant among a case's events from `from_seq`, if any: who made it (the system for a
/// renewal deemed under art. 50 ¶2) and whether it was deemed.
pub(crate) fn grant_in(case: &Loaded, from_seq: u64) -> Option<(String, bool)> {
    case.events
        .iter()
        .filter(|e| e.seq >= from_seq)
        .find_map(|e| match e.kind {
            EventKind::Granted => Some((e.actor.user.clone(), false)),
            EventKind::RenewalDeemed { .. } => Some((e.actor.user.clone(), true)),
            _ => None,
        })
}
