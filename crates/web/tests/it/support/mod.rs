//! What the in-process HTTP tests share: a fresh application on its own SQLite file in a temp
//! dir, a fixed clock (2026-11-28, 10:00 in China), a small seeded catalogue, two staff accounts,
//! and a thin client that sends one request through the router with `oneshot`.
//!
//! Each test file uses a different subset of these helpers, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use onewindow_app::{App, FixedClock, SystemRandom};
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::{CatalogueCode, ItemStatus, OrgCode};
use onewindow_files::LocalFiles;
use onewindow_store::{AuditEntry, PowerFilter};
use onewindow_store_sql::SqlStore;
use tempfile::TempDir;
use tower::ServiceExt;

/// The instant every test runs at: 2026-11-28T10:00 in China.
pub const NOW: &str = "2026-11-28T02:00:00Z";

pub const ADMIN: &str = "admin";
pub const CLERK: &str = "clerk";
pub const PASSWORD: &str = "a-long-password-1";

/// The pump power: the only one whose name holds 泵. Category 01, statutory, org 210200.
pub const PUMP: &str = "XK-0101-001";
/// Category 01, delegated, org 210202, in force.
pub const CABLE: &str = "XK-0101-002";
/// Category 02, entrusted, org 210200, cancelled in 2020.
pub const PENALTY: &str = "CF-0201-001";
/// The pump power's published guide.
pub const PUMP_GUIDE: &str = "FW-0101-001-01";
/// The cable power's draft guide, without a phone or a fee statement.
pub const CABLE_DRAFT: &str = "FW-0101-002-01";

/// One application on its own database.
pub struct TestApp {
    pub app: App,
    router: Router,
    _dir: TempDir,
    /// Keeps a PostgreSQL test database alive as long as the app (dropped after it).
    _pg: Option<onewindow_testkit::TestDatabase>,
}

/// A signed-in staff member: the cookie to send and the CSRF token forms echo.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .map(|v| v.to_str().expect("an ASCII header"))
            .unwrap_or_else(|| panic!("no {name} header; status {}", self.status))
    }

    pub fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE)
    }

    /// The status and body, for assertion messages.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.status, String::from_utf8_lossy(&self.body))
    }
}

pub mod cases;
mod catalogue;

impl TestApp {
    /// A seeded application with an administrator and a window clerk.
    pub async fn new() -> TestApp {
        Self::with_demo_flag(true).await
    }

    pub async fn with_demo_flag(demo: bool) -> TestApp {
        let dir = tempfile::tempdir().expect("a temp dir");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let store = SqlStore::connect(&url, 4).await.expect("open SQLite");
        let now = NOW.parse().expect("a timestamp");
        let app = App::new(
            Arc::new(store),
            Arc::new(LocalFiles::new(dir.path().join("files"))),
            Arc::new(FixedClock::new(now)),
            Arc::new(SystemRandom),
        );
        let audit = AuditEntry {
            at: now,
            actor: "test".into(),
            action: "import".into(),
            detail: "test catalogue".into(),
        };
        app.store
            .write_catalogue(&catalogue::batch(), &audit)
            .await
            .expect("seed the catalogue");
        for (name, display, role) in [
            (ADMIN, "管理员", Role::Administrator),
            (CLERK, "受理员", Role::WindowClerk),
        ] {
            app.create_user(
                Username::parse(name).expect("a user name"),
                display,
                PASSWORD,
                role,
                OrgCode::parse("210200").expect("an org code"),
            )
            .await
            .expect("create a user");
        }
        let router = onewindow_web::router(onewindow_web::AppState {
            app: app.clone(),
            metrics: None,
            demo,
            admission: onewindow_web::Admission::unlimited(),
        });
        TestApp {
            app,
            router,
            _dir: dir,
            _pg: None,
        }
    }

    /// An application on the database at `url` (migrated, nothing seeded), its clock fixed at
    /// `now` (e.g. `2026-11-16T01:00:00Z`).
    pub async fn with_url(url: &str, now: &str) -> TestApp {
        Self::on(url, now, tempfile::tempdir().expect("a temp dir")).await
    }

    /// An application on `url` keeping its files in `dir`.
    async fn on(url: &str, now: &str, dir: TempDir) -> TestApp {
        let store = SqlStore::connect(url, 4).await.expect("open the database");
        let app = App::new(
            Arc::new(store),
            Arc::new(LocalFiles::new(dir.path().join("files"))),
            Arc::new(FixedClock::new(now.parse().expect("a timestamp"))),
            Arc::new(SystemRandom),
        );
        let router = onewindow_web::router(onewindow_web::AppState {
            app: app.clone(),
            metrics: None,
            demo: false,
            admission: onewindow_web::Admission::unlimited(),
        });
        TestApp {
            app,
            router,
            _dir: dir,
            _pg: None,
        }
    }

    /// An empty application on a new SQLite file, its clock at `now`.
    pub async fn empty_sqlite(now: &str) -> TestApp {
        let db = tempfile::tempdir().expect("a temp dir");
        let url = format!("sqlite://{}/t.db", db.path().display());
        Self::on(&url, now, db).await
    }

