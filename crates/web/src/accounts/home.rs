//! A signed-in reader's own page: sign out (here or everywhere), their data, deleting the account.

use super::forms::{FormPage, forbidden_origin, link, render, signed_out};
use crate::auth::{Reader, reader, same_origin_post};
use crate::error::ApiError;
use crate::i18n::{Lang, Locale};
use crate::service::accounts::{self};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use jirga_store::Account;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/home.html")]
pub(super) struct HomePage {
    l: &'static Locale,
    account: Account,
    csrf: String,
    sessions: usize,
    /// (site, affiliation, verified) of the author records with a badge.
    badges: Vec<(String, Option<String>, bool)>,
    comments: usize,
    notice: Option<String>,
    /// (site, signed path) of the feed of replies to the reader's comments, per site.
    reply_feeds: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub(super) struct NoticeQuery {
    done: Option<String>,
}

pub(super) async fn home(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let r = match reader(&state, &headers).await {
        Ok(Some(r)) => r,
        Ok(None) => return Redirect::to("/account/sign-in").into_response(),
        Err(e) => return e.into_response(),
    };
    let data = match data_of(&state, &r).await {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let mut reply_feeds = Vec::new();
    for (site, author) in &data.authors {
        match crate::service::feeds::replies_path(&state, site, author.id).await {
            Ok(path) => reply_feeds.push((site.to_string(), path)),
            Err(e) => return e.into_response(),
        }
    }
    let notice = q.done.map(|d| match d.as_str() {
        "everywhere" => l.t("account-signed-out-everywhere"),
        _ => String::new(),
    });
    render(
        &HomePage {
            l,
            account: r.account,
            csrf: r.csrf,
            sessions: data.sessions.len(),
            badges: data
                .authors
                .iter()
                .filter(|(_, a)| a.verified || a.affiliation.is_some())
                .map(|(s, a)| (s.to_string(), a.affiliation.clone(), a.verified))
                .collect(),
            comments: data.comments.len(),
            notice: notice.filter(|n| !n.is_empty()),
            reply_feeds,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
    confirm: Option<String>,
}

/// The signed-in reader, if the form carries their token and came from this origin.
pub(super) async fn form_reader(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<Reader, Response> {
    let l = crate::i18n::from_headers(None, headers);
    if !same_origin_post(state, headers) {
        return Err(forbidden_origin(l));
    }
    match reader(state, headers).await {
        Ok(Some(r)) if r.csrf == csrf => Ok(r),
        Ok(Some(_)) => Err((StatusCode::FORBIDDEN, l.t("dash-denied-stale")).into_response()),
        Ok(None) => Err(Redirect::to("/account/sign-in").into_response()),
        Err(e) => Err(e.into_response()),
    }
}

pub(super) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let r = match form_reader(&state, &headers, &form.csrf).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Err(e) = state
        .store
        .end_account_sessions(r.account.id, Some(&r.token_hash))
        .await
    {
        return ApiError::from(e).into_response();
    }
    signed_out(&state, Redirect::to("/").into_response())
}

pub(super) async fn sign_out_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let r = match form_reader(&state, &headers, &form.csrf).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Err(e) = state.store.end_account_sessions(r.account.id, None).await {
        return ApiError::from(e).into_response();
    }
    signed_out(&state, Redirect::to("/").into_response())
}

/// Everything held about the signed-in reader (the account may have just been deleted
/// elsewhere: then to the sign-in page).
pub(super) async fn data_of(
    state: &AppState,
    r: &Reader,
) -> Result<jirga_store::AccountData, Response> {
    match state.store.account_data(r.account.id).await {
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(Redirect::to("/account/sign-in").into_response()),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

fn time(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) async fn export(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
) -> Response {
    let r = match reader(&state, &headers).await {
        Ok(Some(r)) => r,
        Ok(None) => return Redirect::to("/account/sign-in").into_response(),
        Err(e) => return e.into_response(),
    };
    let data = match data_of(&state, &r).await {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let text = serde_json::to_string_pretty(&export_json(l, &data)).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"jirga-account-{}.json\"",
                    data.account.id
                ),
            ),
        ],
        text,
    )
        .into_response()
}

/// Everything held about an account, as its owner downloads it.
fn export_json(l: &Locale, data: &jirga_store::AccountData) -> serde_json::Value {
    let a = &data.account;
    serde_json::json!({
        "exported_at": time(Utc::now()),
        "account": {
            "id": a.id,
            "email": a.email,
            "name": a.name,
            "email_verified": a.email_verified,
            "signs_in_with": if a.oidc_issuer.is_some() { "openid_connect" } else { "password" },
            "openid_issuer": a.oidc_issuer,
            "created_at": time(a.created_at),
        },
        "author_records": data.authors.iter().map(|(site, au)| serde_json::json!({
            "site": site, "id": au.id, "name": au.name,
            "affiliation": au.affiliation, "verified": au.verified,
        })).collect::<Vec<_>>(),
        "comments": data.comments.iter().map(|c| serde_json::json!({
            "id": c.id, "site": c.site_id, "thread_id": c.thread_id, "parent_id": c.parent_id,
            "status": c.status.as_str(), "body_markdown": c.body_markdown, "votes": c.votes,
            "created_at": time(c.created_at), "edited_at": c.edited_at.map(time),
        })).collect::<Vec<_>>(),
        "votes": data.votes.iter().map(|(id, v, at)| serde_json::json!({
            "comment_id": id, "value": v, "at": time(*at),
        })).collect::<Vec<_>>(),
        "reports": data.reports.iter().map(|(id, reason, note, at)| serde_json::json!({
            "comment_id": id, "reason": reason, "note": note, "at": time(*at),
        })).collect::<Vec<_>>(),
        "sessions": data.sessions.iter().map(|(from, until)| serde_json::json!({
            "signed_in_at": time(*from), "expires_at": time(*until),
        })).collect::<Vec<_>>(),
        "not_kept": l.t("account-export-not-kept"),
    })
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let r = match form_reader(&state, &headers, &form.csrf).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if form.confirm.as_deref().map(str::trim) != Some("delete") {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            l.t("account-delete-confirm"),
        )
            .into_response();
    }
    let removed = match accounts::delete(&state, r.account.id).await {
        Ok(n) => n,
        Err(e) => return e.into_response(),
    };
    signed_out(
        &state,
        render(
            &FormPage::message(
                l,
                "account-deleted",
                l.t2(
                    "account-deleted-text",
                    "removed",
                    removed,
                    "shown",
                    jirga_store::DELETED_USER,
                ),
                vec![link("/", l.t("account-back-to-articles"))],
            ),
            StatusCode::OK,
        ),
    )
}
