//! What makes a read definition valid, with the law behind each condition: references resolve,
//! the limits and budgets fit (arts. 35/43, 42, 44), clock pauses carry the written expected
//! time (art. 45), on-site steps need two people (art. 34), the supplement notice is sent once
//! (art. 32), parallel steps form clean groups, and the graph lets every case finish. Records
//! problems and warnings; builds nothing.

use std::collections::HashMap;

use super::graph::Graph;
use super::problem::{Issues, Lines};
use super::read::{Draft, DraftStep};
use super::vocab::{Actor, StepKind, Terminal};
use crate::catalogue::Vocabulary;

/// Lower organs finish delegated pre-review within 20 days of their own acceptance (arts. 35, 43).
const DELEGATED_MAX_DAYS: u32 = 20;
/// The certificate is issued within 10 days of the decision (art. 44).
const ISSUANCE_MAX_DAYS: u32 = 10;
/// On-site verification needs at least two staff (art. 34).
const ONSITE_MIN_ACTORS: u32 = 2;

/// Step ids to their first index.
pub(super) type Index<'d> = HashMap<&'d str, usize>;

/// Checks `draft`, recording problems in `issues` and doubts in `warnings`.
pub(super) fn check(draft: &Draft, lines: &Lines<'_>, issues: &mut Issues, warnings: &mut Issues) {
    if let (Some(statutory), Some(promised)) = (&draft.statutory, &draft.promised)
        && promised.get_ref() > statutory.get_ref()
    {
        let message = format!(
            "`promised_limit_days` ({}) is longer than `statutory_limit_days` ({}): the promise \
             must be at most the statutory limit",
            promised.get_ref(),
            statutory.get_ref()
        );
        issues.at(&promised.span(), message);
    }
    let index = index_steps(draft, lines, issues);
    if let Some(start) = &draft.start
        && !index.contains_key(start.get_ref().as_str())
    {
        let message = format!("`start` names no step: \"{}\"", start.get_ref());
        issues.at(&start.span(), message);
    }
    for step in &draft.steps {
        check_step(step, issues, warnings);
        check_outcomes(step, draft, &index, issues);
    }
    check_parallel(draft, &index, issues);
    if issues.is_empty() {
        check_graph(draft, &index, issues, warnings);
    }
}

fn index_steps<'d>(draft: &'d Draft, lines: &Lines<'_>, issues: &mut Issues) -> Index<'d> {
    let mut index = Index::new();
    for (i, step) in draft.steps.iter().enumerate() {
        let Some(id) = &step.id else { continue };
        if let Some(&first) = index.get(id.get_ref().as_str()) {
            let first_line = lines.line(draft.steps[first].place().start);
            let message = format!(
                "step id \"{}\" is used twice (first on line {first_line})",
                id.get_ref()
            );
            issues.at(&id.span(), message);
        } else {
            index.insert(id.get_ref().as_str(), i);
        }
    }
    index
}

/// The conditions on one step's own fields.
fn check_step(step: &DraftStep, issues: &mut Issues, warnings: &mut Issues) {
    let name = step.name();
    let roles = step.roles.as_ref();
    match (&step.pause, &step.expected_days) {
        (Some(pause), None) => issues.at(
            &pause.span(),
            format!(
                "{name} pauses the clock but has no `expected_days`: the applicant is told the \
                 time needed in writing (art. 45)"
            ),
        ),
        (None, Some(expected)) => issues.at(
            &expected.span(),
            format!("{name} has `expected_days` but does not pause the clock (`pauses_clock`)"),
        ),
        _ => {}
    }
    let budget_optional = step.pause.is_some() || step.kind == StepKind::Supplement;
    if step.budget_days.is_none() && !budget_optional {
        issues.at(
            &step.place(),
            format!("{name} has no `budget_days` (the working days the step may take)"),
        );
    }
    let min_actors = step.min_actors.as_ref().map(|m| *m.get_ref());
    if step.kind == StepKind::Onsite
        && let Some(min) = step
            .min_actors
            .as_ref()
            .filter(|m| *m.get_ref() < ONSITE_MIN_ACTORS)
    {
        issues.at(
            &min.span(),
            format!(
                "{name} is an on-site verification: `min_actors` must be at least \
                 {ONSITE_MIN_ACTORS} (art. 34), not {}",
                min.get_ref()
            ),
        );
    }
    let effective_min = min_actors.unwrap_or(default_min_actors(step.kind));
    if let Some(max) = step
        .max_actors
        .as_ref()
        .filter(|m| *m.get_ref() < effective_min)
    {
        issues.at(
            &max.span(),
            format!(
                "{name}: `max_actors` ({}) is below the minimum of {effective_min}",
                max.get_ref()
            ),
        );
    }
    if step.kind == StepKind::Supplement
        && let Some(roles) = roles.filter(|r| !r.get_ref().contains(&Actor::Applicant))
    {
        issues.at(
            &roles.span(),
            format!("{name} is the applicant's supplement: its roles must include \"applicant\""),
        );
    }
    if step.delegate.as_ref().is_some_and(|d| *d.get_ref()) {
        check_delegated(step, &name, issues);
    }
    if step.kind == StepKind::Issuance
        && let Some(budget) = step
            .budget_days
            .as_ref()
            .filter(|b| *b.get_ref() > ISSUANCE_MAX_DAYS)
    {
        warnings.at(
            &budget.span(),
            format!(
                "{name}: a budget of {} working days is past the {ISSUANCE_MAX_DAYS} days art. \
                 44 allows for issuing the certificate after the decision",
                budget.get_ref()
            ),
        );
    }
}

