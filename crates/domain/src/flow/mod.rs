//! The case flow: a case's log read against its process definition (DESIGN.md "Process
//! definitions are data"). Owns the mapping from a definition's steps and outcomes to the law's
//! commands — which moves a person may make now ([`Flow::moves`]), what each needs from them
//! ([`Need`]), and the commands that carry one out ([`Flow::plan`]) — and runs them through
//! `cases::decide` so every rule of arts. 32–45 still applies ([`Flow::execute`]).
//!
//! How a step kind maps to the law's events (`crate::process` documents the kinds):
//! - an outcome ending in `withdrawn` → the applicant's withdrawal; in `refused` → refusal;
//! - `acceptance`: the `once` outcome into the supplement step → the one supplement notice,
//!   any other outcome into a step → acceptance (art. 32);
//! - `supplement` → the applicant's supplement with its materials;
//! - `review` → the review opinion; `onsite` → the verification by ≥ 2 inspectors (art. 34):
//!   an outcome back into the step is a rectification with a deadline, one keyed `fail` or
//!   ending in `revoked`/`denied` a failure, any other a pass;
//! - a step that pauses the clock: entering it starts the pause (art. 45), its outcomes end it
//!   with the result;
//! - `decision`: an outcome ending in `denied` → denial with reasons and rights (art. 38), any
//!   other → grant (and the licence at once when it ends in `issued`); `issuance` → the licence
//!   (art. 44).
//!
//! Every move also records `StepCompleted`, then enters the next step (`StepEntered`, and the
//! pause or the hand-over to an institute or lower org it needs). Steps run beside a lead step
//! (`parallel_with`) report back; the lead's outcomes wait until each has.
//! Must not: know storage, orgs' hierarchy or who is signed in (the app checks org scope).

mod moves;
mod plan;

pub use moves::{Move, Need, Waiting};
pub use plan::{FlowError, MoveInput, Planned};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::cases::{ActorRef, ActorRole, CaseEvent, CasePolicy, CaseState, decide_with};
use crate::process::{Actor, Next, ProcessDefinition, Step, Terminal};

/// A case's state read against the definition it was submitted under.
#[derive(Debug, Clone, Copy)]
pub struct Flow<'a> {
    pub definition: &'a ProcessDefinition,
    pub state: &'a CaseState,
}

impl<'a> Flow<'a> {
    pub fn new(definition: &'a ProcessDefinition, state: &'a CaseState) -> Flow<'a> {
        Flow { definition, state }
    }

    /// The case rules this definition implies: its extension limit (art. 42), and whether a
    /// decision needs a review (not for items decided on the spot).
    pub fn policy(&self) -> CasePolicy {
        CasePolicy {
            review_required: self
                .definition
                .steps()
                .iter()
                .any(|step| step.kind == crate::process::StepKind::Review),
            ..CasePolicy::from_limits(&self.definition.time_limits())
        }
    }

    /// The step the case is in (the lead step of a parallel group), if it has entered one.
    pub fn current_step(&self) -> Option<&'a Step> {
        let (id, _) = self.state.step()?;
        self.definition.step(id)
    }

    /// The end the process reached, if it did: an outcome leading to an end was chosen at the
    /// current step or beside it.
    pub fn ended(&self) -> Option<Terminal> {
        self.state
            .completed_since_step()
            .iter()
            .find_map(
                |(step, outcome)| match self.definition.outcome(step, outcome) {
                    Some(outcome) => match &outcome.next {
                        Next::End(end) => Some(*end),
                        Next::Step(_) => None,
                    },
                    None => None,
                },
            )
    }

    /// The steps beside the current one that have not reported yet.
    pub fn pending_companions(&self) -> Vec<&'a Step> {
        let Some(lead) = self.current_step() else {
            return Vec::new();
        };
        lead.parallel_with
            .iter()
            .filter_map(|id| self.definition.step(id.as_str()))
            .filter(|companion| !self.reported(companion))
            .collect()
    }

    /// Whether a companion step's latest outcome since the lead was entered moved on (an
    /// outcome back into itself, a rectification, means it is still at work).
    fn reported(&self, companion: &Step) -> bool {
        let latest = self
            .state
            .completed_since_step()
            .iter()
            .rev()
            .find(|(step, _)| step == companion.id.as_str());
        latest.is_some_and(|(_, outcome)| {
            companion
                .outcome(outcome)
                .is_some_and(|o| o.next.key() != companion.id.as_str())
        })
    }

    /// Carries out planned commands in order on `on`: each decided against the state the
    /// previous ones left (so every legal rule applies), all chained after the case's head.
    /// Nothing is returned unless all pass.
    pub fn execute(
        &self,
        planned: Vec<Planned>,
        policy: &CasePolicy,
        at: Timestamp,
        on: Date,
    ) -> Result<Vec<CaseEvent>, FlowError> {
        let mut state = self.state.clone();
        let mut events = Vec::new();
        for Planned { actor, command } in planned {
            let kinds = decide_with(&state, command, &actor, on, policy)?;
            for event in state.head().append(kinds, &actor, at, on) {
                state.apply(&event);
                events.push(event);
            }
        }
        Ok(events)
    }
}

/// The process actor an actor acts as; `None` for the system, which no step names.
pub fn process_actor(actor: &ActorRef) -> Option<Actor> {
    match actor.role {
        ActorRole::Staff(role) => Some(Actor::Staff(role)),
        ActorRole::Applicant => Some(Actor::Applicant),
        ActorRole::System => None,
    }
}

#[cfg(test)]
mod tests;
