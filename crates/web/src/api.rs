//! The public JSON API under `/api/v1`. Handlers are thin: parse into domain values, ask the
//! pipeline, hand the result to the store, shape the response.

use crate::auth::{Reader, api_reader, new_token, token_hash};
use crate::error::{ApiError, ApiJson};
use crate::http::{ClientIp, check_site_origin};
use crate::listing::{self, PageRequest};
use crate::state::{AppState, Limit};
use crate::views::{CommentJson, OwnCommentJson, ThreadJson, time};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use bytes::Bytes;
use chrono::{Duration, Utc};
use jirga_domain::{
    AuthorName, BodyLimits, CommentBody, CommentStatus, Cursor, Email, ParseError, ReportReason,
    SiteId, Sort, ThreadKey, Vote,
};
use jirga_moderation::{Assessment, ModerationDecision};
use jirga_store::{
    AuthorRef, BanCheck, BanState, CommentEdit, EventKind, Moderated, NewComment, Site,
    StoredComment, Thread, ThreadUpdate, account_voter,
};
use serde::Deserialize;
use std::collections::BTreeMap;

pub const EDIT_TOKEN_HEADER: &str = "x-jirga-edit-token";
const MAX_COUNT_THREADS: usize = 100;

pub fn router(state: &AppState) -> Router<AppState> {
    let small = DefaultBodyLimit::max(state.settings.max_request_bytes);
    // `layer` wraps the methods added before it: writes get the body timeout, reads do not.
    let timed = crate::http::body_timeout(&state.settings);
    Router::new()
        .route(
            "/comments",
            post(create_comment).layer(timed).get(list_comments),
        )
        .route(
            "/comments/{id}",
            patch(edit_comment)
                .delete(delete_comment)
                .layer(timed)
                .get(get_comment),
        )
        .route("/comments/check", post(check_comment).layer(timed))
        .route("/comments/{id}/votes", post(vote).layer(timed))
        .route("/comments/{id}/reports", post(report).layer(timed))
        .layer(small)
        .route(
            "/threads",
            put(put_thread)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(
                    state.settings.max_article_bytes,
                ))
                .layer(timed),
        )
        .route("/counts", get(counts))
        .route("/events", get(crate::live::events))
        .route("/me", get(crate::accounts::me))
}

async fn site(state: &AppState, raw: &str) -> Result<Site, ApiError> {
    let id = SiteId::parse(raw)?;
    state.store.site(&id).await?.ok_or(ApiError::UnknownSite)
}

fn comment_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::UnknownComment)
}

#[derive(Deserialize)]
struct ListQuery {
    site: String,
    thread: String,
    #[serde(default)]
    sort: Sort,
    cursor: Option<String>,
    limit: Option<u32>,
    parent: Option<i64>,
    /// Replies per comment and levels of replies to include (the server's cut by default).
    replies: Option<usize>,
    depth: Option<usize>,
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
async fn cached(state: &AppState, key: &str) -> Option<Response> {
    if !state.settings.read_cache {
        return None;
    }
    let hit = state.cache.get(key)?;
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
    key: String,
    thread: Option<i64>,
    built_at: u64,
    stamp: Option<String>,
    body: Bytes,
) {
    if state.settings.read_cache {
        state.cache.put(key, thread, built_at, stamp, body);
    }
}

async fn list_comments(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let raw = uri.query().unwrap_or_default();
    let key = format!("comments?{raw}");
    if let Some(hit) = cached(&state, &key).await {
        return Ok(hit);
    }
    let built_at = state.cache.now();
    let q: ListQuery =
        serde_html_form::from_str(raw).map_err(|e| ApiError::InvalidQuery(e.to_string()))?;
    let cursor = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => Some(Cursor::decode(raw).ok_or(ApiError::InvalidCursor)?),
        None => None,
    };
    let (page, thread) = listing::thread_page(
        &state,
        PageRequest {
            site: SiteId::parse(&q.site)?,
            key: ThreadKey::parse(&q.thread)?,
            sort: q.sort,
            cursor,
            limit: q.limit.unwrap_or(state.settings.page_size),
            parent: q.parent,
            replies: q.replies,
            depth: q.depth,
        },
    )
    .await?;
    let body = serialise(&page)?;
    if let Some((thread, stamp)) = thread {
        remember(&state, key, Some(thread), built_at, stamp, body.clone());
    }
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
struct AuthorIn {
    name: String,
    email: Option<String>,
}

#[derive(Deserialize)]
struct CreateComment {
    site: String,
    thread: String,
    parent_id: Option<i64>,
    body: String,
    /// A guest's name and email; ignored for a signed-in reader, who posts as their account.
    author: Option<AuthorIn>,
    /// Used only when this comment creates the thread: the page's title and address.
    title: Option<String>,
    url: Option<String>,
}

fn body_limits(state: &AppState) -> BodyLimits {
    BodyLimits {
        max_chars: state.settings.body_max_chars,
    }
}

fn status_of(decision: &ModerationDecision) -> CommentStatus {
    match decision {
        ModerationDecision::Publish => CommentStatus::Published,
        ModerationDecision::Hold { .. } => CommentStatus::Held,
        ModerationDecision::Reject { .. } => CommentStatus::Rejected,
    }
}

fn moderated(assessment: Assessment) -> Moderated {
    Moderated {
        status: status_of(&assessment.decision),
        reasons: assessment.decision.reasons().to_vec(),
        version: assessment.version,
        abuse: assessment.abuse,
        on_topic: assessment.on_topic,
    }
}

fn optional_text(
    field: &'static str,
    raw: Option<String>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > max => Err(ParseError::TooLong {
            field,
            len: text.chars().count(),
            max,
        }
        .into()),
        Some(text) => Ok(Some(text.to_owned())),
    }
}

