//! Which moves a person may make on a case now, and what each asks of them. A move is an
//! outcome of the current step (or of a step running beside it) that this actor may choose;
//! its [`Effect`] is the law's event it records (see the module map in `flow`).

use crate::cases::{CaseStatus, OnSiteOutcome};
use crate::process::{Actor, Next, Outcome, Step, StepKind, Terminal};

use super::Flow;

/// One thing an actor may do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move<'a> {
    pub step: &'a Step,
    pub outcome: &'a Outcome,
    /// What the form or the request must carry.
    pub needs: Vec<Need>,
}

/// Something a move needs from the person making it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Art. 32: every material to supplement, in one notice.
    SupplementItems,
    /// Why (a refusal or a withdrawal).
    Reason,
    /// Optional: the organ that is competent, when this one is not (art. 32).
    CompetentOrg,
    /// The supplemented materials.
    Materials,
    /// The review opinion.
    Opinion,
    /// Art. 34: the inspectors on site, by user name.
    Inspectors { min: u32, max: Option<u32> },
    /// The date by which the enterprise must rectify.
    RectifyDeadline,
    /// The result of the testing, appraisal or review that paused the clock.
    Result,
    /// Art. 38: the reasons for a denial.
    DenialReasons,
    /// The licence number; the app allocates it from the register.
    LicenceNumber,
    /// The org the next step is handed to: an institute (art. 45) or a lower org (arts. 35, 43).
    HandOverOrg { step: String, institute: bool },
}

impl Need {
    /// The field name in forms and in the API.
    pub fn field(&self) -> &'static str {
        match self {
            Need::SupplementItems => "items",
            Need::Reason => "reason",
            Need::CompetentOrg => "competent_org",
            Need::Materials => "materials",
            Need::Opinion => "opinion",
            Need::Inspectors { .. } => "inspectors",
            Need::RectifyDeadline => "deadline",
            Need::Result => "result",
            Need::DenialReasons => "reasons",
            Need::LicenceNumber => "licence_number",
            Need::HandOverOrg { .. } => "hand_over_org",
        }
    }
}

/// Why the current step's own outcomes are not offered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting<'a> {
    pub step: &'a Step,
    pub waiting_for: Vec<&'a Step>,
}

/// The law's event an outcome records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    Withdraw,
    Refuse,
    RequestSupplement,
    Accept,
    Supplement,
    Review,
    OnSite(OnSiteVerdict),
    EndPause,
    Deny,
    Grant {
        issue_now: bool,
    },
    Issue,
    /// Only the move along the definition.
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OnSiteVerdict {
    Pass,
    Rectify,
    Fail,
}

impl OnSiteVerdict {
    pub fn outcome(self, deadline: Option<jiff::civil::Date>) -> Option<OnSiteOutcome> {
        match self {
            OnSiteVerdict::Pass => Some(OnSiteOutcome::Pass),
            OnSiteVerdict::Fail => Some(OnSiteOutcome::Fail),
            OnSiteVerdict::Rectify => deadline.map(|deadline| OnSiteOutcome::Rectify { deadline }),
        }
    }
}

