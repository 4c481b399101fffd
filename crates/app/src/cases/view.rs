//! A case as a person sees it: its row, its log, its clock with the explanation, and the moves
//! this person may make now (only those: the page shows no button it would refuse). Also the
//! projection row written with every change, which queues and the sweeper read.

use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{CaseEvent, CaseState, CaseStatus, case_clock, case_clock_basis};
use onewindow_domain::catalogue::{DEFAULT_WARN_DAYS, ServiceItem};
use onewindow_domain::clock::{AsRecorded, ClockSnapshot, ClockStatus, TimeLimits};
use onewindow_domain::flow::{Flow, Need};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{CaseProjection, CaseRecord, Generations, LogHeadRow};

use super::names::CaseNames;
use super::{Loaded, Person};
use crate::{App, AppError};

/// Everything the case page and the case API show.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub record: CaseRecord,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub definition: ProcessDefinition,
    /// The applicant's name: its enterprise's record, or as declared at the window.
    pub applicant_name: Option<String>,
    pub status: CaseStatus,
    pub events: Vec<CaseEvent>,
    pub state: CaseState,
    /// `None` until the case is accepted (the clock starts the day after acceptance).
    pub clock: Option<ClockSnapshot>,
    /// The names of the case's steps and of orgs, for everything that shows the log.
    pub names: CaseNames,
    pub moves: Vec<MoveView>,
    /// The names of the steps the current one waits for, e.g. the on-site verification.
    pub waiting_for: Vec<(String, String)>,
    /// Art. 42: the head of the handling org may extend now.
    pub may_extend: bool,
}

/// A move offered to the viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveView {
    pub step: String,
    pub step_name_zh: String,
    pub step_name_en: String,
    pub outcome: String,
    pub outcome_name_zh: String,
    pub outcome_name_en: String,
    pub needs: Vec<Need>,
}

impl CaseView {
    /// The current step's names (zh, en).
    pub fn step_names(&self) -> Option<(&str, &str)> {
        let (id, _) = self.state.step()?;
        let step = self.definition.step(id)?;
        Some((step.name_zh.as_str(), step.name_en.as_str()))
    }
}

impl App {
    /// A case for someone who may see it (others get "not found").
    pub async fn case_view(&self, person: &Person, number: &str) -> Result<CaseView, AppError> {
        let case = self.load_case(number).await?;
        self.check_visible(person, &case)?;
        let item = self.case_item(&case.record, case.generations).await?;
        let names = self.case_names(&case.definition, case.generations).await?;
        let clock = self
            .clock_of(
                &case.definition,
                item.as_ref(),
                &case.record.number,
                &case.events,
                &names,
                case.generations,
            )
            .await?;
        self.view_with(person, case, item, clock, names).await
    }

