//! Turning a chosen move into the commands that carry it out, in order: the `StepCompleted`
//! record, the law's own command, then entering the next step with its pause and hand-overs (by
//! the system, since they follow from the move). `Flow::execute` then decides them one by one.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::cases::{ActorRef, CaseError, Command, MaterialRef, RIGHTS_NOTICE_ZH};
use crate::catalogue::Vocabulary;
use crate::process::{Next, Outcome, Step, StepKind};

use super::moves::{Effect, Need, hand_over_kind};
use super::{Flow, process_actor};

/// What a person gives with a move (the fields its [`Need`]s name). Unused fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveInput {
    pub items: Vec<String>,
    pub reason: Option<String>,
    pub competent_org: Option<String>,
    pub materials: Vec<MaterialRef>,
    pub opinion: Option<String>,
    pub inspectors: Vec<String>,
    pub deadline: Option<Date>,
    pub result: Option<String>,
    pub reasons: Vec<String>,
    /// The rights statement of a denial; art. 38's default when absent.
    pub rights: Option<String>,
    pub licence_number: Option<String>,
    /// Step id → org code, for the steps the move hands over.
    pub hand_over: BTreeMap<String, String>,
}

/// One command and who gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub actor: ActorRef,
    pub command: Command,
}

/// Why a move cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("the process has no step {0:?}")]
    UnknownStep(String),
    #[error("step {step:?} has no outcome {outcome:?}; it has: {known}")]
    UnknownOutcome {
        step: String,
        outcome: String,
        known: String,
    },
    #[error("{outcome} at {step} is not open to you now: {why}")]
    NotOpen {
        step: String,
        outcome: String,
        why: String,
    },
    #[error("{field}: {problem}")]
    Missing {
        field: &'static str,
        problem: String,
    },
    #[error(transparent)]
    Case(#[from] CaseError),
}

impl FlowError {
    fn missing(need: &Need, problem: impl Into<String>) -> FlowError {
        FlowError::Missing {
            field: need.field(),
            problem: problem.into(),
        }
    }
}

