//! `onewindow licence-policy …`: the operator prints the licence policy in force (validity,
//! numbering, renewal lead, and the optional electronic licence identifier of RULES.md §8) or
//! replaces it from a JSON file. A file that could not date or number a licence, or make an
//! identifier, is refused whole, naming the field; nothing is changed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use onewindow_domain::licences::LicencePolicy;

use crate::config::Config;

#[derive(Subcommand)]
pub enum LicencePolicyAction {
    /// Print the policy in force as JSON (the default one when none was saved).
    Show,
    /// Replace the policy with a JSON file shaped as `show` prints it. For electronic licence
    /// identifiers set `electronic_issuer` (the issuing organ's credit code) and a type's
    /// `electronic_type_code`.
    Set { file: PathBuf },
}

pub async fn run(config: &Config, action: &LicencePolicyAction) -> Result<ExitCode, String> {
    let app = crate::open_app(config).await?;
    match action {
        LicencePolicyAction::Show => {
            let policy = app.licence_policy().await.map_err(|e| e.to_string())?;
            let json = serde_json::to_string_pretty(&policy).map_err(|e| e.to_string())?;
            println!("{json}");
        }
        LicencePolicyAction::Set { file } => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            // serde names the line and column, and a bad credit code says which position.
            let policy: LicencePolicy = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a licence policy: {e}", file.display()))?;
            if let Err(e) = app.set_licence_policy_from_command_line(&policy).await {
                eprintln!("{}: not saved; nothing was changed: {e}", file.display());
                return Ok(ExitCode::from(2));
            }
            println!("licence policy replaced from {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
