//! One open case per licence (arts. 49, 50, 70): a change, renewal or cancellation decides on
//! the licence as it stands, so while one is open a second would decide on particulars the
//! first may be about to change. The store refuses a second open case in the write that would
//! create it (`LicenceCaseStore`, migration 0010), also when two instances race; here that
//! refusal becomes a message on the application's `licence_number` naming the open case, and
//! the same message is given before any material is stored when the open case is already known.

use onewindow_store::StoreError;

use super::on_case::problem;
use crate::{App, AppError};

impl App {
    /// Refuses an application on a licence that has an open case.
    pub(crate) async fn check_no_open_case(&self, licence_number: &str) -> Result<(), AppError> {
        match self.store.open_case_on_licence(licence_number).await? {
            Some(case) => Err(already_open(licence_number, &case)),
            None => Ok(()),
        }
    }

    /// What a refused creation of a case on `licence_number` tells the applicant: the open case
    /// that holds the licence, when the store's refusal was that one.
    pub(crate) async fn open_case_refusal(
        &self,
        licence_number: &str,
        error: StoreError,
    ) -> AppError {
        let StoreError::Duplicate(_) = error else {
            return error.into();
        };
        match self.store.open_case_on_licence(licence_number).await {
            Ok(Some(case)) => already_open(licence_number, &case),
            // The open case closed in between: nothing holds the licence any more.
            Ok(None) => AppError::Conflict(format!(
                "another case on licence {licence_number} was being created at the same moment; try again"
            )),
            Err(e) => e.into(),
        }
    }
}

fn already_open(licence_number: &str, case: &str) -> AppError {
    problem(
        "licence_number",
        format!(
            "许可证 {licence_number} 已有办理中的申请（案件 {case}），办结或撤回后方可再次申请 / \
             licence {licence_number} already has an open case, {case}: a licence takes one \
             change, renewal or cancellation at a time; apply again once it is decided or withdrawn"
        ),
    )
}
