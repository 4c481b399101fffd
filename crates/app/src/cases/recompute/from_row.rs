//! One case's due date on the new calendar, decided from its projection row alone: the dates
//! counted from the row's `clock_basis` (`ClockBasis::due_dates`, exactly what the clock's fold
//! counts), a statutory date that moved recorded as the same `DueDateChanged` the log path
//! records (decided by the domain on the log's head the row keeps: status, last event's hash
//! and day), and a projection whose dates only became exact refreshed. No log is read or
//! folded.

use onewindow_domain::cases::{CaseStatus, ChainHead, Hash, LogHead, note_due_date_change};
use onewindow_domain::clock::{BasisDates, ClockBasis};
use onewindow_store::{BatchAppend, CaseProjection, CaseRecord};

use super::super::log;
use super::super::view::{clock_colour, log_head_row};
use super::decide::{Decided, Decider};
use crate::AppError;

impl Decider {
    /// The decisions of a page of rows with a basis, in its order (cases needing nothing left
    /// out).
    pub fn decide_rows(&self, rows: &[CaseRecord]) -> Result<Vec<Decided>, AppError> {
        let mut out = Vec::new();
        for record in rows {
            if let Some(decided) = self.decide_row(record)? {
                out.push(decided);
            }
        }
        Ok(out)
    }

    fn decide_row(&self, record: &CaseRecord) -> Result<Option<Decided>, AppError> {
        let refused = |what: String| AppError::Refused(format!("case {}: {what}", record.number));
        let text = record.projection.clock_basis.as_deref().unwrap_or_default();
        let basis = ClockBasis::parse(text).map_err(|e| refused(e.to_string()))?;
        let dates = basis
            .due_dates(&self.calendar, self.today)
            .map_err(|e| refused(format!("clock: {e}")))?;
        let projection = self.projection_on(record, &dates)?;
        let moved = match record.projection.statutory_due {
            Some(previous) if !dates.stopped && previous != dates.statutory_due.date => {
                Some((previous, dates.statutory_due.date))
            }
            _ => None,
        };
        let Some((previous, due)) = moved else {
            if projection == record.projection {
                return Ok(None);
            }
            return Ok(Some(Decided {
                moved: false,
                append: BatchAppend {
                    id: record.id,
                    expected_version: record.version,
                    events: Vec::new(),
                    projection,
                },
            }));
        };
        let last = record
            .projection
            .head
            .as_ref()
            .ok_or_else(|| refused("a clock but no events".into()))?;
        let hash = Hash::parse(&last.hash).map_err(|e| {
            refused(format!(
                "the head of its log is damaged ({e}); run `onewindow audit verify`"
            ))
        })?;
        let status = CaseStatus::parse_key(&record.projection.status)
            .ok_or_else(|| refused(format!("unknown status {}", record.projection.status)))?;
        let head = LogHead {
            status,
            head: ChainHead {
                seq: u64::try_from(record.version)
                    .map_err(|_| refused(format!("version {} is negative", record.version)))?,
                hash,
            },
            last_on: last.on,
        };
        let on = crate::china_date(self.now);
        let event = note_due_date_change(&head, (previous, due, self.reason.clone()), self.now, on)
            .map_err(|e| refused(format!("{e}")))?;
        let projection = CaseProjection {
            head: Some(log_head_row(&event)),
            ..projection
        };
        Ok(Some(Decided {
            moved: true,
            append: BatchAppend {
                id: record.id,
                expected_version: record.version,
                events: log::stored_events(&[event])?,
                projection,
            },
        }))
    }

    /// The row with the new dates and colour; the rest (status, step, org, basis) is what a
    /// `DueDateChanged` leaves as it was.
    fn projection_on(
        &self,
        record: &CaseRecord,
        dates: &BasisDates,
    ) -> Result<CaseProjection, AppError> {
        let limits = &self.process_of(record)?.1;
        let old = &record.projection;
        Ok(CaseProjection {
            statutory_due: Some(dates.statutory_due.date),
            promised_due: dates.promised_due.map(|d| d.date),
            due_provisional: dates.statutory_due.provisional
                || dates.promised_due.is_some_and(|d| d.provisional),
            clock_status: clock_colour(
                old.open,
                dates.stopped,
                dates.is_paused,
                dates.status(limits),
            )
            .to_owned(),
            ..old.clone()
        })
    }
}
