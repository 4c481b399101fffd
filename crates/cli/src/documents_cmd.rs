//! `onewindow keys …` (list and rotate the document signing keys) and `onewindow verify FILE.pdf`
//! (is this document authentic?). `verify` answers with its exit status: 0 authentic, 1 not
//! authentic, 2 could not be checked (the file cannot be read or is not a PDF, or the key ring
//! cannot be read). Without `--keys` it checks against the configured database's keys; with
//! `--keys keys.json` (the bureau's published `/.well-known/onewindow/keys.json`) it works
//! fully offline and opens no database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use onewindow_app::documents::{KeyRing, Verification, check_pdf};

use crate::config::Config;

#[derive(Subcommand)]
pub enum KeysAction {
    /// List every signing key: the current one and the retired ones kept for verification.
    List,
    /// Make a new key the one that signs from now on; the old one stays, verify-only.
    Rotate,
}

const UNREADABLE: u8 = 2;

pub async fn keys(config: &Config, action: &KeysAction) -> Result<ExitCode, String> {
    let app = crate::open_app(config).await?;
    match action {
        KeysAction::List => {
            app.prepare_signing_key().await.map_err(|e| e.to_string())?;
            let keys = app.signing_keys().await.map_err(|e| e.to_string())?;
            println!("{:<18} {:<22} status", "key id", "created");
            for k in keys {
                let status = match k.retired_at {
                    None => "current (signs new documents)".to_owned(),
                    Some(at) => format!("retired {} (verify only)", seconds(at)),
                };
                println!("{:<18} {:<22} {status}", k.key_id, seconds(k.created_at));
            }
        }
        KeysAction::Rotate => {
            let key = app
                .rotate_signing_key("command line")
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "new signing key {}; earlier keys are kept so their documents still verify.\n\
                 Offline verifiers should fetch {}/.well-known/onewindow/keys.json again.",
                key.key_id,
                app.public_url()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn seconds(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Checks `file`; prints the answer and returns the exit status.
pub async fn verify(config: &Config, file: &Path, keys: Option<&PathBuf>) -> ExitCode {
    let cannot = |message: String| {
        eprintln!("cannot check: {message}");
        ExitCode::from(UNREADABLE)
    };
    let pdf = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return cannot(format!("cannot read {}: {e}", file.display())),
    };
    if !pdf.starts_with(b"%PDF-") {
        return cannot(format!("{} is not a PDF file", file.display()));
    }
    let ring = match keys {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
            .and_then(|json| {
                KeyRing::from_json(&json).map_err(|e| format!("{}: {e}", path.display()))
            }),
        None => installation_ring(config).await,
    };
    let ring = match ring {
        Ok(ring) => ring,
        Err(message) => return cannot(message),
    };
    match check_pdf(&pdf, &ring) {
        Verification::Authentic(facts) => {
            println!("AUTHENTIC: {} {}", facts.title, facts.number);
            let mut rows = vec![
                ("type", format!("{} ({})", facts.title, facts.kind.slug())),
                ("number", facts.number.clone()),
                (
                    "holder",
                    format!("{} ({})", facts.holder_name, facts.holder_credit_code),
                ),
                ("issued on", facts.issued_on.to_string()),
            ];
            if let Some(until) = facts.valid_until {
                rows.push(("valid until", until.to_string()));
            }
            if let Some(data) = &facts.data {
                rows.push(("authority", data.bureau.clone()));
                if !data.case_number.is_empty() {
                    rows.push(("case", data.case_number.clone()));
                }
            }
            rows.push(("signing key", facts.key_id.clone()));
            for (label, value) in rows {
                println!("  {label:<12} {value}");
            }
            ExitCode::SUCCESS
        }
        Verification::NotAuthentic(why) => {
            println!("NOT AUTHENTIC: {}", why.detail);
            ExitCode::FAILURE
        }
    }
}

/// Every key the configured installation ever used. A SQLite database that does not exist is
/// not created: there is nothing to check against, so say how to verify offline.
async fn installation_ring(config: &Config) -> Result<KeyRing, String> {
    let db = config.data_dir.join("onewindow.db");
    let default_sqlite = config.database_url == format!("sqlite://{}", db.display());
    if default_sqlite && !db.exists() {
        return Err(format!(
            "no onewindow database at {}; pass --db, or --keys keys.json (the bureau's published keys) to verify offline",
            db.display()
        ));
    }
    let app = crate::open_app(config).await?;
    app.key_ring().await.map_err(|e| e.to_string())
}

#[derive(clap::Subcommand)]
pub enum DocumentsAction {
    /// Render every licence's certificate again with the current templates, with a progress
    /// bar. Resumable: run it again after an interruption and it carries on.
    Render {
        /// The licence certificates (original and copy) in the register.
        #[arg(long, required = true)]
        licences: bool,
    },
}

pub async fn documents(config: &Config, action: &DocumentsAction) -> Result<ExitCode, String> {
    let DocumentsAction::Render { .. } = action;
    let app = crate::open_app(config).await?;
    app.check_document_fonts()
        .await
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let report = app
        .rerender_licences(|done, total| {
            let total = total.max(done);
            let width = 30;
            let filled = (done * width / total.max(1)) as usize;
            eprint!(
                "\r[{}{}] {done}/{total} licences",
                "#".repeat(filled),
                " ".repeat(width as usize - filled.min(width as usize))
            );
            let _ = std::io::Write::flush(&mut std::io::stderr());
        })
        .await
        .map_err(|e| format!("\nrendering stopped: {e}; run the command again to carry on"))?;
    eprintln!();
    println!(
        "{} licences: {} certificates rendered, {} already rendered by an earlier run, in {:.1} s",
        report.licences,
        report.rendered,
        report.already,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
