//! Nothing acknowledged is lost (issue 6): `onewindow bench --kill-test` drives cases through
//! the industrial licence journey over HTTP against the real binary on SQLite, SIGKILLs the
//! server ten times at random moments (after a random number of acknowledged transitions),
//! starts it again on the same data folder each time, and checks after every restart that each
//! transition the clients saw acknowledged is stored (the case's version at least the
//! acknowledged one, its event in the timeline), that no case is half-written (version = number
//! of events), that interrupted cases carry on — a submission whose answer was lost is sent
//! again with its idempotency key and makes no second case — and finally that every case
//! finished and `onewindow audit verify` passes. The bench stops its server and removes its
//! folder however it ends; the server dies with it if the test is killed (PR_SET_PDEATHSIG).
#![cfg(feature = "bench")]

use std::process::Command;

use serde_json::Value;

#[test]
fn no_transition_acknowledged_before_a_sigkill_is_lost_and_every_case_finishes() {
    // Run where no onewindow.toml can be picked up.
    let cwd = tempfile::tempdir().expect("a temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .current_dir(cwd.path())
        .args([
            "bench",
            "--kill-test",
            "--kills",
            "10",
            "--cases",
            "40",
            "--concurrency",
            "4",
            "--enterprises",
            "4",
            "--json",
        ])
        .env_remove("ONEWINDOW_CONFIG")
        .env_remove("ONEWINDOW_DB")
        .env_remove("ONEWINDOW_DATA_DIR")
        .output()
        .expect("run onewindow bench --kill-test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {stdout}\n{stderr}"));
    assert_eq!(report["violations"], Value::Array(Vec::new()), "{report:#}");
    assert!(out.status.success(), "{report:#}\n{stderr}");
    assert_eq!(report["kills"], 10);
    assert_eq!(report["audit_verify"], "passed");
    assert_eq!(report["cases_checked"], 40, "every case was checked");
    let rounds = report["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 11, "ten killed rounds and the last");
    for (n, round) in rounds.iter().enumerate().take(10) {
        assert!(
            round["acknowledged"].as_u64().unwrap_or(0) >= 1,
            "round {n} was killed after at least one acknowledgement: {report:#}"
        );
    }
    // 40 cases × 7 transitions, the four denied ones 6: those whose answer a kill lost are
    // stored without an acknowledgement.
    let acknowledged = report["acknowledged_transitions"].as_u64().unwrap_or(0);
    assert!(
        (200..=276).contains(&acknowledged),
        "acknowledged {acknowledged}: {report:#}"
    );
}
