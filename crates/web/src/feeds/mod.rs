//! Atom feeds (RFC 4287) of published comments: `/feeds/{site}/thread.atom?thread=KEY`,
//! `/feeds/{site}/latest.atom`, and `/feeds/{site}/replies/{author}.atom?sig=...` (a
//! commenter's replies, behind a signed link). Each answer carries an ETag of its bytes, and
//! a request that already has them gets `304 Not Modified`.

use crate::error::ApiError;
use crate::service::feeds::{self, Feed, display_title};
use crate::state::AppState;
use crate::views::{escape_markup as esc, time};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jirga_domain::AuthorId;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feeds/{site}/thread.atom", get(thread))
        .route("/feeds/{site}/latest.atom", get(latest))
        .route("/feeds/{site}/replies/{file}", get(replies))
}

#[derive(Deserialize)]
struct ThreadQuery {
    thread: String,
}

async fn thread(
    State(state): State<AppState>,
    Path(site): Path<String>,
    Query(q): Query<ThreadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let feed = feeds::thread(&state, &site, &q.thread).await?;
    Ok(answer(&state, &feed, &headers))
}

async fn latest(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let feed = feeds::latest(&state, &site).await?;
    Ok(answer(&state, &feed, &headers))
}

#[derive(Deserialize)]
struct SignedQuery {
    sig: String,
}

async fn replies(
    State(state): State<AppState>,
    Path((site, file)): Path<(String, String)>,
    Query(q): Query<SignedQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let author: AuthorId = file
        .strip_suffix(".atom")
        .and_then(|id| id.parse().ok())
        .ok_or(ApiError::NotFound)?;
    let feed = feeds::replies(&state, &site, author, &q.sig).await?;
    Ok(answer(&state, &feed, &headers))
}

/// The feed, or 304 when the request's `If-None-Match` names these very bytes.
fn answer(state: &AppState, feed: &Feed, headers: &HeaderMap) -> Response {
    let body = atom(&state.public_url, feed);
    let etag = format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(body.as_bytes()))[..32]
    );
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag = HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    let cache = (
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    if fresh {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), cache]).into_response();
    }
    let kind = HeaderValue::from_static("application/atom+xml; charset=utf-8");
    (
        [(header::CONTENT_TYPE, kind), (header::ETAG, etag), cache],
        body,
    )
        .into_response()
}

fn atom(base: &str, feed: &Feed) -> String {
    let updated = feed
        .entries
        .iter()
        .map(|(c, _)| c.edited_at.unwrap_or(c.created_at))
        .max()
        .unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let self_url = format!("{base}{}", feed.path);
    let _ = writeln!(out, "  <id>{}</id>", esc(&self_url));
    let _ = writeln!(out, "  <title>{}</title>", esc(&feed.title));
    let _ = writeln!(out, "  <updated>{}</updated>", time(updated));
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{}\"/>", esc(&self_url));
    if let Some(page) = &feed.page {
        let _ = writeln!(out, "  <link rel=\"alternate\" href=\"{}\"/>", esc(page));
    }
    let _ = writeln!(out, "  <generator>Jirga</generator>");
    for (c, t) in &feed.entries {
        let title = format!("{} on {}", c.author.name, display_title(t));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}/comments/{}</id>", esc(base), c.id);
        let _ = writeln!(out, "    <title>{}</title>", esc(&title));
        let _ = writeln!(
            out,
            "    <author><name>{}</name></author>",
            esc(&c.author.name)
        );
        let _ = writeln!(out, "    <published>{}</published>", time(c.created_at));
        let _ = writeln!(
            out,
            "    <updated>{}</updated>",
            time(c.edited_at.unwrap_or(c.created_at))
        );
        if let Some(url) = &t.url {
            let _ = writeln!(
                out,
                "    <link rel=\"alternate\" href=\"{}#comment-{}\"/>",
                esc(url),
                c.id
            );
        }
        // The body as sanitised HTML, escaped once more as the text of a type="html" element.
        let _ = writeln!(
            out,
            "    <content type=\"html\">{}</content>",
            esc(&c.body_html)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
