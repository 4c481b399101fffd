//! Templates are data: typst sources an administrator may edit.
//!
//! Owns the shipped sources (`templates/*.typ`), the set in use, and the check that
//! refuses a broken template when it is saved, naming the line and the reason. It must
//! not store templates (the app does) nor issue documents.

use std::collections::BTreeMap;
use std::fmt;

use crate::compile::{Compiler, Location};
use crate::fonts::Fonts;
use crate::keys::Signer;
use crate::kind::DocumentKind;
use crate::render::{RenderError, render_with};
use crate::sample::sample_data;

/// The shared layout every template imports (`#import "common.typ": *`).
pub const COMMON: &str = include_str!("../templates/common.typ");

/// The shipped template for each template name (see [`DocumentKind::template`]).
const BUILTIN: [(&str, &str); 11] = [
    ("acceptance", include_str!("../templates/acceptance.typ")),
    ("refusal", include_str!("../templates/refusal.typ")),
    (
        "supplement-notice",
        include_str!("../templates/supplement-notice.typ"),
    ),
    (
        "special-procedure-notice",
        include_str!("../templates/special-procedure-notice.typ"),
    ),
    (
        "extension-notice",
        include_str!("../templates/extension-notice.typ"),
    ),
    (
        "grant-decision",
        include_str!("../templates/grant-decision.typ"),
    ),
    (
        "denial-decision",
        include_str!("../templates/denial-decision.typ"),
    ),
    ("licence", include_str!("../templates/licence.typ")),
    (
        "change-notice",
        include_str!("../templates/change-notice.typ"),
    ),
    (
        "cancellation-notice",
        include_str!("../templates/cancellation-notice.typ"),
    ),
    (
        "renewal-reminder",
        include_str!("../templates/renewal-reminder.typ"),
    ),
];

/// One thing wrong with a template, placed in its source (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    /// The file: `{template}.typ`, or `common.typ`.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// What is wrong, from typst or from the completeness check.
    pub message: String,
}

impl TemplateProblem {
    pub(crate) fn general(file: &str, message: String) -> Self {
        Self::at(None, file, message)
    }

    pub(crate) fn at(location: Option<Location>, file: &str, message: String) -> Self {
        match location {
            Some(l) => Self {
                file: l.file,
                line: l.line,
                column: l.column,
                message,
            },
            None => Self {
                file: file.to_owned(),
                line: 0,
                column: 0,
                message,
            },
        }
    }
}

impl fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Checking a candidate template.
pub struct Template;

impl Template {
    /// The shipped source for `kind`.
    pub fn builtin(kind: DocumentKind) -> &'static str {
        BUILTIN
            .iter()
            .find(|(name, _)| *name == kind.template())
            .map(|(_, source)| *source)
            .expect("every kind has a shipped template")
    }

    /// Compiles `source` as the template of `kind` with sample data for every kind
    /// that shares it, all the way to PDF, and applies the completeness check. Errors
    /// and warnings are problems: a template is saved only when it has none.
    pub fn check(
        kind: DocumentKind,
        source: &str,
        fonts: &Fonts,
    ) -> Result<(), Vec<TemplateProblem>> {
        let name = kind.template();
        let compiler = Compiler::new(name, source, fonts);
        let signer = Signer::from_seed([0x5a; 32]);
        for shared in DocumentKind::ALL
            .into_iter()
            .filter(|k| k.template() == name)
        {
            let data = sample_data(shared);
            let file = format!("{name}.typ");
            match render_with(&compiler, &data, &signer, "https://example.invalid", true) {
                Ok(_) => {}
                Err(RenderError::Template(problems)) => return Err(problems),
                Err(other) => return Err(vec![TemplateProblem::general(&file, other.to_string())]),
            }
        }
        Ok(())
    }
}

/// The template in use for every template name; starts as the shipped set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSet {
    sources: BTreeMap<&'static str, String>,
}

impl Default for TemplateSet {
    fn default() -> Self {
        Self::builtin()
    }
}

impl TemplateSet {
    /// The shipped templates.
    pub fn builtin() -> Self {
        Self {
            sources: BUILTIN
                .iter()
                .map(|(name, source)| (*name, (*source).to_owned()))
                .collect(),
        }
    }

    /// The source used for `kind`.
    pub fn source(&self, kind: DocumentKind) -> &str {
        &self.sources[kind.template()]
    }

    /// Replaces the template of `kind` (and of the kinds sharing it) after
    /// [`Template::check`]; on problems the set is unchanged.
    pub fn replace(
        &mut self,
        kind: DocumentKind,
        source: &str,
        fonts: &Fonts,
    ) -> Result<(), Vec<TemplateProblem>> {
        Template::check(kind, source, fonts)?;
        self.sources.insert(kind.template(), source.to_owned());
        Ok(())
    }

    /// Puts in a source that passed [`Template::check`] when it was saved (the app keeps
    /// saved versions; checking again on every start would compile each one for nothing).
    /// Should it fail on some data after all, rendering returns the error and no bytes.
    pub fn use_saved(&mut self, kind: DocumentKind, source: &str) {
        self.sources.insert(kind.template(), source.to_owned());
    }

    /// Every template name with its source.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.sources
            .iter()
            .map(|(name, source)| (*name, source.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_shipped_template_that_imports_the_common_layout() {
        for kind in DocumentKind::ALL {
            let source = Template::builtin(kind);
            assert!(source.contains("#import \"common.typ\""), "{kind}");
            assert!(
                source.starts_with("//"),
                "{kind} should open with a comment"
            );
        }
        assert_eq!(TemplateSet::builtin().iter().count(), BUILTIN.len());
    }

    #[test]
    fn a_problem_reads_file_line_column_and_reason() {
        let p = TemplateProblem {
            file: "licence.typ".into(),
            line: 3,
            column: 7,
            message: "error: unknown variable: foo".into(),
        };
        assert_eq!(
            p.to_string(),
            "licence.typ:3:7: error: unknown variable: foo"
        );
    }
}
