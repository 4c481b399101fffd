//! Registered enterprises. An enterprise comes into being together with its first user, in one
//! transaction, so there is never an enterprise nobody can sign in for, nor a user of an
//! enterprise that does not exist.

use async_trait::async_trait;
use onewindow_domain::access::Enterprise;
use onewindow_domain::identifiers::CreditCode;

use crate::{AuditEntry, NewUser, StoreError, UserId};

#[async_trait]
pub trait EnterpriseStore {
    /// Stores the enterprise and its first user (whose membership must name this enterprise)
    /// with the audit entry, all or nothing. A registered code fails with
    /// [`StoreError::Duplicate`] naming the code, a taken user name with one naming the user.
    async fn create_enterprise_with_user(
        &self,
        enterprise: &Enterprise,
        user: NewUser,
        audit: &AuditEntry,
    ) -> Result<UserId, StoreError>;

    async fn enterprise(&self, code: &CreditCode) -> Result<Option<Enterprise>, StoreError>;

    /// One page of enterprises matching `query`, and how many match in all. A query made only
    /// of credit-code characters (digits and capitals) matches codes starting with it, ordered
    /// by code; any other query matches names starting with it, ordered by name; an empty one
    /// matches all, by code. Both are index range scans, so a page stays fast with millions of
    /// enterprises.
    async fn search_enterprises(
        &self,
        query: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Enterprise>, u64), StoreError>;
}
