//! A case's log between the domain and the store: each event's own fields (its day, actor and
//! what happened) stored as JSON the store never interprets, with its seq, time, type key and
//! hash links in columns of their own, and put back together and checked against the chain
//! when read.
//!
//! The body does not repeat what the columns hold: the hash covers the columns' values too
//! (`canonical_bytes`), so a changed column still breaks the chain, and a row is ≈ 30 % smaller
//! (issue 3: the recompute writes a million of them; issue 6: every move writes one). Rows
//! written before that kept the whole event in the body: those fields are read and must agree
//! with the columns.

use jiff::Timestamp;
use jiff::civil::Date;
use onewindow_domain::cases::{
    ActorRef, CaseEvent, ChainHead, EventKind, Hash, verify_chain, verify_from,
};
use onewindow_store::StoredEvent;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// What a row's body holds of its event.
#[derive(Serialize)]
struct Body<'a> {
    on: &'a Date,
    actor: &'a ActorRef,
    kind: &'a EventKind,
}

/// A body as read: the event's own fields, and the column fields a body written before the
/// columns stood alone also held.
#[derive(Deserialize)]
struct ReadBody {
    on: Date,
    actor: ActorRef,
    kind: EventKind,
    seq: Option<u64>,
    at: Option<Timestamp>,
    prev_hash: Option<Hash>,
    hash: Option<Hash>,
}

/// The store's rows for new events.
pub(crate) fn stored_events(events: &[CaseEvent]) -> Result<Vec<StoredEvent>, AppError> {
    events
        .iter()
        .map(|event| {
            let body = Body {
                on: &event.on,
                actor: &event.actor,
                kind: &event.kind,
            };
            let body = serde_json::to_string(&body).map_err(|e| {
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

/// The domain event of a stored row, or why it is damaged: its body does not parse, a column
/// does not read, or what its body repeats of the columns (type; seq, time and hashes in rows
/// written whole) disagrees with them.
pub(crate) fn event_of(row: &StoredEvent) -> Result<CaseEvent, String> {
    let body: ReadBody =
        serde_json::from_str(&row.body).map_err(|e| format!("its body does not parse: {e}"))?;
    let seq = u64::try_from(row.seq).map_err(|_| format!("its seq {} is negative", row.seq))?;
    let prev_hash = Hash::parse(&row.prev_hash).map_err(|e| format!("its previous hash: {e}"))?;
    let hash = Hash::parse(&row.hash).map_err(|e| format!("its hash: {e}"))?;
    let agrees = |kept: Option<bool>| kept.unwrap_or(true);
    let columns_agree = body.kind.key() == row.kind
        && agrees(body.seq.map(|s| s == seq))
        && agrees(body.at.map(|at| at == row.at))
        && agrees(body.prev_hash.map(|h| h == prev_hash))
        && agrees(body.hash.map(|h| h == hash));
    match columns_agree {
        true => Ok(CaseEvent {
            seq,
            at: row.at,
            on: body.on,
            actor: body.actor,
            kind: body.kind,
            prev_hash,
            hash,
        }),
        false => Err("its columns do not match its body".into()),
    }
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

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use onewindow_domain::cases::{ChainHead, EventKind};

    use super::*;

    fn logged() -> Vec<CaseEvent> {
        let at: Timestamp = "2026-03-02T01:02:03.456789012Z".parse().expect("time");
        ChainHead::GENESIS.append(
            vec![
                EventKind::Accepted,
                EventKind::DueDateChanged {
                    previous: date(2027, 2, 18),
                    due: date(2027, 2, 25),
                    reason: "工作日历已更新 / the calendar was updated".into(),
                },
            ],
            &ActorRef::system(),
            at,
            date(2026, 3, 2),
        )
    }

    #[test]
    fn a_row_keeps_in_its_body_only_what_its_columns_do_not_and_reads_back_whole() {
        let events = logged();
        let rows = stored_events(&events).expect("stored");
        for (row, event) in rows.iter().zip(&events) {
            for column in ["\"seq\"", "\"at\"", "\"prev_hash\"", "\"hash\""] {
                assert!(!row.body.contains(column), "{column} in {}", row.body);
            }
            assert_eq!(event_of(row).as_ref(), Ok(event));
        }
        assert!(parse_events("2026-000001", &rows).is_ok());
    }

    /// A row written before the columns stood alone: the whole event in its body.
    fn whole(event: &CaseEvent) -> StoredEvent {
        let mut row = stored_events(std::slice::from_ref(event))
            .expect("stored")
            .remove(0);
        row.body = serde_json::to_string(event).expect("json");
        row
    }

    #[test]
    fn a_row_written_whole_reads_the_same_and_must_agree_with_its_columns() {
        let events = logged();
        let row = whole(&events[1]);
        assert_eq!(event_of(&row).as_ref(), Ok(&events[1]));

        let mut other_hash = row.clone();
        other_hash.hash = events[0].hash.to_string();
        let mut other_seq = row.clone();
        other_seq.seq = 1;
        let mut other_time = row.clone();
        other_time.at = "2026-03-02T01:02:03Z".parse().expect("time");
        for damaged in [other_hash, other_seq, other_time] {
            assert_eq!(
                event_of(&damaged),
                Err("its columns do not match its body".to_owned())
            );
        }
    }

    #[test]
    fn a_changed_column_breaks_the_chain_its_hash_covers() {
        let mut rows = stored_events(&logged()).expect("stored");
        rows[1].at = "2026-03-03T00:00:00Z".parse().expect("time");
        let refused = parse_events("2026-000001", &rows).expect_err("altered");
        assert!(refused.to_string().contains("event 2"), "{refused}");

        let mut rows = stored_events(&logged()).expect("stored");
        rows[0].hash = "not hex".into();
        let refused = parse_events("2026-000001", &rows).expect_err("unreadable");
        assert!(refused.to_string().contains("its hash"), "{refused}");
    }
}
