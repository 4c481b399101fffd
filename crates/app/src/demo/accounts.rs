//! The demo's people: one staff account per role at the Dalian bureau and its institute, an
//! inspector of the Ganjingzi district bureau for delegated work, and four Dalian manufacturers
//! of the seed's licensed products, each with one user. Credit codes are built with both check
//! characters from real division codes (data/liaoning_divisions.csv); the enterprises are made up.

use jiff::Timestamp;
use onewindow_domain::access::{Enterprise, EnterpriseDraft, Membership, Role, Username};
use onewindow_domain::catalogue::{OrgCode, Vocabulary};
use onewindow_domain::identifiers::CreditCode;
use onewindow_store::{AuditEntry, NewUser};

use crate::accounts::hash_password;
use crate::{App, AppError};

/// A demo account, printed at start-up so a newcomer can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub password: String,
    pub membership: Membership,
}

impl DemoAccount {
    /// `window_clerk (210200)` or `enterprise (91210211MA0Y4K7P3X)`, for the start-up list.
    pub fn describe(&self) -> String {
        match &self.membership {
            Membership::Staff { role, org } => format!("{} ({org})", role.key()),
            Membership::Enterprise { credit_code } => format!("enterprise ({credit_code})"),
        }
    }
}

/// Staff: user name, display name, role, org.
const STAFF: &[(&str, &str, Role, &str)] = &[
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
    // Delegated pre-review and on-site work in Ganjingzi (RULES.md §1, art. 35).
    (
        "district-inspector",
        "甘井子区局演示核查员",
        Role::Inspector,
        "210211",
    ),
];

/// Enterprises: the first 16 characters of the credit code (registration authority 9,
/// category 1 enterprise, the division code, an organisation-code body), name, production
/// address, contact, phone, and the user who signs in for it.
struct DemoEnterprise {
    stem: &'static str,
    name: &'static str,
    address: &'static str,
    contact_name: &'static str,
    contact_phone: &'static str,
    username: &'static str,
}

const ENTERPRISES: &[DemoEnterprise] = &[
    DemoEnterprise {
        stem: "91210211MA0Y4K7P",
        name: "大连海通阀门制造有限公司",
        address: "辽宁省大连市甘井子区营城子工业园区营城子路18号",
        contact_name: "王海涛",
        contact_phone: "0411-86601234",
        username: "enterprise",
    },
    DemoEnterprise {
        stem: "91210213MA0QJ5X2",
        name: "大连金泰耐火材料有限公司",
        address: "辽宁省大连市金州区登沙河街道临港工业区6号",
        contact_name: "李金泰",
        contact_phone: "0411-87602345",
        username: "enterprise2",
    },
    DemoEnterprise {
        stem: "91210281MA0U2R8B",
        name: "瓦房店华宇泵业有限公司",
        address: "辽宁省瓦房店市经济开发区华宇路9号",
        contact_name: "赵宇",
        contact_phone: "0411-85603456",
        username: "enterprise3",
    },
    DemoEnterprise {
        stem: "91210283MA0T6W1D",
        name: "庄河顺达木业有限公司",
        address: "辽宁省庄河市鞍子山乡工业集中区3号",
        contact_name: "孙顺达",
        contact_phone: "0411-89604567",
        username: "enterprise4",
    },
];

/// When the demo enterprises registered: 5 January 2026, 09:30 in China.
const REGISTERED_AT: &str = "2026-01-05T01:30:00Z";

/// The demo password of an account: public, like the demo itself.
fn demo_password(username: &str) -> String {
    format!("{username}-demo-2026")
}

fn demo_fault(e: impl std::fmt::Display) -> AppError {
    AppError::Refused(format!("the built-in demo data is wrong: {e}"))
}

fn enterprise(d: &DemoEnterprise) -> Result<Enterprise, AppError> {
    let code = CreditCode::complete(d.stem).map_err(demo_fault)?;
    let draft = EnterpriseDraft {
        credit_code: code.to_string(),
        name: d.name.into(),
        address: d.address.into(),
        contact_name: d.contact_name.into(),
        contact_phone: d.contact_phone.into(),
    };
    let at: Timestamp = REGISTERED_AT.parse().map_err(demo_fault)?;
    Enterprise::parse(&draft, at).map_err(demo_fault)
}

/// The demo enterprises, in the order their users are listed (`enterprise` first), for demo
/// cases to apply with.
pub fn demo_enterprises() -> Vec<Enterprise> {
    // The data above is fixed and checked by a test, so this cannot fail at run time.
    ENTERPRISES
        .iter()
        .filter_map(|d| enterprise(d).ok())
        .collect()
}

/// Every demo account, staff first.
pub(super) fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    let mut accounts = Vec::new();
    for &(username, _, role, org) in STAFF {
        let org = OrgCode::parse(org).map_err(demo_fault)?;
        accounts.push(DemoAccount {
            username,
            password: demo_password(username),
            membership: Membership::Staff { role, org },
        });
    }
    for d in ENTERPRISES {
        let credit_code = CreditCode::complete(d.stem).map_err(demo_fault)?;
        accounts.push(DemoAccount {
            username: d.username,
            password: demo_password(d.username),
            membership: Membership::Enterprise { credit_code },
        });
    }
    Ok(accounts)
}

impl App {
    /// Creates the demo accounts and enterprises that are missing (all of them on a fresh
    /// demo; those added since, on a demo seeded by an older version).
    pub(super) async fn seed_demo_accounts(&self) -> Result<(), AppError> {
        for &(username, display_name, role, org) in STAFF {
            let name = Username::parse(username).map_err(demo_fault)?;
            if self.store.user_by_name(&name).await?.is_some() {
                continue;
            }
            let org = OrgCode::parse(org).map_err(demo_fault)?;
            self.create_user(name, display_name, &demo_password(username), role, org)
                .await?;
            tracing::info!(username, role = role.key(), "demo account created");
        }
        for d in ENTERPRISES {
            let name = Username::parse(d.username).map_err(demo_fault)?;
            if self.store.user_by_name(&name).await?.is_some() {
                continue;
            }
            let enterprise = enterprise(d)?;
            let audit = AuditEntry {
                at: self.clock.now(),
                actor: "demo".into(),
                action: "register enterprise".into(),
                detail: format!("{} {}", enterprise.credit_code, enterprise.name),
            };
            let user = NewUser {
                username: name,
                display_name: d.contact_name.into(),
                password_hash: hash_password(&demo_password(d.username))?,
                membership: Membership::Enterprise {
                    credit_code: enterprise.credit_code,
                },
                created_at: self.clock.now(),
            };
            self.store
                .create_enterprise_with_user(&enterprise, user, &audit)
                .await?;
            tracing::info!(username = d.username, "demo enterprise created");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_enterprise_is_valid_and_the_first_signs_in_as_enterprise() {
        let all = demo_enterprises();
        assert_eq!(all.len(), ENTERPRISES.len());
        for (e, d) in all.iter().zip(ENTERPRISES) {
            assert!(e.credit_code.as_str().starts_with(d.stem));
            assert_eq!(CreditCode::parse(e.credit_code.as_str()), Ok(e.credit_code));
            assert_eq!(e.credit_code.division_code(), &d.stem[2..8]);
        }
        assert_eq!(ENTERPRISES[0].username, "enterprise");
    }
}
