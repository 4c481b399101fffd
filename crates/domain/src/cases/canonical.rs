//! The canonical bytes of an event, the input of its chain hash (tamper evidence, DESIGN.md
//! "Cases are event logs"). Owns the encoding only. It must never change for version 1: every
//! stored hash depends on it. A new `EventKind` variant gets a new key and may be added freely;
//! changing an existing variant's fields, a key or any rule below needs a version 2 recorded
//! beside the events it applies to, with version 1 kept for the events already written.
//!
//! Version 1, in order, with no separators or padding:
//! - the byte `0x01` (the encoding version);
//! - `seq` as u64; `at` as i64 seconds since the Unix epoch then i32 nanoseconds;
//! - `on` as i16 year, u8 month, u8 day;
//! - the actor: str user, str role key (`window_clerk`, `applicant`, `system` …), opt str org;
//! - the kind: str key (`EventKind::key`), then its fields in declaration order.
//!
//! Primitives: integers big-endian, fixed width (`u32` for day counts); `str` = u32 byte length
//! then the UTF-8 bytes as given (no trimming, no Unicode normalisation); `opt` = `0x00`, or
//! `0x01` then the value; `list` = u32 count then the items; a hash = its 32 raw bytes; an enum
//! value = str key then its fields (`PauseReason` keys are its snake_case names, `other` then
//! str text; `OnSiteOutcome::Rectify` is `rectify` then the deadline as a date; a
//! `LicenceRequest` is its key then its fields; a bool is one byte, 0 or 1).
//! Lengths make the encoding injective: two different events never share bytes.

use jiff::Timestamp;
use jiff::civil::Date;

use super::event::{Channel, EventKind, MaterialRef, OnSiteOutcome};
use super::hash::Hash;
use super::ids::ActorRef;
use crate::clock::PauseReason;
use crate::licences::LicenceRequest;

/// The encoding version this module writes.
pub const CANONICAL_VERSION: u8 = 1;

/// The canonical bytes of an event's content (everything but its hashes).
pub fn canonical_bytes(
    seq: u64,
    at: Timestamp,
    on: Date,
    actor: &ActorRef,
    kind: &EventKind,
) -> Vec<u8> {
    let mut out = Encoder(Vec::with_capacity(256));
    out.u8(CANONICAL_VERSION);
    out.u64(seq);
    out.timestamp(at);
    out.date(on);
    out.str(&actor.user);
    out.str(actor.role.key());
    out.opt(actor.org.as_ref(), |out, org| out.str(org.as_str()));
    out.str(kind.key());
    out.kind_fields(kind);
    out.0
}

struct Encoder(Vec<u8>);

