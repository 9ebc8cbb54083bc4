//! The public JSON API under `/api/v1`. Handlers are thin: parse into domain values, ask the
//! pipeline, hand the result to the store, shape the response.

mod comments;
mod reference;
mod sso;

use crate::error::{ApiError, ApiJson};
use crate::listing::{self, PageRequest};
use crate::service::comments::optional_text;
use crate::state::AppState;
use crate::views::{CountsJson, ErrorJson, ThreadJson, ThreadPageJson};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use bytes::Bytes;
use comments::{
    appeal, check_comment, create_comment, delete_comment, edit_comment, get_comment, report, vote,
};
use jirga_domain::{CommentId, ThreadId};
use jirga_domain::{Cursor, SiteId, Sort, ThreadKey};
use jirga_store::{Site, ThreadUpdate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::convert::Infallible;

use crate::cache::Kind;
pub use crate::service::EDIT_TOKEN_HEADER;
pub use reference::reference;
const MAX_COUNT_THREADS: usize = 100;

pub fn router(state: &AppState) -> Router<AppState> {
    // Writes only: a body limit on a read would put one more extension on every request.
    let small = DefaultBodyLimit::max(state.settings.max_request_bytes);
    // `layer` wraps the methods added before it: writes get the body timeout, reads do not.
    let timed = crate::http::body_timeout(&state.settings);
    Router::new()
        .route(
            "/api/v1/comments",
            post(create_comment)
                .layer::<_, Infallible>(small)
                .layer(timed)
                .get(list_comments),
        )
        .route(
            "/api/v1/comments/{id}",
            patch(edit_comment)
                .layer::<_, Infallible>(small)
                .delete(delete_comment)
                .layer(timed)
                .get(get_comment),
        )
        .route(
            "/api/v1/comments/check",
            post(check_comment)
                .layer::<_, Infallible>(small)
                .layer(timed),
        )
        .route(
            "/api/v1/comments/{id}/votes",
            post(vote).layer::<_, Infallible>(small).layer(timed),
        )
        .route(
            "/api/v1/comments/{id}/reports",
            post(report).layer::<_, Infallible>(small).layer(timed),
        )
        .route(
            "/api/v1/comments/{id}/appeal",
            post(appeal).layer::<_, Infallible>(small).layer(timed),
        )
        .route(
            "/api/v1/comments/{id}/decision",
            post(comments::decide)
                .layer::<_, Infallible>(small)
                .layer(timed),
        )
        .route(
            "/api/v1/threads",
            put(put_thread)
                .layer::<_, Infallible>(DefaultBodyLimit::max(state.settings.max_article_bytes))
                .layer(timed),
        )
        .route("/api/v1/counts", get(counts))
        .route("/api/v1/locale", get(locale))
        .route("/api/v1/events", get(crate::live::events))
        .route("/api/v1/me", get(crate::accounts::me))
        .route("/api/v1/sso/session", post(sso::sign_in).layer(timed))
        .route("/api/v1/sso/sign-out", post(sso::sign_out).layer(timed))
        .route("/api/v1/openapi.json", get(openapi_json))
}

async fn site(state: &AppState, raw: &str) -> Result<Site, ApiError> {
    let id = SiteId::parse(raw)?;
    state.store.site(&id).await?.ok_or(ApiError::UnknownSite)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    site: String,
    thread: String,
    #[serde(default)]
    sort: Sort,
    cursor: Option<String>,
    limit: Option<u32>,
    parent: Option<CommentId>,
    /// The branch that holds this comment instead (a link to one comment: its top-level
    /// comment with every reply under it, whatever page it is on).
    around: Option<CommentId>,
    /// Replies per comment and levels of replies to include (the server's cut by default).
    replies: Option<usize>,
    depth: Option<usize>,
}

impl ListQuery {
    fn request(self, default_limit: u32) -> Result<PageRequest, ApiError> {
        let cursor = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(raw) => Some(Cursor::decode(raw).ok_or(ApiError::InvalidCursor)?),
            None => None,
        };
        Ok(PageRequest {
            site: SiteId::parse(&self.site)?,
            key: ThreadKey::parse(&self.thread)?,
            sort: self.sort,
            cursor,
            limit: self.limit.unwrap_or(default_limit),
            parent: self.parent,
            around: self.around,
            replies: self.replies,
            depth: self.depth,
        })
    }
}

