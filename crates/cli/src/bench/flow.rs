//! The journey every bench case makes over HTTP, the industrial production licence for pumps
//! (BS-XK-0101-002-XB, on-site verification first): the enterprise applies online with its six
//! materials, the clerk accepts, two inspectors pass the site (art. 34), the reviewer finds
//! documents and site conforming and hands the issuance testing to the institute (the clock
//! pauses, art. 45), the institute reports, the signatory grants — or, for every tenth case,
//! denies with reasons (art. 38) — and the clerk issues the certificate. Seven transitions, six
//! for a denial: the peers' process (../shared/bench) has the same seven user steps.

use bytes::Bytes;
use hyper::Method;
use serde::Deserialize;
use serde_json::json;

use super::http::{Call, Connection, Reply};

pub const ITEM: &str = "BS-XK-0101-002-XB";
pub const INSTITUTE: &str = "210200-ZJY";
/// The second inspector on site beside the one who records the result (art. 34).
const SECOND_INSPECTOR: &str = "inspector.wang";

/// Every material the pump guide requires (the bureau holds the business licence).
pub const MATERIALS: [&str; 6] = [
    "《全国工业产品生产许可证申请书》",
    "生产场所土地或房屋产权证明或租赁合同",
    "主要生产设备和检验设备清单",
    "质量管理制度和责任制度文件目录",
    "专业技术人员和检验人员名单及资格证明",
    "产品执行标准清单及企业标准文本",
];

const BOUNDARY: &str = "----onewindow-bench-boundary";
/// A request the server failed (5xx) is sent again this many times, as a client would: a
/// submission with its idempotency key, a move with its expected version.
const RETRIES: u32 = 10;

/// What a request does; every kind but `Read` changes the case (a transition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Submit,
    Accept,
    OnSite,
    Review,
    Report,
    Read,
    Grant,
    Deny,
    Issue,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Submit,
        Kind::Accept,
        Kind::OnSite,
        Kind::Review,
        Kind::Report,
        Kind::Read,
        Kind::Grant,
        Kind::Deny,
        Kind::Issue,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Submit => "submit",
            Kind::Accept => "accept",
            Kind::OnSite => "on_site_pass",
            Kind::Review => "review_hand_over",
            Kind::Report => "institute_report",
            Kind::Read => "read_case",
            Kind::Grant => "grant",
            Kind::Deny => "deny",
            Kind::Issue => "issue",
        }
    }

    pub fn is_transition(self) -> bool {
        self != Kind::Read
    }

    /// The timeline event this transition leaves (what the durability check looks for).
    pub fn event(self) -> Option<&'static str> {
        match self {
            Kind::Submit => Some("submitted"),
            Kind::Accept => Some("accepted"),
            Kind::OnSite => Some("on_site_verified"),
            Kind::Review => Some("pause_started"),
            Kind::Report => Some("pause_ended"),
            Kind::Read => None,
            Kind::Grant => Some("granted"),
            Kind::Deny => Some("denied"),
            Kind::Issue => Some("licence_issued"),
        }
    }
}

/// The API tokens the journey acts with.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// One per registered enterprise; case `i` applies with `enterprises[i % len]`.
    pub enterprises: Vec<String>,
    pub clerk: String,
    pub inspector: String,
    pub reviewer: String,
    pub institute: String,
    pub signatory: String,
}

/// One case on its way through the journey.
#[derive(Debug, Clone)]
pub struct CaseRun {
    pub index: u64,
    /// Set by the submission's answer.
    pub number: Option<String>,
    pub version: i64,
    /// `None` once the case is issued or denied.
    pub next: Option<Kind>,
    pub deny: bool,
    /// Server failures retried so far.
    pub retries: u32,
    /// Moves ask for the number and version only (`Prefer: return=minimal`).
    pub minimal_answers: bool,
}

