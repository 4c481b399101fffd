//! Account administration, the administrator's alone: listing accounts, creating staff accounts
//! in a role for one of the catalogue's orgs, and API tokens for systems (a testing institute's
//! LIMS). A token is `ow_` and 40 random hex characters, shown once; only its SHA-256 is kept,
//! and it acts as the account it was made for — so it reaches that account's org and no more.

use onewindow_domain::access::{Membership, Role, Username};
use onewindow_domain::catalogue::{Org, OrgCode, Problems, Vocabulary};
use onewindow_store::{
    ApiTokenId, ApiTokenRecord, AuditEntry, NewApiToken, NewUser, StoreError, UserFilter,
    UserRecord,
};

use crate::accounts::{hash_password, password_problem, token_hash};
use crate::catalogue::{PageRequest, Paged};
use crate::{App, AppError};

/// What every API token starts with, so a leaked one is recognisable (and scannable).
pub const TOKEN_PREFIX: &str = "ow_";
/// Random hex characters after the prefix (80 bits of the random bytes).
const TOKEN_HEX_LEN: usize = 40;
const MAX_LABEL: usize = 100;
const MAX_DISPLAY_NAME: usize = 50;

/// A staff account as the administrator typed it.
#[derive(Debug, Clone, Default)]
pub struct StaffForm {
    pub username: String,
    pub display_name: String,
    /// The role's key (`window_clerk` …).
    pub role: String,
    pub org: String,
    pub password: String,
}

/// A token just made: the token itself exists only here, to be shown once.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub record: ApiTokenRecord,
}

/// What the account administration page shows.
#[derive(Debug, Clone)]
pub struct AccountsOverview {
    pub users: Paged<UserRecord>,
    pub tokens: Vec<ApiTokenRecord>,
    /// The orgs a staff account may belong to.
    pub orgs: Vec<Org>,
}

fn require_administrator(actor: &UserRecord) -> Result<(), AppError> {
    if actor.is_administrator() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{} may not administer accounts; an administrator may",
            actor.username
        )))
    }
}

fn audit(app: &App, actor: &UserRecord, action: &str, detail: String) -> AuditEntry {
    AuditEntry {
        at: app.clock.now(),
        actor: actor.username.to_string(),
        action: action.into(),
        detail,
    }
}

fn invalid(what: &str, problems: Problems) -> AppError {
    AppError::Invalid {
        what: what.into(),
        problems,
    }
}

