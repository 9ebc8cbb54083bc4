//! The comment endpoints: post, check, read one, edit, delete, vote, report. Each parses the
//! request, calls one function of `service::comments` and shapes the answer.

use crate::auth::{api_reader, token_hash};
use crate::error::{ApiError, ApiJson};
use crate::http::ClientIp;
use crate::service::Caller;
use crate::service::EDIT_TOKEN_HEADER;
use crate::service::comments::{self, NewCommentIn, SHADOW_BAN};
use crate::service::moderation::Decision;
use crate::state::AppState;
use crate::views::{
    CheckJson, CommentJson, ErrorJson, OwnCommentJson, ReportedJson, VoteJson, time,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::Duration;
use jirga_domain::CommentId;
use jirga_domain::{CommentStatus, ReportReason};
use jirga_store::StoredComment;
use serde::Deserialize;

/// Posts a comment: checked, moderated and stored; the answer says whether it was published,
/// held for a moderator (and why) or rejected, with the author's edit token.
#[utoipa::path(post, path = "/api/v1/comments", tag = "comments", request_body = NewCommentIn,
    responses((status = 201, body = OwnCommentJson), (status = 422, body = ErrorJson),
              (status = 403, body = ErrorJson), (status = 429, body = ErrorJson)))]
pub(super) async fn create_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewCommentIn>,
) -> Result<(StatusCode, Json<OwnCommentJson>), ApiError> {
    let reader = api_reader(&state, &headers).await?;
    let caller = Caller::of(reader.as_ref(), ip, &headers);
    let posted = comments::post(&state, &caller, req).await?;
    let view = own(&state, &posted.comment, Some(posted.edit_token));
    Ok((StatusCode::CREATED, Json(view)))
}

/// What would happen to this comment if it were posted now; stores nothing.
#[utoipa::path(post, path = "/api/v1/comments/check", tag = "comments", request_body = NewCommentIn,
    responses((status = 200, body = CheckJson), (status = 422, body = ErrorJson)))]
pub(super) async fn check_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewCommentIn>,
) -> Result<Json<CheckJson>, ApiError> {
    let reader = api_reader(&state, &headers).await?;
    let caller = Caller::of(reader.as_ref(), ip, &headers);
    let checked = comments::check(&state, &caller, req).await?;
    Ok(Json(CheckJson {
        status: checked.status.as_str(),
        reasons: checked.reasons,
    }))
}

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

/// A published comment to anyone; a held or rejected one only to its author (edit token).
#[utoipa::path(get, path = "/api/v1/comments/{id}", tag = "comments", params(("id" = i64, Path, description = "The comment's id"), ("x-jirga-edit-token" = Option<String>, Header, description = "The author's edit token")),
    responses((status = 200, body = OwnCommentJson), (status = 404, body = ErrorJson)))]
