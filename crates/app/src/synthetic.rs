//! Many open accepted cases made fast for the recompute benchmark (issue 3: a million due dates
//! after a calendar import; `onewindow bench recompute --synthetic N`). `bench seed` goes
//! through the use cases at ≈ 130 cases/s; this copies one demo case under review instead: its
//! log moved back by 0–4 whole weeks (weekdays stay weekdays), some copies then extended by the
//! head (art. 42) and some paused for testing (art. 45: closed, or still running with the days
//! told to the applicant), each new event decided by the domain, every log chained and hashed
//! afresh per case, its projection (with the clock basis) computed by the code every change
//! uses. Built on both cores, written many at once through the ordinary `create_case`, whose
//! group-commit writer shares commits among them. For benchmarks: every copy keeps the
//! template's applicant and item.

use jiff::civil::Date;
use jiff::{SignedDuration, Span, Timestamp};
use onewindow_domain::access::Role;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::cases::{
    ActorRef, CaseEvent, CaseState, ChainHead, Command, EventKind, decide,
};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::clock::{PauseReason, TimeLimits};
use onewindow_domain::process::ProcessDefinition;
use onewindow_store::{CaseFilter, CaseRecord, NewCase};
use tokio::task::JoinSet;

use crate::cases::{log, projection_with};
use crate::{App, AppError};

/// What to make.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticPlan {
    pub cases: u64,
    /// Rows as written before migration 0011 (no clock basis): the recompute then reads and
    /// folds each log, as it did before the basis was kept — to measure that path.
    pub without_basis: bool,
}

/// What was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyntheticReport {
    pub cases: u64,
    pub events: u64,
    pub paused: u64,
    pub extended: u64,
    /// The earliest and latest acceptance day of the copies.
    pub accepted: Option<(Date, Date)>,
}

/// The demo case copied, and what every copy reads.
struct Template {
    record: CaseRecord,
    events: Vec<CaseEvent>,
    definition: ProcessDefinition,
    limits: TimeLimits,
    calendar: Calendar,
    today: Date,
    without_basis: bool,
}

/// Cases built on the two cores, then written, at a time.
const CHUNK: u64 = 20_000;
/// Creates in flight (they share commits in the group-commit writer).
const IN_FLIGHT: usize = 256;

impl App {
    /// Adds `plan.cases` copies of a demo case under review (the demo must be seeded:
    /// `seed_demo`, `seed_demo_cases`); `progress` hears the cases made so far.
    pub async fn seed_synthetic_cases(
        &self,
        plan: SyntheticPlan,
        mut progress: impl FnMut(u64),
    ) -> Result<SyntheticReport, AppError> {
        let template = std::sync::Arc::new(self.synthetic_template(plan).await?);
        let mut report = SyntheticReport::default();
        let mut next = 0;
        while next < plan.cases {
            let end = (next + CHUNK).min(plan.cases);
            let middle = next + (end - next) / 2;
            let (one, two) = (template.clone(), template.clone());
            let first = tokio::task::spawn_blocking(move || one.build(next..middle));
            let second = tokio::task::spawn_blocking(move || two.build(middle..end));
            let joined = |e: tokio::task::JoinError| AppError::Refused(format!("seed task: {e}"));
            let mut built = first.await.map_err(joined)??;
            built.extend(second.await.map_err(joined)??);
            self.write_synthetic(built, &mut report).await?;
            next = end;
            progress(report.cases);
        }
        Ok(report)
    }

    /// The first open demo case under review whose clock runs.
    async fn synthetic_template(&self, plan: SyntheticPlan) -> Result<Template, AppError> {
        let filter = CaseFilter {
            status: Some("under_review".into()),
            open: Some(true),
            ..CaseFilter::default()
        };
        let (records, _) = self.store.cases(&filter, 0, 100).await?;
        let record = records
            .into_iter()
            .find(|r| r.projection.statutory_due.is_some() && r.projection.clock_status != "paused")
            .ok_or_else(|| {
                AppError::Refused("no demo case under review: seed the demo cases first".into())
            })?;
        let mut case = self.load_case(&record.number).await?;
        // Its log up to the review step entered after acceptance (a prefix of a valid log is a
        // valid log): the fewest events a case under review has, to keep a million small.
        let accepted = case.events.iter().position(|e| {
            matches!(
                e.kind,
                EventKind::Accepted | EventKind::DeemedAccepted { .. }
            )
        });
        if let Some(entered) = accepted.and_then(|a| {
            case.events[a..]
                .iter()
                .position(|e| matches!(e.kind, EventKind::StepEntered { .. }))
                .map(|p| a + p)
        }) {
            case.events.truncate(entered + 1);
        }
        Ok(Template {
            limits: self.limits_for(&case.definition, &record.item_code).await?,
            calendar: self.calendar().await?,
            today: self.today(),
            record,
            events: case.events,
            definition: case.definition,
            without_basis: plan.without_basis,
        })
    }

