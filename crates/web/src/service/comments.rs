//! Readers' actions on comments: post, check before posting, edit, delete, vote, report. The
//! order is the same in each: what costs nothing (sizes, rate limits) is refused before any
//! database query, then the comment and its site are checked, then the change is made and
//! announced.

use super::caller::Caller;
use crate::auth::{new_token, token_hash};
use crate::error::ApiError;
use crate::state::{AppState, Limit};
use chrono::{Duration, Utc};
use jirga_domain::{AuthorId, CommentId};
use jirga_domain::{
    AuthorName, BodyLimits, CommentBody, CommentStatus, Email, ParseError, ReportReason, SiteId,
    ThreadKey, Vote,
};
use jirga_moderation::{Assessment, ModerationDecision, Reason};
use jirga_store::{
    AuthorRef, BanCheck, BanState, CommentEdit, EventKind, Moderated, NewComment, Site,
    StoredComment, Thread, ThreadUpdate, account_voter,
};
use serde::Deserialize;

/// A stored comment and the token that lets its author edit or delete it (shown once).
pub struct Posted {
    pub comment: StoredComment,
    pub edit_token: String,
}

/// What posting would do now.
pub struct Checked {
    pub status: CommentStatus,
    pub reasons: Vec<Reason>,
}

/// The address's rate, then the account's: both in memory, before any query.
fn check_rates(state: &AppState, caller: &Caller<'_>, limit: Limit) -> Result<(), ApiError> {
    state.check_rate(limit, caller.ip)?;
    if let Some(r) = caller.reader {
        state.check_account_rate(limit, r.account.id)?;
    }
    Ok(())
}

