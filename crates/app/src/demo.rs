//! The demo bureau `serve --demo` starts with: the Liaoning provincial bureau, the Dalian city
//! bureau, its ten district/county bureaus and its institutes, a catalogue of the seed's powers
//! with their dated history (src/demo/catalogue.csv, imported through the same path as any
//! file), one account per role, a district inspector, and enterprises with their users
//! ([`accounts`]), the licence register with a licence in every status ([`licences`]). Demo
//! data says so: the `demo` setting makes every page show a banner.

mod accounts;
mod licences;
mod reshape;
mod scale;

pub use accounts::{DemoAccount, demo_enterprises};
pub use scale::{ScalePlan, ScaleReport};

use onewindow_store::PowerFilter;

use crate::{App, AppError};

mod cases;
mod licence_cases;

/// The demo catalogue, in the catalogue file format.
pub const CATALOGUE_CSV: &str = include_str!("demo/catalogue.csv");

/// The setting that marks an installation as holding demo data.
pub const DEMO_SETTING: &str = "demo";

impl App {
    /// This app's store and files on the demo's past clock: what it makes is dated as if made
    /// then, its documents issued inline on that day. It shares the document engine, so the
    /// fonts are loaded once and verification links point to the configured public address.
    fn in_the_past(&self, clock: std::sync::Arc<crate::FixedClock>) -> App {
        let mut past = App::new(
            self.store.clone(),
            self.files.clone(),
            clock,
            self.random.clone(),
        );
        past.documents = self.documents.clone();
        past
    }

    /// Whether this installation holds demo data.
    pub async fn is_demo(&self) -> Result<bool, AppError> {
        Ok(self.store.setting(DEMO_SETTING).await?.as_deref() == Some("true"))
    }

    /// Seeds the demo into an empty database; does nothing (and says so) if it holds a
    /// catalogue already. Returns the demo accounts.
    pub async fn seed_demo(&self) -> Result<Vec<DemoAccount>, AppError> {
        let accounts = accounts::demo_accounts()?;
        if self.is_demo().await? {
            self.seed_demo_accounts().await?;
            return Ok(accounts);
        }
        if !self.store.powers(&PowerFilter::default()).await?.is_empty() {
            return Err(AppError::Refused(
                "this database already holds a catalogue that is not the demo; use another --data-dir for the demo".into(),
            ));
        }
        self.import_catalogue("demo", Some("catalogue.csv"), CATALOGUE_CSV.as_bytes())
            .await?;
        self.seed_demo_licences().await?;
        self.seed_demo_accounts().await?;
        self.store.set_setting(DEMO_SETTING, "true").await?;
        Ok(accounts)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use onewindow_files::LocalFiles;
    use onewindow_store_sql::SqlStore;

    use crate::{App, FixedClock, SystemRandom};

    /// The demo's past shares the server's document engine: one load of the fonts (≈ 50 MB a
    /// copy), and QR links to the configured public address, not the default one.
    #[tokio::test]
    async fn the_past_shares_the_document_engine() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let store = SqlStore::connect(&url, 2).await.expect("connect");
        let now = "2026-11-16T06:00:00Z".parse().expect("timestamp");
        let app = App::new(
            Arc::new(store),
            Arc::new(LocalFiles::new(dir.path().join("files"))),
            Arc::new(FixedClock::new(now)),
            Arc::new(SystemRandom),
        )
        .with_public_url("https://zw.example.gov.cn");
        let past = app.in_the_past(Arc::new(FixedClock::new(now)));
        assert!(Arc::ptr_eq(&past.documents, &app.documents));
        assert_eq!(past.public_url(), "https://zw.example.gov.cn");
    }
}
