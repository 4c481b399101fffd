//! A small HTTP/1.1 client for the load generator: one keep-alive connection per worker (no
//! pool to contend on, no TLS — the server is on 127.0.0.1 or a trusted network), reconnecting
//! after the server closed or died. Requests carry an API token, so no cookies or CSRF.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// How long one request may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An answer: status and body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(400)
            .collect()
    }
}

/// A request that got no answer: the connection failed, broke or timed out.
#[derive(Debug, Clone)]
pub struct Unanswered(pub String);

/// What to send.
pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Bytes,
}

impl<'a> Call<'a> {
    pub fn get(path: &'a str, token: &'a str) -> Self {
        Call {
            method: Method::GET,
            path,
            token: Some(token),
            content_type: None,
            headers: &[],
            body: Bytes::new(),
        }
    }

    pub fn post_json(path: &'a str, token: Option<&'a str>, body: &serde_json::Value) -> Self {
        Call {
            method: Method::POST,
            path,
            token,
            content_type: Some("application/json"),
            headers: &[],
            body: Bytes::from(body.to_string()),
        }
    }
}

/// One connection to the server, opened on first use and again after it broke.
pub struct Connection {
    addr: SocketAddr,
    host: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    pub fn new(addr: SocketAddr) -> Self {
        Connection {
            addr,
            host: addr.to_string(),
            sender: None,
        }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, Unanswered> {
        if self.sender.as_ref().is_none_or(SendRequest::is_closed) {
            let stream = TcpStream::connect(self.addr)
                .await
                .map_err(|e| Unanswered(format!("connect to {}: {e}", self.addr)))?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) = http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| Unanswered(format!("handshake: {e}")))?;
            tokio::spawn(async move {
                // Ends when the server closes the connection or dies; the next request
                // reconnects.
                let _ = connection.await;
            });
            self.sender = Some(sender);
        }
        self.sender
            .as_mut()
            .ok_or_else(|| Unanswered("no connection".into()))
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&mut self, call: Call<'_>) -> Result<Reply, Unanswered> {
        let result = tokio::time::timeout(REQUEST_TIMEOUT, self.exchange(call)).await;
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(_) => Err(Unanswered(format!("no answer within {REQUEST_TIMEOUT:?}"))),
        };
        if outcome.is_err() {
            // A half-read answer leaves the connection unusable.
            self.sender = None;
        }
        outcome
    }

    async fn exchange(&mut self, call: Call<'_>) -> Result<Reply, Unanswered> {
        let mut builder = Request::builder()
            .method(call.method)
            .uri(call.path)
            .header(HOST, self.host.as_str());
        if let Some(token) = call.token {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(content_type) = call.content_type {
            builder = builder.header(CONTENT_TYPE, content_type);
        }
        for (name, value) in call.headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(Full::new(call.body))
            .map_err(|e| Unanswered(format!("bad request: {e}")))?;
        let sender = self.connect().await?;
        sender
            .ready()
            .await
            .map_err(|e| Unanswered(format!("connection: {e}")))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| Unanswered(format!("send: {e}")))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| Unanswered(format!("read the answer: {e}")))?
            .to_bytes();
        Ok(Reply { status, body })
    }
}

/// The address of an `http://host:port` URL.
pub async fn resolve(url: &str) -> Result<SocketAddr, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        format!("--url {url}: only http:// is supported (run the bench next to the server)")
    })?;
    let host = rest.trim_end_matches('/');
    if host.contains('/') {
        return Err(format!(
            "--url {url}: give the server's root, e.g. http://127.0.0.1:8080"
        ));
    }
    tokio::net::lookup_host(host)
        .await
        .map_err(|e| format!("--url {url}: {e}"))?
        .next()
        .ok_or_else(|| format!("--url {url}: no address"))
}
