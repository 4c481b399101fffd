//! What an account belongs to: staff act in a role for an org (and see that org's work and the
//! work delegated to it); an enterprise user acts for one enterprise, named by its credit code,
//! and sees only that enterprise's cases. An account is one or the other, never both.

use crate::catalogue::{OrgCode, vocabulary};
use crate::identifiers::CreditCode;

use super::Role;

vocabulary! {
    /// The two kinds of account, as stored and as the API spells them.
    pub enum MembershipKind {
        Staff => "staff", "工作人员", "Staff";
        Enterprise => "enterprise", "企业用户", "Enterprise user";
    }
}

/// Whom an account acts for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Membership {
    /// A bureau's or an institute's staff member, in one role, for one org.
    Staff { role: Role, org: OrgCode },
    /// A user of a registered enterprise.
    Enterprise { credit_code: CreditCode },
}

impl Membership {
    pub fn kind(&self) -> MembershipKind {
        match self {
            Membership::Staff { .. } => MembershipKind::Staff,
            Membership::Enterprise { .. } => MembershipKind::Enterprise,
        }
    }

    /// The staff role; enterprise users have none.
    pub fn role(&self) -> Option<Role> {
        match self {
            Membership::Staff { role, .. } => Some(*role),
            Membership::Enterprise { .. } => None,
        }
    }

    /// The org a staff member acts for; enterprise users have none.
    pub fn org(&self) -> Option<&OrgCode> {
        match self {
            Membership::Staff { org, .. } => Some(org),
            Membership::Enterprise { .. } => None,
        }
    }

    /// The enterprise an enterprise user acts for; staff have none.
    pub fn credit_code(&self) -> Option<&CreditCode> {
        match self {
            Membership::Enterprise { credit_code } => Some(credit_code),
            Membership::Staff { .. } => None,
        }
    }

    /// Keeping the catalogue and the accounts is the administrator's alone.
    pub fn is_administrator(&self) -> bool {
        self.role() == Some(Role::Administrator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Vocabulary;

    fn staff(role: Role) -> Membership {
        Membership::Staff {
            role,
            org: OrgCode::parse("210211").expect("valid"),
        }
    }

    #[test]
    fn staff_have_a_role_and_an_org_but_no_credit_code() {
        let m = staff(Role::Inspector);
        assert_eq!(m.kind(), MembershipKind::Staff);
        assert_eq!(m.role(), Some(Role::Inspector));
        assert_eq!(m.org().map(OrgCode::as_str), Some("210211"));
        assert_eq!(m.credit_code(), None);
        assert!(!m.is_administrator());
        assert!(staff(Role::Administrator).is_administrator());
    }

    #[test]
    fn enterprise_users_have_a_credit_code_and_nothing_else() {
        let code = CreditCode::parse("91110000600037341L").expect("valid");
        let m = Membership::Enterprise { credit_code: code };
        assert_eq!(m.kind().key(), "enterprise");
        assert_eq!(m.role(), None);
        assert_eq!(m.org(), None);
        assert_eq!(m.credit_code(), Some(&code));
        assert!(!m.is_administrator());
    }
}