/// Why a request did not move the case on.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `409`, `500`, `unanswered`, `bad answer` …
    pub what: String,
    pub detail: String,
}

#[derive(Deserialize)]
struct CaseAnswer {
    number: String,
    version: i64,
}

impl CaseRun {
    pub fn new(index: u64) -> Self {
        CaseRun {
            index,
            number: None,
            version: 0,
            next: Some(Kind::Submit),
            deny: index % 10 == 9,
            retries: 0,
            minimal_answers: false,
        }
    }

    /// The same case, its moves asking for minimal answers when `minimal`.
    pub fn answered(self, minimal: bool) -> Self {
        CaseRun {
            minimal_answers: minimal,
            ..self
        }
    }

    /// After a server failure (5xx): how long to wait before sending the same request again,
    /// or `None` when it is not worth retrying. The failure is then reported as retried.
    pub fn retry(&mut self, failure: &mut Failure) -> Option<std::time::Duration> {
        if !failure.what.starts_with('5') || self.retries >= RETRIES {
            return None;
        }
        self.retries += 1;
        failure.what.push_str(" (retried)");
        Some(std::time::Duration::from_millis(
            10 * u64::from(self.retries),
        ))
    }

    /// The enterprise token of this case's applicant.
    pub fn applicant<'a>(&self, tokens: &'a Tokens) -> &'a str {
        let n = tokens.enterprises.len().max(1);
        tokens
            .enterprises
            .get(usize::try_from(self.index).unwrap_or(0) % n)
            .map_or("", String::as_str)
    }

    fn path(&self) -> String {
        let number = self.number.as_deref().unwrap_or("-");
        match self.next {
            Some(Kind::Submit) => "/api/v1/cases".into(),
            Some(Kind::Read) => format!("/api/v1/cases/{number}"),
            _ => format!("/api/v1/cases/{number}/moves"),
        }
    }

    /// Sends the next request of the journey and moves on with its answer.
    pub async fn step(
        &mut self,
        tokens: &Tokens,
        run: &str,
        connection: &mut Connection,
    ) -> Outcome {
        let Some(kind) = self.next else {
            return Outcome::Done;
        };
        let path = self.path();
        let key = format!("bench-{run}-{}", self.index);
        let headers = [("idempotency-key", key.as_str())];
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        let call = match kind {
            Kind::Submit => Call {
                method: Method::POST,
                path: &path,
                token: Some(self.applicant(tokens)),
                content_type: Some(&content_type),
                headers: &headers,
                body: application(run, self.index),
            },
            Kind::Read => Call::get(&path, &tokens.signatory),
            move_kind => {
                let (token, body) = self.move_body(move_kind, tokens);
                let prefer: &[(&str, &str)] = match self.minimal_answers {
                    true => &[("prefer", "return=minimal")],
                    false => &[],
                };
                Call {
                    headers: prefer,
                    ..Call::post_json(&path, Some(token), &body)
                }
            }
        };
        let reply = match connection.send(call).await {
            Ok(reply) => reply,
            Err(e) => {
                return Outcome::Failed(
                    kind,
                    Failure {
                        what: "unanswered".into(),
                        detail: e.0,
                    },
                );
            }
        };
        match self.advance(kind, &reply) {
            Ok(()) => Outcome::Moved(kind),
            Err(failure) => Outcome::Failed(kind, failure),
        }
    }

    fn move_body<'a>(&self, kind: Kind, tokens: &'a Tokens) -> (&'a str, serde_json::Value) {
        let v = self.version;
        match kind {
            Kind::Accept => (
                &tokens.clerk,
                json!({"step": "acceptance", "outcome": "accept", "expected_version": v}),
            ),
            Kind::OnSite => (
                &tokens.inspector,
                json!({"step": "onsite_verification", "outcome": "pass", "expected_version": v,
                       "inspectors": ["inspector", SECOND_INSPECTOR]}),
            ),
            Kind::Review => (
                &tokens.reviewer,
                json!({"step": "document_review", "outcome": "conforms", "expected_version": v,
                       "opinion": "材料齐全，现场核查合格", "hand_over": {"issuance_testing": INSTITUTE}}),
            ),
            Kind::Report => (
                &tokens.institute,
                json!({"step": "issuance_testing", "outcome": "pass", "expected_version": v,
                       "result": "样品检验合格"}),
            ),
            Kind::Grant => (
                &tokens.signatory,
                json!({"step": "decision", "outcome": "grant", "expected_version": v}),
            ),
            Kind::Deny => (
                &tokens.signatory,
                json!({"step": "decision", "outcome": "deny", "expected_version": v,
                       "reasons": ["产品检验项目不符合产品实施细则要求"]}),
            ),
            _ => (
                &tokens.clerk,
                json!({"step": "certificate", "outcome": "issue", "expected_version": v}),
            ),
        }
    }

    /// Reads the answer to `kind` and sets what comes next.
    fn advance(&mut self, kind: Kind, reply: &Reply) -> Result<(), Failure> {
        let expected: &[u16] = match kind {
            Kind::Submit => &[200, 201],
            // The report hands the case back out of the institute's sight.
            Kind::Report => &[200, 204],
            _ => &[200],
        };
        if !expected.contains(&reply.status) {
            return Err(Failure {
                what: reply.status.to_string(),
                detail: reply.text(),
            });
        }
        if reply.status != 204 {
            let answer: CaseAnswer = serde_json::from_slice(&reply.body).map_err(|e| Failure {
                what: "bad answer".into(),
                detail: e.to_string(),
            })?;
            self.number = Some(answer.number);
            self.version = answer.version;
        }
        self.next = match kind {
            Kind::Submit => Some(Kind::Accept),
            Kind::Accept => Some(Kind::OnSite),
            Kind::OnSite => Some(Kind::Review),
            Kind::Review => Some(Kind::Report),
            // The signatory opens the case to see its version before deciding.
            Kind::Report if reply.status == 204 => Some(Kind::Read),
            Kind::Report | Kind::Read => Some(if self.deny { Kind::Deny } else { Kind::Grant }),
            Kind::Grant => Some(Kind::Issue),
            Kind::Deny | Kind::Issue => None,
        };
        Ok(())
    }

    /// Picks the journey up from the case as the server has it (after a restart lost an
    /// answer): the timeline's event types say which transitions were made.
    pub fn resume_from(&mut self, version: i64, events: &[String]) {
        self.version = version;
        let has = |t: &str| events.iter().any(|e| e == t);
        self.next = if has("denied") || has("licence_issued") {
            None
        } else if has("granted") {
            Some(Kind::Issue)
        } else if has("pause_ended") {
            Some(if self.deny { Kind::Deny } else { Kind::Grant })
        } else if has("pause_started") {
            Some(Kind::Report)
        } else if has("on_site_verified") {
            Some(Kind::Review)
        } else if has("accepted") {
            Some(Kind::OnSite)
        } else {
            Some(Kind::Accept)
        };
    }
}

/// What one step did.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The journey was already over.
    Done,
    /// The request of this kind was answered and the case moved on.
    Moved(Kind),
    Failed(Kind, Failure),
}

/// The multipart body of an online application: the item and six small PDFs, different for
/// every case (the file store keeps one copy per content, as it would of real scans).
fn application(run: &str, index: u64) -> Bytes {
    let mut body = Vec::with_capacity(4096);
    let mut part = |head: String, bytes: &[u8]| {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n{head}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"item\"".into(),
        ITEM.as_bytes(),
    );
    for name in MATERIALS {
        let pdf = format!(
            "%PDF-1.4\n% onewindow bench {run} case {index}: {name}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        );
        part(
            format!(
                "Content-Disposition: form-data; name=\"material:{name}\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf"
            ),
            pdf.as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Bytes::from(body)
}
