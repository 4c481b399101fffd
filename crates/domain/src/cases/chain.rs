//! The hash chain of a case's log: building new events on its head and checking a stored log
//! (`onewindow audit verify` names the first event that does not match, issue 4). Each event's
//! hash is `SHA-256(prev_hash ‖ canonical bytes)`, the first event's `prev_hash` being 32 zero
//! bytes, so changing, removing or reordering any event breaks every link after it. Owns the
//! links only: whether the events make sense is `decide`'s.

use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};

use super::canonical::canonical_bytes;
use super::event::{CaseEvent, EventKind};
use super::hash::Hash;
use super::ids::ActorRef;

/// The hash of an event with this content after `prev_hash`.
pub fn event_hash(
    prev_hash: &Hash,
    seq: u64,
    at: Timestamp,
    on: Date,
    actor: &ActorRef,
    kind: &EventKind,
) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_bytes(seq, at, on, actor, kind));
    Hash::from_bytes(hasher.finalize().into())
}

impl CaseEvent {
    /// The hash this event's content gives after its own `prev_hash`.
    pub fn computed_hash(&self) -> Hash {
        event_hash(
            &self.prev_hash,
            self.seq,
            self.at,
            self.on,
            &self.actor,
            &self.kind,
        )
    }
}

/// The end of a log: the last event's seq (the case's version; 0 for an empty log) and hash
/// ([`Hash::GENESIS`] for an empty log). What a store needs to chain events without the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: Hash,
}

/// An empty log's head.
impl Default for ChainHead {
    fn default() -> ChainHead {
        ChainHead::GENESIS
    }
}

impl ChainHead {
    /// The head of an empty log.
    pub const GENESIS: ChainHead = ChainHead {
        seq: 0,
        hash: Hash::GENESIS,
    };

    /// The head after the last of `events` (trusted; check them with [`verify_chain`]).
    pub fn of(events: &[CaseEvent]) -> ChainHead {
        events.last().map_or(ChainHead::GENESIS, |last| ChainHead {
            seq: last.seq,
            hash: last.hash,
        })
    }

    /// Chains `kinds` after this head, all by `actor` at `at` on `on`.
    pub fn append(
        self,
        kinds: Vec<EventKind>,
        actor: &ActorRef,
        at: Timestamp,
        on: Date,
    ) -> Vec<CaseEvent> {
        let mut head = self;
        let mut events = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let seq = head.seq + 1;
            let hash = event_hash(&head.hash, seq, at, on, actor, &kind);
            events.push(CaseEvent {
                seq,
                at,
                on,
                actor: actor.clone(),
                kind,
                prev_hash: head.hash,
                hash,
            });
            head = ChainHead { seq, hash };
        }
        events
    }
}

/// The new events that record `kinds` after `events`, chained and numbered on from its last.
pub fn append(
    events: &[CaseEvent],
    kinds: Vec<EventKind>,
    actor: &ActorRef,
    at: Timestamp,
    on: Date,
) -> Vec<CaseEvent> {
    ChainHead::of(events).append(kinds, actor, at, on)
}

/// The first event of a log that does not match, by the `seq` it carries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {seq} does not match the chain: {reason}")]
pub struct ChainError {
    pub seq: u64,
    pub reason: ChainFault,
}

/// What is wrong with that event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainFault {
    #[error("it is at position {expected} of the log (events missing, added or reordered)")]
    OutOfPlace { expected: u64 },
    #[error("its prev_hash is {found}, but the event before it hashes to {expected}")]
    BrokenLink { expected: Hash, found: Hash },
    #[error("its content hashes to {computed}, not to its stored hash {stored} (altered)")]
    Altered { computed: Hash, stored: Hash },
}

/// Checks a whole log from its first event: numbered 1, 2, 3 … in order, each `prev_hash` the
/// hash of the event before (zeros for the first), each hash the one its content gives.
pub fn verify_chain(events: &[CaseEvent]) -> Result<(), ChainError> {
    verify_from(ChainHead::GENESIS, events).map(|_| ())
}

/// Checks `events` as the continuation of a log ending at `head`; returns the new head. Lets a
/// store verify a long log in pages.
pub fn verify_from(head: ChainHead, events: &[CaseEvent]) -> Result<ChainHead, ChainError> {
    let mut head = head;
    for event in events {
        let fail = |reason| ChainError {
            seq: event.seq,
            reason,
        };
        let expected = head.seq + 1;
        if event.seq != expected {
            return Err(fail(ChainFault::OutOfPlace { expected }));
        }
        if event.prev_hash != head.hash {
            let (expected, found) = (head.hash, event.prev_hash);
            return Err(fail(ChainFault::BrokenLink { expected, found }));
        }
        let computed = event.computed_hash();
        if computed != event.hash {
            let stored = event.hash;
            return Err(fail(ChainFault::Altered { computed, stored }));
        }
        head = ChainHead {
            seq: event.seq,
            hash: event.hash,
        };
    }
    Ok(head)
}
