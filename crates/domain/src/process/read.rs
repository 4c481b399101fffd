//! Reading a definition's TOML text into a draft, keeping where each value was written so every
//! later problem can name its line. Every syntax error, missing or unknown key, wrong type and
//! unknown word (role, kind, pause reason) is collected — never just the first. What the values
//! mean together (references, the graph, the law's conditions) is `check`'s.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::fields::Fields;
use super::problem::Issues;
use super::vocab::{Actor, StepKind};
use crate::catalogue::{CatalogueCode, MAX_LIMIT_DAYS};
use crate::clock::PauseReason;

pub(super) type Span = Range<usize>;

/// A definition may list at most this many steps (keeps an uploaded file's checks cheap).
pub(super) const MAX_STEPS: usize = 200;

const DEFINITION_KEYS: &[&str] = &[
    "code",
    "version",
    "name_zh",
    "name_en",
    "statutory_limit_days",
    "promised_limit_days",
    "start",
    "steps",
];
const STEP_KEYS: &[&str] = &[
    "id",
    "name_zh",
    "name_en",
    "kind",
    "roles",
    "budget_days",
    "pauses_clock",
    "expected_days",
    "min_actors",
    "max_actors",
    "delegate_to_lower_org",
    "parallel_with",
    "outcomes",
];
const OUTCOME_KEYS: &[&str] = &["key", "name_zh", "name_en", "next", "roles", "once"];

/// The definition as written: values that could be read, with their places.
#[derive(Debug, Default)]
pub(super) struct Draft {
    pub code: Option<CatalogueCode>,
    pub version: Option<u32>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub statutory: Option<Spanned<u32>>,
    pub promised: Option<Spanned<u32>>,
    pub start: Option<Spanned<String>>,
    pub steps: Vec<DraftStep>,
}

#[derive(Debug)]
pub(super) struct DraftStep {
    /// The step's table: its `[[steps]]` header or `{ … }`.
    pub at: Span,
    pub id: Option<Spanned<String>>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub kind: StepKind,
    pub roles: Option<Spanned<Vec<Actor>>>,
    pub budget_days: Option<Spanned<u32>>,
    pub pause: Option<Spanned<PauseReason>>,
    pub expected_days: Option<Spanned<u32>>,
    pub min_actors: Option<Spanned<u32>>,
    pub max_actors: Option<Spanned<u32>>,
    pub delegate: Option<Spanned<bool>>,
    pub parallel_with: Vec<Spanned<String>>,
    pub outcomes: Vec<DraftOutcome>,
}

impl DraftStep {
    /// Where the step is named: its `id`, else its table.
    pub fn place(&self) -> Span {
        self.id.as_ref().map_or(self.at.clone(), Spanned::span)
    }

    /// `step "review"`, for messages.
    pub fn name(&self) -> String {
        match &self.id {
            Some(id) => format!("step \"{}\"", id.get_ref()),
            None => "a step without an id".to_owned(),
        }
    }

    pub fn id_str(&self) -> Option<&str> {
        self.id.as_ref().map(|id| id.get_ref().as_str())
    }
}

#[derive(Debug)]
pub(super) struct DraftOutcome {
    pub key: Option<Spanned<String>>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub next: Option<Spanned<String>>,
    pub roles: Option<Spanned<Vec<Actor>>>,
    pub once: bool,
}

