//! The ceiling for the HTTP benchmark: the same stack as Jirga (tokio, hyper, axum) returning
//! Jirga's own response bytes from memory, with no work at all.
//!
//! ceiling ADDR DIR  serves DIR/full.json at GET /full, page.json at /page, counts.json at
//! /counts, and post.json with 201 at POST /post.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".into());
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let read = |name: &str| -> std::io::Result<&'static [u8]> {
        Ok(Vec::leak(std::fs::read(dir.join(name))?))
    };
    let (full, page, counts, created) = (
        read("full.json")?,
        read("page.json")?,
        read("counts.json")?,
        read("post.json")?,
    );
    fn json() -> [(header::HeaderName, &'static str); 1] {
        [(header::CONTENT_TYPE, "application/json")]
    }
    let app = Router::new()
        .route("/full", get(move || async move { (json(), full) }))
        .route("/page", get(move || async move { (json(), page) }))
        .route("/counts", get(move || async move { (json(), counts) }))
        .route(
            "/post",
            post(move || async move { (StatusCode::CREATED, json(), created) }),
        );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("ceiling listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await
}
