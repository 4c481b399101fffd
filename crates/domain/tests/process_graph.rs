//! Every case must be able to finish: a step the start cannot reach, a loop without exit and a
//! process with no way to any end are refused, naming the line of the step concerned.

mod process_support;

use onewindow_domain::process::ProcessDefinition;
use process_support::{BASE, assert_refused_on, line_of, refused};

/// A step appended to the base definition.
fn step(id: &str, outcomes: &[(&str, &str)]) -> String {
    let outcomes: Vec<String> = outcomes
        .iter()
        .map(|(key, next)| {
            format!(
                "  {{ key = \"{key}\", name_zh = \"甲\", name_en = \"A\", next = \"{next}\" }},"
            )
        })
        .collect();
    format!(
        "\n[[steps]]\nid = \"{id}\"\nname_zh = \"乙\"\nname_en = \"B\"\nroles = [\"reviewer\"]\n\
         budget_days = 1\noutcomes = [\n{}\n]\n",
        outcomes.join("\n")
    )
}

#[test]
fn a_step_no_outcome_leads_to_is_refused_naming_its_line() {
    let text = format!("{BASE}{}", step("orphan", &[("done", "granted")]));
    assert_refused_on(
        &text,
        line_of(&text, "id = \"orphan\"", 0),
        "step \"orphan\" can never be reached",
    );
}

#[test]
fn a_loop_without_exit_is_refused_naming_each_step_caught_in_it() {
    let base = BASE.replacen("next = \"refused\"", "next = \"check_a\"", 1);
    let text = format!(
        "{base}{}{}",
        step("check_a", &[("again", "check_b")]),
        step("check_b", &[("again", "check_a")])
    );
    let problems = refused(&text);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    for (problem, id) in problems.iter().zip(["check_a", "check_b"]) {
        assert_eq!(
            problem.line,
            Some(line_of(&text, &format!("id = \"{id}\""), 0))
        );
        assert!(
            problem.message.starts_with("a loop without exit"),
            "{problem}"
        );
        assert!(
            problem
                .message
                .contains("step \"check_a\", step \"check_b\"")
        );
    }
}

#[test]
fn a_loop_with_an_exit_is_accepted() {
    let base = BASE.replacen("next = \"refused\"", "next = \"check_a\"", 1);
    let text = format!(
        "{base}{}{}",
        step("check_a", &[("again", "check_b")]),
        step(
            "check_b",
            &[("again", "check_a"), ("give_up", "terminated")]
        )
    );
    ProcessDefinition::parse(&text).expect("the loop can be left");
}

#[test]
fn a_process_with_no_path_to_any_end_is_refused_at_its_start() {
    let text = BASE
        .replacen("next = \"refused\"", "next = \"acceptance\"", 1)
        .replacen("next = \"granted\"", "next = \"acceptance\"", 1)
        .replacen("next = \"denied\"", "next = \"decision\"", 1);
    let problems = refused(&text);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_refused_on(
        &text,
        line_of(&text, "id = \"acceptance\"", 0),
        "no path from the start, step \"acceptance\", reaches an end",
    );
}

#[test]
fn a_step_without_outcomes_is_refused_as_a_dead_end() {
    let text = format!("{BASE}{}", step("stuck", &[])).replacen(
        "next = \"refused\"",
        "next = \"stuck\"",
        1,
    );
    assert_refused_on(
        &text,
        line_of(&text, "id = \"stuck\"", 0),
        "has no outcomes",
    );
}

#[test]
fn an_explicit_start_makes_the_steps_before_it_in_the_text_reachable_only_through_it() {
    let text = BASE.replacen(
        "promised_limit_days = 10\n",
        "promised_limit_days = 10\nstart = \"decision\"\n",
        1,
    );
    assert_refused_on(
        &text,
        line_of(&text, "id = \"acceptance\"", 0),
        "step \"acceptance\" can never be reached",
    );
}