    async fn write_synthetic(
        &self,
        built: Vec<(NewCase, Variant)>,
        report: &mut SyntheticReport,
    ) -> Result<(), AppError> {
        let mut writes = JoinSet::new();
        for (case, variant) in built {
            report.cases += 1;
            report.events += case.events.len() as u64;
            report.paused += u64::from(variant.paused);
            report.extended += u64::from(variant.extended);
            report.accepted = Some(match report.accepted {
                Some((first, last)) => (first.min(variant.accepted), last.max(variant.accepted)),
                None => (variant.accepted, variant.accepted),
            });
            if writes.len() >= IN_FLIGHT
                && let Some(done) = writes.join_next().await
            {
                done.map_err(|e| AppError::Refused(format!("seed write: {e}")))??;
            }
            let store = self.store.clone();
            writes.spawn(async move { store.create_case(&case, 2026).await.map(|_| ()) });
        }
        while let Some(done) = writes.join_next().await {
            done.map_err(|e| AppError::Refused(format!("seed write: {e}")))??;
        }
        Ok(())
    }
}

/// How a copy differs, for the report.
#[derive(Debug, Clone, Copy)]
struct Variant {
    accepted: Date,
    paused: bool,
    extended: bool,
}

impl Template {
    fn build(&self, range: std::ops::Range<u64>) -> Result<Vec<(NewCase, Variant)>, AppError> {
        range.map(|i| self.copy(i)).collect()
    }

    /// Copy `i`: moved back `i % 5` weeks; extended when `i % 4 == 3`; paused and resumed when
    /// `i % 3 == 1`, paused still when `i % 3 == 2`.
    fn copy(&self, i: u64) -> Result<(NewCase, Variant), AppError> {
        let weeks = (i % 5) as i64;
        let mut events = restamped(&self.events, weeks);
        let org = OrgCode::parse(&self.record.handling_org)
            .map_err(|e| AppError::Refused(format!("handling org: {e}")))?;
        let head = ActorRef::staff("bench-head", Role::Head, org.clone());
        let reviewer = ActorRef::staff("bench-reviewer", Role::Reviewer, org);
        let testing = || Command::StartPause {
            reason: PauseReason::Testing,
            by: "质检院".into(),
            expected_days: 15,
        };
        let mut planned: Vec<(i64, ActorRef, Command)> = Vec::new();
        if i % 4 == 3 {
            let reason = "需现场复核 / on-site re-check needed".into();
            planned.push((2, head, Command::Extend { days: 10, reason }));
        }
        match i % 3 {
            1 => {
                planned.push((3, reviewer.clone(), testing()));
                let result = "检验合格 / passed".into();
                planned.push((6, reviewer, Command::EndPause { result }));
            }
            2 => planned.push((4, reviewer, testing())),
            _ => {}
        }
        let variant = Variant {
            accepted: events
                .iter()
                .find(|e| {
                    matches!(
                        e.kind,
                        EventKind::Accepted | EventKind::DeemedAccepted { .. }
                    )
                })
                .map_or(self.today, |e| e.on),
            paused: !i.is_multiple_of(3),
            extended: i % 4 == 3,
        };
        let mut state = CaseState::fold(&events);
        for (days_later, actor, command) in planned {
            let last = events.last().map(|e| (e.at, e.on));
            let (last_at, last_on) = last.unwrap_or((Timestamp::UNIX_EPOCH, self.today));
            let on = (last_on + Span::new().days(days_later)).min(self.today);
            // 10:00 in China on that day, and never before the event it follows.
            let morning = jiff::tz::TimeZone::UTC
                .to_timestamp(on.at(2, 0, 0, 0))
                .unwrap_or(last_at);
            let at = morning.max(last_at + SignedDuration::from_mins(1));
            let kinds = decide(&state, command, &actor, on)
                .map_err(|e| AppError::Refused(format!("synthetic copy {i}: {e}")))?;
            for event in state.head().append(kinds, &actor, at, on) {
                state.apply(&event);
                events.push(event);
            }
        }
        let mut projection = projection_with(
            &self.definition,
            &self.record.handling_org,
            &events,
            (&self.limits, &self.calendar),
            self.today,
        )?;
        if self.without_basis {
            projection.clock_basis = None;
        }
        let case = NewCase {
            item_code: self.record.item_code.clone(),
            definition_code: self.record.definition_code.clone(),
            definition_version: self.record.definition_version,
            handling_org: self.record.handling_org.clone(),
            applicant: self.record.applicant.clone(),
            idempotency_key: None,
            licence_number: None,
            projection,
            created_at: events.first().map_or(Timestamp::UNIX_EPOCH, |e| e.at),
            events: log::stored_events(&events)?,
        };
        Ok((case, variant))
    }
}

/// `events` moved back `weeks` whole weeks and chained afresh from the start.
fn restamped(events: &[CaseEvent], weeks: i64) -> Vec<CaseEvent> {
    let back = SignedDuration::from_hours(24 * 7 * weeks);
    let days = Span::new().days(-7 * weeks);
    let mut head = ChainHead::GENESIS;
    let mut out = Vec::with_capacity(events.len() + 3);
    for event in events {
        let on = event.on.checked_add(days).unwrap_or(event.on);
        let kind = match &event.kind {
            EventKind::DeemedAccepted { received_on } => EventKind::DeemedAccepted {
                received_on: received_on.checked_add(days).unwrap_or(*received_on),
            },
            other => other.clone(),
        };
        let chained = head.append(vec![kind], &event.actor, event.at - back, on);
        if let Some(chained) = chained.into_iter().next() {
            head = ChainHead {
                seq: chained.seq,
                hash: chained.hash,
            };
            out.push(chained);
        }
    }
    out
}
