//! `list_cell::split` and `list_cell::join` are inverse on everything `join` can express.

use onewindow_interchange::list_cell::{join, split, split_numbered};
use proptest::prelude::*;

fn part() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z0-9|\\\\《》行政许可第条 ]{0,8}")
        .expect("valid regex")
        .prop_map(|s| s.trim().to_owned())
}

fn entries() -> impl Strategy<Value = Vec<Vec<String>>> {
    let entry = proptest::collection::vec(part(), 1..5).prop_filter(
        "a blank entry is a blank line, which split skips",
        |parts| parts.len() > 1 || !parts[0].is_empty(),
    );
    proptest::collection::vec(entry, 0..5)
}

#[test]
fn join_then_split_gives_back_hand_picked_entries() {
    let cases: Vec<Vec<Vec<String>>> = vec![
        vec![],
        vec![vec!["《行政许可法》".into(), "第三十二条".into()]],
        vec![vec!["a|b".into()], vec!["c\\".into(), "\\|".into()]],
        vec![
            vec!["".into(), "".into()],
            vec!["x".into(), "".into(), "y".into()],
        ],
        vec![vec!["受理责任".into(), "依法受理或不予受理".into()]],
    ];
    for entries in cases {
        assert_eq!(split(&join(&entries)), entries, "via {:?}", join(&entries));
    }
}

#[test]
fn entries_keep_the_line_they_were_typed_on() {
    let lines: Vec<usize> = split_numbered("a|1\n\nb|2\n  \nc|3")
        .iter()
        .map(|e| e.line)
        .collect();
    assert_eq!(lines, [1, 3, 5]);
}

proptest! {
    #[test]
    fn split_undoes_join(entries in entries()) {
        prop_assert_eq!(split(&join(&entries)), entries);
    }

    #[test]
    fn joining_what_was_split_changes_nothing_more(cell in "[a-z|\\\\\n ]{0,16}") {
        let once = split(&cell);
        prop_assert_eq!(split(&join(&once)), once);
    }
}
