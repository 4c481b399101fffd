//! How the clock's explanation names what a case's log records by key: a step by its id, the org
//! that carries out a paused step by its code, the approver of an extension by its role. The
//! names of steps and orgs live in the process definition and the org catalogue, which the
//! domain does not read: the caller passes them in through [`Names`]. Owns the port and the
//! fallbacks only.

use crate::access::Role;
use crate::catalogue::Vocabulary;

/// A name in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub zh: String,
    pub en: String,
}

impl Name {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Name {
        Name {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The same text in both languages: what was recorded, when nothing better is known.
    pub fn as_recorded(text: &str) -> Name {
        Name::new(text, text)
    }

    pub fn pick(&self, en: bool) -> &str {
        if en { &self.en } else { &self.zh }
    }
}

/// Where the names of a case's steps and orgs come from.
pub trait Names {
    /// A step's name for its id; `None` when the definition has no such step.
    fn step(&self, id: &str) -> Option<Name>;
    /// An org's name for its code; `None` when the text is no org's code (a paused step carried
    /// out by the bureau itself records the step's name instead).
    fn org(&self, code: &str) -> Option<Name>;

    /// A step's name, or its id as recorded.
    fn step_or_id(&self, id: &str) -> Name {
        self.step(id).unwrap_or_else(|| Name::as_recorded(id))
    }

    /// An org's name, or the text as recorded.
    fn org_or_text(&self, text: &str) -> Name {
        self.org(text).unwrap_or_else(|| Name::as_recorded(text))
    }
}

/// No names known: every key is shown as recorded (the sweeper, which writes no explanation
/// anyone reads, and tests of the counting).
#[derive(Debug, Clone, Copy, Default)]
pub struct AsRecorded;

impl Names for AsRecorded {
    fn step(&self, _id: &str) -> Option<Name> {
        None
    }

    fn org(&self, _code: &str) -> Option<Name> {
        None
    }
}

/// Who approved an extension. Art. 42 gives the approval to the head of the organ: a log
/// records the approver's role key, shown as the role's name ("机关负责人"); any other text
/// (an older log's user name, a test's "局长") as written.
pub(crate) fn approver(text: &str) -> Name {
    match Role::parse_key(text) {
        Some(role) => Name::new(role.label_zh(), role.label_en()),
        None => Name::as_recorded(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_key_is_named_by_the_role_and_other_text_is_kept() {
        assert_eq!(approver("head"), Name::new("机关负责人", "Head of organ"));
        assert_eq!(approver("局长王某"), Name::as_recorded("局长王某"));
    }
}
