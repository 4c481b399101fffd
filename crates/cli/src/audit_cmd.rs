//! `onewindow audit verify`: checks every case's hash-chained log and names, per damaged case,
//! the first event that does not match. Exit status 0: all sound; 1: damage found.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand)]
pub enum AuditAction {
    /// Verify every case's event chain (and that each case row's version is its last event).
    Verify,
}

pub async fn run(config: &Config, action: &AuditAction) -> Result<ExitCode, String> {
    let AuditAction::Verify = action;
    let app = crate::open_app(config).await?;
    let report = app
        .audit_verify(|checked| {
            eprint!("\rchecked {checked} cases");
            let _ = std::io::stderr().flush();
        })
        .await
        .map_err(|e| e.to_string())?;
    eprintln!();
    for fault in &report.faults {
        match fault.seq {
            Some(seq) => println!("case {}: event {seq}: {}", fault.case_number, fault.reason),
            None => println!("case {}: {}", fault.case_number, fault.reason),
        }
    }
    println!(
        "{} cases, {} events checked: {}",
        report.cases,
        report.events,
        match report.faults.len() {
            0 => "every chain verifies".to_owned(),
            n => format!("{n} case(s) do not verify"),
        }
    );
    Ok(match report.faults.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}
