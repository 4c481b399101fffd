//! What operators watch: `/healthz` (answers when the database does) and `/metrics`
//! (Prometheus text), fed by a middleware counting requests by route and status.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

/// Installs the global Prometheus recorder; call once per process.
pub fn install_metrics() -> Result<PrometheusHandle, String> {
    PrometheusBuilder::new()
        .install_recorder()
        .map_err(|e| format!("cannot install the metrics recorder: {e}"))
}

async fn healthz(State(state): State<AppState>) -> Response {
    let backend = state.app.store.backend().to_string();
    match state.app.store.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": backend})).into_response(),
        Err(err) => {
            tracing::error!(%err, "health check failed");
            let body = serde_json::json!({"status": "unavailable", "database": backend});
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            handle.render(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are not enabled").into_response(),
    }
}

/// Counts each request and its duration by matched route (never the raw path: bounded labels).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("route", route), ("method", method), ("status", status)];
    metrics::counter!("onewindow_http_requests_total", &labels).increment(1);
    metrics::histogram!("onewindow_http_request_seconds", &labels[..2])
        .record(started.elapsed().as_secs_f64());
    response
}
