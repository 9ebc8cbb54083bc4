//! The moderators' dashboard, server-rendered: sign-in, the queue of held comments, the
//! queue of reader reports, the modlog, per-site settings and charts. Every action is a
//! form POST carrying a CSRF token derived from the session, and writes a modlog line in the
//! same transaction as the change it records.

use crate::pages::CSP;
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

mod authors;
mod charts;
mod imports;
mod login;
mod queue;
mod session;
mod settings;
mod webhooks;

pub use session::{Chrome, Session};
pub use settings::{CurveRow, site_model_file, threshold_curve};

pub fn router(settings: &crate::config::Settings) -> Router<AppState> {
    // Forms carry a body: they get the body timeout (see `http::body_timeout`).
    let timed = crate::http::body_timeout(settings);
    Router::new()
        .route("/moderate", get(queue::queue))
        .route(
            "/moderate/login",
            post(login::login).layer(timed).get(login::login_page),
        )
        .route("/moderate/logout", post(login::logout).layer(timed))
        .route(
            "/moderate/comments/{id}/decision",
            post(queue::decide).layer(timed),
        )
        .route("/moderate/digest", post(queue::digest).layer(timed))
        .route("/moderate/reports", get(queue::reports))
        .route("/moderate/log", get(queue::modlog))
        .route(
            "/moderate/settings/{site}",
            post(settings::save_settings)
                .layer(timed)
                .get(settings::settings_page),
        )
        .route("/moderate/charts", get(charts::charts))
        .route("/moderate/authors/{site}", get(authors::authors_page))
        .route(
            "/moderate/authors/{site}/{id}",
            post(authors::save_badges).layer(timed),
        )
        .route(
            "/moderate/webhooks/{site}",
            post(webhooks::add)
                .layer(timed)
                .get(webhooks::webhooks_page),
        )
        .route(
            "/moderate/webhooks/{site}/{hook}/delete",
            post(webhooks::remove).layer(timed),
        )
        .route(
            "/moderate/webhooks/{site}/{hook}/test",
            post(webhooks::test).layer(timed),
        )
        .route(
            "/moderate/imports/{site}",
            post(imports::upload)
                .layer::<_, std::convert::Infallible>(axum::extract::DefaultBodyLimit::max(
                    usize::try_from(settings.import_upload_max_mb.saturating_mul(1 << 20))
                        .unwrap_or(usize::MAX),
                ))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    std::time::Duration::from_secs(3600),
                ))
                .get(imports::imports_page),
        )
        .route(
            "/moderate/imports/{site}/{batch}/undo",
            post(imports::undo).layer(timed),
        )
        .route("/dashboard.js", get(|| async { script() }))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../assets/dashboard.js"),
    )
}
