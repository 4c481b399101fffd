//! A bad definition is refused with every problem, each naming the line an administrator must
//! fix (issue 4, "Bad input").

mod process_support;

use onewindow_domain::process::ProcessDefinition;
use process_support::{BASE, assert_refused_on, base_with, decision_with, line_of, refused};

#[test]
fn the_base_definition_is_valid_and_quiet() {
    let definition = ProcessDefinition::parse(BASE).expect("valid");
    assert!(definition.warnings().is_empty());
    assert_eq!(definition.start().id.as_str(), "acceptance");
}

#[test]
fn a_toml_syntax_error_is_refused_naming_its_line_and_column() {
    let text = base_with("name_en = \"Test item\"", "name_en = \"Test item");
    let problems = refused(&text);
    assert_eq!(problems[0].line, Some(4));
    assert!(problems[0].column.is_some());
    assert!(
        problems[0].message.starts_with("not valid TOML"),
        "{problems:?}"
    );
}

#[test]
fn a_missing_top_level_key_is_refused_without_a_line() {
    let text = base_with("code = \"PROC-TEST\"\n", "");
    let problems = refused(&text);
    assert_eq!(problems[0].line, None);
    assert!(problems[0].message.contains("has no `code`"));
}

#[test]
fn a_missing_step_key_is_refused_naming_the_step_s_id_line() {
    let text = base_with("roles = [\"signatory\"]\n", "");
    let id = line_of(&text, "id = \"decision\"", 0);
    assert_refused_on(&text, id, "step \"decision\" has no `roles`");
}

#[test]
fn an_unknown_key_is_refused_with_the_key_it_probably_meant() {
    let text = base_with("budget_days = 5\noutcomes", "budget = 5\noutcomes");
    assert_refused_on(
        &text,
        line_of(&text, "budget = 5", 0),
        "did you mean `budget_days`?",
    );
}

#[test]
fn a_value_of_the_wrong_type_is_refused_naming_its_line() {
    let text = base_with(
        "budget_days = 5\noutcomes",
        "budget_days = \"five\"\noutcomes",
    );
    let line = line_of(&text, "\"five\"", 0);
    assert_refused_on(
        &text,
        line,
        "`budget_days` must be a whole number, not string",
    );
}

#[test]
fn a_duplicate_step_id_is_refused_naming_both_lines() {
    let text = base_with("id = \"decision\"", "id = \"acceptance\"");
    let second = line_of(&text, "id = \"acceptance\"", 1);
    assert_refused_on(&text, second, "used twice (first on line 9)");
}

#[test]
fn an_outcome_leading_nowhere_is_refused_naming_its_line() {
    let text = base_with("next = \"decision\"", "next = \"decisoin\"");
    let line = line_of(&text, "decisoin", 0);
    assert_refused_on(&text, line, "`next = \"decisoin\"` names no step");
}

#[test]
fn an_unknown_role_is_refused_listing_the_roles() {
    let text = base_with("[\"signatory\"]", "[\"signatory\", \"janitor\"]");
    let line = line_of(&text, "janitor", 0);
    assert_refused_on(
        &text,
        line,
        "unknown role \"janitor\"; expected one of \"applicant\"",
    );
}

#[test]
fn an_unknown_step_kind_is_refused() {
    let text = base_with("kind = \"decision\"", "kind = \"verdict\"");
    assert_refused_on(
        &text,
        line_of(&text, "verdict", 0),
        "unknown kind \"verdict\"",
    );
}

#[test]
fn an_unknown_pause_reason_is_refused_naming_its_line() {
    let text = decision_with("budget_days = 5\npauses_clock = \"lunch\"\nexpected_days = 3");
    let line = line_of(&text, "lunch", 0);
    assert_refused_on(
        &text,
        line,
        "unknown pause reason \"lunch\"; expected one of \"testing\"",
    );
}

#[test]
fn a_clock_pause_without_the_expected_time_is_refused_citing_article_45() {
    let text = decision_with("budget_days = 5\npauses_clock = \"testing\"");
    let line = line_of(&text, "pauses_clock", 0);
    assert_refused_on(&text, line, "art. 45");
}

#[test]
fn a_promise_longer_than_the_statutory_limit_is_refused() {
    let text = base_with("promised_limit_days = 10", "promised_limit_days = 25");
    assert_refused_on(&text, 6, "longer than `statutory_limit_days` (20)");
}

#[test]
fn an_on_site_step_with_fewer_than_two_verifiers_is_refused_citing_article_34() {
    let onsite = "kind = \"onsite\"\nmin_actors = 1\nname_zh = \"决定\"";
    let text = base_with("kind = \"decision\"\nname_zh = \"决定\"", onsite);
    assert_refused_on(&text, line_of(&text, "min_actors", 0), "(art. 34)");
}

