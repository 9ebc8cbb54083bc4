#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod api;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod feeds;
pub mod http;
pub mod i18n;
pub mod listing;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod notify;
pub mod oidc;
pub mod pages;
pub mod serve;
pub mod service;
pub mod sso;
pub mod state;
pub mod views;
pub mod webhooks;

pub use config::Settings;
pub use state::AppState;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use jirga_store::Store;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;

/// A bound, not yet running server.
pub struct Application {
    listener: TcpListener,
    app: App,
    settings: Settings,
    port: u16,
    url: String,
}

/// What the server shows at `/`: the demo article, or a short page about embedding.
#[derive(Debug, Clone, Default)]
pub struct Frontpage {
    pub demo: Option<demo::DemoSite>,
}

impl Application {
    pub async fn build(
        settings: Settings,
        store: Arc<dyn Store>,
        front: Frontpage,
    ) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.addr).await?;
        let local = listener.local_addr()?;
        let url = settings
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{local}"));
        let state = AppState::new(store, settings.clone(), url.clone()).await?;
        // Subscribed before the server takes requests, so no change is missed.
        tokio::spawn(live::hub(
            state.clone(),
            state.store.subscribe(),
            state.live.clone(),
        ));
        if settings.webhook_worker {
            tokio::spawn(webhooks::worker(state.clone()));
        }
        tokio::spawn(notify::worker(state.clone()));
        let app = app(router(state.clone(), front), state);
        Ok(Self {
            listener,
            app,
            settings,
            port: local.port(),
            url,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address readers open, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown()).await
    }

    /// Runs until the future resolves (tests stop servers this way).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        serve::serve(self.listener, self.app, &self.settings, stop).await
    }
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

/// What answers each request: the router inside the layers every answer passes through.
/// They wrap the router once, as plain types, rather than each route (as `Router::layer`
/// would, boxing every route's service and future per layer); on the cached read path each
/// such box was a clone, an allocation and a drop per request.
pub type App = tower_http::compression::Compression<
    tower_http::set_header::SetResponseHeader<http::LogErrors<http::Cors<Router>>, HeaderValue>,
>;

fn app(router: Router, state: AppState) -> App {
    tower::ServiceBuilder::new()
        // No per-request tracing layer: it cost about a tenth of the throughput of small
        // cached responses (bench/README.md); errors are logged by `LogErrors`.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(http::LogErrorsLayer)
        .layer(http::CorsLayer(state))
        .service(router)
}

fn router(state: AppState, front: Frontpage) -> Router {
    // The API's routes carry their full paths (no `nest`, which rebuilt every request's
    // URI) and answer a wrong method with its own JSON 405; CORS for them is in `app`.
    let api = api::router(&state).method_not_allowed_fallback(http::json_method_not_allowed);
    let mut app = Router::new()
        .merge(api)
        .merge(pages::router(front))
        .merge(assets::router())
        .merge(dashboard::router(&state.settings))
        .merge(accounts::router(&state.settings))
        .merge(feeds::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/api", get(api::reference))
        .route("/metrics", get(metrics));
    if state.settings.metrics_on() {
        // A route layer: it sees the route as routed, and wraps every route added above.
        app = app.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::record_metrics,
        ));
    }
    app.fallback(http::not_found).with_state(state)
}

/// Alive: the process answers (for a supervisor deciding whether to restart it).
async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers and has this build's migrations (for a load balancer
/// deciding whether to send traffic here). 503 otherwise, with the reason.
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match state.store.readiness().await {
        Ok(r) if r.current() => axum::Json(serde_json::json!({
            "ready": true, "migrations": {"expected": r.expected, "applied": r.applied},
        }))
        .into_response(),
        Ok(r) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({
                "ready": false, "why": "the database's schema is older than this build expects",
                "migrations": {"expected": r.expected, "applied": r.applied},
            })),
        )
            .into_response(),
        Err(e) => error::ApiError::from(e).into_response(),
    }
}

/// `GET /metrics`: Prometheus's text format; 404 while metrics are off, 401 without the token.
async fn metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, error::ApiError> {
    use axum::response::IntoResponse;
    let settings = &state.settings;
    if !settings.metrics_on() {
        return Err(error::ApiError::NotFound);
    }
    if let Some(token) = &settings.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        // Compared as hashes, so the time taken says nothing about the token.
        if sent.map(auth::token_hash) != Some(auth::token_hash(token.expose())) {
            return Err(error::ApiError::Unauthorized);
        }
    }
    let gauges = metrics::Gauges {
        held: state.store.held_count().await?,
        pools: state.store.pool_stats(),
        live_readers: state.live.receiver_count(),
        outbox: state.store.outbox_depth().await?,
        mail_outbox: state.store.mail_backlog().await?,
    };
    let text = state.metrics.render(&gauges);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
