//! One demo case's log made into another case's (the national-size dataset, `scale.rs`): the
//! same events, moved back in time by whole weeks (weekdays stay weekdays), applied for by
//! another enterprise, and chained again from the start — every hash is computed afresh, so
//! `onewindow audit verify` checks the copies like any log.

use jiff::{SignedDuration, Span};
use onewindow_domain::cases::{ActorRef, CaseEvent, ChainHead, EventKind, OnSiteOutcome};

/// How a copy differs from its template.
pub(super) struct Reshape<'a> {
    /// Weeks back in time.
    pub weeks: i64,
    /// The applicant's credit code and user name.
    pub applicant: &'a str,
    pub applicant_user: &'a str,
    /// The licence number the copy's `LicenceIssued` states, once it is known.
    pub licence_number: Option<&'a str>,
}

impl Reshape<'_> {
    /// `events` reshaped and chained after `head`.
    pub(super) fn apply(&self, head: ChainHead, events: &[CaseEvent]) -> Vec<CaseEvent> {
        let back = SignedDuration::from_hours(24 * 7 * self.weeks);
        let days = Span::new().days(-7 * self.weeks);
        let shift = |d: jiff::civil::Date| d.checked_add(days).unwrap_or(d);
        let mut head = head;
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            let kind = match &event.kind {
                EventKind::Submitted {
                    item,
                    materials,
                    channel,
                    ..
                } => EventKind::Submitted {
                    item: item.clone(),
                    applicant: self.applicant.to_owned(),
                    materials: materials.clone(),
                    channel: *channel,
                },
                EventKind::DeemedAccepted { received_on } => EventKind::DeemedAccepted {
                    received_on: shift(*received_on),
                },
                EventKind::OnSiteVerified {
                    inspectors,
                    outcome: OnSiteOutcome::Rectify { deadline },
                } => EventKind::OnSiteVerified {
                    inspectors: inspectors.clone(),
                    outcome: OnSiteOutcome::Rectify {
                        deadline: shift(*deadline),
                    },
                },
                EventKind::LicenceIssued { number } => EventKind::LicenceIssued {
                    number: self.licence_number.unwrap_or(number).to_owned(),
                },
                other => other.clone(),
            };
            let actor = match event.actor.role.key() {
                "applicant" => ActorRef {
                    user: self.applicant_user.to_owned(),
                    ..event.actor.clone()
                },
                _ => event.actor.clone(),
            };
            let at = event.at - back;
            let mut chained = head.append(vec![kind], &actor, at, shift(event.on));
            let Some(chained) = chained.pop() else {
                continue;
            };
            head = ChainHead {
                seq: chained.seq,
                hash: chained.hash,
            };
            out.push(chained);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onewindow_domain::cases::{Channel, verify_chain};

    fn template() -> Vec<CaseEvent> {
        let clerk = ActorRef::system();
        let at: jiff::Timestamp = "2026-03-02T02:00:00Z".parse().expect("instant");
        let on = jiff::civil::date(2026, 3, 2);
        ChainHead::GENESIS.append(
            vec![
                EventKind::Submitted {
                    item: "BS-XK-0101-002-XB".into(),
                    applicant: "91210200MA0QC0JR5X".into(),
                    materials: Vec::new(),
                    channel: Channel::Online,
                },
                EventKind::LicenceIssued {
                    number: "XK06-014-00001".into(),
                },
            ],
            &clerk,
            at,
            on,
        )
    }

    #[test]
    fn a_copy_is_moved_back_by_whole_weeks_renamed_and_chained_afresh() {
        let copy = Reshape {
            weeks: 3,
            applicant: "91210200H00000017T",
            applicant_user: "e17",
            licence_number: Some("XK06-014-00042"),
        }
        .apply(ChainHead::GENESIS, &template());
        assert_eq!(copy.len(), 2);
        assert_eq!(copy[0].on, jiff::civil::date(2026, 2, 9));
        assert!(
            matches!(&copy[0].kind, EventKind::Submitted { applicant, .. } if applicant == "91210200H00000017T")
        );
        assert!(
            matches!(&copy[1].kind, EventKind::LicenceIssued { number } if number == "XK06-014-00042")
        );
        assert_ne!(copy[1].hash, template()[1].hash);
        assert_eq!(verify_chain(&copy), Ok(()));
    }
}