    /// An empty application on a new PostgreSQL database, its clock at `now`; `None` when
    /// PostgreSQL tests are skipped (`ONEWINDOW_SKIP_POSTGRES=1`).
    pub async fn empty_postgres(now: &str) -> Option<TestApp> {
        let db = onewindow_testkit::postgres_database()?;
        let mut t = Self::with_url(&db.url, now).await;
        t._pg = Some(db);
        Some(t)
    }

    /// The same application behind a router handling at most what `admission` allows at once.
    pub fn admitting(mut self, admission: onewindow_web::Admission) -> TestApp {
        self.router = onewindow_web::router(onewindow_web::AppState {
            app: self.app.clone(),
            metrics: None,
            demo: false,
            admission,
        });
        self
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("read the body")
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(request(Method::GET, uri, None).body(Body::empty()).unwrap())
            .await
    }

    /// A GET with a `Cookie` header.
    pub async fn get_with(&self, uri: &str, cookie: &str) -> Reply {
        self.send(
            request(Method::GET, uri, Some(cookie))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A POST of an urlencoded form.
    pub async fn post_form(&self, uri: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(form).expect("encode the form");
        self.send(
            request(Method::POST, uri, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A POST of a multipart form: `(name, file name, bytes)` for each part.
    pub async fn post_multipart(
        &self,
        uri: &str,
        cookie: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Reply {
        const BOUNDARY: &str = "----onewindow-test-boundary";
        let mut body = Vec::new();
        for (name, file_name, bytes) in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            let disposition = match file_name {
                Some(f) => format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                ),
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.send(
            request(Method::POST, uri, Some(cookie))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Signs in through the use case (the sign-in page has its own tests).
    pub async fn sign_in(&self, username: &str) -> Session {
        let session = self.app.sign_in(username, PASSWORD).await.expect("sign in");
        Session {
            cookie: format!("ow_session={}", session.token),
            csrf: session.csrf_token,
        }
    }

    /// A power as the public API serves it (must be found).
    pub async fn api_power(&self, code: &str) -> serde_json::Value {
        let reply = self.get(&format!("/api/v1/powers/{code}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
        reply.json()
    }

    pub async fn power_count(&self) -> usize {
        self.app
            .store
            .powers(&PowerFilter::default())
            .await
            .expect("list powers")
            .len()
    }

    /// A power's stored version (what an edit form carries as `_version`).
    pub async fn power_version(&self, code: &str) -> i64 {
        let code = CatalogueCode::parse(code).expect("a code");
        self.app
            .store
            .power(&code)
            .await
            .expect("read the power")
            .expect("the power exists")
            .version
    }

    pub async fn item_status(&self, code: &str) -> ItemStatus {
        let code = CatalogueCode::parse(code).expect("a code");
        self.app
            .store
            .item(&code)
            .await
            .expect("read the item")
            .expect("the item exists")
            .value
            .status
    }

    pub async fn item_version(&self, code: &str) -> i64 {
        let code = CatalogueCode::parse(code).expect("a code");
        self.app
            .store
            .item(&code)
            .await
            .expect("read the item")
            .expect("the item exists")
            .version
    }
}

fn request(method: Method, uri: &str, cookie: Option<&str>) -> axum::http::request::Builder {
    let builder = Request::builder().method(method).uri(uri);
    match cookie {
        Some(c) => builder.header(header::COOKIE, c),
        None => builder,
    }
}

/// Percent-encodes a query value (UTF-8 bytes, everything but unreserved characters).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Asserts an API answer is a 4xx problem document naming `name`; returns the document.
#[track_caller]
pub fn assert_problem(reply: &Reply, status: StatusCode, name: &str) -> serde_json::Value {
    assert_eq!(reply.status, status, "{}", reply.describe());
    assert_eq!(reply.content_type(), "application/problem+json");
    let doc = reply.json();
    assert_eq!(doc["status"], status.as_u16());
    let named = doc["errors"]
        .as_array()
        .is_some_and(|errors| errors.iter().any(|e| e["name"] == name));
    assert!(named, "the problem names \"{name}\": {doc}");
    doc
}

/// A new power with every field of `Power::FIELDS` filled.
pub fn new_power<'a>(session: &'a Session, code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", session.csrf.as_str()),
        ("_version", ""),
        ("code", code),
        ("name_zh", "压力容器生产许可"),
        ("name_en", "Pressure vessel production licence"),
        ("category", "01"),
        ("parent_code", ""),
        ("source", "statutory"),
        ("implementing_org", "210200"),
        ("handling_level", "city"),
        ("legal_basis", "《中华人民共和国特种设备安全法》|第十八条"),
        ("procedure", "申请、受理、审查、决定"),
        ("statutory_limit_days", "20"),
        ("promised_limit_days", "10"),
        ("fee_basis", ""),
        ("supervision", "12345"),
        ("responsibilities", "受理责任|依法受理或不予受理"),
        ("accountability", "《行政许可法》第七十二条"),
        ("history", "2020-01-01|established|国发〔2020〕1号"),
    ]
}
