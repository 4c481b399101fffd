//! The holiday calendar's storage port: the listed days of every schedule year, replaced a whole
//! year at a time, each change with its audit entry and a new calendar version (so every instance
//! sharing the database notices and reloads).

use async_trait::async_trait;
use onewindow_domain::calendar::HolidayEntry;

use crate::{AuditEntry, StoreError};

#[async_trait]
pub trait CalendarStore {
    /// Every stored row, ordered by date (empty before the first start seeds them).
    async fn holiday_entries(&self) -> Result<Vec<HolidayEntry>, StoreError>;
    /// Inserts `entries` if no row is stored yet; returns whether it did.
    async fn seed_holidays(&self, entries: &[HolidayEntry]) -> Result<bool, StoreError>;
    /// Replaces every row of schedule year `year` with `entries` in one transaction, with the
    /// audit entry, and bumps the calendar version.
    async fn replace_schedule_year(
        &self,
        year: i32,
        entries: &[HolidayEntry],
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Changes whenever the stored calendar does.
    async fn calendar_version(&self) -> Result<i64, StoreError>;
}
