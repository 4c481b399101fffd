//! Accounts (staff and enterprise users) and their sign-in sessions. Only hashes are stored:
//! password hashes (Argon2id, made in `app`) and session token hashes, so a copy of the database
//! signs nobody in.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::{Membership, MembershipKind, Role, Username};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::identifiers::CreditCode;

use crate::{AuditEntry, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub membership: Membership,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub membership: Membership,
    pub created_at: Timestamp,
}

impl UserRecord {
    /// The staff role; `None` for an enterprise user.
    pub fn role(&self) -> Option<Role> {
        self.membership.role()
    }

    /// The org a staff member acts for; `None` for an enterprise user.
    pub fn org(&self) -> Option<&OrgCode> {
        self.membership.org()
    }

    /// The enterprise an enterprise user acts for; `None` for staff.
    pub fn credit_code(&self) -> Option<&CreditCode> {
        self.membership.credit_code()
    }

    pub fn is_administrator(&self) -> bool {
        self.membership.is_administrator()
    }
}

/// Which accounts a listing shows.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub kind: Option<MembershipKind>,
    /// The start of the user name.
    pub username_prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    /// The token forms must echo back (CSRF protection). Empty only for a request signed with an
    /// API token (see `web::extract`): a browser never attaches an `Authorization` header on its
    /// own, so such a request cannot be forged from another site.
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

#[async_trait]
pub trait AccountStore {
    /// Creates an account with its audit entry, in one transaction. Fails with
    /// [`StoreError::Duplicate`] when the user name is taken; an enterprise user's enterprise
    /// must exist.
    async fn create_user(&self, user: NewUser, audit: &AuditEntry) -> Result<UserId, StoreError>;
    async fn user_by_name(&self, username: &Username) -> Result<Option<UserRecord>, StoreError>;
    /// One page of accounts ordered by user name, and how many match in all.
    async fn users(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<UserRecord>, u64), StoreError>;
    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// A session still valid at `now`.
    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
}
