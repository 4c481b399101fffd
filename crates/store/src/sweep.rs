//! The storage port of the sweeper and of the due-date recompute after a calendar import
//! (issue 3): open cases read a page at a time with their logs, or (the recompute) only their
//! rows, which keep the head of each log; a page's appends written together, each still checked
//! against its case's version; and the due dates that only became exact settled in one
//! statement.

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

use crate::{CaseId, CaseProjection, CaseRecord, StoreError, StoredEvent};

/// Which open cases a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenCases {
    /// Every open case (the sweeper).
    All,
    /// Open cases with provisional due dates (`due_provisional`) whose statutory or promised
    /// due date is on or after `reaching` (`None`: every one) — what a calendar change moving
    /// the days from `reaching` on can move.
    Provisional { reaching: Option<Date> },
}

/// One case's append in a batch: written only if the case is still at `expected_version`. A
/// batch records what a calendar change does to a case (a `DueDateChanged`, dates made exact),
/// which moves its clock and nothing else: of the projection, only the due dates, their
/// `due_provisional`, the `clock_status` and the `clock_basis` are written; the status, step,
/// orgs, `open` and `step_since` stay as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchAppend {
    pub id: CaseId,
    pub expected_version: i64,
    /// May be empty: the projection alone is replaced (the version stays).
    pub events: Vec<StoredEvent>,
    pub projection: CaseProjection,
}

#[async_trait]
pub trait SweepStore {
    /// The open cases `which` names with ids after `after`, in id order, each with its log as
    /// of the row's version (two reads a page). `None` for a log that could not be read whole
    /// at that version (the case changed between the reads): the caller reads it again.
    async fn open_cases_with_logs(
        &self,
        after: CaseId,
        which: OpenCases,
        limit: u32,
    ) -> Result<Vec<(CaseRecord, Option<Vec<StoredEvent>>)>, StoreError>;

    /// The rows alone of the open cases with ids after `after`, in id order: what the sweeper
    /// pages through, reading logs ([`SweepStore::logs_at`]) only for the cases it must look at.
    async fn open_case_rows(
        &self,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError>;

    /// The logs of `cases`, each as of its given version (events appended since are left out),
    /// in the order given; `None` for a log that cannot be read whole at that version.
    async fn logs_at(
        &self,
        cases: &[(CaseId, i64)],
    ) -> Result<Vec<Option<Vec<StoredEvent>>>, StoreError>;

    /// The rows of the open cases with provisional due dates reaching `reaching` (as
    /// [`OpenCases::Provisional`]) with ids after `after`, in id order, in one read: what the
    /// recompute needs to count the dates from the row's `clock_basis` and to chain a
    /// `DueDateChanged` on the log's head (`CaseProjection::head`) without reading the log.
    async fn provisional_case_rows(
        &self,
        after: CaseId,
        reaching: Option<Date>,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError>;

    /// Writes the appends in one transaction; each case's events and projection only if its
    /// version is still the expected one. Answers the cases written, in id order: the others
    /// changed meanwhile (a conflict) and have nothing written.
    async fn append_batch(
        &self,
        appends: Vec<BatchAppend>,
        at: Timestamp,
    ) -> Result<Vec<CaseId>, StoreError>;

    /// Marks exact (clears `due_provisional` on) the open cases with provisional due dates
    /// whose statutory and promised due dates all lie before `before`; answers how many.
    async fn settle_provisional_due_dates(
        &self,
        before: Date,
        at: Timestamp,
    ) -> Result<u64, StoreError>;
}
