//! Cases on an existing licence (change art. 49, renewal art. 50, cancellation art. 70), as the
//! cases table knows them by the licence they name ([`crate::NewCase::licence_number`]): which
//! one is open on a licence (there is at most one: creating a second fails with
//! [`crate::StoreError::Duplicate`]), and which closed recently (the sweeper checks that their
//! grants reached the register).

use async_trait::async_trait;
use jiff::Timestamp;

use crate::{CaseId, CaseRecord, StoreError};

#[async_trait]
pub trait LicenceCaseStore {
    /// The number of the open case on a licence (its canonical number), if there is one.
    async fn open_case_on_licence(
        &self,
        licence_number: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Closed cases naming a licence, changed at or after `since`, with ids after `after`, in
    /// id order.
    async fn closed_licence_cases_since(
        &self,
        since: Timestamp,
        after: CaseId,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError>;
}