/// A new comment that passed every check, not yet moderated or stored.
struct Draft {
    site: Site,
    key: ThreadKey,
    existing: Option<Thread>,
    parent: Option<StoredComment>,
    body: CommentBody,
    name: AuthorName,
    email: Option<Email>,
    title: Option<String>,
    url: Option<String>,
    banned: bool,
    /// Shadow-banned: stored as rejected, shown to the poster as published.
    shadow: bool,
    /// The account's author record, for a signed-in reader.
    account_author: Option<i64>,
    author_published: u32,
    duplicates: u32,
    text_hash: String,
    articles: std::sync::Arc<Vec<(String, String)>>,
}

/// Parses and checks a new comment. Bad input changes nothing: nothing is stored here.
async fn draft(
    state: &AppState,
    headers: &HeaderMap,
    reader: Option<&Reader>,
    ip_hash: &str,
    req: CreateComment,
) -> Result<Draft, ApiError> {
    let site_id = SiteId::parse(&req.site)?;
    let key = ThreadKey::parse(&req.thread)?;
    let body = CommentBody::parse(&req.body, body_limits(state))?;
    let (name, email) = match (reader, &req.author) {
        (Some(r), _) => (
            AuthorName::parse(&r.account.name)?,
            r.account
                .email
                .as_deref()
                .and_then(|e| Email::parse(e).ok()),
        ),
        (None, author) => {
            let author = author.as_ref();
            let name = AuthorName::parse(author.map_or("", |a| a.name.as_str()))?;
            let email = match author.and_then(|a| a.email.as_deref()).map(str::trim) {
                None | Some("") => None,
                Some(raw) => Some(Email::parse(raw)?),
            };
            (name, email)
        }
    };
    let title = optional_text("title", req.title, 300)?;
    let url = optional_text("url", req.url, 2_000)?;

    let site = state
        .store
        .site(&site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    check_site_origin(state, headers, &site)?;
    if reader.is_none() && !site.policy.guests_allowed {
        return Err(ApiError::SignInRequired);
    }
    let existing = state.store.thread(&site.id, &key).await?;
    match &existing {
        Some(thread) if thread.closed => return Err(ApiError::ThreadClosed),
        Some(_) => {}
        None if site.auto_create_threads => {}
        None => return Err(ApiError::UnknownThread),
    }
    let parent = match req.parent_id {
        None => None,
        Some(id) => {
            let parent = state
                .store
                .comment(id)
                .await?
                .filter(|p| p.status == CommentStatus::Published)
                .ok_or(ApiError::UnknownParent)?;
            if existing.as_ref().map(|t| t.id) != Some(parent.thread_id) {
                return Err(ApiError::ParentInOtherThread);
            }
            Some(parent)
        }
    };
    // A signed-in reader posts as their account's record on this site.
    let account_author = match reader {
        Some(r) => Some(state.store.account_author(&site.id, &r.account).await?),
        None => None,
    };
    let own_verified = account_author.as_ref().is_some_and(|a| a.verified);
    if !own_verified
        && state
            .store
            .verified_name_taken(&site.id, name.as_str())
            .await?
    {
        return Err(ApiError::NameReserved);
    }
    // A guest is recognised by name and email; without an email every post is a new author.
    let known = match (&account_author, &email) {
        (Some(a), _) => Some(a.id),
        (None, Some(e)) => {
            state
                .store
                .guest_author(&site.id, name.as_str(), e.as_str())
                .await?
        }
        (None, None) => None,
    };
    let ban = state
        .store
        .ban_state(
            &site.id,
            BanCheck {
                author_id: known,
                email: email.as_ref().map(Email::as_str),
                ip_hash: Some(ip_hash),
            },
            Utc::now(),
        )
        .await?;
    let author_published = match known {
        Some(author) => state.store.author_published(author).await?,
        None => 0,
    };
    let text_hash = jirga_moderation::text_hash(body.markdown());
    let duplicates = state
        .store
        .same_text_count(&site.id, &text_hash, Utc::now() - Duration::hours(24))
        .await?;
    let articles = state.site_articles(&site.id).await?;
    Ok(Draft {
        site,
        key,
        existing,
        parent,
        body,
        name,
        email,
        title,
        url,
        banned: ban == BanState::Banned,
        shadow: ban == BanState::Shadow,
        account_author: account_author.map(|a| a.id),
        author_published,
        duplicates,
        text_hash,
        articles,
    })
}

async fn assess(state: &AppState, d: &Draft) -> Result<Assessment, ApiError> {
    let (title, text) = match &d.existing {
        Some(t) => (t.title.clone(), t.text.clone()),
        None => (d.title.clone().unwrap_or_default(), String::new()),
    };
    state
        .moderate(crate::state::Moderation {
            title,
            text,
            parent: d.parent.as_ref().map(|p| p.body_markdown.clone()),
            body: d.body.markdown().to_owned(),
            author_name: d.name.as_str().to_owned(),
            author_banned: d.banned,
            author_published: d.author_published,
            duplicates: d.duplicates,
            articles: d.articles.clone(),
            policy: d.site.policy.clone(),
        })
        .await
}

async fn create_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateComment>,
) -> Result<(StatusCode, Json<OwnCommentJson>), ApiError> {
    let reader = api_reader(&state, &headers).await?;
    let ip_hash = state.ip_hash(ip);
    let d = draft(&state, &headers, reader.as_ref(), &ip_hash, req).await?;
    state.check_rate(Limit::Post, ip)?;
    if let Some(r) = &reader {
        state.check_account_rate(Limit::Post, r.account.id)?;
    }
    let mut moderated = moderated(assess(&state, &d).await?);
    if d.shadow {
        // Kept from everyone but the poster, who is not told.
        moderated.status = CommentStatus::Rejected;
        moderated.reasons = vec![jirga_moderation::Reason::new(
            SHADOW_BAN,
            "the author is shadow-banned on this site",
        )];
    }
    // Only now, with the comment known to be acceptable, may it create its thread.
    let thread = match d.existing {
        Some(thread) => thread,
        None => {
            let update = ThreadUpdate {
                title: d.title,
                url: d.url,
                text: None,
                closed: None,
            };
            state.store.put_thread(&d.site.id, &d.key, update).await?
        }
    };
    let (token, token_hash) = new_token();
    let stored = state
        .store
        .insert_comment(NewComment {
            thread_id: thread.id,
            parent_id: d.parent.map(|p| p.id),
            author: match d.account_author {
                Some(id) => AuthorRef::Existing(id),
                None => AuthorRef::Guest {
                    name: d.name.as_str().to_owned(),
                    email: d.email.map(|e| e.as_str().to_owned()),
                },
            },
            body_markdown: d.body.markdown().to_owned(),
            body_html: d.body.html().to_owned(),
            moderated,
            edit_token_hash: token_hash,
            created_at: Utc::now(),
            text_hash: d.text_hash,
            ip_hash: Some(ip_hash),
        })
        .await?;
    state.comment_changed(None, &stored).await;
    Ok((StatusCode::CREATED, Json(own(&state, &stored, Some(token)))))
}