impl App {
    /// One page of accounts, every API token and the orgs to choose from.
    pub async fn accounts_overview(
        &self,
        actor: &UserRecord,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<AccountsOverview, AppError> {
        Ok(AccountsOverview {
            users: self.list_users(actor, filter, page).await?,
            tokens: self.api_tokens(actor).await?,
            orgs: self.store.orgs().await?,
        })
    }

    /// One page of accounts, by user name.
    pub async fn list_users(
        &self,
        actor: &UserRecord,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Paged<UserRecord>, AppError> {
        require_administrator(actor)?;
        let offset = u64::from(page.number.saturating_sub(1)) * u64::from(page.size);
        let (items, total) = self
            .store
            .users(filter, offset, u64::from(page.size))
            .await?;
        Ok(Paged {
            items,
            total: usize::try_from(total).unwrap_or(usize::MAX),
            page,
        })
    }

    /// Creates a staff account; every wrong field is named (the org must be one of the
    /// catalogue's), and the creation is audited.
    pub async fn create_staff_user(
        &self,
        actor: &UserRecord,
        form: &StaffForm,
    ) -> Result<UserRecord, AppError> {
        require_administrator(actor)?;
        let mut problems = Problems::default();
        let username = problems.check("username", Username::parse(form.username.trim()));
        let display_name = form.display_name.trim();
        if display_name.is_empty() {
            problems.push("display_name", "is required");
        } else if display_name.chars().count() > MAX_DISPLAY_NAME {
            problems.push(
                "display_name",
                format!("is too long: at most {MAX_DISPLAY_NAME} characters"),
            );
        }
        let role = Role::parse_key(form.role.trim());
        if role.is_none() {
            let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
            problems.push(
                "role",
                format!(
                    "\"{}\" is not a role: one of {}",
                    form.role,
                    keys.join(", ")
                ),
            );
        }
        let org = problems.check("org", OrgCode::parse(form.org.trim()));
        if let Some(code) = &org
            && !self.store.orgs().await?.iter().any(|o| &o.code == code)
        {
            problems.push("org", format!("{code} is not an org of the catalogue"));
        }
        if let Some(problem) = password_problem(&form.password) {
            problems.push("password", problem);
        }
        if let Some(name) = &username
            && self.store.user_by_name(name).await?.is_some()
        {
            problems.push("username", format!("{name} is taken; choose another"));
        }
        let (Some(username), Some(role), Some(org)) = (username, role, org) else {
            return Err(invalid("staff account", problems));
        };
        if !problems.is_empty() {
            return Err(invalid("staff account", problems));
        }
        let detail = format!("{username}: {} in {org}", role.key());
        let user = NewUser {
            username: username.clone(),
            display_name: display_name.to_owned(),
            password_hash: hash_password(&form.password)?,
            membership: Membership::Staff { role, org },
            created_at: self.clock.now(),
        };
        let entry = audit(self, actor, "create user", detail);
        self.store
            .create_user(user, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(what) => {
                    AppError::Conflict(format!("{what} was created a moment ago"))
                }
                other => other.into(),
            })?;
        self.store
            .user_by_name(&username)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("user {username}")))
    }

    /// Makes an API token acting as `username`, labelled with what it is for.
    pub async fn create_api_token(
        &self,
        actor: &UserRecord,
        username: &str,
        label: &str,
    ) -> Result<IssuedToken, AppError> {
        require_administrator(actor)?;
        self.make_api_token(actor.username.as_str(), username, label)
            .await
    }

    /// Makes an API token for the operator at the machine (`onewindow tokens create`), who
    /// holds the database itself; audited as done from the command line.
    pub async fn create_api_token_from_command_line(
        &self,
        username: &str,
        label: &str,
    ) -> Result<IssuedToken, AppError> {
        self.make_api_token("command line", username, label).await
    }

    async fn make_api_token(
        &self,
        actor: &str,
        username: &str,
        label: &str,
    ) -> Result<IssuedToken, AppError> {
        let mut problems = Problems::default();
        let holder = match Username::parse(username.trim()) {
            Ok(name) => self.store.user_by_name(&name).await?,
            Err(e) => {
                problems.push("username", e);
                None
            }
        };
        if holder.is_none() && problems.is_empty() {
            problems.push(
                "username",
                format!("there is no account {}", username.trim()),
            );
        }
        let label = label.trim();
        if label.is_empty() {
            problems.push("label", "is required: say which system will use the token");
        } else if label.chars().count() > MAX_LABEL {
            problems.push(
                "label",
                format!("is too long: at most {MAX_LABEL} characters"),
            );
        }
        let Some(holder) = holder.filter(|_| problems.is_empty()) else {
            return Err(invalid("API token", problems));
        };
        let random = hex::encode(self.random.bytes32());
        let token = format!("{TOKEN_PREFIX}{}", &random[..TOKEN_HEX_LEN]);
        let now = self.clock.now();
        let new = NewApiToken {
            token_hash: token_hash(&token),
            user: holder.id,
            label: label.to_owned(),
            created_at: now,
        };
        let entry = AuditEntry {
            at: now,
            actor: actor.to_owned(),
            action: "create API token".into(),
            detail: format!("for {}: {label}", holder.username),
        };
        let id = self.store.create_api_token(new, &entry).await?;
        let record = ApiTokenRecord {
            id,
            user: holder.id,
            username: holder.username,
            label: label.to_owned(),
            created_at: now,
            revoked_at: None,
        };
        Ok(IssuedToken { token, record })
    }

    /// Every API token, newest first.
    pub async fn api_tokens(&self, actor: &UserRecord) -> Result<Vec<ApiTokenRecord>, AppError> {
        require_administrator(actor)?;
        Ok(self.store.api_tokens().await?)
    }

    /// Revokes a token for good; a token already revoked (or unknown) is not found.
    pub async fn revoke_api_token(&self, actor: &UserRecord, id: i64) -> Result<(), AppError> {
        require_administrator(actor)?;
        let entry = audit(self, actor, "revoke API token", format!("token {id}"));
        let now = self.clock.now();
        if self
            .store
            .revoke_api_token(ApiTokenId(id), now, &entry)
            .await?
        {
            // Refused on this instance's next request (token_holders.rs).
            self.token_holders.forget_all();
            Ok(())
        } else {
            Err(AppError::NotFound(format!("an unrevoked API token {id}")))
        }
    }
}