#[test]
fn a_delegated_step_over_twenty_days_is_refused_citing_articles_35_and_43() {
    let text = decision_with("delegate_to_lower_org = true\nbudget_days = 21");
    let text = text.replace("statutory_limit_days = 20", "statutory_limit_days = 60");
    let text = text.replace("promised_limit_days = 10", "promised_limit_days = 40");
    assert_refused_on(
        &text,
        line_of(&text, "budget_days = 21", 0),
        "(arts. 35, 43)",
    );
}

#[test]
fn a_second_supplement_notice_is_refused_unless_marked_once() {
    let supplement = r#"
[[steps]]
id = "supplement"
kind = "supplement"
name_zh = "补正"
name_en = "Supplement"
roles = ["applicant"]
outcomes = [{ key = "supplemented", name_zh = "已补正", name_en = "Done", next = "acceptance" }]
"#;
    let notice = concat!(
        "  { key = \"notice\", name_zh = \"补正告知\", name_en = \"Notice\", ",
        "next = \"supplement\" },\n"
    );
    let text = base_with(
        "  { key = \"refuse\"",
        &format!("{notice}  {{ key = \"refuse\""),
    );
    let text = format!("{text}{supplement}");
    assert_refused_on(&text, line_of(&text, "key = \"notice\"", 0), "once = true");
    let once = text.replace(
        "next = \"supplement\" }",
        "next = \"supplement\", once = true }",
    );
    ProcessDefinition::parse(&once).expect("the marked notice is valid");
}

#[test]
fn a_start_naming_no_step_is_refused() {
    let text = base_with(
        "promised_limit_days = 10\n",
        "promised_limit_days = 10\nstart = \"intake\"\n",
    );
    assert_refused_on(&text, 7, "`start` names no step: \"intake\"");
}

#[test]
fn every_problem_is_listed_in_line_order_not_just_the_first() {
    let text = base_with("version = 1", "version = 0")
        .replacen("roles = [\"window_clerk\"]", "roles = [\"clerk\"]", 1)
        .replacen("next = \"denied\"", "next = \"rejected\"", 1);
    let problems = refused(&text);
    let lines: Vec<Option<usize>> = problems.iter().map(|p| p.line).collect();
    let expected = [
        line_of(&text, "version = 0", 0),
        line_of(&text, "\"clerk\"", 0),
        line_of(&text, "rejected", 0),
    ];
    assert_eq!(lines, expected.map(Some), "{problems:#?}");
}

#[test]
fn a_step_running_beside_another_cannot_be_entered_by_an_outcome() {
    let onsite = r#"
[[steps]]
id = "onsite"
kind = "onsite"
name_zh = "核查"
name_en = "On site"
roles = ["inspector"]
budget_days = 5
outcomes = [{ key = "pass", name_zh = "合格", name_en = "Pass", next = "decision" }]
"#;
    let text = format!(
        "{}{onsite}",
        decision_with("budget_days = 5\nparallel_with = [\"onsite\"]").replacen(
            "next = \"decision\"",
            "next = \"onsite\"",
            1
        )
    );
    assert_refused_on(
        &text,
        line_of(&text, "next = \"onsite\"", 0),
        "starts only with it",
    );
}

#[test]
fn budgets_past_the_statutory_limit_are_a_warning_not_a_refusal() {
    let text = decision_with("budget_days = 25");
    let definition = ProcessDefinition::parse(&text).expect("only a warning");
    let warnings = definition.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].line, Some(5));
    assert!(
        warnings[0]
            .message
            .contains("25 working days (decision 25), past the statutory limit of 20")
    );
}

#[test]
fn budgets_past_the_promise_are_a_warning_on_the_promise() {
    let text = decision_with("budget_days = 12");
    let definition = ProcessDefinition::parse(&text).expect("only a warning");
    assert_eq!(definition.warnings()[0].line, Some(6));
    assert!(
        definition.warnings()[0]
            .message
            .contains("promised limit of 10")
    );
}

#[test]
fn an_issuance_budget_past_article_44_s_ten_days_is_a_warning() {
    let issuance = r#"
[[steps]]
id = "certificate"
kind = "issuance"
name_zh = "发证"
name_en = "Certificate"
roles = ["window_clerk"]
budget_days = 12
outcomes = [{ key = "issue", name_zh = "发证", name_en = "Issue", next = "issued" }]
"#;
    let text = format!(
        "{}{issuance}",
        BASE.replacen("next = \"granted\"", "next = \"certificate\"", 1)
    );
    let definition = ProcessDefinition::parse(&text).expect("only a warning");
    let warnings = definition.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(
        warnings[0].line,
        Some(line_of(&text, "budget_days = 12", 0))
    );
    assert!(warnings[0].message.contains("art. 44"));
}

#[test]
fn an_unknown_key_in_an_outcome_is_refused_naming_its_line() {
    let text = base_with("next = \"denied\" }", "next = \"denied\", reason = \"x\" }");
    let line = line_of(&text, "reason = ", 0);
    assert_refused_on(
        &text,
        line,
        "outcome \"deny\" of step \"decision\": unknown key `reason`",
    );
}
