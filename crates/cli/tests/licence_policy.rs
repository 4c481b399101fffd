//! The real `onewindow` binary: `licence-policy set` takes electronic licence identifier
//! settings (RULES.md §8) and `show` prints them back; a type code an identifier cannot carry is
//! refused naming the field, with exit status 2 and the policy unchanged.

use std::path::Path;
use std::process::{Command, Output};

fn onewindow(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("ONEWINDOW_DB")
        .env_remove("ONEWINDOW_CONFIG")
        .output()
        .expect("run onewindow")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn identifier_settings_are_saved_and_a_bad_type_code_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shown = onewindow(dir.path(), &["licence-policy", "show"]);
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown.stderr));
    let mut policy: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert!(policy.get("electronic_issuer").is_none(), "{policy}");
    policy["electronic_issuer"] = "11430000006122244L".into();
    policy["industrial_product"]["electronic_type_code"] = "11100000000013338W011".into();
    let file = dir.path().join("policy.json");
    std::fs::write(&file, policy.to_string()).expect("write");
    let set = onewindow(
        dir.path(),
        &["licence-policy", "set", file.to_str().unwrap()],
    );
    assert_eq!(set.status.code(), Some(0), "{}", text(&set.stderr));
    let shown = onewindow(dir.path(), &["licence-policy", "show"]);
    let saved: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert_eq!(saved, policy);

    let mut bad = policy.clone();
    bad["special_equipment"]["electronic_type_code"] = "ts-01".into();
    std::fs::write(&file, bad.to_string()).expect("write");
    let refused = onewindow(
        dir.path(),
        &["licence-policy", "set", file.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(2));
    let message = text(&refused.stderr);
    assert!(
        message.contains("electronic_type_code of special_equipment") && message.contains("ts-01"),
        "{message}"
    );
    let shown = onewindow(dir.path(), &["licence-policy", "show"]);
    let kept: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert_eq!(kept, policy, "nothing was changed");
}