/// Art. 34 for on-site steps, one person otherwise.
pub(super) fn default_min_actors(kind: StepKind) -> u32 {
    if kind == StepKind::Onsite {
        ONSITE_MIN_ACTORS
    } else {
        1
    }
}

fn check_delegated(step: &DraftStep, name: &str, issues: &mut Issues) {
    if let Some(budget) = step
        .budget_days
        .as_ref()
        .filter(|b| *b.get_ref() > DELEGATED_MAX_DAYS)
    {
        let message = format!(
            "{name} is delegated to a lower org, which must finish within {DELEGATED_MAX_DAYS} \
             days (arts. 35, 43): `budget_days` is {}",
            budget.get_ref()
        );
        issues.at(&budget.span(), message);
    }
    if let Some(roles) = step
        .roles
        .as_ref()
        .filter(|r| r.get_ref().contains(&Actor::Applicant))
    {
        let message = format!("{name} is delegated to a lower org: the applicant cannot do it");
        issues.at(&roles.span(), message);
    }
}

fn check_outcomes(step: &DraftStep, draft: &Draft, index: &Index<'_>, issues: &mut Issues) {
    let name = step.name();
    if step.outcomes.is_empty() {
        let message = format!("{name} has no outcomes: a case there could never move on");
        issues.at(&step.place(), message);
    }
    let mut keys: Vec<&str> = Vec::new();
    for outcome in &step.outcomes {
        if let Some(key) = &outcome.key {
            if keys.contains(&key.get_ref().as_str()) {
                let message = format!("{name} has two outcomes \"{}\"", key.get_ref());
                issues.at(&key.span(), message);
            }
            keys.push(key.get_ref());
        }
        let Some(next) = &outcome.next else { continue };
        let target = next.get_ref().as_str();
        if Terminal::parse_key(target).is_some() {
            continue;
        }
        match index.get(target) {
            None => {
                let message = format!(
                    "`next = \"{target}\"` names no step of this definition and no end; the ends \
                     are {}",
                    Terminal::expected()
                );
                issues.at(&next.span(), message);
            }
            Some(&i) if draft.steps[i].kind == StepKind::Supplement && !outcome.once => {
                let message = format!(
                    "`next = \"{target}\"` sends the supplement notice, which art. 32 allows once: \
                     mark this outcome `once = true`"
                );
                issues.at(&next.span(), message);
            }
            Some(_) => {}
        }
    }
}

