//! The demo bureau `serve --demo` starts with: the Liaoning provincial bureau, the Dalian city
//! bureau, its ten district/county bureaus and its institutes, a catalogue of the seed's powers
//! with their dated history (src/demo/catalogue.csv, imported through the same path as any
//! file), the licence register with a licence in every status (demo/licences.rs), and one
//! account per role. Demo data says so: the `demo` setting makes every page show
//! a banner.

mod licences;

use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::{OrgCode, Vocabulary};
use onewindow_store::PowerFilter;

use crate::{App, AppError};

/// The demo catalogue, in the catalogue file format.
pub const CATALOGUE_CSV: &str = include_str!("demo/catalogue.csv");

/// The setting that marks an installation as holding demo data.
pub const DEMO_SETTING: &str = "demo";

/// A demo account, printed at start-up so a newcomer can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub password: String,
    pub role: Role,
    pub org: &'static str,
}

/// One account per role, each in the org where that role works.
const ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "演示管理员", Role::Administrator, "210200"),
    ("clerk", "演示窗口受理员", Role::WindowClerk, "210200"),
    ("reviewer", "演示审查员", Role::Reviewer, "210200"),
    ("inspector", "演示核查员", Role::Inspector, "210200"),
    ("signatory", "演示签批人", Role::Signatory, "210200"),
    ("head", "演示局负责人", Role::Head, "210200"),
    (
        "institute",
        "演示质检院人员",
        Role::InstituteStaff,
        "210200-ZJY",
    ),
];

/// The demo password of an account: public, like the demo itself.
fn demo_password(username: &str) -> String {
    format!("{username}-demo-2026")
}

impl App {
    /// Whether this installation holds demo data.
    pub async fn is_demo(&self) -> Result<bool, AppError> {
        Ok(self.store.setting(DEMO_SETTING).await?.as_deref() == Some("true"))
    }

    /// Seeds the demo into an empty database; does nothing (and says so) if it holds a
    /// catalogue already. Returns the demo accounts.
    pub async fn seed_demo(&self) -> Result<Vec<DemoAccount>, AppError> {
        let accounts: Vec<DemoAccount> = ACCOUNTS
            .iter()
            .map(|&(username, _, role, org)| DemoAccount {
                username,
                password: demo_password(username),
                role,
                org,
            })
            .collect();
        if self.is_demo().await? {
            return Ok(accounts);
        }
        if !self.store.powers(&PowerFilter::default()).await?.is_empty() {
            return Err(AppError::Refused(
                "this database already holds a catalogue that is not the demo; use another --data-dir for the demo".into(),
            ));
        }
        self.import_catalogue("demo", Some("catalogue.csv"), CATALOGUE_CSV.as_bytes())
            .await?;
        self.seed_demo_licences().await?;
        for &(username, display_name, role, org) in ACCOUNTS {
            let name = Username::parse(username).map_err(AppError::Refused)?;
            let org = OrgCode::parse(org).map_err(|e| AppError::Refused(e.to_string()))?;
            self.create_user(name, display_name, &demo_password(username), role, org)
                .await?;
            tracing::info!(username, role = role.key(), "demo account created");
        }
        self.store.set_setting(DEMO_SETTING, "true").await?;
        Ok(accounts)
    }
}