impl Flow<'_> {
    /// The law's event of choosing `outcome` at `step`.
    pub(super) fn effect(&self, step: &Step, outcome: &Outcome) -> Effect {
        let into_step = |id: &str| self.definition.step(id);
        match (&outcome.next, step.kind) {
            (Next::End(Terminal::Withdrawn), _) => Effect::Withdraw,
            (Next::End(Terminal::Refused), _) => Effect::Refuse,
            (Next::Step(next), StepKind::Acceptance)
                if outcome.once
                    && into_step(next.as_str()).is_some_and(|s| s.kind == StepKind::Supplement) =>
            {
                Effect::RequestSupplement
            }
            (Next::Step(_), StepKind::Acceptance) => Effect::Accept,
            (Next::Step(_), StepKind::Supplement) => Effect::Supplement,
            (_, StepKind::Review) => Effect::Review,
            (next, StepKind::Onsite) => Effect::OnSite(match next {
                Next::Step(id) if id == &step.id => OnSiteVerdict::Rectify,
                Next::End(Terminal::Revoked | Terminal::Denied) => OnSiteVerdict::Fail,
                _ if outcome.key.as_str() == "fail" => OnSiteVerdict::Fail,
                _ => OnSiteVerdict::Pass,
            }),
            (_, _) if step.pause.is_some() => Effect::EndPause,
            (Next::End(Terminal::Denied), StepKind::Decision) => Effect::Deny,
            (next, StepKind::Decision) => Effect::Grant {
                issue_now: matches!(next, Next::End(Terminal::Issued)),
            },
            (_, StepKind::Issuance) => Effect::Issue,
            _ => Effect::Plain,
        }
    }

    /// What a move needs from the person making it (and the hand-over of the step it enters).
    pub(super) fn needs(&self, step: &Step, outcome: &Outcome) -> Vec<Need> {
        let mut needs = match self.effect(step, outcome) {
            Effect::Withdraw => vec![Need::Reason],
            Effect::Refuse => vec![Need::Reason, Need::CompetentOrg],
            Effect::RequestSupplement => vec![Need::SupplementItems],
            Effect::Supplement => vec![Need::Materials],
            Effect::Review => vec![Need::Opinion],
            Effect::OnSite(verdict) => {
                let mut needs = vec![Need::Inspectors {
                    min: step.min_actors,
                    max: step.max_actors,
                }];
                if verdict == OnSiteVerdict::Rectify {
                    needs.push(Need::RectifyDeadline);
                }
                needs
            }
            Effect::EndPause => vec![Need::Result],
            Effect::Deny => vec![Need::DenialReasons],
            Effect::Grant { issue_now: true } | Effect::Issue => vec![Need::LicenceNumber],
            Effect::Accept | Effect::Grant { issue_now: false } | Effect::Plain => vec![],
        };
        if let Some(next) = self.entered_after(step, outcome) {
            for target in std::iter::once(next).chain(self.companions(next)) {
                if let Some(institute) = hand_over_kind(target) {
                    needs.push(Need::HandOverOrg {
                        step: target.id.as_str().to_owned(),
                        institute,
                    });
                }
            }
        }
        needs
    }

    /// The step the case enters when `outcome` is chosen at `step`: none for an end, for a
    /// step beside the current one reporting back, or for a rectification repeating itself.
    pub(super) fn entered_after(&self, step: &Step, outcome: &Outcome) -> Option<&Step> {
        let Next::Step(next) = &outcome.next else {
            return None;
        };
        if self.is_companion(step) {
            return None;
        }
        self.definition.step(next.as_str())
    }

    pub(super) fn companions<'s>(&'s self, step: &'s Step) -> impl Iterator<Item = &'s Step> {
        step.parallel_with
            .iter()
            .filter_map(|id| self.definition.step(id.as_str()))
    }

    /// Whether `step` runs beside the current step rather than being it.
    pub(super) fn is_companion(&self, step: &Step) -> bool {
        self.current_step()
            .is_some_and(|lead| lead.parallel_with.contains(&step.id))
    }

    /// The moves `actor` may make now, the current step's first. Empty once the process ended.
    pub fn moves(&self, actor: Actor) -> Vec<Move<'_>> {
        let Some(lead) = self.current_step() else {
            return Vec::new();
        };
        if self.ended().is_some() || self.closed() {
            return Vec::new();
        }
        let waiting = !self.pending_companions().is_empty();
        let lead_moves = lead.outcomes.iter().filter(|outcome| {
            let ends_early = matches!(outcome.next, Next::End(Terminal::Withdrawn));
            !waiting || ends_early
        });
        let mut moves: Vec<Move<'_>> = lead_moves
            .filter(|outcome| self.offered(lead, outcome, actor))
            .map(|outcome| self.make_move(lead, outcome))
            .collect();
        for companion in self.pending_companions() {
            moves.extend(
                companion
                    .outcomes
                    .iter()
                    .filter(|outcome| self.offered(companion, outcome, actor))
                    .map(|outcome| self.make_move(companion, outcome)),
            );
        }
        moves
    }

    /// Why the current step waits, if it waits for steps beside it.
    pub fn waiting(&self) -> Option<Waiting<'_>> {
        let step = self.current_step()?;
        let waiting_for = self.pending_companions();
        (!waiting_for.is_empty()).then_some(Waiting { step, waiting_for })
    }

    /// The move `outcome` at `step` if `actor` may make it now.
    pub fn find_move(&self, step: &str, outcome: &str, actor: Actor) -> Option<Move<'_>> {
        self.moves(actor)
            .into_iter()
            .find(|m| m.step.id.as_str() == step && m.outcome.key.as_str() == outcome)
    }

    fn make_move<'s>(&'s self, step: &'s Step, outcome: &'s Outcome) -> Move<'s> {
        Move {
            step,
            outcome,
            needs: self.needs(step, outcome),
        }
    }

    fn offered(&self, step: &Step, outcome: &Outcome, actor: Actor) -> bool {
        let used_once = outcome.once && self.state.supplement_used();
        step.may_choose(outcome.key.as_str(), actor) && !used_once
    }

    /// Whether anything can still happen to the case along its definition (an issued licence's
    /// post-licence verification keeps it open).
    pub fn is_open(&self) -> bool {
        self.ended().is_none() && !self.closed()
    }

    /// The case is closed by the law's events even though no end was chosen (e.g. refused
    /// before definitions recorded outcomes).
    fn closed(&self) -> bool {
        let status = self.state.status();
        status.is_final()
            && !(status == CaseStatus::Issued
                && self
                    .current_step()
                    .is_some_and(|s| s.kind == StepKind::Onsite))
    }
}

/// Whether entering `step` hands it to another org: `Some(true)` an institute (its actors are
/// institute staff), `Some(false)` a lower org doing delegated work.
pub(super) fn hand_over_kind(step: &Step) -> Option<bool> {
    if step
        .roles
        .contains(&Actor::Staff(crate::access::Role::InstituteStaff))
    {
        Some(true)
    } else if step.delegate_to_lower_org {
        Some(false)
    } else {
        None
    }
}