/// Reads `text` into a draft, recording every problem. `None` when the text is not TOML.
pub(super) fn read(text: &str, issues: &mut Issues) -> Option<Draft> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        // One error per line: the parser's recovery repeats itself after the first.
        let mut seen = Vec::new();
        for error in errors {
            let at = error.span().unwrap_or(0..0);
            let before = &text.as_bytes()[..at.start.min(text.len())];
            let line = before.iter().filter(|&&byte| byte == b'\n').count();
            if !seen.contains(&line) {
                seen.push(line);
                issues.at(&at, format!("not valid TOML: {}", error.message()));
            }
        }
        return None;
    }
    let mut f = Fields::new(doc.get_ref(), None, "the definition".to_owned(), issues);
    let mut draft = Draft {
        code: f.text("code", true).and_then(|code| {
            let parsed = CatalogueCode::parse(code.get_ref());
            parsed
                .map_err(|e| f.issues.at(&code.span(), format!("`code`: {e}")))
                .ok()
        }),
        version: f
            .number("version", true, 1, u32::MAX)
            .map(Spanned::into_inner),
        name_zh: f.name("name_zh"),
        name_en: f.name("name_en"),
        statutory: f.number("statutory_limit_days", true, 1, MAX_LIMIT_DAYS),
        promised: f.number("promised_limit_days", true, 0, MAX_LIMIT_DAYS),
        start: f.text("start", false),
        steps: Vec::new(),
    };
    let steps = f.tables("steps", true);
    let empty = doc
        .get_ref()
        .get("steps")
        .filter(|value| matches!(value.get_ref(), DeValue::Array(items) if items.is_empty()));
    if let Some(value) = empty {
        f.issues.at(
            &value.span(),
            "the definition has no steps: add a [[steps]] table",
        );
    }
    if steps.len() > MAX_STEPS {
        f.issues.at(
            &steps[MAX_STEPS].0,
            format!("a definition may have at most {MAX_STEPS} steps"),
        );
    }
    for (at, table) in steps {
        draft.steps.push(read_step(at, table, f.issues));
    }
    f.finish(DEFINITION_KEYS);
    Some(draft)
}

fn read_step(at: Span, table: &DeTable<'_>, issues: &mut Issues) -> DraftStep {
    let mut f = Fields::new(table, Some(at.clone()), "a step".to_owned(), issues);
    let id = f.text("id", true);
    if let Some(id) = &id {
        f.what = format!("step \"{}\"", id.get_ref());
        // Step-level problems name the line of the step's id.
        f.at = Some(id.span());
        if let Err(message) = super::vocab::StepId::parse(id.get_ref()) {
            f.issues.at(&id.span(), message);
        }
    }
    let mut step = DraftStep {
        at,
        id,
        name_zh: f.name("name_zh"),
        name_en: f.name("name_en"),
        kind: f
            .word::<StepKind>("kind")
            .map_or(StepKind::Task, Spanned::into_inner),
        roles: f.actors("roles", true),
        budget_days: f.number("budget_days", false, 0, MAX_LIMIT_DAYS),
        pause: f.pause_reason("pauses_clock"),
        expected_days: f.number("expected_days", false, 1, MAX_LIMIT_DAYS),
        min_actors: f.number("min_actors", false, 1, 50),
        max_actors: f.number("max_actors", false, 1, 50),
        delegate: f.flag("delegate_to_lower_org"),
        parallel_with: f.texts("parallel_with").unwrap_or_default(),
        outcomes: Vec::new(),
    };
    let name = step.name();
    for (at, table) in f.tables("outcomes", false) {
        step.outcomes.push(read_outcome(at, table, &name, f.issues));
    }
    f.finish(STEP_KEYS);
    step
}

fn read_outcome(at: Span, table: &DeTable<'_>, step: &str, issues: &mut Issues) -> DraftOutcome {
    let mut f = Fields::new(table, Some(at), format!("an outcome of {step}"), issues);
    let key = f.text("key", true);
    if let Some(key) = &key {
        f.what = format!("outcome \"{}\" of {step}", key.get_ref());
        f.at = Some(key.span());
        if let Err(message) = super::vocab::OutcomeKey::parse(key.get_ref()) {
            f.issues.at(&key.span(), message);
        }
    }
    let outcome = DraftOutcome {
        key,
        name_zh: f.name("name_zh"),
        name_en: f.name("name_en"),
        next: f.text("next", true),
        roles: f.actors("roles", false),
        once: f.flag("once").is_some_and(Spanned::into_inner),
    };
    f.finish(OUTCOME_KEYS);
    outcome
}