    /// The view of a loaded case whose item, clock and names are known.
    pub(crate) async fn view_with(
        &self,
        person: &Person,
        case: Loaded,
        item: Option<ServiceItem>,
        clock: Option<ClockSnapshot>,
        names: CaseNames,
    ) -> Result<CaseView, AppError> {
        let applicant_name = self
            .applicant_particulars(&case)
            .await?
            .map(|(name, _)| name);
        let Loaded {
            record,
            events,
            state,
            definition,
            ..
        } = case;
        let flow = Flow::new(&definition, &state);
        let may_act_here = |step: &str| {
            let acting = state
                .handed_to(step)
                .unwrap_or(record.handling_org.as_str());
            match person {
                Person::Staff { org, .. } => org.as_str() == acting,
                Person::Enterprise { .. } => true,
            }
        };
        let moves = flow
            .moves(person.process_actor())
            .into_iter()
            .filter(|m| may_act_here(m.step.id.as_str()))
            .map(|m| MoveView {
                step: m.step.id.as_str().to_owned(),
                step_name_zh: m.step.name_zh.clone(),
                step_name_en: m.step.name_en.clone(),
                outcome: m.outcome.key.as_str().to_owned(),
                outcome_name_zh: m.outcome.name_zh.clone(),
                outcome_name_en: m.outcome.name_en.clone(),
                needs: m.needs,
            })
            .collect();
        let waiting_for = flow
            .waiting()
            .map(|w| {
                w.waiting_for
                    .iter()
                    .map(|s| (s.name_zh.clone(), s.name_en.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let status = state.status();
        let may_extend = matches!(person, Person::Staff { role: onewindow_domain::access::Role::Head, org, .. } if org.as_str() == record.handling_org)
            && clock.as_ref().is_some_and(|c| c.stopped.is_none())
            && state.extension_count() == 0;
        let (item_name_zh, item_name_en) = item
            .map(|i| (i.name_zh, i.name_en))
            .unwrap_or_else(|| (record.item_code.clone(), record.item_code.clone()));
        Ok(CaseView {
            record,
            item_name_zh,
            item_name_en,
            definition,
            applicant_name,
            status,
            events,
            state,
            clock,
            names,
            moves,
            waiting_for,
            may_extend,
        })
    }

    /// The service item a case was applied for, read once for its names and its warning
    /// threshold (`None` if the catalogue no longer has it), as of the case's read.
    pub(crate) async fn case_item(
        &self,
        record: &CaseRecord,
        generations: Generations,
    ) -> Result<Option<ServiceItem>, AppError> {
        self.item_at(&record.item_code, generations.catalogue).await
    }

    /// The legal clock of a log today, on the calendar in force, explained with `names`.
    pub(crate) async fn clock_of(
        &self,
        definition: &ProcessDefinition,
        item: Option<&ServiceItem>,
        number: &str,
        events: &[CaseEvent],
        names: &CaseNames,
        generations: Generations,
    ) -> Result<Option<ClockSnapshot>, AppError> {
        let limits = limits_with(definition, item);
        let calendar = self.calendar_at(generations.calendar).await?;
        case_clock(events, &limits, &calendar, self.today(), names)
            .map_err(|e| AppError::Refused(format!("case {number}: clock: {e}")))
    }

    /// The clock limits of a case: its definition's, with its item's warning threshold.
    pub(crate) async fn limits_for(
        &self,
        definition: &ProcessDefinition,
        item_code: &str,
    ) -> Result<TimeLimits, AppError> {
        let item = self.item_named(item_code).await?;
        Ok(limits_with(definition, item.as_ref()))
    }
}

/// The clock limits of a case: its definition's, with the item's warning threshold
/// (`warn_days`, 5 by default) for the case limit, and half of it (at least 2) for the
/// current step's budget, so a short step is not yellow from its first day.
pub(crate) fn limits_with(
    definition: &ProcessDefinition,
    item: Option<&ServiceItem>,
) -> TimeLimits {
    let mut limits = definition.time_limits();
    let warn = item.and_then(|i| i.warn_days).unwrap_or(DEFAULT_WARN_DAYS);
    limits.yellow_when_remaining = warn;
    limits.step_yellow_when_remaining = (warn / 2).max(2);
    limits
}

/// The projection row of a log with the limits and calendar already read (bulk paths read them
/// once for many cases).
pub(crate) fn projection_with(
    definition: &ProcessDefinition,
    handling_org: &str,
    events: &[CaseEvent],
    (limits, calendar): (&TimeLimits, &Calendar),
    today: jiff::civil::Date,
) -> Result<CaseProjection, AppError> {
    let state = CaseState::fold(events);
    // Only dates and colours go into the row, so the clock needs no names.
    let clock = case_clock(events, limits, calendar, today, &AsRecorded)
        .map_err(|e| AppError::Refused(format!("clock: {e}")))?;
    Ok(projection_of(
        definition,
        handling_org,
        &state,
        events,
        clock.as_ref(),
    ))
}

/// The projection row of a log, its state and its clock as of today: status, step and since
/// when, acting org, due dates, the clock's colour, and what the dates are counted from (the
/// definition's limits: an item changes only the colours' thresholds).
pub(crate) fn projection_of(
    definition: &ProcessDefinition,
    handling_org: &str,
    state: &CaseState,
    events: &[CaseEvent],
    clock: Option<&ClockSnapshot>,
) -> CaseProjection {
    let open = Flow::new(definition, state).is_open();
    let clock_status = match clock {
        Some(c) => clock_colour(open, c.stopped.is_some(), c.is_paused, c.status),
        None if !open => "stopped",
        None => "green",
    };
    let step_since = events
        .iter()
        .rev()
        .find(|e| {
            matches!(
                e.kind,
                onewindow_domain::cases::EventKind::StepEntered { .. }
            )
        })
        .map(|e| e.at);
    let acting_org = state
        .handovers()
        .last()
        .map_or(handling_org.to_owned(), |(_, org)| org.clone());
    CaseProjection {
        status: state.status().key().to_owned(),
        step: state.step().map(|(s, _)| s.to_owned()),
        acting_org,
        statutory_due: clock.map(|c| c.statutory_due.date),
        promised_due: clock.and_then(|c| c.promised_due.map(|d| d.date)),
        due_provisional: clock.is_some_and(|c| {
            c.statutory_due.provisional || c.promised_due.is_some_and(|d| d.provisional)
        }),
        clock_status: clock_status.to_owned(),
        open,
        step_since,
        // A log whose clock folded has a basis; were one missing, the recompute would only
        // read this case's log instead.
        clock_basis: clock
            .and_then(|_| {
                case_clock_basis(events, &definition.time_limits())
                    .ok()
                    .flatten()
            })
            .map(|basis| basis.to_string()),
        head: events.last().map(log_head_row),
    }
}

/// What a case's row keeps of `last`, its log's last event.
pub(crate) fn log_head_row(last: &CaseEvent) -> LogHeadRow {
    LogHeadRow {
        hash: last.hash.to_string(),
        on: last.on,
    }
}

/// The projection's `clock_status` of a case with a running or stopped clock.
pub(crate) fn clock_colour(
    open: bool,
    stopped: bool,
    paused: bool,
    status: ClockStatus,
) -> &'static str {
    match () {
        _ if !open || stopped => "stopped",
        _ if paused => "paused",
        _ => colour(status),
    }
}

pub(crate) fn colour(status: ClockStatus) -> &'static str {
    match status {
        ClockStatus::Green => "green",
        ClockStatus::Yellow => "yellow",
        ClockStatus::Red => "red",
        ClockStatus::Overdue => "overdue",
        ClockStatus::FinishedOnTime | ClockStatus::FinishedLate => "stopped",
    }
}
