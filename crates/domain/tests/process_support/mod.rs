//! A small valid definition for the process tests to break one thing at a time, and helpers
//! that say where a problem must be reported.

#![allow(dead_code)]

use onewindow_domain::process::{DefinitionProblem, ProcessDefinition};

/// Acceptance then decision, nothing else: valid, no warnings.
pub const BASE: &str = r#"code = "PROC-TEST"
version = 1
name_zh = "测试事项"
name_en = "Test item"
statutory_limit_days = 20
promised_limit_days = 10

[[steps]]
id = "acceptance"
kind = "acceptance"
name_zh = "受理"
name_en = "Acceptance"
roles = ["window_clerk"]
budget_days = 5
outcomes = [
  { key = "accept", name_zh = "受理", name_en = "Accept", next = "decision" },
  { key = "refuse", name_zh = "不予受理", name_en = "Refuse", next = "refused" },
]

[[steps]]
id = "decision"
kind = "decision"
name_zh = "决定"
name_en = "Decision"
roles = ["signatory"]
budget_days = 5
outcomes = [
  { key = "grant", name_zh = "准予", name_en = "Grant", next = "granted" },
  { key = "deny", name_zh = "不予", name_en = "Deny", next = "denied" },
]
"#;

/// `BASE` with `from` replaced by `to` (which must occur).
pub fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base has {from:?}");
    BASE.replacen(from, to, 1)
}

/// The 1-based line of the first line of `text` containing `needle` after `skip` such lines.
pub fn line_of(text: &str, needle: &str, skip: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .nth(skip)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} is in the text"))
}

/// The problems of a definition that must be refused.
pub fn refused(text: &str) -> Vec<DefinitionProblem> {
    match ProcessDefinition::parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(problems) => problems,
    }
}

/// Asserts that `text` is refused with a problem on `line` whose message contains `says`.
pub fn assert_refused_on(text: &str, line: usize, says: &str) {
    let problems = refused(text);
    assert!(
        problems
            .iter()
            .any(|p| p.line == Some(line) && p.message.contains(says)),
        "expected a problem on line {line} saying {says:?}, got {problems:#?}"
    );
}

/// `BASE` with the decision step's `budget_days = 5` line replaced by `lines`.
pub fn decision_with(lines: &str) -> String {
    const GRANT: &str = "outcomes = [\n  { key = \"grant\"";
    base_with(
        &format!("budget_days = 5\n{GRANT}"),
        &format!("{lines}\n{GRANT}"),
    )
}
