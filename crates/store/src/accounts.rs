//! Staff accounts and their sign-in sessions. Only hashes are stored: password hashes (Argon2id,
//! made in `app`) and session token hashes, so a copy of the database signs nobody in.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::OrgCode;

use crate::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub org: OrgCode,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub org: OrgCode,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    /// The token forms must echo back (CSRF protection).
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

#[async_trait]
pub trait AccountStore {
    /// Fails with [`StoreError::Duplicate`] when the user name is taken.
    async fn create_user(&self, user: NewUser) -> Result<UserId, StoreError>;
    async fn user_by_name(&self, username: &Username) -> Result<Option<UserRecord>, StoreError>;
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
