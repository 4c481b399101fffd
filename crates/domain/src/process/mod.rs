//! Process definitions as data (DESIGN.md "Process definitions are data"; issue 4): the steps a
//! service item's cases go through, who may act at each, what may happen there and where it
//! leads, which steps pause the legal clock and why, step budgets, parallel steps and hand-off
//! to a lower org. An administrator edits or uploads a definition as TOML;
//! [`ProcessDefinition::parse`] refuses a bad one with every problem, each naming its line.
//! Versions live in a [`DefinitionSet`]; a case keeps the version it was submitted under.
//! Pure: no I/O (the shipped files are compiled in); it must not know cases or storage — the
//! case flow asks it questions ([`ProcessDefinition::step`], [`ProcessDefinition::may_act`] …).
//!
//! # Format
//!
//! ```toml
//! code = "PROC-XK-ONSITE-FIRST"   # A–Z 0–9 - . (a catalogue code); items point to it
//! version = 1                     # whole number ≥ 1; a new version must be higher
//! name_zh = "工业产品生产许可证核发（先现场核查后发证）"
//! name_en = "Industrial product production licence (on-site verification first)"
//! statutory_limit_days = 60       # working days from acceptance to decision (1–3650)
//! promised_limit_days = 40        # the public promise, ≤ statutory; 0 = decided on the spot
//! start = "acceptance"            # optional; default: the first step
//!
//! [[steps]]
//! id = "onsite_verification"      # a–z 0–9 _, unique, not the name of an end
//! kind = "onsite"                 # optional, default "task"; see below
//! name_zh = "实地核查"
//! name_en = "On-site verification"
//! roles = ["inspector"]           # who carries it out (see below)
//! budget_days = 30                # working days the step may take
//! min_actors = 2                  # optional; default 2 for "onsite" (art. 34), else 1
//! max_actors = 4                  # optional
//! delegate_to_lower_org = false   # optional; true: a district bureau does it (≤ 20 days)
//! pauses_clock = "testing"        # optional: the clock stops here (art. 45) …
//! expected_days = 15              # … and then required: the time told in writing
//! parallel_with = ["…"]           # optional: steps started together with this one
//!
//! [[steps.outcomes]]
//! key = "pass"                    # a–z 0–9 _, unique within the step
//! name_zh = "核查合格"
//! name_en = "Passed"
//! next = "document_review"        # a step id or an end
//! roles = ["applicant"]           # optional: who may choose it instead of the step's roles
//! once = true                     # optional: at most once per case (the supplement notice)
//! ```
//!
//! Outcomes may also be written inline: `outcomes = [{ key = "…", name_zh = "…", … }]`.
//!
//! - **kind**: `task`, `acceptance` (art. 32), `supplement` (the applicant's; roles include
//!   `"applicant"`; budget optional), `review`, `onsite` (art. 34: `min_actors` ≥ 2),
//!   `decision` (art. 38; the statutory limit runs up to it), `issuance` (art. 44).
//! - **roles**: `applicant` or a staff role: `administrator`, `window_clerk`, `reviewer`,
//!   `inspector`, `signatory`, `head`, `institute_staff`.
//! - **pauses_clock**: `testing`, `inspection`, `quarantine`, `appraisal`, `expert_review`,
//!   `hearing`, `tendering`, `auction`, `supplement`. `budget_days` is optional on such a step.
//! - **ends** (`next`): `granted`, `issued`, `denied`, `refused`, `withdrawn`, `terminated`,
//!   `revoked`.
//! - **Parallel steps**: the lead step lists its companions; they start when the case enters
//!   the lead. A companion's outcomes report back to its group (the lead, or itself to repeat,
//!   e.g. after rectification) or end the process; the lead's outcomes move the case on once
//!   every companion has reported. No outcome elsewhere may lead into a companion.
//! - **The supplement loop** (art. 32, one notice): acceptance → `once = true` outcome → the
//!   applicant's `supplement` step → back to acceptance, whose other outcomes are the exit.
//!
//! Refused: TOML syntax errors; missing, mistyped or unknown keys; duplicate step ids or
//! outcome keys; a `next`, `start` or `parallel_with` naming nothing; unknown roles, kinds or
//! pause reasons; a pause without `expected_days`; an on-site step with `min_actors` < 2; a
//! delegated step over 20 days; a supplement outcome without `once`; a promise above the
//! statutory limit; a step the start cannot reach; a loop without exit; no path to any end.
//! Warned ([`ProcessDefinition::warnings`]): counted budgets up to the decision (parallel
//! steps by their longest, paused and pre-acceptance steps not counted) above the statutory
//! or promised limit; an issuance budget above art. 44's 10 days.

mod budget;
mod build;
mod check;
mod fields;
mod graph;
mod model;
mod problem;
mod read;
mod set;
mod shipped;
mod vocab;

pub use model::{ClockPause, DefinitionKey, Next, Outcome, ProcessDefinition, Step};
pub use problem::DefinitionProblem;
pub use set::{DefinitionSet, VersionError};
pub use shipped::{SHIPPED_SOURCES, shipped};
pub use vocab::{
    Actor, OutcomeKey, PAUSE_REASON_KEYS, StepId, StepKind, Terminal, pause_reason_from_key,
};
