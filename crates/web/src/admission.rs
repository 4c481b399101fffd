//! How many requests are handled at once (issue 6, overload). Past the limit a request is
//! answered at once with 503 and `Retry-After: 1` — problem+json on the API, a short page
//! elsewhere — instead of waiting: a queue that grows under overload makes every request late
//! and holds each one's body in memory (an open-loop load at five times the capacity took the
//! server past 0.8 GB). `/healthz` and `/metrics` are always answered, so operators and load
//! balancers see an overloaded instance as alive and busy.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

/// The requests in flight allowed; `None`: no limit (tests, tools).
#[derive(Clone, Default)]
pub struct Admission(Option<Arc<Semaphore>>);

impl Admission {
    /// No limit.
    pub fn unlimited() -> Admission {
        Admission(None)
    }

    /// At most `requests` handled at once.
    pub fn at_most(requests: usize) -> Admission {
        Admission(Some(Arc::new(Semaphore::new(requests))))
    }
}

/// Paths answered whatever the load.
fn always_answered(path: &str) -> bool {
    matches!(path, "/healthz" | "/metrics")
}

pub async fn admit(State(admission): State<Admission>, request: Request, next: Next) -> Response {
    let Some(permits) = &admission.0 else {
        return next.run(request).await;
    };
    if always_answered(request.uri().path()) {
        return next.run(request).await;
    }
    match permits.clone().try_acquire_owned() {
        // Held until the response is made; its body streams after.
        Ok(_permit) => next.run(request).await,
        Err(_) => {
            metrics::counter!("onewindow_requests_turned_away_total").increment(1);
            busy(request.uri().path().starts_with("/api/"))
        }
    }
}

fn busy(api: bool) -> Response {
    let retry = [(header::RETRY_AFTER, HeaderValue::from_static("1"))];
    if api {
        let problem = serde_json::json!({
            "type": "https://onewindow.invalid/problems/busy",
            "title": "Service busy",
            "status": 503,
            "detail": "the server is handling as many requests as it may at once; retry in a second",
        });
        let content = [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )];
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            retry,
            content,
            problem.to_string(),
        )
            .into_response();
    }
    let page = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">\
        <title>服务繁忙 / Service busy</title>\
        <h1>服务繁忙，请稍后重试</h1><p>The service is busy; please try again in a moment.</p></html>";
    (
        StatusCode::SERVICE_UNAVAILABLE,
        retry,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        page,
    )
        .into_response()
}
