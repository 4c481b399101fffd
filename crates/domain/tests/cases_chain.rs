//! Tamper evidence (DESIGN.md "Cases are event logs"; issue 4: `onewindow audit verify` names
//! the first event that does not match): any altered byte, re-hashed event, reordering or gap
//! is found and named by its seq; an untouched log and its continuation verify.

mod cases_support;

use cases_support::*;
use jiff::civil::date;
use onewindow_domain::cases::{
    ChainError, ChainFault, ChainHead, EventKind, Hash, canonical_bytes, verify_chain, verify_from,
};

fn fault(result: Result<(), ChainError>) -> (u64, ChainFault) {
    let error = result.expect_err("the chain must not verify");
    (error.seq, error.reason)
}

#[test]
fn the_first_event_links_to_32_zero_bytes_and_each_to_the_one_before() {
    let events = happy_path().events;
    assert_eq!(events[0].prev_hash, Hash::GENESIS);
    assert_eq!(events[0].prev_hash.to_string(), "0".repeat(64));
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert_eq!(pair[1].seq, pair[0].seq + 1);
    }
    assert!(events.iter().all(|e| e.hash == e.computed_hash()));
}

#[test]
fn one_altered_byte_of_a_payload_is_found_and_named_by_its_seq() {
    let mut events = happy_path().events;
    let EventKind::LicenceIssued { number } = &mut events[9].kind else {
        panic!("the tenth event issues the licence");
    };
    // "…00001" → "…00002": one byte.
    number.replace_range(number.len() - 1.., "2");
    let (seq, reason) = fault(verify_chain(&events));
    assert_eq!(seq, 10);
    assert!(matches!(reason, ChainFault::Altered { .. }), "{reason}");
}

#[test]
fn an_altered_date_actor_or_instant_is_found_too() {
    let original = happy_path().events;
    let mut events = original.clone();
    events[4].on = date(2026, 3, 19);
    assert_eq!(fault(verify_chain(&events)).0, 5);
    let mut events = original.clone();
    events[4].actor.user = "clerk.li".into();
    assert_eq!(fault(verify_chain(&events)).0, 5);
    let mut events = original;
    events[2].at = events[2]
        .at
        .checked_add(jiff::SignedDuration::from_nanos(1))
        .unwrap();
    assert_eq!(fault(verify_chain(&events)).0, 3);
}

#[test]
fn a_tampered_event_given_a_fresh_hash_breaks_the_next_link() {
    let mut events = happy_path().events;
    events[3].on = date(2026, 3, 2);
    events[3].hash = events[3].computed_hash();
    let (seq, reason) = fault(verify_chain(&events));
    assert_eq!(seq, 5);
    assert!(matches!(reason, ChainFault::BrokenLink { .. }), "{reason}");
}

#[test]
fn reordered_events_are_found_and_named_by_the_seq_out_of_place() {
    let mut events = happy_path().events;
    events.swap(6, 7);
    let (seq, reason) = fault(verify_chain(&events));
    assert_eq!(seq, 8);
    assert_eq!(reason, ChainFault::OutOfPlace { expected: 7 });
    // Renumbering them as well does not help: the links no longer match.
    events[6].seq = 7;
    events[7].seq = 8;
    let (seq, reason) = fault(verify_chain(&events));
    assert_eq!(seq, 7);
    assert!(matches!(reason, ChainFault::BrokenLink { .. }), "{reason}");
}

#[test]
fn a_removed_event_is_found() {
    let mut events = happy_path().events;
    events.remove(4);
    let (seq, reason) = fault(verify_chain(&events));
    assert_eq!((seq, reason), (6, ChainFault::OutOfPlace { expected: 5 }));
}

#[test]
fn the_error_message_names_the_event_and_the_fault() {
    let mut events = happy_path().events;
    events[1].kind = EventKind::SupplementRequested { items: vec![] };
    let message = verify_chain(&events).unwrap_err().to_string();
    assert!(
        message.starts_with("event 2 does not match the chain"),
        "{message}"
    );
    assert!(message.contains("altered"), "{message}");
}

#[test]
fn a_log_verifies_in_pages_from_a_known_head() {
    let events = happy_path().events;
    let (first, rest) = events.split_at(4);
    let head = verify_from(ChainHead::GENESIS, first).expect("first page");
    assert_eq!(head, ChainHead::of(first));
    assert_eq!(verify_from(head, rest), Ok(ChainHead::of(&events)));
    assert!(verify_from(ChainHead::GENESIS, rest).is_err());
}

#[test]
fn the_hash_is_sha256_of_the_previous_hash_and_the_canonical_bytes() {
    let events = happy_path().events;
    let event = &events[3];
    let mut input = event.prev_hash.as_bytes().to_vec();
    input.extend(canonical_bytes(
        event.seq,
        event.at,
        event.on,
        &event.actor,
        &event.kind,
    ));
    assert_eq!(Hash::of(&input), event.hash);
    assert_eq!(event.hash.to_string().parse::<Hash>(), Ok(event.hash));
}
