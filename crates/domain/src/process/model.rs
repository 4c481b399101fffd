//! A checked process definition and the questions the case flow asks of it: where a case
//! starts, what may happen at a step and who may make it happen, where each outcome leads, which
//! steps pause the clock. Built only by [`ProcessDefinition::parse`], so every value here has
//! passed the checks; it never changes after.

use std::fmt;

use crate::catalogue::{CatalogueCode, Vocabulary};
use crate::clock::{PauseReason, StepBudget, TimeLimits};

use super::problem::DefinitionProblem;
use super::vocab::{Actor, OutcomeKey, StepId, StepKind, Terminal};

/// Names one version of one definition. A case records it when submitted and keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefinitionKey {
    pub code: CatalogueCode,
    pub version: u32,
}

impl fmt::Display for DefinitionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} v{}", self.code.as_str(), self.version)
    }
}

/// A step whose time is not counted (art. 45), with the time the applicant is told in writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockPause {
    pub reason: PauseReason,
    pub expected_days: u32,
}

/// Where an outcome leads: another step or an end of the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Step(StepId),
    End(Terminal),
}

impl Next {
    pub fn is_terminal(&self) -> bool {
        matches!(self, Next::End(_))
    }

    /// The spelling used in the definition's `next`.
    pub fn key(&self) -> &str {
        match self {
            Next::Step(id) => id.as_str(),
            Next::End(end) => end.key(),
        }
    }
}

/// One thing that may happen at a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub key: OutcomeKey,
    pub name_zh: String,
    pub name_en: String,
    pub next: Next,
    /// Who may choose this outcome instead of the step's actors (e.g. the applicant withdraws
    /// at a reviewer's step); `None`: the step's actors.
    pub roles: Option<Vec<Actor>>,
    /// A case may take this outcome at most once (art. 32: one supplement notice).
    pub once: bool,
}

/// One step of a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: StepId,
    pub name_zh: String,
    pub name_en: String,
    pub kind: StepKind,
    /// Who carries the step out.
    pub roles: Vec<Actor>,
    /// The step's budget in working days; `None` for the applicant's supplement and for
    /// clock-pausing steps, whose time the organ's limit does not count.
    pub budget_days: Option<u32>,
    pub pause: Option<ClockPause>,
    /// How many people must act together (art. 34: at least two on site).
    pub min_actors: u32,
    /// At most this many (industrial product licences: 2–4 verifiers).
    pub max_actors: Option<u32>,
    /// Done by a lower org (a district bureau) for this organ (arts. 35, 43: within 20 days).
    pub delegate_to_lower_org: bool,
    /// Steps started together with this one; the case moves on by this step's outcome once
    /// each of them has reported.
    pub parallel_with: Vec<StepId>,
    pub outcomes: Vec<Outcome>,
    /// The line of the step's `id` in the definition's text.
    pub line: usize,
}

impl Step {
    pub fn outcome(&self, key: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.key.as_str() == key)
    }

    /// Whether `actor` may choose outcome `key` here.
    pub fn may_choose(&self, key: &str, actor: Actor) -> bool {
        self.outcome(key)
            .is_some_and(|outcome| match &outcome.roles {
                Some(roles) => roles.contains(&actor),
                None => self.roles.contains(&actor),
            })
    }

    /// Whether `actor` may act here at all: carry the step out or choose one of its outcomes.
    pub fn may_act(&self, actor: Actor) -> bool {
        self.roles.contains(&actor)
            || self
                .outcomes
                .iter()
                .any(|o| o.roles.as_ref().is_some_and(|roles| roles.contains(&actor)))
    }
}

/// A checked, versioned process definition (DESIGN.md "Process definitions are data").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessDefinition {
    pub(super) key: DefinitionKey,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) statutory_limit_days: u32,
    pub(super) promised_limit_days: u32,
    pub(super) start: usize,
    pub(super) steps: Vec<Step>,
    pub(super) warnings: Vec<DefinitionProblem>,
    pub(super) source: String,
}

impl ProcessDefinition {
    pub fn key(&self) -> &DefinitionKey {
        &self.key
    }

    pub fn code(&self) -> &CatalogueCode {
        &self.key.code
    }

    pub fn version(&self) -> u32 {
        self.key.version
    }

    pub fn name_zh(&self) -> &str {
        &self.name_zh
    }

    pub fn name_en(&self) -> &str {
        &self.name_en
    }

    /// Working days from acceptance to decision the law allows (art. 42 or a sector law).
    pub fn statutory_limit_days(&self) -> u32 {
        self.statutory_limit_days
    }

    /// The bureau's public promise; 0 = decided the day it is accepted (当场办结).
    pub fn promised_limit_days(&self) -> u32 {
        self.promised_limit_days
    }

    /// The steps in the order the text lists them.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.id.as_str() == id)
    }

    /// Where every case starts.
    pub fn start(&self) -> &Step {
        &self.steps[self.start]
    }

    /// The outcomes of a step; empty for an id that names no step.
    pub fn outcomes(&self, step: &str) -> &[Outcome] {
        self.step(step).map_or(&[], |step| &step.outcomes)
    }

    pub fn outcome(&self, step: &str, key: &str) -> Option<&Outcome> {
        self.step(step)?.outcome(key)
    }

    /// Whether `actor` may act at `step` (false for an unknown step).
    pub fn may_act(&self, step: &str, actor: impl Into<Actor>) -> bool {
        let actor = actor.into();
        self.step(step).is_some_and(|step| step.may_act(actor))
    }

    /// Whether `actor` may choose outcome `key` at `step`.
    pub fn may_choose(&self, step: &str, key: &str, actor: impl Into<Actor>) -> bool {
        let actor = actor.into();
        self.step(step)
            .is_some_and(|step| step.may_choose(key, actor))
    }

    /// Whether `target` (an outcome's `next`) ends the process.
    pub fn is_terminal(&self, target: &str) -> bool {
        Terminal::parse_key(target).is_some()
    }

    /// The steps whose time is not counted (art. 45), in text order.
    pub fn pausing_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|step| step.pause.is_some())
    }

    /// The steps that run beside `step`: those it starts, or, for one of those, its lead and
    /// the lead's other companions.
    pub fn parallel_group(&self, step: &str) -> Vec<&Step> {
        let lead = self
            .steps
            .iter()
            .find(|s| s.parallel_with.iter().any(|c| c.as_str() == step))
            .or_else(|| self.step(step));
        let Some(lead) = lead else { return Vec::new() };
        std::iter::once(&lead.id)
            .chain(&lead.parallel_with)
            .filter(|id| id.as_str() != step)
            .filter_map(|id| self.step(id.as_str()))
            .collect()
    }

    /// The clock settings this definition implies: its limits with art. 42's defaults for the
    /// rest, and the budget of every step that has one.
    pub fn time_limits(&self) -> TimeLimits {
        TimeLimits {
            promised_days: Some(self.promised_limit_days),
            step_budgets: self
                .steps
                .iter()
                .filter_map(|step| {
                    step.budget_days.map(|days| StepBudget {
                        step: step.id.as_str().to_owned(),
                        days,
                    })
                })
                .collect(),
            ..TimeLimits::new(self.statutory_limit_days)
        }
    }

    /// What the checks found questionable but not wrong (e.g. budgets adding up past the
    /// statutory limit). Shown to the administrator; the definition is usable.
    pub fn warnings(&self) -> &[DefinitionProblem] {
        &self.warnings
    }

    /// The text the definition was parsed from, to store and to edit again.
    pub fn source(&self) -> &str {
        &self.source
    }
}
