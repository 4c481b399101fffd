//! Parsing a definition: read the text, check it, and only when nothing is wrong build the
//! [`ProcessDefinition`] the case flow uses. Owns the order of those stages; each stage's rules
//! live in its own module.

use super::check::{self, Index};
use super::model::{ClockPause, DefinitionKey, Next, Outcome, ProcessDefinition, Step};
use super::problem::{DefinitionProblem, Issues, Lines};
use super::read::{self, Draft, DraftOutcome, DraftStep};
use super::vocab::{OutcomeKey, StepId, Terminal};
use crate::catalogue::Vocabulary;

impl ProcessDefinition {
    /// Parses and checks a definition's TOML text (the format is described in the
    /// [module documentation](super)). Refuses it with every problem found, each naming its
    /// line where it has one; a definition that parses may still carry
    /// [`warnings`](ProcessDefinition::warnings).
    pub fn parse(text: &str) -> Result<ProcessDefinition, Vec<DefinitionProblem>> {
        let lines = Lines::new(text);
        let mut issues = Issues::default();
        let mut warnings = Issues::default();
        let Some(draft) = read::read(text, &mut issues) else {
            return Err(issues.located(&lines));
        };
        check::check(&draft, &lines, &mut issues, &mut warnings);
        if !issues.is_empty() {
            return Err(issues.located(&lines));
        }
        build(&draft, text, &lines, warnings.located(&lines)).ok_or_else(|| {
            // Unreachable when the checks are complete; refuse rather than panic on upload.
            vec![DefinitionProblem {
                line: None,
                column: None,
                message: "the definition is incomplete".to_owned(),
            }]
        })
    }
}

fn build(
    draft: &Draft,
    text: &str,
    lines: &Lines<'_>,
    warnings: Vec<DefinitionProblem>,
) -> Option<ProcessDefinition> {
    let index: Index<'_> = draft
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| Some((step.id_str()?, i)))
        .collect();
    let steps = draft
        .steps
        .iter()
        .map(|step| build_step(step, lines))
        .collect::<Option<Vec<_>>>()?;
    Some(ProcessDefinition {
        key: DefinitionKey {
            code: draft.code.clone()?,
            version: draft.version?,
        },
        name_zh: draft.name_zh.clone()?,
        name_en: draft.name_en.clone()?,
        statutory_limit_days: *draft.statutory.as_ref()?.get_ref(),
        promised_limit_days: *draft.promised.as_ref()?.get_ref(),
        start: check::start_index(draft, &index)?,
        steps,
        warnings,
        source: text.to_owned(),
    })
}

fn build_step(step: &DraftStep, lines: &Lines<'_>) -> Option<Step> {
    let pause = match (&step.pause, &step.expected_days) {
        (Some(reason), Some(expected)) => Some(ClockPause {
            reason: reason.get_ref().clone(),
            expected_days: *expected.get_ref(),
        }),
        _ => None,
    };
    Some(Step {
        id: StepId::parse(step.id_str()?).ok()?,
        name_zh: step.name_zh.clone()?,
        name_en: step.name_en.clone()?,
        kind: step.kind,
        roles: step.roles.as_ref()?.get_ref().clone(),
        budget_days: step.budget_days.as_ref().map(|b| *b.get_ref()),
        pause,
        min_actors: step
            .min_actors
            .as_ref()
            .map_or(check::default_min_actors(step.kind), |m| *m.get_ref()),
        max_actors: step.max_actors.as_ref().map(|m| *m.get_ref()),
        delegate_to_lower_org: step.delegate.as_ref().is_some_and(|d| *d.get_ref()),
        parallel_with: step
            .parallel_with
            .iter()
            .map(|c| StepId::parse(c.get_ref()).ok())
            .collect::<Option<_>>()?,
        outcomes: step
            .outcomes
            .iter()
            .map(build_outcome)
            .collect::<Option<_>>()?,
        line: lines.line(step.place().start),
    })
}

fn build_outcome(outcome: &DraftOutcome) -> Option<Outcome> {
    let next = outcome.next.as_ref()?.get_ref();
    let next = match Terminal::parse_key(next) {
        Some(end) => Next::End(end),
        None => Next::Step(StepId::parse(next).ok()?),
    };
    Some(Outcome {
        key: OutcomeKey::parse(outcome.key.as_ref()?.get_ref()).ok()?,
        name_zh: outcome.name_zh.clone()?,
        name_en: outcome.name_en.clone()?,
        next,
        roles: outcome.roles.as_ref().map(|r| r.get_ref().clone()),
        once: outcome.once,
    })
}
