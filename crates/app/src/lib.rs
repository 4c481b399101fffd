//! The use cases: each loads what it needs from the store, lets the domain decide, and saves the
//! result with its audit entry in one write. Handlers in `web` and commands in `cli` call these
//! and nothing below them. Time and randomness come in through [`Clock`] and [`Random`].

pub mod accounts;
pub mod calendar;
pub mod cases;
pub mod catalogue;
mod catalogue_cache;
pub mod catalogue_file;
pub mod demo;
pub mod documents;
pub mod enterprises;
mod error;
pub mod licences;
pub mod notifications;
pub mod staff;
pub mod synthetic;
mod time;
mod token_holders;

use std::sync::Arc;

pub use error::AppError;
pub use time::{Clock, FixedClock, Random, SystemClock, SystemRandom, china_date};
pub use token_holders::TOKEN_HOLDER_TTL;

use onewindow_store::{FileStore, Store};

/// Everything a use case needs, cheap to clone and share between requests.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    /// Uploaded materials and generated documents, content-addressed.
    pub files: Arc<dyn FileStore>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    sign_in_limiter: Arc<accounts::SignInLimiter>,
    calendar_cache: Arc<calendar::CalendarCache>,
    /// Orgs and items by the store's catalogue generation (`catalogue_cache.rs`).
    catalogue_cache: Arc<catalogue_cache::CatalogueCache>,
    /// The process definitions read last (`cases/definitions.rs`).
    definition_cache: Arc<cases::DefinitionCache>,
    /// The verified logs of the cases changed or loaded last (`cases/log_cache.rs`).
    log_cache: Arc<cases::LogCache>,
    /// Open cases the sweeper found with nothing due today (`cases/quiet_cases.rs`).
    quiet_cases: Arc<cases::QuietCases>,
    /// Fonts and the renderer for documents, found and built on first use.
    documents: Arc<documents::DocumentEngine>,
    /// Inline or background issuing of case documents (`cases/document_jobs.rs`).
    document_jobs: Arc<cases::DocumentJobs>,
    /// Bearer tokens' holders, remembered for a moment (`token_holders.rs`).
    token_holders: Arc<token_holders::TokenHolders>,
    /// Whether notifications get an e-mail copy in the outbox (SMTP is configured).
    notification_mail: bool,
}

impl App {
    pub fn new(
        store: Arc<dyn Store>,
        files: Arc<dyn FileStore>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
    ) -> Self {
        Self {
            store,
            files,
            clock,
            random,
            sign_in_limiter: Arc::default(),
            calendar_cache: Arc::default(),
            catalogue_cache: Arc::default(),
            definition_cache: Arc::default(),
            log_cache: Arc::default(),
            quiet_cases: Arc::default(),
            documents: Arc::default(),
            document_jobs: Arc::default(),
            token_holders: Arc::default(),
            notification_mail: false,
        }
    }

    /// Copies each notification to its recipient's e-mail address, through the outbox that
    /// [`App::drain_mail`] sends (set when SMTP is configured).
    pub fn with_notification_mail(mut self) -> Self {
        self.notification_mail = true;
        self
    }

    /// Remembers a bearer token's holder for `ttl` instead of [`TOKEN_HOLDER_TTL`] (tests).
    pub fn with_token_holder_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.token_holders = Arc::new(token_holders::TokenHolders::with_ttl(ttl));
        self
    }

    /// Today's date in China (UTC+8, no daylight saving), the day the law's dates are counted in.
    pub fn today(&self) -> jiff::civil::Date {
        china_date(self.clock.now())
    }
}
