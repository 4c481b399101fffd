//! Who a bearer token acts as, remembered for a moment (issue 6: one statement fewer per API
//! request). A revocation through this instance forgets every remembered holder at once; one
//! made through another instance (or `onewindow tokens revoke`) takes effect here within
//! [`TOKEN_HOLDER_TTL`] — the bound a system that shares a database with other instances accepts
//! (a request already under way when a token is revoked finishes either way). Only tokens found
//! valid are remembered: an unknown or revoked one is looked up on every request.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use onewindow_store::UserRecord;

use crate::accounts::token_hash;
use crate::staff::TOKEN_PREFIX;
use crate::{App, AppError};

/// How long a valid token's holder is used without asking the store again.
pub const TOKEN_HOLDER_TTL: Duration = Duration::from_secs(1);

/// More remembered tokens than this and the oldest are dropped (a bound on memory, far above
/// the number of systems calling one instance).
const MAX_REMEMBERED: usize = 10_000;

/// Valid tokens' holders by token hash, each with when it was looked up.
pub struct TokenHolders {
    ttl: Duration,
    remembered: RwLock<HashMap<String, (Instant, UserRecord)>>,
}

impl Default for TokenHolders {
    fn default() -> Self {
        TokenHolders::with_ttl(TOKEN_HOLDER_TTL)
    }
}

impl TokenHolders {
    pub fn with_ttl(ttl: Duration) -> Self {
        TokenHolders {
            ttl,
            remembered: RwLock::default(),
        }
    }

    fn get(&self, hash: &str) -> Option<UserRecord> {
        let remembered = self.remembered.read().unwrap_or_else(|e| e.into_inner());
        remembered
            .get(hash)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, user)| user.clone())
    }

    fn put(&self, hash: String, looked_up: Instant, user: UserRecord) {
        let mut remembered = self.remembered.write().unwrap_or_else(|e| e.into_inner());
        if remembered.len() >= MAX_REMEMBERED {
            remembered.retain(|_, (at, _)| at.elapsed() < self.ttl);
        }
        if remembered.len() < MAX_REMEMBERED {
            remembered.insert(hash, (looked_up, user));
        }
    }

    /// Forgets every holder (a token was revoked).
    pub(crate) fn forget_all(&self) {
        self.remembered
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

impl App {
    /// The account a request's bearer token acts as. Unknown and revoked tokens are refused
    /// with a message saying which.
    pub async fn api_token_user(&self, token: &str) -> Result<UserRecord, AppError> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Err(AppError::Unauthenticated(format!(
                "the bearer token is not an onewindow API token (they start with {TOKEN_PREFIX})"
            )));
        }
        let hash = token_hash(token);
        if let Some(user) = self.token_holders.get(&hash) {
            return Ok(user);
        }
        // Timed from before the lookup: the holder is as fresh as the read, not the answer.
        let looked_up = Instant::now();
        match self.store.token_holder(&hash).await? {
            None => Err(AppError::Unauthenticated(
                "the API token is not known; ask an administrator for a new one".into(),
            )),
            Some(h) if h.token.revoked_at.is_some() => Err(AppError::Unauthenticated(format!(
                "the API token \"{}\" was revoked; ask an administrator for a new one",
                h.token.label
            ))),
            Some(h) => {
                self.token_holders.put(hash, looked_up, h.user.clone());
                Ok(h.user)
            }
        }
    }
}
