//! The web layer: the JSON API under `/api/v1` (described at `/api/v1/openapi.json`), the
//! server-rendered pages (public site and administration), `/healthz` and `/metrics`. Handlers
//! are thin: extract, call one use case of `onewindow-app`, render. Errors become responses in
//! one place ([`error`]).

mod admission;
mod api;
mod error;
mod extract;
mod i18n;
mod observe;
mod pages;
mod params;
mod views;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use onewindow_app::App;

pub use admission::Admission;
pub use api::openapi_json;
pub use observe::install_metrics;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Renders `/metrics`; `None` when metrics are off (tests).
    pub metrics: Option<Arc<metrics_exporter_prometheus::PrometheusHandle>>,
    /// Whether this installation holds demo data (every page then says so).
    pub demo: bool,
    /// How many requests are handled at once (`admission.rs`).
    pub admission: Admission,
}

/// The largest request body accepted (a catalogue upload); larger files get a clear 413.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    // Demo data says so on every response, pages and API alike.
    let demo_header = state.demo.then(|| {
        tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static("x-onewindow-demo"),
            axum::http::HeaderValue::from_static("true"),
        )
    });
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(observe::routes())
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024))
        .layer(axum::middleware::from_fn(observe::track))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower::util::option_layer(demo_header))
        // Outermost: a request turned away costs no tracing, body limit or handler.
        .layer(axum::middleware::from_fn_with_state(
            state.admission.clone(),
            admission::admit,
        ))
        .with_state(state)
}
