//! The cases' storage port. A case is an append-only, hash-chained log of events (DESIGN.md
//! "Cases are event logs") plus a projection row that queues, the sweeper and statistics read.
//! The store keeps events as the JSON the application made of them and never interprets them:
//! the domain folds them. Every append checks the case's version, so of two people acting on one
//! case at once one wins and the other gets [`StoreError::Conflict`].

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

use crate::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId(pub i64);

/// One stored event: its position, its JSON and its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// 1-based position in the case's log; also the case's version after it.
    pub seq: i64,
    pub at: Timestamp,
    /// The event type's key (for queries and statistics without parsing the JSON).
    pub kind: String,
    /// The whole event as the application serialised it.
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What queues, the sweeper and statistics read without folding the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseProjection {
    pub status: String,
    /// The step the case waits in (a process step id), if any.
    pub step: Option<String>,
    /// The org whose staff act now (the handling org, or a lower org for delegated work).
    pub acting_org: String,
    pub statutory_due: Option<Date>,
    pub promised_due: Option<Date>,
    /// The due dates were counted past the known calendar (RULES.md §1).
    pub due_provisional: bool,
    /// `green`, `yellow`, `red`, `overdue`, `paused` or `stopped`.
    pub clock_status: String,
    /// Whether the case is still open (not decided, refused or withdrawn).
    pub open: bool,
    /// When the case entered its current step (queues show how long it has waited).
    pub step_since: Option<Timestamp>,
    /// What the due dates are counted from, in `domain::clock::ClockBasis`'s text form (`None`
    /// before acceptance, and on rows written before migration 0011): the recompute after a
    /// calendar import counts the dates from it without the log.
    pub clock_basis: Option<String>,
    /// The log's last event as the row keeps it (`None`: no events yet), written with every
    /// append, so the recompute after a calendar import (issue 3) chains a `DueDateChanged` on
    /// the log without reading it.
    pub head: Option<LogHeadRow>,
}

/// What a case's row keeps of its log's last event: its hash (hex, as the event's `hash`
/// column) and the day it was recorded on (nothing is recorded before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHeadRow {
    pub hash: String,
    pub on: Date,
}

/// A new case with its first events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub item_code: String,
    pub definition_code: String,
    pub definition_version: i64,
    pub handling_org: String,
    /// The applicant's Unified Social Credit Code.
    pub applicant: String,
    /// The same key twice (a double click, a retry) creates one case.
    pub idempotency_key: Option<String>,
    /// The licence a change, renewal or cancellation is about (arts. 49, 50, 70), in its
    /// canonical form: while this case is open no other case on it can be created
    /// ([`StoreError::Duplicate`]).
    pub licence_number: Option<String>,
    pub projection: CaseProjection,
    pub events: Vec<StoredEvent>,
    pub created_at: Timestamp,
}

/// A case's projection row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: CaseId,
    /// Human case number, e.g. `2026-000123`.
    pub number: String,
    pub item_code: String,
    pub definition_code: String,
    pub definition_version: i64,
    pub handling_org: String,
    pub applicant: String,
    pub version: i64,
    pub projection: CaseProjection,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Which cases a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Cases this org handles or acts on now (a staff member's scope).
    pub visible_to_org: Option<String>,
    /// Cases in any of these steps (empty: any step).
    pub steps: Vec<String>,
    pub acting_org: Option<String>,
    pub handling_org: Option<String>,
    pub applicant: Option<String>,
    pub status: Option<String>,
    pub clock_status: Option<String>,
    pub open: Option<bool>,
}

/// Counters bumped in the transaction of every change to what a move reads besides its case:
/// equal numbers mean an instance's copy is still the stored one (`App` caches by them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generations {
    /// [`crate::CalendarStore::calendar_version`].
    pub calendar: i64,
    /// [`crate::CatalogueStore::catalogue_version`]: orgs, powers, items and fees, and which
    /// process each item follows.
    pub catalogue: i64,
}