impl Flow<'_> {
    /// The commands that carry out `outcome` at `step` by `actor` with `input`.
    pub fn plan(
        &self,
        step: &str,
        outcome: &str,
        actor: &ActorRef,
        input: MoveInput,
    ) -> Result<Vec<Planned>, FlowError> {
        let found = self.find(step, outcome)?;
        let (step, outcome) = found;
        let open = process_actor(actor)
            .and_then(|a| self.find_move(step.id.as_str(), outcome.key.as_str(), a));
        let Some(chosen) = open else {
            return Err(FlowError::NotOpen {
                step: step.name_en.clone(),
                outcome: outcome.name_en.clone(),
                why: self.why_not(step, actor),
            });
        };
        for need in &chosen.needs {
            check_need(need, &input)?;
        }
        // The outcome first: the law's command may close the case (a withdrawal, a refusal).
        let mut planned = vec![Planned {
            actor: actor.clone(),
            command: Command::CompleteStep {
                step: step.id.as_str().to_owned(),
                outcome: outcome.key.as_str().to_owned(),
            },
        }];
        if let Some(command) = self.law_command(step, outcome, &input)? {
            planned.push(Planned {
                actor: actor.clone(),
                command,
            });
        }
        if let Some(Command::Grant) = planned.last().map(|p| &p.command)
            && let Some(number) = issue_now(self, step, outcome, &input)
        {
            planned.push(Planned {
                actor: actor.clone(),
                command: Command::IssueLicence { number },
            });
        }
        if let Some(next) = self.entered_after(step, outcome) {
            planned.extend(self.enter(next, &input));
        }
        Ok(planned)
    }

    /// The first commands of a case: the submission and entering the definition's start.
    pub fn start(
        definition: &crate::process::ProcessDefinition,
        submit: Command,
        actor: &ActorRef,
    ) -> Vec<Planned> {
        let start = definition.start();
        vec![
            Planned {
                actor: actor.clone(),
                command: submit,
            },
            Planned {
                actor: ActorRef::system(),
                command: Command::EnterStep {
                    step: start.id.as_str().to_owned(),
                    budget_days: start.budget_days.unwrap_or(0),
                },
            },
        ]
    }

    /// Art. 32's deemed acceptance as a move: recorded by the system, then the case moves on as
    /// if the clerk had accepted. `None` when the case is not at an acceptance step.
    pub fn deemed_acceptance(&self) -> Option<Vec<Planned>> {
        let step = self.current_step()?;
        if step.kind != StepKind::Acceptance {
            return None;
        }
        let accept = step
            .outcomes
            .iter()
            .find(|o| self.effect(step, o) == Effect::Accept)?;
        let system = ActorRef::system();
        let mut planned = vec![
            Planned {
                actor: system.clone(),
                command: Command::CompleteStep {
                    step: step.id.as_str().to_owned(),
                    outcome: accept.key.as_str().to_owned(),
                },
            },
            Planned {
                actor: system,
                command: Command::DeemAccepted,
            },
        ];
        if let Some(next) = self.entered_after(step, accept) {
            // A hand-over cannot be chosen by the system; the step's own staff make it.
            planned.extend(self.enter(next, &MoveInput::default()));
        }
        Some(planned)
    }

    fn find(&self, step: &str, outcome: &str) -> Result<(&Step, &Outcome), FlowError> {
        let found = self
            .definition
            .step(step)
            .ok_or_else(|| FlowError::UnknownStep(step.to_owned()))?;
        let chosen = found.outcome(outcome).ok_or_else(|| {
            let known: Vec<&str> = found.outcomes.iter().map(|o| o.key.as_str()).collect();
            FlowError::UnknownOutcome {
                step: step.to_owned(),
                outcome: outcome.to_owned(),
                known: known.join(", "),
            }
        })?;
        Ok((found, chosen))
    }

    fn why_not(&self, step: &Step, actor: &ActorRef) -> String {
        if let Some(end) = self.ended() {
            return format!("the process has ended ({})", end.key());
        }
        if self.state.status().is_final() {
            return format!("the case is {}", self.state.status());
        }
        let current = self.current_step();
        let here = current.is_some_and(|c| c.id == step.id) || self.is_companion(step);
        if !here {
            let now = current.map_or("no step".to_owned(), |c| c.name_en.clone());
            return format!("the case is at {now}");
        }
        if let Some(waiting) = self.waiting()
            && waiting.step.id == step.id
        {
            let names: Vec<&str> = waiting
                .waiting_for
                .iter()
                .map(|s| s.name_en.as_str())
                .collect();
            return format!("waiting for {} to report", names.join(", "));
        }
        match process_actor(actor) {
            Some(a) if step.may_act(a) => "that outcome was already used (only once)".into(),
            _ => format!("a {} does not act at this step", actor.role),
        }
    }

    fn law_command(
        &self,
        step: &Step,
        outcome: &Outcome,
        input: &MoveInput,
    ) -> Result<Option<Command>, FlowError> {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        Ok(Some(match self.effect(step, outcome) {
            Effect::Withdraw => Command::Withdraw {
                reason: text(&input.reason),
            },
            Effect::Refuse => Command::Refuse {
                reason: text(&input.reason),
                competent_org: input.competent_org.clone().filter(|o| !o.trim().is_empty()),
            },
            Effect::RequestSupplement => Command::RequestSupplement {
                items: input.items.clone(),
            },
            Effect::Accept => Command::Accept,
            Effect::Supplement => Command::Supplement {
                materials: input.materials.clone(),
            },
            Effect::Review => Command::CompleteReview {
                opinion: format!("{}: {}", outcome.name_zh, text(&input.opinion)),
            },
            Effect::OnSite(verdict) => Command::RecordOnSite {
                inspectors: input.inspectors.clone(),
                outcome: verdict.outcome(input.deadline).ok_or(FlowError::Missing {
                    field: "deadline",
                    problem: "a rectification needs the date to rectify by".into(),
                })?,
            },
            Effect::EndPause => Command::EndPause {
                result: format!("{}: {}", outcome.name_zh, text(&input.result)),
            },
            Effect::Deny => Command::Deny {
                reasons: input.reasons.clone(),
                rights: input
                    .rights
                    .clone()
                    .unwrap_or_else(|| RIGHTS_NOTICE_ZH.to_owned()),
            },
            Effect::Grant { .. } => Command::Grant,
            Effect::Issue => Command::IssueLicence {
                number: text(&input.licence_number),
            },
            Effect::Plain => return Ok(None),
        }))
    }

    /// Entering `next`: the step, its pause (art. 45) and its hand-overs, by the system.
    fn enter(&self, next: &Step, input: &MoveInput) -> Vec<Planned> {
        let system = ActorRef::system();
        let plan = |command| Planned {
            actor: system.clone(),
            command,
        };
        let mut planned = vec![plan(Command::EnterStep {
            step: next.id.as_str().to_owned(),
            budget_days: next.budget_days.unwrap_or(0),
        })];
        for target in std::iter::once(next).chain(self.companions(next)) {
            let org = input.hand_over.get(target.id.as_str());
            if let (Some(_), Some(org)) = (hand_over_kind(target), org) {
                planned.push(plan(Command::HandOver {
                    step: target.id.as_str().to_owned(),
                    org: org.clone(),
                }));
            }
        }
        if let Some(pause) = &next.pause {
            let by = input
                .hand_over
                .get(next.id.as_str())
                .cloned()
                .unwrap_or_else(|| next.name_zh.clone());
            planned.push(plan(Command::StartPause {
                reason: pause.reason.clone(),
                by,
                expected_days: pause.expected_days,
            }));
        }
        planned
    }
}

