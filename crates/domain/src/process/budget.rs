//! Whether a definition's step budgets fit its limits: the heaviest chain of counted budgets
//! from the start up to the decision, parallel steps counting as their longest member. Only
//! warnings — a bureau may well plan tighter than the sum — never a refusal.

use super::graph::Graph;
use super::problem::Issues;
use super::read::{Draft, DraftStep};
use super::vocab::StepKind;

/// The budget a step spends of the statutory limit: none before acceptance (the limit starts
/// the day after it, art. 42), none while paused (art. 45), none after the decision (the
/// certificate has its own 10 days, art. 44).
fn counted(step: &DraftStep) -> u32 {
    let outside = matches!(
        step.kind,
        StepKind::Acceptance | StepKind::Supplement | StepKind::Issuance
    );
    if outside || step.pause.is_some() {
        return 0;
    }
    step.budget_days.as_ref().map_or(0, |b| *b.get_ref())
}

/// Warns when the counted budgets on the heaviest chain exceed the statutory or the promised
/// limit, showing the chain.
pub(super) fn warn_budgets(draft: &Draft, graph: &Graph, start: usize, warnings: &mut Issues) {
    let weights: Vec<u32> = draft
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let companions = graph.forks[i].iter().map(|&c| counted(&draft.steps[c]));
            companions.fold(counted(step), u32::max)
        })
        .collect();
    let stops: Vec<bool> = draft
        .steps
        .iter()
        .map(|step| step.kind == StepKind::Decision)
        .collect();
    let (total, chain) = graph.heaviest_chain(start, &weights, &stops);
    let (Some(statutory), Some(promised)) = (&draft.statutory, &draft.promised) else {
        return;
    };
    let (limit, place, which) = if total > *statutory.get_ref() {
        (statutory.get_ref(), statutory.span(), "statutory")
    } else if total > *promised.get_ref() {
        (promised.get_ref(), promised.span(), "promised")
    } else {
        return;
    };
    let parts: Vec<String> = chain
        .iter()
        .filter(|&&i| weights[i] > 0)
        .map(|&i| {
            let mut names = vec![draft.steps[i].id_str().unwrap_or("?")];
            names.extend(
                graph.forks[i]
                    .iter()
                    .filter_map(|&c| draft.steps[c].id_str()),
            );
            format!("{} {}", names.join(" ∥ "), weights[i])
        })
        .collect();
    warnings.at(
        &place,
        format!(
            "the step budgets up to the decision add up to {total} working days ({}), past the \
             {which} limit of {limit}",
            parts.join(" + ")
        ),
    );
}
