//! What the case API tests share: the demo bureau on a fixed day (2026-11-16, a Monday) with
//! the extra staff a journey needs, sign-in with the demo passwords, and requests that carry
//! the session cookie and the CSRF header — multipart (text and `material:<name>` file parts)
//! and JSON.

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use onewindow_domain::access::{Role, Username};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::identifiers::CreditCode;
use serde_json::{Value, json};

use super::{PASSWORD, Reply, Session, TestApp, request};

/// The day the journeys run on (09:00 in China).
pub const DAY: &str = "2026-11-16T01:00:00Z";
/// New pump production licences (power XK-0101): they follow the on-site-first process.
pub const ITEM: &str = "BS-XK-0101-002-XB";
/// The institute the issuance testing is handed to.
pub const INSTITUTE: &str = "210200-ZJY";
/// Accounts the demo does not have: a second inspector (art. 34 needs two on site) and a
/// window clerk of the Ganjingzi district bureau (another org).
pub const INSPECTOR2: &str = "inspector2";
pub const DISTRICT_CLERK: &str = "gjz-clerk";

/// Every material the pump guide requires, except the business licence (the bureau holds it).
pub const GUIDE_MATERIALS: [&str; 6] = [
    "《全国工业产品生产许可证申请书》",
    "生产场所土地或房屋产权证明或租赁合同",
    "主要生产设备和检验设备清单",
    "质量管理制度和责任制度文件目录",
    "专业技术人员和检验人员名单及资格证明",
    "产品执行标准清单及企业标准文本",
];

/// The name and domicile the applicant at the counter declares (the bureau has no record of it).
pub const APPLICANT_NAME: &str = "大连鑫达泵业有限公司";
pub const APPLICANT_ADDRESS: &str = "辽宁省大连市甘井子区营城子工业园 18 号";

/// The applicant at the counter: a Dalian enterprise's credit code.
pub fn applicant() -> String {
    CreditCode::complete("91210211MA0Y8K3L")
        .expect("a credit code")
        .as_str()
        .to_owned()
}

/// A small PDF, different for each `tag` (the store keeps one copy per content).
pub fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}

/// The demo bureau on [`DAY`], with the extra accounts.
pub async fn demo(t: &TestApp) {
    t.app.seed_demo().await.expect("the demo seeds");
    for (name, role, org) in [
        (INSPECTOR2, Role::Inspector, "210200"),
        (DISTRICT_CLERK, Role::WindowClerk, "210211"),
    ] {
        t.app
            .create_user(
                Username::parse(name).expect("a user name"),
                name,
                PASSWORD,
                role,
                OrgCode::parse(org).expect("an org code"),
            )
            .await
            .expect("create a user");
    }
}

/// Signs in a demo account (password `<name>-demo-2026`) or one of the extra accounts.
pub async fn sign_in(t: &TestApp, user: &str) -> Session {
    let password = match user {
        INSPECTOR2 | DISTRICT_CLERK => PASSWORD.to_owned(),
        demo => format!("{demo}-demo-2026"),
    };
    let session = t.app.sign_in(user, &password).await.expect("sign in");
    Session {
        cookie: format!("ow_session={}", session.token),
        csrf: session.csrf_token,
    }
}

/// One part of a multipart body.
pub enum Part {
    Text(String, String),
    /// Part name, file name, bytes.
    File(String, String, Vec<u8>),
}

pub fn text(name: &str, value: &str) -> Part {
    Part::Text(name.to_owned(), value.to_owned())
}

/// A `material:<name>` file part.
pub fn material(name: &str, file_name: &str, bytes: Vec<u8>) -> Part {
    Part::File(format!("material:{name}"), file_name.to_owned(), bytes)
}

/// The parts of a complete window application for [`ITEM`].
pub fn application() -> Vec<Part> {
    let mut parts = vec![
        text("item", ITEM),
        text("applicant", &applicant()),
        text("applicant_name", APPLICANT_NAME),
        text("applicant_address", APPLICANT_ADDRESS),
    ];
    parts.extend(
        GUIDE_MATERIALS
            .iter()
            .map(|name| material(name, "scan.pdf", pdf(name))),
    );
    parts
}

const BOUNDARY: &str = "----onewindow-case-boundary";

fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let (head, bytes) = match part {
            Part::Text(name, value) => (
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
                value.as_bytes(),
            ),
            Part::File(name, file, bytes) => (
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ),
                bytes.as_slice(),
            ),
        };
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl TestApp {
    /// A GET as the signed-in person.
    pub async fn get_as(&self, uri: &str, session: &Session) -> Reply {
        self.get_with(uri, &session.cookie).await
    }

    /// A request as the signed-in person with the CSRF header, a body and extra headers.
    pub async fn send_as(
        &self,
        method: Method,
        uri: &str,
        session: &Session,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut builder = request(method, uri, Some(&session.cookie))
            .header("x-csrf-token", &session.csrf)
            .header(header::CONTENT_TYPE, content_type);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(Body::from(body)).expect("a request"))
            .await
    }

    /// A multipart POST as the signed-in person.
    pub async fn post_parts(
        &self,
        uri: &str,
        session: &Session,
        parts: &[Part],
        headers: &[(&str, &str)],
    ) -> Reply {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.send_as(
            Method::POST,
            uri,
            session,
            &content_type,
            multipart(parts),
            headers,
        )
        .await
    }

    /// A JSON POST as the signed-in person.
    pub async fn post_json_as(&self, uri: &str, session: &Session, body: &Value) -> Reply {
        let bytes = serde_json::to_vec(body).expect("JSON");
        self.send_as(Method::POST, uri, session, "application/json", bytes, &[])
            .await
    }

    /// Submits the complete application at the window; asserts it made a new case.
    pub async fn submit_at_window(&self, clerk: &Session, key: &str) -> Value {
        let reply = self
            .post_parts(
                "/api/v1/cases",
                clerk,
                &application(),
                &[("idempotency-key", key)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.describe());
        reply.json()
    }

    /// The case as `session` sees it (must be visible).
    pub async fn case_as(&self, number: &str, session: &Session) -> Value {
        let reply = self
            .get_as(&format!("/api/v1/cases/{number}"), session)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.describe());
        reply.json()
    }

    /// Makes a move with the case's current version; returns the reply.
    pub async fn try_move(&self, number: &str, session: &Session, mut body: Value) -> Reply {
        let version = self.case_as(number, session).await["version"].clone();
        body["expected_version"] = version;
        self.post_json_as(&format!("/api/v1/cases/{number}/moves"), session, &body)
            .await
    }

    /// Makes a move that must succeed; returns the case after it.
    pub async fn act(&self, number: &str, session: &Session, body: Value) -> Value {
        let what = format!("{}/{}", body["step"], body["outcome"]);
        let reply = self.try_move(number, session, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.describe());
        reply.json()
    }
}

/// A move body: step and outcome, plus the given fields.
pub fn moving(step: &str, outcome: &str, fields: Value) -> Value {
    let mut body = json!({"step": step, "outcome": outcome});
    if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
        body.extend(fields.clone());
    }
    body
}