/// The licence number to issue with a grant that ends the process issued (decided on the spot).
fn issue_now(flow: &Flow<'_>, step: &Step, outcome: &Outcome, input: &MoveInput) -> Option<String> {
    let now = matches!(
        flow.effect(step, outcome),
        Effect::Grant { issue_now: true }
    );
    let ends_issued = matches!(outcome.next, Next::End(crate::process::Terminal::Issued));
    (now && ends_issued).then(|| input.licence_number.clone().unwrap_or_default())
}

fn check_need(need: &Need, input: &MoveInput) -> Result<(), FlowError> {
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
    match need {
        Need::SupplementItems if input.items.iter().all(|i| i.trim().is_empty()) => {
            Err(FlowError::missing(
                need,
                "list every material to supplement, one per line (art. 32)",
            ))
        }
        Need::Reason if blank(&input.reason) => Err(FlowError::missing(need, "is required")),
        Need::Materials if input.materials.is_empty() => Err(FlowError::missing(
            need,
            "attach the supplemented materials",
        )),
        Need::Opinion if blank(&input.opinion) => Err(FlowError::missing(need, "is required")),
        Need::Inspectors { min, max } => {
            let mut names: Vec<&str> = input
                .inspectors
                .iter()
                .map(|i| i.trim())
                .filter(|i| !i.is_empty())
                .collect();
            names.sort_unstable();
            names.dedup();
            let count = names.len() as u32;
            if count < *min {
                return Err(FlowError::missing(
                    need,
                    format!("at least {min} different inspectors on site (art. 34); {count} given"),
                ));
            }
            match max {
                Some(max) if count > *max => Err(FlowError::missing(
                    need,
                    format!("at most {max} inspectors; {count} given"),
                )),
                _ => Ok(()),
            }
        }
        Need::RectifyDeadline if input.deadline.is_none() => Err(FlowError::missing(
            need,
            "the date by which the enterprise must rectify",
        )),
        Need::Result if blank(&input.result) => Err(FlowError::missing(need, "is required")),
        Need::DenialReasons if input.reasons.iter().all(|r| r.trim().is_empty()) => Err(
            FlowError::missing(need, "a denial states its reasons (art. 38)"),
        ),
        Need::LicenceNumber if blank(&input.licence_number) => {
            Err(FlowError::missing(need, "the licence number is required"))
        }
        Need::HandOverOrg { step, institute } if !input.hand_over.contains_key(step) => {
            let whom = match institute {
                true => "the testing or appraisal institute",
                false => "the lower org doing the delegated work",
            };
            Err(FlowError::missing(
                need,
                format!("choose {whom} for {step}"),
            ))
        }
        _ => Ok(()),
    }
}
