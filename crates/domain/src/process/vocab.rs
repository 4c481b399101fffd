//! The closed words a process definition is written in — step kinds, ends, actors, clock-pause
//! reasons — and the two identifiers it names things with (step ids, outcome keys). Owns their
//! spelling in files and in both languages; what a definition may combine is `check`'s.

use std::fmt;

use crate::access::Role;
use crate::catalogue::{Vocabulary, vocabulary};
use crate::clock::{PauseReason, StopOutcome};

vocabulary! {
    /// What kind of work a step is. The case flow maps each kind to the commands it takes; the
    /// checks attach the law's conditions to some of them.
    pub enum StepKind {
        /// Any other work (e.g. sample testing, with `pauses_clock`).
        Task => "task", "办理", "Task";
        /// Art. 32: accept, refuse, or send the one supplement notice. Not counted toward the
        /// statutory limit, which starts the day after acceptance.
        Acceptance => "acceptance", "受理", "Acceptance";
        /// The applicant supplements what the one notice listed (art. 32). The applicant's step.
        Supplement => "supplement", "补正材料", "Supplement";
        /// Document review (审查).
        Review => "review", "审查", "Review";
        /// On-site verification (实地核查): at least two staff (art. 34).
        Onsite => "onsite", "实地核查", "On-site verification";
        /// The written grant or denial (art. 38); the statutory limit runs up to here.
        Decision => "decision", "决定", "Decision";
        /// Making and handing over the certificate, within 10 days of the decision (art. 44).
        Issuance => "issuance", "制证发证", "Issuance";
    }
}

vocabulary! {
    /// How a case ends: the `next` of an outcome that leaves the process.
    pub enum Terminal {
        Granted => "granted", "准予许可", "Granted";
        Issued => "issued", "已发证", "Licence issued";
        Denied => "denied", "不予许可", "Denied";
        Refused => "refused", "不予受理", "Refused";
        Withdrawn => "withdrawn", "申请人撤回", "Withdrawn by the applicant";
        Terminated => "terminated", "终止办理", "Terminated";
        /// A licence granted first and verified after (2018 reform) whose verification failed.
        Revoked => "revoked", "撤销许可", "Licence revoked";
    }
}

impl Terminal {
    /// How the case's legal clock stops when the case ends here; `None` for a refusal, whose
    /// clock never started (the limit runs from acceptance, art. 42).
    pub fn stop_outcome(self) -> Option<StopOutcome> {
        match self {
            Terminal::Granted | Terminal::Issued | Terminal::Denied | Terminal::Revoked => {
                Some(StopOutcome::Decided)
            }
            Terminal::Withdrawn => Some(StopOutcome::Withdrawn),
            Terminal::Terminated => Some(StopOutcome::Terminated),
            Terminal::Refused => None,
        }
    }
}

/// Who may act at a step: a staff role or the applicant (an enterprise user acting for its own
/// enterprise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Applicant,
    Staff(Role),
}

impl Actor {
    const APPLICANT: &'static str = "applicant";

    /// Reads `"applicant"` or a staff role key (`"window_clerk"`, `"reviewer"` …).
    pub fn parse_key(text: &str) -> Option<Actor> {
        if text == Self::APPLICANT {
            return Some(Actor::Applicant);
        }
        Role::parse_key(text).map(Actor::Staff)
    }

    pub fn key(self) -> &'static str {
        match self {
            Actor::Applicant => Self::APPLICANT,
            Actor::Staff(role) => role.key(),
        }
    }

    /// The accepted spellings, for messages.
    pub fn expected() -> String {
        format!("\"{}\", {}", Self::APPLICANT, Role::expected())
    }
}

impl From<Role> for Actor {
    fn from(role: Role) -> Actor {
        Actor::Staff(role)
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The `pauses_clock` spellings: `PauseReason`'s own (serde) names. `Other` is not offered: a
/// definition names a reason the law or a sector rule gives.
pub const PAUSE_REASON_KEYS: &[&str] = &[
    "testing",
    "inspection",
    "quarantine",
    "appraisal",
    "expert_review",
    "hearing",
    "tendering",
    "auction",
    "supplement",
];

/// Reads a `pauses_clock` value.
pub fn pause_reason_from_key(key: &str) -> Option<PauseReason> {
    Some(match key {
        "testing" => PauseReason::Testing,
        "inspection" => PauseReason::Inspection,
        "quarantine" => PauseReason::Quarantine,
        "appraisal" => PauseReason::Appraisal,
        "expert_review" => PauseReason::ExpertReview,
        "hearing" => PauseReason::Hearing,
        "tendering" => PauseReason::Tendering,
        "auction" => PauseReason::Auction,
        "supplement" => PauseReason::Supplement,
        _ => return None,
    })
}

/// Quotes and joins spellings for messages: `"a", "b"`.
pub(super) fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|key| format!("\"{key}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the shape shared by step ids and outcome keys: 1–40 of `a–z 0–9 _`, starting with a
/// letter, so they read well in URLs, events and messages.
fn check_word(text: &str, what: &str) -> Result<(), String> {
    let ok_len = (1..=40).contains(&text.len());
    let ok_start = text.starts_with(|c: char| c.is_ascii_lowercase());
    let ok_chars = text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok_len && ok_start && ok_chars {
        Ok(())
    } else {
        Err(format!(
            "\"{text}\" is not a valid {what}: use 1–40 of a–z, 0–9 and '_', starting with a \
             letter"
        ))
    }
}

/// A step's id within its definition (`document_review`). Never the key of a [`Terminal`], so
/// an outcome's `next` is never ambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StepId(String);

impl StepId {
    pub fn parse(text: &str) -> Result<StepId, String> {
        check_word(text, "step id")?;
        if Terminal::parse_key(text).is_some() {
            return Err(format!(
                "\"{text}\" is an end of the process and cannot be a step id"
            ));
        }
        Ok(StepId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An outcome's key within its step (`grant`, `request_supplement`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutcomeKey(String);

impl OutcomeKey {
    pub fn parse(text: &str) -> Result<OutcomeKey, String> {
        check_word(text, "outcome key").map(|()| OutcomeKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for OutcomeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pause_reason_key_reads_back_to_the_clock_s_own_name() {
        for key in PAUSE_REASON_KEYS {
            let reason = pause_reason_from_key(key).expect("listed key");
            let spelled = serde_json_like(&reason);
            assert_eq!(&spelled, key);
        }
        assert_eq!(pause_reason_from_key("lunch"), None);
    }

    /// The serde name of a unit variant, without pulling serde_json into the domain.
    fn serde_json_like(reason: &PauseReason) -> String {
        let debug = format!("{reason:?}");
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn actors_are_the_applicant_or_a_staff_role() {
        assert_eq!(Actor::parse_key("applicant"), Some(Actor::Applicant));
        assert_eq!(
            Actor::parse_key("window_clerk"),
            Some(Actor::Staff(Role::WindowClerk))
        );
        assert_eq!(Actor::parse_key("janitor"), None);
    }

    #[test]
    fn a_step_id_may_not_be_spelled_like_an_end() {
        assert!(StepId::parse("granted").is_err());
        assert!(StepId::parse("Review").is_err());
        assert!(StepId::parse("document_review").is_ok());
    }
}
