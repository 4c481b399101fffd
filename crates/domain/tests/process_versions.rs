//! Definitions are versioned: a new version must be numbered above the latest, and the older
//! versions stay for the cases that started under them (issue 4).

mod process_support;

use onewindow_domain::process::{DefinitionKey, DefinitionSet, ProcessDefinition, VersionError};
use process_support::decision_with;

fn version(n: u32, decision_budget: u32) -> ProcessDefinition {
    let text = decision_with(&format!("budget_days = {decision_budget}")).replacen(
        "version = 1",
        &format!("version = {n}"),
        1,
    );
    ProcessDefinition::parse(&text).expect("valid")
}

#[test]
fn a_new_version_becomes_the_latest_and_the_old_one_stays_retrievable() {
    let mut set = DefinitionSet::new();
    set.add(version(1, 5)).unwrap();
    set.add(version(2, 3)).unwrap();
    assert_eq!(set.latest("PROC-TEST").unwrap().version(), 2);
    let old = set
        .get("PROC-TEST", 1)
        .expect("a running case keeps version 1");
    assert_eq!(old.step("decision").unwrap().budget_days, Some(5));
    let new = set.get("PROC-TEST", 2).unwrap();
    assert_eq!(new.step("decision").unwrap().budget_days, Some(3));
    let versions: Vec<u32> = set.versions("PROC-TEST").map(|d| d.version()).collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(set.get_key(old.key()), Some(old));
}

#[test]
fn a_version_not_above_the_latest_is_refused_and_changes_nothing() {
    let mut set = DefinitionSet::new();
    set.add(version(1, 5)).unwrap();
    set.add(version(3, 4)).unwrap();
    for refused in [2, 3] {
        let error = set.add(version(refused, 1)).unwrap_err();
        let VersionError::NotNewer { key, latest } = &error;
        assert_eq!((key.version, *latest), (refused, 3));
        assert!(
            error
                .to_string()
                .contains("version 3 is already the latest")
        );
    }
    assert_eq!(
        set.get("PROC-TEST", 3)
            .unwrap()
            .step("decision")
            .unwrap()
            .budget_days,
        Some(4)
    );
    assert_eq!(set.get("PROC-TEST", 2), None);
}

#[test]
fn unknown_codes_and_versions_are_absent() {
    let set = DefinitionSet::shipped();
    assert!(set.latest("PROC-NONE").is_none());
    assert!(set.get("PROC-XK-ONSITE-FIRST", 2).is_none());
    let key = set.latest("PROC-XK-ONSITE-FIRST").unwrap().key().clone();
    assert_eq!(key.to_string(), "PROC-XK-ONSITE-FIRST v1");
    assert_eq!(
        key,
        DefinitionKey {
            code: key.code.clone(),
            version: 1
        }
    );
}
