//! Sign-in for staff and enterprise users alike: Argon2id password hashes, sessions identified
//! by a random token whose hash is stored (so a copy of the database signs nobody in), a CSRF
//! token per session, and a limit on failed attempts per user name. Creating accounts is in
//! `staff` (administrators) and `enterprises` (self-registration).

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jiff::{SignedDuration, Timestamp};
use onewindow_domain::access::{Membership, Role, Username};
use onewindow_domain::catalogue::{OrgCode, Vocabulary};
use onewindow_store::{AuditEntry, NewUser, SessionRecord, UserId, UserRecord};
use sha2::{Digest, Sha256};

use crate::{App, AppError};

/// How long a session lasts without signing in again.
pub const SESSION_LENGTH: SignedDuration = SignedDuration::from_hours(12);
/// Failed sign-ins allowed per user name within [`FAILURE_WINDOW`].
const MAX_FAILURES: usize = 5;
const FAILURE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// The shortest password accepted for a new account.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Remembers recent failed sign-ins per user name (in memory: a restart forgives).
#[derive(Default)]
pub struct SignInLimiter(Mutex<HashMap<String, Vec<Timestamp>>>);

impl SignInLimiter {
    fn recent(&self, name: &str, now: Timestamp) -> usize {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let list = map.entry(name.to_owned()).or_default();
        list.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        list.len()
    }

    fn fail(&self, name: &str, now: Timestamp) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(name.to_owned()).or_default().push(now);
    }

    fn clear(&self, name: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
    }
}

/// A new session: the token goes to the browser as a cookie, never to the database.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub user: UserRecord,
    pub expires_at: Timestamp,
}

/// A hash to verify against when the user name is unknown.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Refused(format!("cannot hash the password: {e}")))
}

/// What is wrong with a new password, if anything.
pub(crate) fn password_problem(password: &str) -> Option<String> {
    (password.chars().count() < MIN_PASSWORD_LEN)
        .then(|| format!("must be at least {MIN_PASSWORD_LEN} characters"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl App {
    /// Creates a staff account without an administrator (set-up, the demo, tests), audited as
    /// done by `system`. The password must be at least [`MIN_PASSWORD_LEN`] characters.
    pub async fn create_user(
        &self,
        username: Username,
        display_name: &str,
        password: &str,
        role: Role,
        org: OrgCode,
    ) -> Result<UserId, AppError> {
        if let Some(problem) = password_problem(password) {
            return Err(AppError::Refused(format!("the password {problem}")));
        }
        let now = self.clock.now();
        let audit = AuditEntry {
            at: now,
            actor: "system".into(),
            action: "create user".into(),
            detail: format!("{username}: {} in {org}", role.key()),
        };
        let user = NewUser {
            username,
            display_name: display_name.to_owned(),
            password_hash: hash_password(password)?,
            membership: Membership::Staff { role, org },
            created_at: now,
        };
        Ok(self.store.create_user(user, &audit).await?)
    }

    /// Signs in; the same message for an unknown name and a wrong password.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<NewSession, AppError> {
        let now = self.clock.now();
        let wrong = || AppError::Unauthenticated("wrong user name or password".into());
        if self.sign_in_limiter.recent(username, now) >= MAX_FAILURES {
            return Err(AppError::RateLimited(
                "too many failed sign-ins for this user name; wait 15 minutes and try again".into(),
            ));
        }
        let user = match Username::parse(username) {
            Ok(name) => self.store.user_by_name(&name).await?,
            Err(_) => None,
        };
        // An unknown name costs the same Argon2 work as a wrong password, so timing does not
        // tell which names exist.
        let hash = user.as_ref().map_or_else(
            || {
                DUMMY_HASH
                    .get_or_init(|| hash_password("dummy-password").unwrap_or_default())
                    .as_str()
            },
            |u| u.password_hash.as_str(),
        );
        let verified = verify_password(password, hash);
        let Some(user) = user.filter(|_| verified) else {
            self.sign_in_limiter.fail(username, now);
            return Err(wrong());
        };
        self.sign_in_limiter.clear(username);
        let token = hex::encode(self.random.bytes32());
        let csrf_token = hex::encode(self.random.bytes32());
        let expires_at = now
            .checked_add(SESSION_LENGTH)
            .map_err(|e| AppError::Refused(e.to_string()))?;
        self.store
            .create_session(&token_hash(&token), user.id, &csrf_token, expires_at)
            .await?;
        Ok(NewSession {
            token,
            csrf_token,
            user,
            expires_at,
        })
    }

    /// The signed-in session for a cookie's token, if it is still valid.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRecord>, AppError> {
        Ok(self
            .store
            .session(&token_hash(token), self.clock.now())
            .await?)
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }
}
