//! What is wrong with a definition, and where: a problem names the line (and column) of the
//! text an administrator wrote, so the edit page and the upload answer can point at it. Owns the
//! byte-offset → line arithmetic; knows nothing about what makes a definition valid.

use std::fmt;
use std::ops::Range;

/// One problem (or warning) with a definition's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionProblem {
    /// 1-based line of the text the problem is about; `None` when it is about the whole
    /// definition (a top-level key that is missing).
    pub line: Option<usize>,
    /// 1-based column, counted in characters (names are Chinese), when `line` is known.
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for DefinitionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: "),
            (Some(line), None) => write!(f, "line {line}: "),
            _ => Ok(()),
        }?;
        f.write_str(&self.message)
    }
}

/// A problem found while reading or checking, still located by byte offsets.
#[derive(Debug, Clone)]
pub(super) struct Issue {
    pub at: Option<Range<usize>>,
    pub message: String,
}

/// The problems of one definition, in the order they were found.
#[derive(Debug, Default)]
pub(super) struct Issues(pub Vec<Issue>);

impl Issues {
    /// A problem at a place in the text.
    pub fn at(&mut self, at: &Range<usize>, message: impl Into<String>) {
        self.0.push(Issue {
            at: Some(at.clone()),
            message: message.into(),
        });
    }

    /// A problem with the definition as a whole.
    pub fn whole(&mut self, message: impl Into<String>) {
        self.0.push(Issue {
            at: None,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems with lines and columns, whole-definition ones first, then by position;
    /// problems found at the same place keep the order they were found in.
    pub fn located(self, lines: &Lines<'_>) -> Vec<DefinitionProblem> {
        let mut issues = self.0;
        issues.sort_by_key(|issue| issue.at.as_ref().map(|at| at.start));
        issues
            .into_iter()
            .map(|issue| {
                let place = issue.at.map(|at| lines.locate(at.start));
                DefinitionProblem {
                    line: place.map(|(line, _)| line),
                    column: place.map(|(_, column)| column),
                    message: issue.message,
                }
            })
            .collect()
    }
}

/// Turns byte offsets of one text into 1-based lines and character columns.
pub(super) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The line and column of byte `offset` (clamped to the text).
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let index = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[index];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |before| before.chars().count() + 1);
        (index + 1, column)
    }

    /// The line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.locate(offset).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters_not_bytes() {
        let lines = Lines::new("a = 1\nname_zh = \"受理\" x\n");
        assert_eq!(lines.locate(0), (1, 1));
        assert_eq!(lines.locate(6), (2, 1));
        let x = "a = 1\nname_zh = \"受理\" ".len();
        assert_eq!(lines.locate(x), (2, 16));
        assert_eq!(lines.locate(10_000), (3, 1));
    }
}