/// A lead step lists its companions; a companion belongs to one lead, starts only with it,
/// leads no group itself, and reports back into its group or ends the process.
fn check_parallel(draft: &Draft, index: &Index<'_>, issues: &mut Issues) {
    let mut lead_of: HashMap<usize, usize> = HashMap::new();
    for (lead, step) in draft.steps.iter().enumerate() {
        for companion in &step.parallel_with {
            let name = companion.get_ref();
            let Some(&c) = index.get(name.as_str()) else {
                let message = format!("`parallel_with` names no step: \"{name}\"");
                issues.at(&companion.span(), message);
                continue;
            };
            let problem = if c == lead {
                Some(format!("{} cannot run beside itself", step.name()))
            } else if let Some(&other) = lead_of.get(&c) {
                Some(format!(
                    "step \"{name}\" already runs beside {}",
                    draft.steps[other].name()
                ))
            } else if !draft.steps[c].parallel_with.is_empty() {
                Some(format!(
                    "step \"{name}\" starts its own parallel steps, so it cannot run beside another"
                ))
            } else if start_index(draft, index) == Some(c) {
                Some(format!(
                    "step \"{name}\" is the start, so it cannot run beside another"
                ))
            } else {
                None
            };
            match problem {
                Some(message) => issues.at(&companion.span(), message),
                None => {
                    lead_of.insert(c, lead);
                }
            }
        }
    }
    for (i, step) in draft.steps.iter().enumerate() {
        let group = lead_of.get(&i).copied().unwrap_or(i);
        for outcome in &step.outcomes {
            let Some(next) = &outcome.next else { continue };
            let Some(&target) = index.get(next.get_ref().as_str()) else {
                continue;
            };
            let Some(&target_lead) = lead_of.get(&target) else {
                continue;
            };
            if target_lead != group {
                let message = format!(
                    "`next = \"{}\"` leads into a step that runs beside {} and starts only with it",
                    next.get_ref(),
                    draft.steps[target_lead].name()
                );
                issues.at(&next.span(), message);
            }
        }
        if lead_of.contains_key(&i) {
            check_companion_exits(step, group, draft, index, issues);
        }
    }
}

fn check_companion_exits(
    step: &DraftStep,
    lead: usize,
    draft: &Draft,
    index: &Index<'_>,
    issues: &mut Issues,
) {
    for next in step.outcomes.iter().filter_map(|o| o.next.as_ref()) {
        let target = index.get(next.get_ref().as_str()).copied();
        let in_group = target.is_some_and(|t| {
            t == lead
                || draft.steps[lead]
                    .parallel_with
                    .iter()
                    .any(|c| index.get(c.get_ref().as_str()) == Some(&t))
        });
        if target.is_some() && !in_group {
            let message = format!(
                "{} runs beside {}: its outcomes report back to that step (or end the process), \
                 and that step's outcomes move the case on",
                step.name(),
                draft.steps[lead].name()
            );
            issues.at(&next.span(), message);
        }
    }
}

pub(super) fn start_index(draft: &Draft, index: &Index<'_>) -> Option<usize> {
    match &draft.start {
        Some(start) => index.get(start.get_ref().as_str()).copied(),
        None => (!draft.steps.is_empty()).then_some(0),
    }
}

/// Builds the graph of a definition whose references all resolve.
pub(super) fn graph(draft: &Draft, index: &Index<'_>) -> Graph {
    let mut graph = Graph::new(draft.steps.len());
    for (i, step) in draft.steps.iter().enumerate() {
        for next in step.outcomes.iter().filter_map(|o| o.next.as_ref()) {
            match index.get(next.get_ref().as_str()) {
                Some(&target) => graph.next[i].push(target),
                None => graph.ends[i] = true,
            }
        }
        graph.forks[i] = step
            .parallel_with
            .iter()
            .filter_map(|c| index.get(c.get_ref().as_str()).copied())
            .collect();
    }
    graph
}

fn check_graph(draft: &Draft, index: &Index<'_>, issues: &mut Issues, warnings: &mut Issues) {
    let Some(start) = start_index(draft, index) else {
        return;
    };
    let graph = graph(draft, index);
    let finishing = graph.finishing();
    let start_step = &draft.steps[start];
    if !finishing[start] {
        let message = format!(
            "no path from the start, {}, reaches an end ({}): every case would stay open forever",
            start_step.name(),
            Terminal::expected()
        );
        issues.at(&start_step.place(), message);
        return;
    }
    let reachable = graph.reachable(start);
    let trapped: Vec<usize> = (0..draft.steps.len())
        .filter(|&i| reachable[i] && !finishing[i])
        .collect();
    for (i, step) in draft.steps.iter().enumerate() {
        if !reachable[i] {
            let message = format!(
                "{} can never be reached: no outcome from the start, {}, leads to it",
                step.name(),
                start_step.name()
            );
            issues.at(&step.place(), message);
        } else if trapped.contains(&i) {
            let members: Vec<String> = trapped.iter().map(|&t| draft.steps[t].name()).collect();
            let message = format!(
                "a loop without exit: from {} no chain of outcomes reaches an end (the case would \
                 circle among {})",
                step.name(),
                members.join(", ")
            );
            issues.at(&step.place(), message);
        }
    }
    super::budget::warn_budgets(draft, &graph, start, warnings);
}
