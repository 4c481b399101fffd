//! The flat shape every catalogue record takes at the edge: named text fields and list fields
//! (one entry per line, parts per entry). Files, admin forms and the API all fill a
//! [`RecordSource`]; each record type parses one and writes itself back as [`FieldValue`]s in the
//! order of its [`FieldSpec`]s, so import and export can never disagree about a column.

use std::fmt::Display;
use std::str::FromStr;

use super::{Problems, Vocabulary};

/// One field of a record type, as files and forms name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    /// A list field: one entry per line, parts separated by `|`.
    pub list: bool,
}

pub(crate) const fn text(name: &'static str) -> FieldSpec {
    FieldSpec { name, list: false }
}

pub(crate) const fn list(name: &'static str) -> FieldSpec {
    FieldSpec { name, list: true }
}

/// A field's value, ready to be written to a cell or a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    List(Vec<Vec<String>>),
}

/// Where a record's raw values come from (a spreadsheet row, a form, a JSON body).
pub trait RecordSource {
    /// The trimmed text of a field; `""` when absent.
    fn text(&self, field: &str) -> &str;
    /// The entries of a list field, each split into its parts.
    fn list(&self, field: &str) -> Vec<Vec<String>>;
}

/// Reading helpers that record a problem under the field's name instead of failing fast.
pub(crate) struct Reader<'a, S: RecordSource + ?Sized> {
    pub src: &'a S,
    pub problems: Problems,
}

impl<'a, S: RecordSource + ?Sized> Reader<'a, S> {
    pub fn new(src: &'a S) -> Self {
        Self {
            src,
            problems: Problems::default(),
        }
    }

    pub fn required(&mut self, field: &'static str) -> String {
        let value = self.src.text(field);
        if value.is_empty() {
            self.problems.push(field, "is required");
        }
        value.to_owned()
    }

    /// Parses a required field with `parse`, recording its error.
    pub fn parsed<T, E: Display>(
        &mut self,
        field: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let value = self.required(field);
        if value.is_empty() {
            return None;
        }
        self.problems.check(field, parse(&value))
    }

    /// Parses an optional field: `None` when empty.
    pub fn optional<T, E: Display>(
        &mut self,
        field: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let value = self.src.text(field);
        if value.is_empty() {
            return None;
        }
        self.problems.check(field, parse(value))
    }

    pub fn vocabulary<V: Vocabulary>(&mut self, field: &'static str) -> Option<V> {
        self.parsed(field, |s| {
            V::parse_key(s).ok_or_else(|| format!("\"{s}\" is not one of {}", V::expected()))
        })
    }

    /// A working-day count bounded by `max`.
    pub fn days(&mut self, field: &'static str, max: u32) -> Option<u32> {
        self.optional(field, |s| parse_bounded(s, max))
    }
}

/// A non-negative whole number no larger than `max`.
pub(crate) fn parse_bounded(text: &str, max: u32) -> Result<u32, String> {
    match u32::from_str(text) {
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("{text} is too large (at most {max})")),
        Err(_) => Err(format!("\"{text}\" is not a whole number")),
    }
}

pub(crate) use crate::dates::parse_date;

pub(crate) fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text {
        "yes" | "是" => Ok(true),
        "no" | "否" => Ok(false),
        _ => Err(format!("\"{text}\" must be \"yes\" or \"no\"")),
    }
}

pub(crate) fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// The i-th part of a list entry, or `""`.
pub(crate) fn part(entry: &[String], i: usize) -> &str {
    entry.get(i).map(|s| s.trim()).unwrap_or("")
}

/// Drops empty trailing parts so exported cells stay short (`a|b` rather than `a|b||`).
pub(crate) fn entry(parts: Vec<String>) -> Vec<String> {
    let mut parts = parts;
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

pub(crate) fn opt_text<T: ToString>(value: &Option<T>) -> FieldValue {
    FieldValue::Text(value.as_ref().map(T::to_string).unwrap_or_default())
}

/// A record assembled in code (forms, tests, fixtures): text fields and list fields by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    texts: std::collections::HashMap<String, String>,
    lists: std::collections::HashMap<String, Vec<Vec<String>>>,
}

impl FieldMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a text field (trimmed, as every edge trims).
    pub fn with(mut self, field: &str, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }

    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        self.texts
            .insert(field.to_owned(), value.into().trim().to_owned());
    }

    /// Sets a list field from entries whose parts are already split.
    pub fn set_list(&mut self, field: &str, entries: Vec<Vec<String>>) {
        self.lists.insert(field.to_owned(), entries);
    }

    /// Sets a list field from `a|b` lines (no escapes: for fixtures written in code).
    pub fn with_lines(mut self, field: &str, lines: &[&str]) -> Self {
        let entries = lines
            .iter()
            .map(|l| l.split('|').map(|p| p.trim().to_owned()).collect())
            .collect();
        self.set_list(field, entries);
        self
    }

    /// A map holding a record's fields, for editing or re-parsing.
    pub fn from_fields(specs: &[FieldSpec], values: Vec<FieldValue>) -> Self {
        let mut map = Self::new();
        for (spec, value) in specs.iter().zip(values) {
            match value {
                FieldValue::Text(t) => map.set(spec.name, t),
                FieldValue::List(l) => map.set_list(spec.name, l),
            }
        }
        map
    }
}

impl RecordSource for FieldMap {
    fn text(&self, field: &str) -> &str {
        self.texts.get(field).map(String::as_str).unwrap_or("")
    }

    fn list(&self, field: &str) -> Vec<Vec<String>> {
        self.lists.get(field).cloned().unwrap_or_default()
    }
}