/// Posts a comment: checked, moderated, stored, announced.
pub async fn post(
    state: &AppState,
    caller: &Caller<'_>,
    req: NewCommentIn,
) -> Result<Posted, ApiError> {
    let wants_replies = req.notify_replies;
    let parsed = parse(state, caller, req)?;
    check_rates(state, caller, Limit::Post)?;
    let ip_hash = state.ip_hash(caller.ip);
    let d = draft(state, caller, &ip_hash, parsed).await?;
    let mut moderated = moderated(assess(state, &d).await?);
    if d.shadow {
        // Kept from everyone but the poster, who is not told.
        moderated.status = CommentStatus::Rejected;
        moderated.reasons = vec![Reason::new(
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
    let (edit_token, token_hash) = new_token();
    let comment = state
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
    state.comment_changed(None, &comment).await;
    if state.settings.metrics_on() {
        state.metrics.decided(comment.status);
    }
    // The store noted the change for webhooks; the worker sends it now rather than within a second.
    state.webhook_wake.notify_one();
    // The author's mail and the reply notice, after the answer rather than before it.
    let (mail_state, posted) = (state.clone(), comment.clone());
    tokio::spawn(async move { crate::notify::posted(&mail_state, &posted, wants_replies).await });
    Ok(Posted {
        comment,
        edit_token,
    })
}

/// What would happen to this comment if it were posted now; stores nothing. The widget asks
/// before posting so the commenter can edit a comment that would be held.
pub async fn check(
    state: &AppState,
    caller: &Caller<'_>,
    req: NewCommentIn,
) -> Result<Checked, ApiError> {
    let parsed = parse(state, caller, req)?;
    state.check_rate(Limit::Action, caller.ip)?;
    let ip_hash = state.ip_hash(caller.ip);
    let d = draft(state, caller, &ip_hash, parsed).await?;
    if d.shadow {
        return Ok(Checked {
            status: CommentStatus::Published,
            reasons: Vec::new(),
        });
    }
    let decision = assess(state, &d).await?.decision;
    Ok(Checked {
        status: status_of(&decision),
        reasons: decision.reasons().to_vec(),
    })
}

/// The author's new text for their comment, moderated again.
pub async fn edit(
    state: &AppState,
    caller: &Caller<'_>,
    id: CommentId,
    body: &str,
) -> Result<StoredComment, ApiError> {
    let body = CommentBody::parse(body, body_limits(state))?;
    state.check_rate(Limit::Post, caller.ip)?;
    let (comment, thread) = authored(state, caller, id).await?;
    within_window(state, &comment)?;
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
    state.webhook_wake.notify_one();
    Ok(stored)
}

/// The author deletes their comment (within the edit window): its text goes, its replies stay.
pub async fn delete(state: &AppState, caller: &Caller<'_>, id: CommentId) -> Result<(), ApiError> {
    let (comment, _) = authored(state, caller, id).await?;
    within_window(state, &comment)?;
    state.store.delete_comment(comment.id, Utc::now()).await?;
    let mut gone = comment.clone();
    gone.status = CommentStatus::Deleted;
    state.comment_changed(Some(comment.status), &gone).await;
    state.webhook_wake.notify_one();
    Ok(())
}

/// A reader's vote on a published comment; the comment's new total.
pub async fn vote(
    state: &AppState,
    caller: &Caller<'_>,
    id: CommentId,
    value: i64,
) -> Result<(i64, Vote), ApiError> {
    let vote = Vote::from_value(value).ok_or(ApiError::InvalidVote)?;
    let voter = voter(state, caller)?;
    let comment = visible_comment(state, caller, id).await?;
    let votes = state.store.vote(comment.id, &voter, vote).await?;
    state
        .changed(comment.thread_id, EventKind::Updated, Some(comment.id))
        .await;
    Ok((votes, vote))
}

/// A reader's report of a published comment; once per reader and comment.
/// The author of a rejected comment asks the moderators for another look, in their own words:
/// the comment goes back to the held queue, marked as an appeal (once per comment).
pub async fn appeal(
    state: &AppState,
    caller: &Caller<'_>,
    id: CommentId,
    text: &str,
) -> Result<StoredComment, ApiError> {
    let text = appeal_text(text)?;
    state.check_rate(Limit::Post, caller.ip)?;
    let (comment, _) = authored(state, caller, id).await?;
    appeal_comment(state, comment, &text).await
}

/// An appeal's words, checked: not empty, 1,000 characters at most.
pub fn appeal_text(text: &str) -> Result<String, ApiError> {
    Ok(optional_text("appeal", Some(text.to_owned()), 1_000)?
        .ok_or(ParseError::Empty { field: "appeal" })?)
}

/// Whether the author may still ask for another look at this comment.
pub fn appealable(comment: &StoredComment) -> bool {
    comment.status == CommentStatus::Rejected && !comment.reasons.iter().any(|r| r.code == APPEAL)
}

/// Sends a rejected comment back to the queue with the author's words, checked by
/// `appeal_text` (the caller has checked that they are the author: an edit token, or a signed
/// link from the rejection mail).
pub async fn appeal_comment(
    state: &AppState,
    comment: StoredComment,
    text: &str,
) -> Result<StoredComment, ApiError> {
    let id = comment.id;
    if !appealable(&comment) {
        return Err(ApiError::NotAppealable);
    }
    let mut reasons = comment.reasons.clone();
    reasons.push(Reason::new(
        APPEAL,
        &format!("Appeal from the author: \u{201c}{text}\u{201d}"),
    ));
    match state.store.appeal(id, &reasons).await {
        Err(jirga_store::StoreError::Conflict(_)) => Err(ApiError::NotAppealable),
        other => Ok(other?),
    }
}

/// The reason code that marks an appeal in the held queue.
pub const APPEAL: &str = "appeal";

pub async fn report(
    state: &AppState,
    caller: &Caller<'_>,
    id: CommentId,
    reason: ReportReason,
    note: Option<String>,
) -> Result<(), ApiError> {
    let note = optional_text("note", note, 1_000)?;
    let reporter = voter(state, caller)?;
    let comment = visible_comment(state, caller, id).await?;
    if !state
        .store
        .report(comment.id, &reporter, reason, note)
        .await?
    {
        return Err(ApiError::AlreadyReported);
    }
    state.webhook_wake.notify_one();
    Ok(())
}

/// A guest's name and email.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GuestIn {
    pub name: String,
    pub email: Option<String>,
}

/// A new comment as a reader (or an importer) sends it, not yet checked.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewCommentIn {
    pub site: String,
    pub thread: String,
    pub parent_id: Option<CommentId>,
    pub body: String,
    /// A guest's name and email; ignored for a signed-in reader, who posts as their account.
    pub author: Option<GuestIn>,
    /// Used only when this comment creates the thread: the page's title and address.
    pub title: Option<String>,
    pub url: Option<String>,
    /// Mail replies to the author's comments to their address (once it is confirmed).
    #[serde(default)]
    pub notify_replies: bool,
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

pub(crate) fn optional_text(
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
    account_author: Option<AuthorId>,
    author_published: u32,
    duplicates: u32,
    text_hash: String,
    articles: std::sync::Arc<Vec<(String, String)>>,
}

/// Parses and checks a new comment. Bad input changes nothing: nothing is stored here.
/// A new comment's fields, each parsed; nothing looked up yet.
struct Parsed {
    site_id: SiteId,
    key: ThreadKey,
    parent_id: Option<CommentId>,
    body: CommentBody,
    name: AuthorName,
    email: Option<Email>,
    title: Option<String>,
    url: Option<String>,
}

/// Parses a new comment: bad input is refused here, before any query or rate limit.
fn parse(state: &AppState, caller: &Caller<'_>, req: NewCommentIn) -> Result<Parsed, ApiError> {
    let reader = caller.reader;
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
    Ok(Parsed {
        site_id,
        key,
        parent_id: req.parent_id,
        body,
        name,
        email,
        title,
        url,
    })
}

/// Checks a parsed comment against its site, thread, parent and author.
async fn draft(
    state: &AppState,
    caller: &Caller<'_>,
    ip_hash: &str,
    p: Parsed,
) -> Result<Draft, ApiError> {
    let reader = caller.reader;
    let Parsed {
        site_id,
        key,
        parent_id,
        body,
        name,
        email,
        title,
        url,
    } = p;
    let site = state
        .store
        .site(&site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    caller.check_origin(state, &site)?;
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
    let parent = match parent_id {
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

/// The reason code of a shadow-banned author's comment; never shown to its author.
pub const SHADOW_BAN: &str = "shadow_ban";

/// The comment, if the request proves it is the author's.
async fn authored(
    state: &AppState,
    caller: &Caller<'_>,
    id: CommentId,
) -> Result<(StoredComment, Thread), ApiError> {
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or(ApiError::UnknownComment)?;
    let token = caller.edit_token.ok_or(ApiError::InvalidToken)?;
    if token_hash(token) != comment.edit_token_hash {
        return Err(ApiError::InvalidToken);
    }
    let site = state
        .store
        .site(&comment.site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    caller.check_origin(state, &site)?;
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

/// A comment that readers can see, checked against the caller's origin.
async fn visible_comment(
    state: &AppState,
    caller: &Caller<'_>,
    id: CommentId,
) -> Result<StoredComment, ApiError> {
    let comment = state
        .store
        .comment(id)
        .await?
        .filter(|c| c.status == CommentStatus::Published)
        .ok_or(ApiError::UnknownComment)?;
    let site = state
        .store
        .site(&comment.site_id)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    caller.check_origin(state, &site)?;
    Ok(comment)
}

/// Who votes or reports: a signed-in reader by account (one vote wherever they are), others by
/// their address's hash. Both are rate-limited.
fn voter(state: &AppState, caller: &Caller<'_>) -> Result<String, ApiError> {
    check_rates(state, caller, Limit::Action)?;
    match caller.reader {
        Some(r) => Ok(account_voter(r.account.id)),
        None => Ok(state.ip_hash(caller.ip)),
    }
}