/// A case as read to change it, in one statement and so one snapshot: its row, its whole log,
/// the generations of the calendar and catalogue at that moment, and the applicant's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseForChange {
    pub record: CaseRecord,
    pub events: Vec<StoredEvent>,
    pub generations: Generations,
    /// The registered enterprise whose credit code is the applicant, if any: (name, address).
    pub applicant_on_record: Option<(String, String)>,
}

/// The outcome of [`CaseStore::create_case`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: CaseId,
    /// The case's number (the existing case's, for a used idempotency key): the submission's
    /// answer, without reading the case back.
    pub number: String,
    /// True when the idempotency key had been used: no new case was made.
    pub existing: bool,
}

#[async_trait]
pub trait CaseStore {
    /// Creates a case and its first events in one transaction, numbering it within `year`; with
    /// an idempotency key already used, returns that case instead.
    async fn create_case(&self, case: &NewCase, year: i32) -> Result<Created, StoreError>;
    /// The calendar and catalogue generations now, in one statement: what a submission reads
    /// its cached item, process and calendar under.
    async fn generations(&self) -> Result<Generations, StoreError>;
    async fn case(&self, id: CaseId) -> Result<Option<(CaseRecord, Vec<StoredEvent>)>, StoreError>;
    async fn case_by_number(&self, number: &str) -> Result<Option<CaseId>, StoreError>;
    /// The case numbered `number` with its log and the generations, in one round trip: the
    /// read every move starts with (issue 6: each statement is a hop to the driver's thread).
    async fn case_for_change(&self, number: &str) -> Result<Option<CaseForChange>, StoreError> {
        self.case_for_change_after(number, 0).await
    }
    /// [`CaseStore::case_for_change`] with only the events after `after_seq` in `events`: for a
    /// caller that holds (and has verified) the log up to there. The row is the current one, so
    /// `record.version` says how many events there are in all.
    async fn case_for_change_after(
        &self,
        number: &str,
        after_seq: i64,
    ) -> Result<Option<CaseForChange>, StoreError>;
    /// Appends events and replaces the projection if the case is still at `expected_version`;
    /// otherwise [`StoreError::Conflict`] and nothing is written.
    async fn append_events(
        &self,
        id: CaseId,
        expected_version: i64,
        events: &[StoredEvent],
        projection: &CaseProjection,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// [`append_events`](CaseStore::append_events) with the notifications the new events call
    /// for, in the same transaction: stored together with the events or not at all (a stale
    /// version writes neither), with no commit of their own.
    async fn append_events_notifying(
        &self,
        id: CaseId,
        expected_version: i64,
        events: &[StoredEvent],
        projection: &CaseProjection,
        at: Timestamp,
        notifications: &[crate::NewNotification],
    ) -> Result<(), StoreError>;
    /// Cases matching the filter, newest first, with the total count.
    async fn cases(
        &self,
        filter: &CaseFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<CaseRecord>, u64), StoreError>;
    /// Open cases with ids after `after`, in id order (for sweeps that resume where they stopped).
    async fn open_cases_after(
        &self,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError>;
    /// The cases with ids after `after`, in id order, each with its whole log as stored (events
    /// past the row's version included: in one consistent read, those are damage), for
    /// `audit verify`: a page in two reads instead of two reads a case.
    async fn cases_with_logs_after(
        &self,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<(CaseRecord, Vec<StoredEvent>)>, StoreError>;
}

/// A process definition an administrator saved (the shipped ones are compiled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDefinition {
    pub code: String,
    pub version: i64,
    /// The TOML text, parsed again by the domain when read.
    pub source: String,
    pub saved_by: String,
    pub saved_at: Timestamp,
}

/// Process definitions and which one each service item's cases follow.
#[async_trait]
pub trait ProcessStore {
    /// Fails with [`StoreError::Duplicate`] when that version was saved before: a version, once
    /// used by a case, never changes.
    async fn save_definition(&self, definition: &SavedDefinition) -> Result<(), StoreError>;
    /// Every saved version, by code then version.
    async fn definitions(&self) -> Result<Vec<SavedDefinition>, StoreError>;
    async fn set_item_process(
        &self,
        item_code: &str,
        definition_code: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// (item code, definition code), by item code.
    async fn item_processes(&self) -> Result<Vec<(String, String)>, StoreError>;
}