/// What would happen to this comment if it were posted now; stores nothing. The widget asks
/// before posting so the commenter can edit a comment that would be held.
async fn check_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateComment>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let reader = api_reader(&state, &headers).await?;
    let ip_hash = state.ip_hash(ip);
    let d = draft(&state, &headers, reader.as_ref(), &ip_hash, req).await?;
    state.check_rate(Limit::Action, ip)?;
    if d.shadow {
        return Ok(Json(
            serde_json::json!({ "status": "published", "reasons": [] }),
        ));
    }
    let decision = assess(&state, &d).await?.decision;
    Ok(Json(serde_json::json!({
        "status": status_of(&decision).as_str(),
        "reasons": decision.reasons(),
    })))
}

/// The reason code of a shadow-banned author's comment; never shown to its author.
pub const SHADOW_BAN: &str = "shadow_ban";

fn own(state: &AppState, c: &StoredComment, edit_token: Option<String>) -> OwnCommentJson {
    // A shadow-banned author sees their comment as published.
    let shadowed = c.reasons.iter().any(|r| r.code == SHADOW_BAN);
    OwnCommentJson {
        comment: CommentJson::own(c),
        status: if shadowed {
            CommentStatus::Published.as_str()
        } else {
            c.status.as_str()
        },
        reasons: if shadowed {
            Vec::new()
        } else {
            c.reasons.clone()
        },
        edit_token,
        editable_until: time(c.created_at + Duration::minutes(state.settings.edit_window_minutes)),
    }
}

