//! Small named settings of an installation (e.g. whether it holds demo data).

use async_trait::async_trait;

use crate::StoreError;

#[async_trait]
pub trait SettingsStore {
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Answers when the database does (for `/healthz`).
    async fn ping(&self) -> Result<(), StoreError>;
}
