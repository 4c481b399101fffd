//! `onewindow tokens create`: an API token for an account, made by the operator at the machine
//! (a testing institute's LIMS, a load generator). The token is printed once on stdout, alone,
//! so a script can capture it; only its SHA-256 is kept.

use std::process::ExitCode;

use clap::Subcommand;
use onewindow_app::AppError;

use crate::config::Config;

#[derive(Subcommand)]
pub enum TokensAction {
    /// Make an API token acting as USERNAME and print it once.
    Create {
        /// What will use the token, e.g. "institute LIMS" (shown in the administration).
        #[arg(long)]
        label: String,
        /// The account the token acts as (staff or enterprise user).
        username: String,
    },
}

pub async fn run(config: &Config, action: &TokensAction) -> Result<ExitCode, String> {
    let TokensAction::Create { label, username } = action;
    let app = crate::open_app(config).await?;
    match app
        .create_api_token_from_command_line(username, label)
        .await
    {
        Ok(issued) => {
            println!("{}", issued.token);
            eprintln!(
                "API token {} for {} ({}); shown once, keep it safe",
                issued.record.id.0, issued.record.username, issued.record.label
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::Invalid { problems, .. }) => Err(format!("no token was made: {problems}")),
        Err(e) => Err(e.to_string()),
    }
}