/// A JSON body already serialised (from the read cache or just built).
fn json_bytes(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn serialise<T: serde::Serialize>(value: &T) -> Result<Bytes, ApiError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The cached body for this request, if the cache is on and holds a fresh one. Checked before
/// the query is even parsed: a hit costs a hash lookup. On a shared database a thread page
/// also costs one primary-key read: its stamp must still be the thread's, so a page that
/// another instance's write made stale is never served, even before its event arrives.
async fn cached(state: &AppState, kind: Kind, key: &str) -> Option<Response> {
    if !state.settings.read_cache {
        return None;
    }
    let hit = state.cache.get(kind, key)?;
    if let (Some(stamp), Some(thread)) = (&hit.stamp, hit.thread) {
        match state.store.thread_stamp(thread).await {
            Ok(Some(now)) if &now == stamp => {}
            _ => return None,
        }
    }
    Some(json_bytes(hit.body))
}

fn remember(
    state: &AppState,
    kind: Kind,
    key: &str,
    thread: Option<ThreadId>,
    built_at: u64,
    stamp: Option<String>,
    body: Bytes,
) {
    if state.settings.read_cache {
        state
            .cache
            .put(kind, key.to_owned(), thread, built_at, stamp, body);
    }
}

/// A page of a thread: top-level comments in the chosen order with their replies (a cut of
/// each branch; `replies_cursor` continues one), and the cursor of the next page.
#[utoipa::path(get, path = "/api/v1/comments", tag = "threads", params(ListQuery),
    responses((status = 200, body = ThreadPageJson), (status = 400, body = ErrorJson), (status = 404, body = ErrorJson)))]
async fn list_comments(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let raw = uri.query().unwrap_or_default();
    if let Some(hit) = cached(&state, Kind::ThreadPage, raw).await {
        return Ok(hit);
    }
    let built_at = state.cache.now();
    let q: ListQuery =
        serde_html_form::from_str(raw).map_err(|e| ApiError::InvalidQuery(e.to_string()))?;
    let request = q.request(state.settings.page_size)?;
    let (page, thread) = listing::thread_page(&state, request).await?;
    let body = serialise(&page)?;
    if let Some((thread, stamp)) = thread {
        remember(
            &state,
            Kind::ThreadPage,
            raw,
            Some(thread),
            built_at,
            stamp,
            body.clone(),
        );
    }
    Ok(json_bytes(body))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct PutThread {
    site: String,
    key: String,
    title: Option<String>,
    text: Option<String>,
    url: Option<String>,
    closed: Option<bool>,
}

/// The publisher registers or updates an article (its title, address, text, whether it is
/// closed), with the site's API key.
#[utoipa::path(put, path = "/api/v1/threads", tag = "threads", request_body = PutThread,
    security(("api_key" = [])),
    responses((status = 200, body = ThreadJson), (status = 401, body = ErrorJson), (status = 422, body = ErrorJson)))]
