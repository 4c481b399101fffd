//! Shared setup for the app-layer catalogue tests: a fresh database per test (SQLite in a
//! temporary directory, or PostgreSQL from the testkit), an `App` on a fixed clock, a snapshot of
//! the whole catalogue to assert "nothing changed", builders for CSV and XLSX inputs, and helpers
//! that find an import problem by position. It must not hold assertions about behaviour: the
//! test files do.
#![allow(dead_code)]

pub mod cases;
pub mod files;
pub mod rich;

use std::sync::Arc;

use jiff::Timestamp;
use onewindow_app::catalogue_file::ImportSummary;
use onewindow_app::{App, AppError, FixedClock, SystemRandom};
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::{FeeItem, Org, OrgCode, Power, ServiceItem};
use onewindow_files::LocalFiles;
use onewindow_interchange::{Format, Problem};
use onewindow_store::{AuditEntry, CatalogueBatch, PowerFilter, UserRecord, Versioned, Write};
use onewindow_store_sql::SqlStore;
use onewindow_testkit::TestDatabase;

/// The instant the fixed clock shows: 2026-03-15 10:00 in China.
pub const NOW: &str = "2026-03-15T02:00:00Z";

/// An app on its own fresh database; the guards keep the database alive as long as the app.
pub struct TestApp {
    pub app: App,
    pub clock: Arc<FixedClock>,
    _files: tempfile::TempDir,
    /// The database URL (for tests that must reach under the store, e.g. to tamper).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<TestDatabase>,
}

impl std::ops::Deref for TestApp {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

async fn app_on(url: &str) -> (App, Arc<FixedClock>, tempfile::TempDir) {
    let store = SqlStore::connect(url, 4).await.expect("connect");
    let clock = Arc::new(FixedClock::new(NOW.parse().expect("timestamp")));
    let files_dir = tempfile::tempdir().expect("temp dir for files");
    let files = Arc::new(LocalFiles::new(files_dir.path()));
    let app = App::new(
        Arc::new(store),
        files,
        clock.clone(),
        Arc::new(SystemRandom),
    );
    (app, clock, files_dir)
}

/// An app on a new SQLite file.
pub async fn sqlite_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let (app, clock, files) = app_on(&url).await;
    TestApp {
        app,
        clock,
        _files: files,
        url,
        _dir: Some(dir),
        _pg: None,
    }
}

/// An app on a new PostgreSQL database; `None` (after a "skipped" note) when
/// `ONEWINDOW_SKIP_POSTGRES=1`.
pub async fn postgres_app() -> Option<TestApp> {
    let db = onewindow_testkit::postgres_database()?;
    let (app, clock, files) = app_on(&db.url).await;
    Some(TestApp {
        app,
        clock,
        _files: files,
        url: db.url.clone(),
        _dir: None,
        _pg: Some(db),
    })
}

/// A second app on the same SQLite file as `t` (another instance), with its own clock at the
/// same instant.
pub async fn sqlite_app_sharing(t: &TestApp) -> TestApp {
    let (app, clock, files) = app_on(&t.url).await;
    clock.set(onewindow_app::Clock::now(t.clock.as_ref()));
    TestApp {
        app,
        clock,
        _files: files,
        url: t.url.clone(),
        _dir: None,
        _pg: None,
    }
}

/// Another PostgreSQL database in the same cluster as `t` (drop it before `t`).
pub async fn postgres_app_beside(t: &TestApp) -> TestApp {
    let admin = t._pg.as_ref().expect("a PostgreSQL app").admin_url();
    let db = TestDatabase::create_in(admin).expect("create a second database");
    let (app, clock, files) = app_on(&db.url).await;
    TestApp {
        app,
        clock,
        _files: files,
        url: db.url.clone(),
        _dir: None,
        _pg: Some(db),
    }
}

/// A second app on the same PostgreSQL database as `t` (another instance), with its own clock
/// at the same instant.
pub async fn postgres_app_sharing(t: &TestApp) -> TestApp {
    let url = &t._pg.as_ref().expect("a PostgreSQL app").url;
    let (app, clock, files) = app_on(url).await;
    clock.set(onewindow_app::Clock::now(t.clock.as_ref()));
    TestApp {
        app,
        clock,
        _files: files,
        url: url.clone(),
        _dir: None,
        _pg: None,
    }
}

/// Sets the fixed clock to an instant (`2026-06-02T02:00:00Z`).
pub fn set_clock(t: &TestApp, at: &str) {
    t.clock.set(at.parse::<Timestamp>().expect("timestamp"));
}

/// A whole catalogue as domain records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    pub orgs: Vec<Org>,
    pub powers: Vec<Power>,
    pub items: Vec<ServiceItem>,
    pub fees: Vec<FeeItem>,
}

impl Catalogue {
    /// The records ordered by code, as the store lists them.
    pub fn sorted(mut self) -> Self {
        self.orgs.sort_by(|a, b| a.code.cmp(&b.code));
        self.powers.sort_by(|a, b| a.code.cmp(&b.code));
        self.items.sort_by(|a, b| a.code.cmp(&b.code));
        self.fees.sort_by(|a, b| a.code.cmp(&b.code));
        self
    }

    pub fn batch(&self) -> CatalogueBatch {
        CatalogueBatch {
            orgs: self.orgs.iter().cloned().map(Write::new).collect(),
            powers: self.powers.iter().cloned().map(Write::new).collect(),
            items: self.items.iter().cloned().map(Write::new).collect(),
            fees: self.fees.iter().cloned().map(Write::new).collect(),
        }
    }
}

