//! `onewindow audit verify`: checks every case's hash-chained log and names, per damaged case,
//! the first event that does not match. Exit status 0: all sound; 1: damage found.

use std::io::{IsTerminal, Write};
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
    let terminal = std::io::stderr().is_terminal();
    let mut progress = Progress {
        terminal,
        logged: 0,
    };
    let report = app
        .audit_verify(|checked| {
            if let Some(line) = progress.line(checked) {
                eprint!("{line}");
                let _ = std::io::stderr().flush();
            }
        })
        .await
        .map_err(|e| e.to_string())?;
    if terminal {
        eprintln!();
    }
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

/// Cases between two progress lines when stderr is not a terminal (a log, a cron mail).
const LOGGED_EVERY: u64 = 100_000;

/// The progress shown on stderr: on a terminal the count rewritten in place; elsewhere a line
/// of its own each time the count passes a multiple of [`LOGGED_EVERY`], instead of one
/// endless line.
struct Progress {
    terminal: bool,
    /// The count of the last line logged.
    logged: u64,
}

impl Progress {
    fn line(&mut self, checked: u64) -> Option<String> {
        if self.terminal {
            return Some(format!("\rchecked {checked} cases"));
        }
        if checked / LOGGED_EVERY <= self.logged / LOGGED_EVERY {
            return None;
        }
        self.logged = checked;
        Some(format!("checked {checked} cases\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_rewrites_a_terminal_line_and_logs_a_line_now_and_then_elsewhere() {
        let mut terminal = Progress {
            terminal: true,
            logged: 0,
        };
        assert_eq!(terminal.line(500).as_deref(), Some("\rchecked 500 cases"));
        let mut log = Progress {
            terminal: false,
            logged: 0,
        };
        let lines: Vec<String> = [500, 99_999, 100_499, 150_000, 200_000, 350_000]
            .into_iter()
            .filter_map(|checked| log.line(checked))
            .collect();
        assert_eq!(
            lines,
            [
                "checked 100499 cases\n",
                "checked 200000 cases\n",
                "checked 350000 cases\n"
            ],
            "a line each time a hundred thousand is passed"
        );
    }
}
