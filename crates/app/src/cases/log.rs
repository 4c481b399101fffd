//! A case's log between the domain and the store: each event stored whole as JSON (the store
//! never interprets it), with its seq, type key and hash links in columns of their own, and
//! parsed back and checked against the chain when read.

use jiff::civil::Date;
use onewindow_domain::cases::{CaseEvent, ChainHead, Hash, verify_chain, verify_from};
use onewindow_store::StoredEvent;

use crate::AppError;

/// The store's rows for new events.
pub(crate) fn stored_events(events: &[CaseEvent]) -> Result<Vec<StoredEvent>, AppError> {
    events
        .iter()
        .map(|event| {
            let body = serde_json::to_string(event).map_err(|e| {
                AppError::Refused(format!("cannot record event {}: {e}", event.seq))
            })?;
            Ok(StoredEvent {
                seq: event.seq as i64,
                at: event.at,
                kind: event.kind.key().to_owned(),
                body,
                prev_hash: event.prev_hash.to_string(),
                hash: event.hash.to_string(),
            })
        })
        .collect()
}

/// The domain event of a stored row, or why it is damaged: its body does not parse, or its
/// columns (seq, type, hashes) disagree with its body.
pub(crate) fn event_of(row: &StoredEvent) -> Result<CaseEvent, String> {
    let event: CaseEvent =
        serde_json::from_str(&row.body).map_err(|e| format!("its body does not parse: {e}"))?;
    let columns_agree = event.seq as i64 == row.seq
        && event.hash.to_string() == row.hash
        && event.prev_hash.to_string() == row.prev_hash
        && event.kind.key() == row.kind;
    match columns_agree {
        true => Ok(event),
        false => Err("its columns do not match its body".into()),
    }
}

/// What chaining a new event on `row` reads of it: its seq and hash (the columns, which name the
/// chain's head as the store keeps it) and the day it was recorded on (from its body, which is
/// read for that field alone: the recompute chains a million events this way). The whole row is
/// checked by `audit verify` and by every read of the log, not here.
pub(crate) fn head_of(row: &StoredEvent) -> Result<(ChainHead, Date), String> {
    #[derive(serde::Deserialize)]
    struct RecordedOn {
        on: Date,
    }
    let on = serde_json::from_str::<RecordedOn>(&row.body)
        .map_err(|e| format!("its body does not parse: {e}"))?
        .on;
    let hash = Hash::parse(&row.hash).map_err(|e| format!("its hash: {e}"))?;
    let seq = u64::try_from(row.seq).map_err(|_| format!("its seq {} is negative", row.seq))?;
    Ok((ChainHead { seq, hash }, on))
}

/// The domain events of a stored log, checked against the chain. A damaged row or a chain
/// that does not verify is reported with the case and event — a tampered or damaged log is
/// never acted on.
pub(crate) fn parse_events(
    number: &str,
    stored: &[StoredEvent],
) -> Result<Vec<CaseEvent>, AppError> {
    let events = parse_rows(number, stored)?;
    verify_chain(&events).map_err(|e| damaged(number, e.seq as i64, e.reason.to_string()))?;
    Ok(events)
}

/// The whole log of a case of which `kept` (verified earlier) is the beginning and `stored`
/// the rows after it, checked to continue `kept`'s chain.
pub(crate) fn parse_events_after(
    number: &str,
    kept: &[CaseEvent],
    stored: &[StoredEvent],
) -> Result<Vec<CaseEvent>, AppError> {
    let new = parse_rows(number, stored)?;
    verify_from(ChainHead::of(kept), &new)
        .map_err(|e| damaged(number, e.seq as i64, e.reason.to_string()))?;
    let mut events = Vec::with_capacity(kept.len() + new.len());
    events.extend_from_slice(kept);
    events.extend(new);
    Ok(events)
}

/// A log pieced together from a kept beginning must hold as many events as the row's version
/// counts: one statement read both, so anything else is a damaged store.
pub(crate) fn check_whole(
    record: &onewindow_store::CaseRecord,
    events: &[CaseEvent],
) -> Result<(), AppError> {
    match events.len() as i64 == record.version {
        true => Ok(()),
        false => Err(damaged(
            &record.number,
            record.version,
            format!(
                "the case counts {} events, its log holds {}",
                record.version,
                events.len()
            ),
        )),
    }
}

fn parse_rows(number: &str, stored: &[StoredEvent]) -> Result<Vec<CaseEvent>, AppError> {
    stored
        .iter()
        .map(|row| event_of(row).map_err(|why| damaged(number, row.seq, why)))
        .collect()
}

fn damaged(number: &str, seq: i64, why: String) -> AppError {
    AppError::Refused(format!(
        "case {number}: event {seq} is damaged ({why}); run `onewindow audit verify`"
    ))
}