/// The comment, if the request proves it is the author's.
async fn authored(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
) -> Result<(StoredComment, Thread), ApiError> {
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or(ApiError::UnknownComment)?;
    let token = headers
        .get(EDIT_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::InvalidToken)?;
    if token_hash(token) != comment.edit_token_hash {
        return Err(ApiError::InvalidToken);
    }
    let site = state
        .store
        .site(&comment.site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    check_site_origin(state, headers, &site)?;
    let thread = state
        .store
        .thread_by_id(comment.thread_id)
        .await?
        .ok_or(ApiError::UnknownThread)?;
    Ok((comment, thread))
}

fn within_window(state: &AppState, c: &StoredComment) -> Result<(), ApiError> {
    if c.status == CommentStatus::Deleted {
        return Err(ApiError::CommentDeleted);
    }
    let minutes = state.settings.edit_window_minutes;
    if Utc::now() > c.created_at + Duration::minutes(minutes) {
        return Err(ApiError::EditWindowClosed { minutes });
    }
    Ok(())
}

/// A published comment to anyone; a held or rejected one only to its author (edit token).
async fn get_comment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<OwnCommentJson>, ApiError> {
    let id = comment_id(&id)?;
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or(ApiError::UnknownComment)?;
    let is_author = headers
        .get(EDIT_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| token_hash(t) == comment.edit_token_hash);
    match comment.status {
        CommentStatus::Published => {}
        CommentStatus::Held | CommentStatus::Rejected if is_author => {}
        _ => return Err(ApiError::UnknownComment),
    }
    let mut view = own(&state, &comment, None);
    if !is_author {
        view.reasons.clear();
    }
    Ok(Json(view))
}

#[derive(Deserialize)]
struct EditComment {
    body: String,
}

async fn edit_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<EditComment>,
) -> Result<Json<OwnCommentJson>, ApiError> {
    let body = CommentBody::parse(&req.body, body_limits(&state))?;
    let (comment, thread) = authored(&state, &headers, comment_id(&id)?).await?;
    within_window(&state, &comment)?;
    state.check_rate(Limit::Post, ip)?;
    let site = state
        .store
        .site(&comment.site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    let parent_body = match comment.parent_id {
        Some(p) => state.store.comment(p).await?.map(|p| p.body_markdown),
        None => None,
    };
    // An edit is a new text: it goes through moderation again.
    let text_hash = jirga_moderation::text_hash(body.markdown());
    let duplicates = if text_hash == jirga_moderation::text_hash(&comment.body_markdown) {
        0
    } else {
        state
            .store
            .same_text_count(&site.id, &text_hash, Utc::now() - Duration::hours(24))
            .await?
    };
    let articles = state.site_articles(&site.id).await?;
    let author_banned = state
        .store
        .ban_state(
            &site.id,
            BanCheck {
                author_id: Some(comment.author.id),
                ..BanCheck::default()
            },
            Utc::now(),
        )
        .await?
        == BanState::Banned;
    let decision = state
        .moderate(crate::state::Moderation {
            title: thread.title.clone(),
            text: thread.text.clone(),
            parent: parent_body,
            body: body.markdown().to_owned(),
            author_name: comment.author.name.clone(),
            author_banned,
            author_published: state.store.author_published(comment.author.id).await?,
            duplicates,
            articles,
            policy: site.policy.clone(),
        })
        .await?;
    let stored = state
        .store
        .edit_comment(
            comment.id,
            CommentEdit {
                body_markdown: body.markdown().to_owned(),
                body_html: body.html().to_owned(),
                moderated: moderated(decision),
                edited_at: Utc::now(),
                text_hash,
            },
        )
        .await?;
    state.comment_changed(Some(comment.status), &stored).await;
    Ok(Json(own(&state, &stored, None)))
}

async fn delete_comment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let (comment, _) = authored(&state, &headers, comment_id(&id)?).await?;
    within_window(&state, &comment)?;
    state.store.delete_comment(comment.id, Utc::now()).await?;
    let mut gone = comment.clone();
    gone.status = CommentStatus::Deleted;
    state.comment_changed(Some(comment.status), &gone).await;
    Ok(StatusCode::NO_CONTENT)
}

