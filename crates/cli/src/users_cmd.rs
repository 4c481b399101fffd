//! `onewindow users add`: creates a staff account from the command line — how an installation
//! gets its first administrator. The password comes from `ONEWINDOW_NEW_PASSWORD` (so it stays
//! out of the shell history) or, when that is unset, is generated and printed once.

use std::process::ExitCode;

use clap::Subcommand;
use onewindow_app::AppError;
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::{OrgCode, Vocabulary};

use crate::config::Config;

/// The variable a new account's password may be given in.
const PASSWORD_ENV: &str = "ONEWINDOW_NEW_PASSWORD";

#[derive(Subcommand)]
pub enum UsersAction {
    /// Create a staff account (e.g. the first administrator).
    Add {
        /// The role: administrator, window_clerk, reviewer, inspector, signatory, head or
        /// institute_staff.
        #[arg(long)]
        role: String,
        /// The org the account acts for, e.g. 210200.
        #[arg(long)]
        org: String,
        /// The name shown on pages (default: the user name).
        #[arg(long)]
        display_name: Option<String>,
        /// The sign-in name: 3–32 of a–z, 0–9, '.', '_', '-', starting with a letter.
        username: String,
    },
}

pub async fn run(config: &Config, action: &UsersAction) -> Result<ExitCode, String> {
    let UsersAction::Add {
        role,
        org,
        display_name,
        username,
    } = action;
    let role = Role::parse_key(role).ok_or_else(|| {
        let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
        format!(
            "--role {role} is not a role: use one of {}",
            keys.join(", ")
        )
    })?;
    let org = OrgCode::parse(org).map_err(|e| format!("--org: {e}"))?;
    let name = Username::parse(username)?;
    let app = crate::open_app(config).await?;
    let given = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty());
    let password = given
        .clone()
        .unwrap_or_else(|| hex_password(app.random.bytes32()));
    let display = display_name.clone().unwrap_or_else(|| username.clone());
    match app
        .create_user(name, &display, &password, role, org.clone())
        .await
    {
        Ok(_) => {
            println!("created {username}: {} in {org}", role.key());
            if given.is_none() {
                println!("password (shown once, keep it safe): {password}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::Store(onewindow_store::StoreError::Duplicate(what))) => {
            Err(format!("{what} already exists; choose another user name"))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// 20 hex characters of randomness: a password to type once and replace.
fn hex_password(bytes: [u8; 32]) -> String {
    bytes[..10].iter().map(|b| format!("{b:02x}")).collect()
}
