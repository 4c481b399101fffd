//! Problems found while checking a catalogue record, named by field (and line, for list fields),
//! so every edge — a file row, a form, an API body — can say exactly what is wrong and where.

use std::fmt;

/// One thing wrong with one field of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's name as files and forms spell it (`category`, `history`).
    pub field: &'static str,
    /// For list fields: the 1-based line inside the field.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} (line {line}): {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Collects every problem of a record instead of stopping at the first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldProblem {
            field,
            line: None,
            message: message.into(),
        });
    }

    pub fn push_line(&mut self, field: &'static str, line: usize, message: impl Into<String>) {
        self.0.push(FieldProblem {
            field,
            line: Some(line),
            message: message.into(),
        });
    }

    /// Runs a parse and records its error under `field`, returning the value when it parsed.
    pub fn check<T, E: fmt::Display>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.push(field, e.to_string())).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}