/// A comment that readers can see, checked against the caller's origin.
async fn visible_comment(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<StoredComment, ApiError> {
    let comment = state
        .store
        .comment(comment_id(id)?)
        .await?
        .filter(|c| c.status == CommentStatus::Published)
        .ok_or(ApiError::UnknownComment)?;
    let site = state
        .store
        .site(&comment.site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    check_site_origin(state, headers, &site)?;
    Ok(comment)
}

#[derive(Deserialize)]
struct VoteIn {
    value: i64,
}

async fn vote(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<VoteIn>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let vote = Vote::from_value(req.value).ok_or(ApiError::InvalidVote)?;
    let reader = api_reader(&state, &headers).await?;
    let comment = visible_comment(&state, &headers, &id).await?;
    let voter = voter(&state, reader.as_ref(), ip)?;
    let votes = state.store.vote(comment.id, &voter, vote).await?;
    state
        .changed(comment.thread_id, EventKind::Updated, Some(comment.id))
        .await;
    Ok(Json(
        serde_json::json!({ "id": comment.id, "votes": votes, "your_vote": vote.value() }),
    ))
}

/// Who votes or reports: a signed-in reader by account (one vote wherever they are), others by
/// their address's hash. Both are rate-limited.
fn voter(
    state: &AppState,
    reader: Option<&Reader>,
    ip: std::net::IpAddr,
) -> Result<String, ApiError> {
    state.check_rate(Limit::Action, ip)?;
    match reader {
        Some(r) => {
            state.check_account_rate(Limit::Action, r.account.id)?;
            Ok(account_voter(r.account.id))
        }
        None => Ok(state.ip_hash(ip)),
    }
}

#[derive(Deserialize)]
struct ReportIn {
    reason: ReportReason,
    note: Option<String>,
}

async fn report(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReportIn>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let note = optional_text("note", req.note, 1_000)?;
    let reader = api_reader(&state, &headers).await?;
    let comment = visible_comment(&state, &headers, &id).await?;
    let reporter = voter(&state, reader.as_ref(), ip)?;
    if !state
        .store
        .report(comment.id, &reporter, req.reason, note)
        .await?
    {
        return Err(ApiError::AlreadyReported);
    }
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": comment.id, "reported": true, "reason": req.reason })),
    ))
}

#[derive(Deserialize)]
struct PutThread {
    site: String,
    key: String,
    title: Option<String>,
    text: Option<String>,
    url: Option<String>,
    closed: Option<bool>,
}

async fn put_thread(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PutThread>,
) -> Result<Json<ThreadJson>, ApiError> {
    let key = ThreadKey::parse(&req.key)?;
    let title = optional_text("title", req.title, 300)?;
    let url = optional_text("url", req.url, 2_000)?;
    let text = optional_text("text", req.text, 200_000)?;
    let site = site(&state, &req.site).await?;
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    if token_hash(presented.trim()) != site.api_key_hash {
        return Err(ApiError::Unauthorized);
    }
    let thread = state
        .store
        .put_thread(
            &site.id,
            &key,
            ThreadUpdate {
                title,
                url,
                text,
                closed: req.closed,
            },
        )
        .await?;
    state.changed(thread.id, EventKind::Updated, None).await;
    Ok(Json(ThreadJson::from(&thread)))
}

#[derive(Deserialize)]
struct CountsQuery {
    site: String,
    #[serde(default)]
    thread: Vec<String>,
}

async fn counts(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let raw = uri.query().unwrap_or_default();
    let key = format!("counts?{raw}");
    if let Some(hit) = cached(&state, &key).await {
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
    let body = serialise(&serde_json::json!({ "site": site.id, "counts": counts }))?;
    remember(&state, key, None, built_at, None, body.clone());
    Ok(json_bytes(body))
}
