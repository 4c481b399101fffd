//! Loading a case to show or change it: its row, its log checked against the chain, its state
//! and the definition it follows. A change builds on the log this instance kept
//! (`log_cache.rs`) and reads only the newer events; everything else reads the log whole.

use std::sync::Arc;

use onewindow_domain::cases::{CaseEvent, CaseState};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{CaseForChange, CaseId, CaseRecord, Generations};

use super::log;
use crate::{App, AppError};

/// A case as loaded for a change: its row, its log and the definition it follows.
pub(crate) struct Loaded {
    pub id: CaseId,
    pub record: CaseRecord,
    pub events: Vec<CaseEvent>,
    pub state: CaseState,
    pub definition: ProcessDefinition,
    /// The calendar's and catalogue's generations read with the case: what the change counts
    /// and names with is as stored then (or later).
    pub generations: Generations,
    /// The registered enterprise that applied, (name, address), if it was read with the case.
    pub applicant_on_record: OnRecord,
}

/// Whether the applicant's enterprise record came with the case.
#[derive(Debug, Clone)]
pub(crate) enum OnRecord {
    /// Read in the same statement as the case (`CaseStore::case_for_change`): `None` when the
    /// applicant has no enterprise record.
    Read(Option<(String, String)>),
    /// Not read (a case from a sweep page): looked up when a document needs it.
    Unread,
}

impl App {
    /// Loads a case by its number, with its whole log checked against the chain (what is shown
    /// or swept is never taken on trust).
    pub(crate) async fn load_case(&self, number: &str) -> Result<Loaded, AppError> {
        self.load_case_from(number, None).await
    }

    /// Loads a case to change it: the events after the log this instance kept
    /// (`log_cache.rs`), checked to chain onto it, or the whole log checked.
    pub(crate) async fn load_case_to_change(&self, number: &str) -> Result<Loaded, AppError> {
        self.load_case_from(number, self.log_cache.get(number))
            .await
    }

    async fn load_case_from(
        &self,
        number: &str,
        kept: Option<Arc<Vec<CaseEvent>>>,
    ) -> Result<Loaded, AppError> {
        let kept_seq = kept.as_ref().map_or(0, |log| log.len() as i64);
        let read = self.read_for_change(number, kept_seq).await?;
        // `newer`: the log is longer than the one kept, so it is worth keeping (a copy).
        let (read, events, newer) = match kept {
            // The store holds the kept log and perhaps more (versions count events).
            Some(kept) if read.record.version >= kept_seq => {
                let events = log::parse_events_after(&read.record.number, &kept, &read.events)?;
                log::check_whole(&read.record, &events)?;
                let newer = events.len() > kept.len();
                (read, events, newer)
            }
            Some(_) => {
                // Fewer events than were kept: not this log any more (a restored database).
                self.log_cache.forget(number);
                let read = self.read_for_change(number, 0).await?;
                let events = log::parse_events(&read.record.number, &read.events)?;
                (read, events, true)
            }
            None => {
                let events = log::parse_events(&read.record.number, &read.events)?;
                (read, events, true)
            }
        };
        let CaseForChange {
            record,
            generations,
            applicant_on_record,
            ..
        } = read;
        let id = record.id;
        if newer {
            self.log_cache.put(&record.number, Arc::new(events.clone()));
        }
        let state = CaseState::fold(&events);
        let definition = self.definition_of(&record).await?;
        Ok(Loaded {
            id,
            record,
            events,
            state,
            definition,
            generations,
            applicant_on_record: OnRecord::Read(applicant_on_record),
        })
    }

    async fn read_for_change(
        &self,
        number: &str,
        after_seq: i64,
    ) -> Result<CaseForChange, AppError> {
        self.store
            .case_for_change_after(number, after_seq)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("case {number}")))
    }
}
