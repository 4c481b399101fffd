//! Reading one TOML table of a definition: typed values with their places, and a problem for
//! each key that is missing, mistyped, unknown (with the key it probably meant) or outside the
//! closed vocabularies. Knows TOML and the words of the format, not what a definition means.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::Issues;
use super::read::Span;
use super::vocab::{Actor, PAUSE_REASON_KEYS, pause_reason_from_key, quoted};
use crate::catalogue::Vocabulary;
use crate::clock::PauseReason;

/// Reads the keys of one table, recording what is missing, mistyped or unknown.
pub(super) struct Fields<'a, 'i> {
    pub table: &'a DeTable<'i>,
    /// The table's place; `None` for the document itself (a missing key has no line).
    pub at: Option<Span>,
    /// Who the table is, for messages: `step "review"`.
    pub what: String,
    pub issues: &'a mut Issues,
}

type Value<'a, 'i> = &'a Spanned<DeValue<'i>>;

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(
        table: &'a DeTable<'i>,
        at: Option<Span>,
        what: String,
        issues: &'a mut Issues,
    ) -> Self {
        Fields {
            table,
            at,
            what,
            issues,
        }
    }

    fn value(&mut self, key: &str, required: bool) -> Option<Value<'a, 'i>> {
        let found = self.table.get(key);
        if found.is_none() && required {
            let message = format!("{} has no `{key}`", self.what);
            match &self.at {
                Some(at) => self.issues.at(at, message),
                None => self.issues.whole(message),
            }
        }
        found
    }

    fn wrong(&mut self, key: &str, value: Value<'_, '_>, expected: &str) {
        let found = value.get_ref().type_str();
        let message = format!("{}: `{key}` must be {expected}, not {found}", self.what);
        self.issues.at(&value.span(), message);
    }

    pub fn text(&mut self, key: &str, required: bool) -> Option<Spanned<String>> {
        let value = self.value(key, required)?;
        match value.get_ref() {
            DeValue::String(text) if !text.trim().is_empty() => {
                Some(Spanned::new(value.span(), text.to_string()))
            }
            DeValue::String(_) => {
                let message = format!("{}: `{key}` is empty", self.what);
                self.issues.at(&value.span(), message);
                None
            }
            _ => {
                self.wrong(key, value, "a string");
                None
            }
        }
    }

    /// A required display name.
    pub fn name(&mut self, key: &str) -> Option<String> {
        self.text(key, true).map(Spanned::into_inner)
    }

    pub fn number(
        &mut self,
        key: &str,
        required: bool,
        min: u32,
        max: u32,
    ) -> Option<Spanned<u32>> {
        let value = self.value(key, required)?;
        let DeValue::Integer(integer) = value.get_ref() else {
            self.wrong(key, value, "a whole number");
            return None;
        };
        let parsed = i64::from_str_radix(integer.as_str(), integer.radix()).ok();
        match parsed.and_then(|n| u32::try_from(n).ok()) {
            Some(n) if (min..=max).contains(&n) => Some(Spanned::new(value.span(), n)),
            _ => {
                let message = format!(
                    "{}: `{key}` must be from {min} to {max}, not {integer}",
                    self.what
                );
                self.issues.at(&value.span(), message);
                None
            }
        }
    }

    pub fn flag(&mut self, key: &str) -> Option<Spanned<bool>> {
        let value = self.value(key, false)?;
        match value.get_ref() {
            DeValue::Boolean(flag) => Some(Spanned::new(value.span(), *flag)),
            _ => {
                self.wrong(key, value, "true or false");
                None
            }
        }
    }

    pub fn texts(&mut self, key: &str) -> Option<Vec<Spanned<String>>> {
        let value = self.value(key, false)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong(key, value, "a list of strings");
            return None;
        };
        let mut texts = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(text) => texts.push(Spanned::new(item.span(), text.to_string())),
                _ => self.wrong(key, item, "a string"),
            }
        }
        Some(texts)
    }

    pub fn word<V: Vocabulary>(&mut self, key: &str) -> Option<Spanned<V>> {
        let text = self.text(key, false)?;
        match V::parse_key(text.get_ref()) {
            Some(word) => Some(Spanned::new(text.span(), word)),
            None => {
                let message = format!(
                    "{}: unknown {key} \"{}\"; expected one of {}",
                    self.what,
                    text.get_ref(),
                    V::expected()
                );
                self.issues.at(&text.span(), message);
                None
            }
        }
    }

    pub fn pause_reason(&mut self, key: &str) -> Option<Spanned<PauseReason>> {
        let text = self.text(key, false)?;
        if let Some(reason) = pause_reason_from_key(text.get_ref()) {
            return Some(Spanned::new(text.span(), reason));
        }
        let message = format!(
            "{}: unknown pause reason \"{}\"; expected one of {}",
            self.what,
            text.get_ref(),
            quoted(PAUSE_REASON_KEYS)
        );
        self.issues.at(&text.span(), message);
        None
    }

    pub fn actors(&mut self, key: &str, required: bool) -> Option<Spanned<Vec<Actor>>> {
        let at = self.value(key, required)?.span();
        let texts = self.texts(key)?;
        if texts.is_empty() {
            let message = format!("{}: `{key}` needs at least one role", self.what);
            self.issues.at(&at, message);
        }
        let mut actors = Vec::new();
        for text in texts {
            match Actor::parse_key(text.get_ref()) {
                Some(actor) if !actors.contains(&actor) => actors.push(actor),
                Some(_) => {}
                None => {
                    let message = format!(
                        "{}: unknown role \"{}\"; expected one of {}",
                        self.what,
                        text.get_ref(),
                        Actor::expected()
                    );
                    self.issues.at(&text.span(), message);
                }
            }
        }
        Some(Spanned::new(at, actors))
    }

    /// The array of tables under `key` (`[[steps]]`, `[[steps.outcomes]]` or inline tables).
    pub fn tables(&mut self, key: &str, required: bool) -> Vec<(Span, &'a DeTable<'i>)> {
        let Some(value) = self.value(key, required) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong(key, value, &format!("a list of tables ([[{key}]])"));
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(table) => tables.push((item.span(), table)),
                _ => self.wrong(key, item, "a table"),
            }
        }
        tables
    }

    /// Records every key not in `known`, suggesting the nearest known one.
    pub fn finish(self, known: &[&str]) {
        for (key, _) in self.table.iter() {
            let key_text = key.get_ref().as_ref();
            if known.contains(&key_text) {
                continue;
            }
            let hint = nearest(key_text, known)
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            let message = format!(
                "{}: unknown key `{key_text}`{hint}; the keys are {}",
                self.what,
                known.join(", ")
            );
            self.issues.at(&key.span(), message);
        }
    }
}

/// The known key within two edits of `key`, or starting with it (`budget` → `budget_days`).
fn nearest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|candidate| {
            let prefix = key.len() >= 4 && candidate.starts_with(key);
            let distance = edit_distance(key, candidate);
            (if prefix { distance.min(2) } else { distance }, *candidate)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