impl Encoder {
    fn u8(&mut self, value: u8) {
        self.0.push(value);
    }

    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_be_bytes());
    }

    fn u64(&mut self, value: u64) {
        self.0.extend_from_slice(&value.to_be_bytes());
    }

    fn len(&mut self, len: usize) {
        // A u32 length covers 4 GiB; nothing in an event comes near it, and saturating keeps
        // the function total (such an event would still hash, just not injectively).
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }

    fn str(&mut self, text: &str) {
        self.len(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn hash(&mut self, hash: &Hash) {
        self.0.extend_from_slice(hash.as_bytes());
    }

    fn timestamp(&mut self, at: Timestamp) {
        self.0.extend_from_slice(&at.as_second().to_be_bytes());
        self.0
            .extend_from_slice(&at.subsec_nanosecond().to_be_bytes());
    }

    fn date(&mut self, date: Date) {
        self.0.extend_from_slice(&date.year().to_be_bytes());
        self.0.extend_from_slice(&date.month().to_be_bytes());
        self.0.extend_from_slice(&date.day().to_be_bytes());
    }

    fn opt<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Encoder, T)) {
        match value {
            None => self.u8(0),
            Some(value) => {
                self.u8(1);
                write(self, value);
            }
        }
    }

    fn list<T>(&mut self, items: &[T], mut write: impl FnMut(&mut Encoder, &T)) {
        self.len(items.len());
        items.iter().for_each(|item| write(self, item));
    }

    fn strings(&mut self, items: &[String]) {
        self.list(items, |out, item| out.str(item));
    }

    fn materials(&mut self, materials: &[MaterialRef]) {
        self.list(materials, |out, material| {
            let MaterialRef { name, content_hash } = material;
            out.str(name);
            out.hash(content_hash);
        });
    }

    /// Every field of every variant, destructured in full so a new field cannot be forgotten:
    /// one exhaustive match on purpose, longer than usual, so the compiler checks it.
    fn kind_fields(&mut self, kind: &EventKind) {
        match kind {
            EventKind::Submitted {
                item,
                applicant,
                materials,
                channel,
            } => {
                self.str(item);
                self.str(applicant);
                self.materials(materials);
                self.channel(*channel);
            }
            EventKind::ApplicantNamed { name, address } => {
                self.str(name);
                self.str(address);
            }
            EventKind::SupplementRequested { items } => self.strings(items),
            EventKind::Supplemented { materials } => self.materials(materials),
            EventKind::Accepted | EventKind::Granted => {}
            EventKind::DeemedAccepted { received_on } => self.date(*received_on),
            EventKind::Refused {
                reason,
                competent_org,
            } => {
                self.str(reason);
                self.opt(competent_org.as_deref(), Encoder::str);
            }
            EventKind::StepEntered { step, budget_days } => {
                self.str(step);
                self.u32(*budget_days);
            }
            EventKind::ReviewCompleted { opinion } => self.str(opinion),
            EventKind::OnSiteVerified {
                inspectors,
                outcome,
            } => {
                self.strings(inspectors);
                self.on_site_outcome(*outcome);
            }
            EventKind::PauseStarted {
                reason,
                by,
                expected_days,
            } => {
                self.pause_reason(reason);
                self.str(by);
                self.u32(*expected_days);
            }
            EventKind::PauseEnded { result } => self.str(result),
            EventKind::Extended { days, reason } => {
                self.u32(*days);
                self.str(reason);
            }
            EventKind::Denied { reasons, rights } => {
                self.strings(reasons);
                self.str(rights);
            }
            EventKind::LicenceIssued { number } => self.str(number),
            EventKind::Withdrawn { reason } => self.str(reason),
            EventKind::WarningRaised { level, scope } => {
                self.str(level.key());
                self.str(scope.key());
            }
            EventKind::StepCompleted { step, outcome } => {
                self.str(step);
                self.str(outcome);
            }
            EventKind::DueDateChanged {
                previous,
                due,
                reason,
            } => {
                self.date(*previous);
                self.date(*due);
                self.str(reason);
            }
            EventKind::HandedOver { step, org } => {
                self.str(step);
                self.str(org);
            }
            EventKind::LicenceNamed {
                number,
                request,
                valid_until,
                in_time,
            } => {
                self.str(number);
                self.licence_request(request);
                self.date(*valid_until);
                self.u8(u8::from(*in_time));
            }
            EventKind::RenewalDeemed { expired_on } => self.date(*expired_on),
        }
    }

    /// A request: its key, then a change's `opt str` name and address and `list str` scope,
    /// or a cancellation's `str` reason (a renewal has no fields).
    fn licence_request(&mut self, request: &LicenceRequest) {
        self.str(request.key());
        match request {
            LicenceRequest::Change {
                holder_name,
                production_address,
                scope,
            } => {
                self.opt(holder_name.as_deref(), Encoder::str);
                self.opt(production_address.as_deref(), Encoder::str);
                self.strings(scope);
            }
            LicenceRequest::Renewal => {}
            LicenceRequest::Cancellation { reason } => self.str(reason),
        }
    }

    fn channel(&mut self, channel: Channel) {
        self.str(channel.key());
    }

    fn on_site_outcome(&mut self, outcome: OnSiteOutcome) {
        match outcome {
            OnSiteOutcome::Pass => self.str("pass"),
            OnSiteOutcome::Rectify { deadline } => {
                self.str("rectify");
                self.date(deadline);
            }
            OnSiteOutcome::Fail => self.str("fail"),
        }
    }

    fn pause_reason(&mut self, reason: &PauseReason) {
        let key = match reason {
            PauseReason::Testing => "testing",
            PauseReason::Inspection => "inspection",
            PauseReason::Quarantine => "quarantine",
            PauseReason::Appraisal => "appraisal",
            PauseReason::ExpertReview => "expert_review",
            PauseReason::Hearing => "hearing",
            PauseReason::Tendering => "tendering",
            PauseReason::Auction => "auction",
            PauseReason::Supplement => "supplement",
            PauseReason::Other(text) => {
                self.str("other");
                self.str(text);
                return;
            }
        };
        self.str(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Pins version 1: if this test fails, the encoding changed and every stored hash breaks.
    #[test]
    fn version_1_bytes_of_a_small_event_are_fixed() {
        let at = Timestamp::from_second(1_772_000_000).expect("in range");
        let kind = EventKind::Extended {
            days: 10,
            reason: "现场".into(),
        };
        let bytes = canonical_bytes(7, at, date(2026, 3, 2), &ActorRef::system(), &kind);
        let mut expected = vec![1];
        expected.extend_from_slice(&7u64.to_be_bytes());
        expected.extend_from_slice(&1_772_000_000i64.to_be_bytes());
        expected.extend_from_slice(&0i32.to_be_bytes());
        expected.extend_from_slice(&[0x07, 0xea, 3, 2]);
        expected.extend_from_slice(b"\0\0\0\x06system\0\0\0\x06system\0");
        expected.extend_from_slice(b"\0\0\0\x08extended\0\0\0\x0a");
        expected.extend_from_slice(b"\0\0\0\x06");
        expected.extend_from_slice("现场".as_bytes());
        assert_eq!(bytes, expected);
    }
}
