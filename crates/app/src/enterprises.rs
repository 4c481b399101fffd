//! Enterprises: self-registration (the enterprise and its first user, in one write), the account
//! profile ("who am I"), and the search staff use to find an applicant. Every problem of a
//! registration is named by its field at once; nothing is written unless all is well.

use onewindow_domain::access::{Enterprise, EnterpriseDraft, Membership, Username};
use onewindow_domain::catalogue::Problems;
use onewindow_store::{AuditEntry, NewUser, StoreError, UserRecord};

use crate::accounts::{hash_password, password_problem};
use crate::catalogue::{PageRequest, Paged};
use crate::{App, AppError};

/// A registration as submitted: the enterprise, and its first user's name and password.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub enterprise: EnterpriseDraft,
    pub username: String,
    pub password: String,
    /// The password typed a second time on the page; `None` where nothing is retyped (the API).
    pub password_again: Option<String>,
}

/// A registered enterprise and its first user, who may sign in at once.
#[derive(Debug, Clone)]
pub struct Registered {
    pub enterprise: Enterprise,
    pub user: UserRecord,
}

/// Who is signed in, with the enterprise an enterprise user acts for.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user: UserRecord,
    pub enterprise: Option<Enterprise>,
}

impl App {
    /// Registers an enterprise with its first user (RULES.md §8: the code is checked strictly).
    /// A code already registered or a user name already taken is named by its field; the
    /// user's display name is the contact's name.
    pub async fn register_enterprise(&self, form: &Registration) -> Result<Registered, AppError> {
        let now = self.clock.now();
        let mut problems = Problems::default();
        let enterprise = Enterprise::parse(&form.enterprise, now)
            .map_err(|p| problems.0.extend(p.0))
            .ok();
        let username = problems.check("username", Username::parse(form.username.trim()));
        if let Some(problem) = password_problem(&form.password) {
            problems.push("password", problem);
        }
        if form
            .password_again
            .as_ref()
            .is_some_and(|again| again != &form.password)
        {
            problems.push("password_again", "is not the same as the password");
        }
        if let Some(e) = &enterprise
            && self.store.enterprise(&e.credit_code).await?.is_some()
        {
            problems.push(
                "credit_code",
                format!("{} is already registered", e.credit_code),
            );
        }
        if let Some(name) = &username
            && self.store.user_by_name(name).await?.is_some()
        {
            problems.push("username", format!("{name} is taken; choose another"));
        }
        let (Some(enterprise), Some(username)) = (enterprise, username) else {
            return Err(invalid(problems));
        };
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let user = NewUser {
            username: username.clone(),
            display_name: enterprise.contact_name.clone(),
            password_hash: hash_password(&form.password)?,
            membership: Membership::Enterprise {
                credit_code: enterprise.credit_code,
            },
            created_at: now,
        };
        let audit = AuditEntry {
            at: now,
            actor: username.to_string(),
            action: "register enterprise".into(),
            detail: format!("{} {}", enterprise.credit_code, enterprise.name),
        };
        self.store
            .create_enterprise_with_user(&enterprise, user, &audit)
            .await
            .map_err(|e| match e {
                // Someone registered the same code or name between the check and the write.
                StoreError::Duplicate(what) => {
                    AppError::Conflict(format!("{what} was registered a moment ago; try again"))
                }
                other => other.into(),
            })?;
        let user = self
            .store
            .user_by_name(&username)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("user {username}")))?;
        Ok(Registered { enterprise, user })
    }

    /// The signed-in account, with its enterprise for an enterprise user.
    pub async fn profile(&self, user: &UserRecord) -> Result<Profile, AppError> {
        let enterprise = match user.credit_code() {
            Some(code) => self.store.enterprise(code).await?,
            None => None,
        };
        Ok(Profile {
            user: user.clone(),
            enterprise,
        })
    }

    /// Staff find an enterprise by the start of its credit code or of its name.
    pub async fn search_enterprises(
        &self,
        actor: &UserRecord,
        query: &str,
        page: PageRequest,
    ) -> Result<Paged<Enterprise>, AppError> {
        if actor.role().is_none() {
            return Err(AppError::Forbidden(format!(
                "{} is an enterprise user; only staff search enterprises",
                actor.username
            )));
        }
        let offset = u64::from(page.number.saturating_sub(1)) * u64::from(page.size);
        let (items, total) = self
            .store
            .search_enterprises(query.trim(), offset, u64::from(page.size))
            .await?;
        Ok(Paged {
            items,
            total: usize::try_from(total).unwrap_or(usize::MAX),
            page,
        })
    }
}

fn invalid(problems: Problems) -> AppError {
    AppError::Invalid {
        what: "registration".into(),
        problems,
    }
}
