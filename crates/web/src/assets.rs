//! Static files compiled into the binary: the widget's script and styles and the pages' CSS.

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;

pub const WIDGET_JS: &str = include_str!("../assets/widget.js");
/// Fills comment counts on a publisher's listing pages (`[data-jirga-count]`).
pub const COUNT_JS: &str = include_str!("../assets/count.js");
pub const WIDGET_CSS: &str = include_str!("../assets/widget.css");
pub const PAGE_CSS: &str = include_str!("../assets/page.css");
/// Two speech marks: the council talking.
const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d1d1d"/><path d="M4 5h3v3l-2 3H4l1-3H4zM9 5h3v3l-2 3H9l1-3H9z" fill="#fff"/></svg>"##;

fn asset(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            // Short: a deploy should reach readers within minutes.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
            // Publishers' pages on other origins load these.
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        ],
        body,
    )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/widget.js",
            get(|| async { asset(WIDGET_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/count.js",
            get(|| async { asset(COUNT_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/widget.css",
            get(|| async { asset(WIDGET_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/static/page.css",
            get(|| async { asset(PAGE_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset(FAVICON, "image/svg+xml") }),
        )
}
