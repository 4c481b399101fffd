//! API tokens: how a system (a testing institute's LIMS, a provincial platform) signs its
//! requests. A token acts as the account it was made for, so it reaches exactly what that
//! account reaches. Only the token's hash is stored; a revoked token stays listed, marked.

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_domain::access::Username;

use crate::{AuditEntry, StoreError, UserId, UserRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiTokenId(pub i64);

#[derive(Debug, Clone)]
pub struct NewApiToken {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    pub user: UserId,
    /// What the token is for, e.g. "质检院 LIMS".
    pub label: String,
    pub created_at: Timestamp,
}

/// A token as the administration lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    pub id: ApiTokenId,
    pub user: UserId,
    pub username: Username,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// The account behind a presented token, and the token itself (revoked or not).
#[derive(Debug, Clone)]
pub struct TokenHolder {
    pub user: UserRecord,
    pub token: ApiTokenRecord,
}

#[async_trait]
pub trait TokenStore {
    async fn create_api_token(
        &self,
        token: NewApiToken,
        audit: &AuditEntry,
    ) -> Result<ApiTokenId, StoreError>;
    /// Every token, newest first.
    async fn api_tokens(&self) -> Result<Vec<ApiTokenRecord>, StoreError>;
    /// Marks the token revoked at `at`; `false` when there is no such token or it was revoked
    /// already (nothing is written then).
    async fn revoke_api_token(
        &self,
        id: ApiTokenId,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;
    /// The holder of the token with this hash, revoked or not.
    async fn token_holder(&self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError>;
}
