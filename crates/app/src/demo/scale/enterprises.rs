//! The dataset's enterprises, each with a valid credit code and a user, written a few thousand
//! per transaction.

use jiff::Timestamp;
use onewindow_domain::access::{Enterprise, Membership, Username};
use onewindow_store::{AuditEntry, NewUser, StoreError};

use super::{enterprise_of, seed_audit};
use crate::{App, AppError};

/// Enterprises written per transaction.
const PER_COMMIT: u64 = 5_000;

impl App {
    pub(super) async fn seed_enterprises(&self, count: u64) -> Result<u64, AppError> {
        let now = self.clock.now();
        let password_hash = crate::accounts::hash_password("bench-password-1")?;
        let mut start = 0;
        while start < count {
            let end = (start + PER_COMMIT).min(count);
            let batch = (start..end)
                .map(|n| enterprise(n, count, &password_hash, now))
                .collect::<Result<Vec<_>, _>>()?;
            match self
                .store
                .create_enterprises_with_users(batch.clone())
                .await
            {
                Ok(()) => {}
                // A second seed into the same database: some are there; add the others alone.
                Err(StoreError::Duplicate(_)) => {
                    for (enterprise, user, audit) in batch {
                        match self
                            .store
                            .create_enterprise_with_user(&enterprise, user, &audit)
                            .await
                        {
                            Ok(_) | Err(StoreError::Duplicate(_)) => {}
                            Err(e) => return Err(e.into()),
                        }
                    }
                }
                Err(e) => return Err(e.into()),
            }
            start = end;
        }
        Ok(count)
    }
}

/// Enterprise `n` of `count`, its first user and the audit entry of its registration.
fn enterprise(
    n: u64,
    count: u64,
    password_hash: &str,
    at: Timestamp,
) -> Result<(Enterprise, NewUser, AuditEntry), AppError> {
    let (credit_code, user) = enterprise_of(n, count)?;
    let enterprise = Enterprise {
        credit_code,
        name: format!("大连第{n}机械制造有限公司"),
        address: format!("大连市甘井子区工业路{}号", n % 2000 + 1),
        contact_name: "王经理".into(),
        contact_phone: format!("1390411{:04}", n % 10_000),
        registered_at: at,
    };
    let user = NewUser {
        username: Username::parse(&user).map_err(|e| AppError::Refused(format!("{user}: {e}")))?,
        display_name: "王经理".into(),
        password_hash: password_hash.to_owned(),
        membership: Membership::Enterprise { credit_code },
        created_at: at,
    };
    let audit = seed_audit(at, "register enterprise", &enterprise.name);
    Ok((enterprise, user, audit))
}