/// Writes a catalogue straight through the store (no import), as seed data.
pub async fn seed(app: &App, catalogue: &Catalogue) {
    let audit = AuditEntry {
        at: app.clock.now(),
        actor: "seed".into(),
        action: "seed".into(),
        detail: "test seed".into(),
    };
    app.store
        .write_catalogue(&catalogue.batch(), &audit)
        .await
        .expect("seed the catalogue");
}

/// What the store holds, read back through the store.
pub async fn stored(app: &App) -> Catalogue {
    let store = &app.store;
    Catalogue {
        orgs: store.orgs().await.expect("orgs"),
        powers: store.powers(&PowerFilter::default()).await.expect("powers"),
        items: store.items(&Default::default()).await.expect("items"),
        fees: store.fees().await.expect("fees"),
    }
    .sorted()
}

/// Everything a write could touch: every record with its version, and the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub orgs: Vec<Org>,
    pub powers: Vec<Versioned<Power>>,
    pub items: Vec<Versioned<ServiceItem>>,
    pub fees: Vec<Versioned<FeeItem>>,
    pub audit: Vec<AuditEntry>,
}

impl Snapshot {
    /// The records without their versions.
    pub fn records(&self) -> Catalogue {
        Catalogue {
            orgs: self.orgs.clone(),
            powers: self.powers.iter().map(|v| v.value.clone()).collect(),
            items: self.items.iter().map(|v| v.value.clone()).collect(),
            fees: self.fees.iter().map(|v| v.value.clone()).collect(),
        }
    }

    /// Every record's version, powers then items then fees.
    pub fn versions(&self) -> Vec<i64> {
        let powers = self.powers.iter().map(|v| v.version);
        let items = self.items.iter().map(|v| v.version);
        powers
            .chain(items)
            .chain(self.fees.iter().map(|v| v.version))
            .collect()
    }
}

pub async fn snapshot(app: &App) -> Snapshot {
    let records = stored(app).await;
    let store = &app.store;
    let mut snap = Snapshot {
        orgs: records.orgs,
        powers: Vec::new(),
        items: Vec::new(),
        fees: Vec::new(),
        audit: store.catalogue_audit(10_000).await.expect("audit"),
    };
    for p in &records.powers {
        snap.powers
            .push(store.power(&p.code).await.expect("power").expect("listed"));
    }
    for i in &records.items {
        snap.items
            .push(store.item(&i.code).await.expect("item").expect("listed"));
    }
    for f in &records.fees {
        snap.fees
            .push(store.fee(&f.code).await.expect("fee").expect("listed"));
    }
    snap
}

/// Exports, panicking on failure.
pub async fn export(app: &App, format: Format) -> Vec<u8> {
    app.export_catalogue(format).await.expect("export")
}

/// Imports, panicking with every problem on failure.
pub async fn import(app: &App, name: &str, bytes: &[u8]) -> ImportSummary {
    match app.import_catalogue("admin", Some(name), bytes).await {
        Ok(summary) => summary,
        Err(AppError::Import(problems)) => panic!("import refused:\n{}", listed(&problems)),
        Err(other) => panic!("import failed: {other}"),
    }
}

/// Imports a file that must be refused; asserts the database did not change (records, versions
/// and audit log) and returns every problem.
pub async fn refused(app: &App, name: &str, bytes: &[u8]) -> Vec<Problem> {
    let before = snapshot(app).await;
    let result = app.import_catalogue("admin", Some(name), bytes).await;
    let problems = match result {
        Err(AppError::Import(problems)) => problems,
        Ok(summary) => panic!("the import was accepted: {summary:?}"),
        Err(other) => panic!("expected AppError::Import, got {other:?}"),
    };
    assert!(!problems.is_empty(), "refused without a problem");
    assert_eq!(
        snapshot(app).await,
        before,
        "a refused import changed the database"
    );
    problems
}

/// The problems one per line, as a person reads them.
pub fn listed(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The one problem at this position whose message contains `needle`; panics listing them all.
/// `column` is the header name; `None` for a position means "must be absent".
pub fn problem_at<'a>(
    problems: &'a [Problem],
    sheet: Option<&str>,
    row: Option<u32>,
    column: Option<&str>,
    needle: &str,
) -> &'a Problem {
    let found: Vec<&Problem> = problems
        .iter()
        .filter(|p| {
            p.sheet.as_deref() == sheet
                && p.row == row
                && p.column.as_ref().map(|c| c.name.as_str()) == column
                && p.message.contains(needle)
        })
        .collect();
    match found.as_slice() {
        [one] => one,
        [] => panic!(
            "no problem at sheet {sheet:?}, row {row:?}, column {column:?} containing {needle:?}; got:\n{}",
            listed(problems)
        ),
        many => panic!(
            "{} problems match {needle:?}:\n{}",
            many.len(),
            listed(problems)
        ),
    }
}

/// An account with this role in org 210200 (which the catalogue must hold).
pub async fn user(app: &App, name: &str, role: Role) -> UserRecord {
    let username = Username::parse(name).expect("user name");
    let org = OrgCode::parse("210200").expect("org code");
    app.create_user(username.clone(), name, "long-enough-password", role, org)
        .await
        .expect("create user");
    app.store
        .user_by_name(&username)
        .await
        .expect("read user")
        .expect("user exists")
}