pub(super) async fn get_comment(
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

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct EditComment {
    body: String,
}

/// The author edits their comment within the edit window; it is moderated again.
#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "comments", params(("id" = i64, Path, description = "The comment's id"), ("x-jirga-edit-token" = Option<String>, Header, description = "The author's edit token")), request_body = EditComment,
    responses((status = 200, body = OwnCommentJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
pub(super) async fn edit_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<EditComment>,
) -> Result<Json<OwnCommentJson>, ApiError> {
    let caller = Caller::of(None, ip, &headers);
    let stored = comments::edit(&state, &caller, comment_id(&id)?, &req.body).await?;
    Ok(Json(own(&state, &stored, None)))
}

/// The author deletes their comment within the edit window; replies under it stay.
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "comments", params(("id" = i64, Path, description = "The comment's id"), ("x-jirga-edit-token" = Option<String>, Header, description = "The author's edit token")),
    responses((status = 204), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
pub(super) async fn delete_comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let caller = Caller::of(None, ip, &headers);
    comments::delete(&state, &caller, comment_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct VoteIn {
    value: i64,
}

/// A reader's vote (1, -1, or 0 to withdraw it) on a published comment.
#[utoipa::path(post, path = "/api/v1/comments/{id}/votes", tag = "comments", params(("id" = i64, Path)), request_body = VoteIn,
    responses((status = 200, body = VoteJson), (status = 404, body = ErrorJson), (status = 422, body = ErrorJson)))]
pub(super) async fn vote(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<VoteIn>,
) -> Result<Json<VoteJson>, ApiError> {
    let id = comment_id(&id)?;
    let reader = api_reader(&state, &headers).await?;
    let caller = Caller::of(reader.as_ref(), ip, &headers);
    let (votes, vote) = comments::vote(&state, &caller, id, req.value).await?;
    Ok(Json(VoteJson {
        id,
        votes,
        your_vote: vote.value(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ReportIn {
    reason: ReportReason,
    note: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct AppealIn {
    /// Why the comment should be published after all (up to 1,000 characters).
    text: String,
}

/// The author of a rejected comment asks for another look: it goes back to the moderators'
/// queue, marked as an appeal, once per comment.
#[utoipa::path(post, path = "/api/v1/comments/{id}/appeal", tag = "comments", params(("id" = i64, Path), ("x-jirga-edit-token" = String, Header, description = "The author's edit token")), request_body = AppealIn,
    responses((status = 200, body = OwnCommentJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
pub(super) async fn appeal(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<AppealIn>,
) -> Result<Json<OwnCommentJson>, ApiError> {
    let caller = Caller::of(None, ip, &headers);
    let stored = comments::appeal(&state, &caller, comment_id(&id)?, &req.text).await?;
    Ok(Json(own(&state, &stored, None)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct DecisionIn {
    /// `approve`, `reject`, or `ban` (the author, and the comment is rejected).
    action: String,
    /// For the modlog; with `note_to_author`, also shown to the author of a rejected comment.
    note: Option<String>,
    #[serde(default)]
    note_to_author: bool,
    /// For a ban: how many days (1 to 3650); none: no end.
    ban_days: Option<i64>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct DecidedJson {
    id: CommentId,
    status: String,
    /// The thread's published comments after the decision.
    count: i64,
}

/// A moderator's decision from inside the thread (the widget): the dashboard's session cookie
/// and its token in `X-Jirga-CSRF` (from `GET /api/v1/me`'s `moderator.csrf`).
#[utoipa::path(post, path = "/api/v1/comments/{id}/decision", tag = "comments", params(("id" = i64, Path)), request_body = DecisionIn,
    responses((status = 200, body = DecidedJson), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson)))]
pub(super) async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<DecisionIn>,
) -> Result<Json<DecidedJson>, ApiError> {
    let session = crate::dashboard::Session::from_headers(&state, &headers)
        .await?
        .ok_or(ApiError::ModeratorRequired)?;
    let sent = headers
        .get(crate::auth::CSRF_HEADER)
        .and_then(|v| v.to_str().ok());
    if sent != Some(session.csrf.as_str()) {
        return Err(ApiError::CsrfFailed);
    }
    let decision = match (req.action.as_str(), req.ban_days) {
        ("approve", _) => Decision::Approve,
        ("reject", _) => Decision::Reject,
        ("ban", days) => Decision::Ban {
            until: match days {
                None => None,
                Some(d) if (1..=3650).contains(&d) => Some(chrono::Utc::now() + Duration::days(d)),
                Some(_) => {
                    return Err(ApiError::InvalidRequest(
                        "ban_days is from 1 to 3650, or absent for no end".into(),
                    ));
                }
            },
            scope: jirga_store::BanScope::default(),
        },
        _ => {
            return Err(ApiError::InvalidRequest(
                "action is approve, reject or ban".into(),
            ));
        }
    };
    let after = crate::service::moderation::decide(
        &state,
        &session.moderator,
        comment_id(&id)?,
        decision,
        req.note,
        req.note_to_author,
    )
    .await?;
    let count = state
        .store
        .thread_by_id(after.thread_id)
        .await?
        .map_or(0, |t| t.published_count);
    Ok(Json(DecidedJson {
        id: after.id,
        status: after.status.as_str().to_owned(),
        count,
    }))
}

/// A reader reports a published comment to the moderators, once per comment.
#[utoipa::path(post, path = "/api/v1/comments/{id}/reports", tag = "comments", params(("id" = i64, Path)), request_body = ReportIn,
    responses((status = 201, body = ReportedJson), (status = 409, body = ErrorJson)))]
pub(super) async fn report(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReportIn>,
) -> Result<(StatusCode, Json<ReportedJson>), ApiError> {
    let id = comment_id(&id)?;
    let reader = api_reader(&state, &headers).await?;
    let caller = Caller::of(reader.as_ref(), ip, &headers);
    comments::report(&state, &caller, id, req.reason, req.note).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReportedJson {
            id,
            reported: true,
            reason: req.reason,
        }),
    ))
}

fn comment_id(raw: &str) -> Result<CommentId, ApiError> {
    raw.parse().map_err(|_| ApiError::UnknownComment)
}
