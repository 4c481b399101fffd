//! Who may do what: staff roles and the rules that bind them to orgs, what an account belongs to
//! ([`Membership`]: a staff member of an org, or a user of an enterprise), and the enterprises
//! themselves. Accounts live in the store; the rules about them live here.

mod enterprise;
mod membership;

pub use enterprise::{Enterprise, EnterpriseDraft};
pub use membership::{Membership, MembershipKind};

use crate::catalogue::vocabulary;

vocabulary! {
    /// A staff role (DESIGN.md, "Who uses it"). Enterprise users are not staff: they act for their
    /// own enterprise only (the cases layer).
    pub enum Role {
        Administrator => "administrator", "系统管理员", "Administrator";
        WindowClerk => "window_clerk", "窗口受理员", "Window clerk";
        Reviewer => "reviewer", "审查员", "Reviewer";
        Inspector => "inspector", "核查员", "Inspector";
        Signatory => "signatory", "签批人", "Signatory";
        Head => "head", "机关负责人", "Head of organ";
        InstituteStaff => "institute_staff", "技术机构人员", "Institute staff";
    }
}

impl Role {
    /// Keeping the catalogue (powers, guides, fees) is the administrator's.
    pub fn may_edit_catalogue(self) -> bool {
        self == Role::Administrator
    }
}

/// A sign-in name: 3–32 of `a–z 0–9 . _ -`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Self, String> {
        let ok_len = (3..=32).contains(&text.len());
        let ok_start = text.starts_with(|c: char| c.is_ascii_lowercase());
        let ok_chars = text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if ok_len && ok_start && ok_chars {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "\"{text}\" is not a user name: 3–32 of a–z, 0–9, '.', '_', '-', starting with a letter"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_administrator_keeps_the_catalogue() {
        assert!(Role::Administrator.may_edit_catalogue());
        assert!(!Role::WindowClerk.may_edit_catalogue());
    }

    #[test]
    fn user_names_are_lowercase_words() {
        assert!(Username::parse("admin").is_ok());
        assert!(Username::parse("clerk.li").is_ok());
        assert!(Username::parse("Admin").is_err());
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("1abc").is_err());
    }
}