async fn put_thread(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PutThread>,
) -> Result<Json<ThreadJson>, ApiError> {
    let key = ThreadKey::parse(&req.key)?;
    let site = SiteId::parse(&req.site)?;
    let update = ThreadUpdate {
        title: optional_text("title", req.title, 300)?,
        url: optional_text("url", req.url, 2_000)?,
        text: optional_text("text", req.text, 200_000)?,
        closed: req.closed,
    };
    let api_key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let thread = crate::service::threads::put_thread(&state, &site, api_key, key, update).await?;
    Ok(Json(ThreadJson::from(&thread)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CountsQuery {
    site: String,
    #[serde(default)]
    thread: Vec<String>,
}

/// Published counts for up to 100 threads of a site in one request (`thread` repeated).
#[utoipa::path(get, path = "/api/v1/counts", tag = "threads", params(CountsQuery),
    responses((status = 200, body = CountsJson), (status = 400, body = ErrorJson), (status = 404, body = ErrorJson)))]
async fn counts(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let raw = uri.query().unwrap_or_default();
    if let Some(hit) = cached(&state, Kind::Counts, raw).await {
        return Ok(hit);
    }
    let built_at = state.cache.now();
    let q: CountsQuery =
        serde_html_form::from_str(raw).map_err(|e| ApiError::InvalidQuery(e.to_string()))?;
    if q.thread.len() > MAX_COUNT_THREADS {
        return Err(ApiError::TooManyThreads {
            max: MAX_COUNT_THREADS,
        });
    }
    let keys = q
        .thread
        .iter()
        .map(|k| ThreadKey::parse(k))
        .collect::<Result<Vec<_>, _>>()?;
    let site = site(&state, &q.site).await?;
    let found = state.store.counts(&site.id, &keys).await?;
    let mut counts: BTreeMap<String, i64> = keys.iter().map(|k| (k.to_string(), 0)).collect();
    for (key, n) in found {
        counts.insert(key.to_string(), n);
    }
    let body = serialise(&CountsJson {
        site: site.id.to_string(),
        counts,
    })?;
    remember(
        &state,
        Kind::Counts,
        raw,
        None,
        built_at,
        None,
        body.clone(),
    );
    Ok(json_bytes(body))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct LocaleQuery {
    /// The site, whose default language answers when none of `want` is served.
    site: Option<String>,
    /// Language tags, most wanted first, comma-separated (`ur,en-GB`).
    want: Option<String>,
}

/// The widget's words in the first wanted language a catalogue serves (else the site's
/// default language, else English): the locale's tag, direction (`ltr` or `rtl`), the
/// languages a reader can switch to, and the messages compiled for widget.js.
#[utoipa::path(get, path = "/api/v1/locale", tag = "readers", params(LocaleQuery),
    responses((status = 200, description = "The locale's widget messages", body = Object)))]
async fn locale(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<LocaleQuery>,
) -> Response {
    let wanted = q.want.unwrap_or_default();
    let mut found = wanted.split(',').find_map(crate::i18n::find);
    if found.is_none()
        && let Some(raw) = q.site
        && let Ok(site) = site(&state, &raw).await
    {
        found = site.policy.language.as_deref().and_then(crate::i18n::find);
    }
    let l = found.unwrap_or_else(crate::i18n::english);
    (
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        )],
        Json(l.widget_messages()),
    )
        .into_response()
}

/// The public API as OpenAPI 3.1, made from the handlers' annotations and the JSON types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Jirga API",
        description = "Comments for news sites: read threads, post, edit, vote and report; register articles; sign readers in with the publisher's own accounts. Errors are always {\"error\": {\"code\", \"message\"}} with a stable code."
    ),
    paths(
        list_comments,
        comments::create_comment,
        comments::check_comment,
        comments::get_comment,
        comments::edit_comment,
        comments::delete_comment,
        comments::vote,
        comments::report,
        comments::appeal,
        comments::decide,
        put_thread,
        counts,
        locale,
        crate::live::events,
        crate::accounts::me,
        sso::sign_in,
        sso::sign_out,
        openapi_json,
    ),
    modifiers(&ApiKeyScheme),
    tags(
        (name = "threads", description = "Reading a thread and registering articles"),
        (name = "comments", description = "Posting and acting on comments"),
        (name = "readers", description = "Who is signed in")
    )
)]
pub struct ApiDoc;

/// `PUT /threads` takes the site's API key as a bearer token.
struct ApiKeyScheme;

impl utoipa::Modify for ApiKeyScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The document as JSON, made once: it depends only on the code.
pub fn document() -> &'static serde_json::Value {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        use utoipa::OpenApi;
        serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
    })
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "threads",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object)))]
async fn openapi_json() -> Response {
    Json(document()).into_response()
}
