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
pub mod http;
pub mod listing;
pub mod live;
pub mod mail;
pub mod oidc;
pub mod pages;
pub mod serve;
pub mod service;
pub mod sso;
pub mod state;
pub mod views;

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
    router: Router,
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
        let router = router(state, front);
        Ok(Self {
            listener,
            router,
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
        serve::serve(self.listener, self.router, &self.settings, stop).await
    }
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

fn router(state: AppState, front: Frontpage) -> Router {
    let api = api::router(&state)
        .method_not_allowed_fallback(http::json_method_not_allowed)
        .fallback(http::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::cors,
        ));
    Router::new()
        .nest("/api/v1", api)
        .merge(pages::router(front))
        .merge(assets::router())
        .merge(dashboard::router(&state.settings))
        .merge(accounts::router(&state.settings))
        .route("/healthz", get(healthz))
        .fallback(http::not_found)
        .layer(axum::middleware::from_fn(http::log_errors))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // No per-request tracing layer: it cost about a tenth of the throughput of small
        // cached responses (bench/README.md); errors are logged by `log_errors`.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<&'static str, error::ApiError> {
    // Touch the store so a broken database shows here, not only in failed posts.
    state.store.sites().await?;
    Ok("ok")
}
