//! Where the links in readers' mail lead: confirming an address, stopping (and restarting)
//! reply mail, and asking for another look at a rejected comment. Each link is signed for its
//! one purpose (`notify`), so it needs no sign-in and cannot be made for someone else.

use super::forms::{FormPage, field, forbidden_origin, hidden, render};
use crate::auth::same_origin_post;
use crate::error::ApiError;
use crate::notify::{appeal_what, confirm_what, short, site_name, unsubscribe_what};
use crate::service::comments::{appeal_comment, appeal_text, appealable};
use crate::service::feeds::signed;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use jirga_domain::{AuthorId, CommentId, SiteId};
use serde::Deserialize;

fn message(status: StatusCode, title: &'static str, text: String) -> Response {
    render(&FormPage::message(title, text, Vec::new()), status)
}

fn bad_link() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "This link does not work",
        "The link is incomplete or was changed. Open it again from the mail, whole.".into(),
    )
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::warn!("mail link: {e}");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "That did not work",
        "Something went wrong on our side. Try the link again in a moment.".into(),
    )
}

#[derive(Deserialize)]
pub struct ConfirmQuery {
    site: String,
    email: String,
    author: AuthorId,
    sig: String,
}

/// `GET /mail/confirm`: the address is the reader's; their guest records become one author.
pub async fn confirm(State(state): State<AppState>, Query(q): Query<ConfirmQuery>) -> Response {
    let Ok(site) = SiteId::parse(&q.site) else {
        return bad_link();
    };
    match signed(
        &state,
        &confirm_what(&site, &q.email, q.author.get()),
        &q.sig,
    )
    .await
    {
        Ok(true) => {}
        Ok(false) => return bad_link(),
        Err(e) => return failed(e),
    }
    let kept = match state
        .store
        .confirm_email(&site, &q.email, q.author, Utc::now())
        .await
    {
        Ok(id) => id,
        Err(jirga_store::StoreError::NotFound(_)) => {
            return message(
                StatusCode::NOT_FOUND,
                "Nothing to confirm",
                "The comments this address was given with are no longer here.".into(),
            );
        }
        Err(e) => return failed(e),
    };
    // The cache may hold pages with the old names.
    state.cache.clear();
    tracing::info!("address confirmed on {site} for author {kept}");
    message(
        StatusCode::OK,
        "Address confirmed",
        format!(
            "Thank you. Your comments on {} with this address are now under one name, and we \
             will mail you when a moderator decides on one of them.",
            site_name(&state, &site).await
        ),
    )
}

#[derive(Deserialize)]
pub struct ReaderQuery {
    site: String,
    email: String,
    sig: String,
}

async fn reader_link(state: &AppState, q: &ReaderQuery) -> Result<SiteId, Response> {
    let site = SiteId::parse(&q.site).map_err(|_| bad_link())?;
    match signed(state, &unsubscribe_what(&site, &q.email), &q.sig).await {
        Ok(true) => Ok(site),
        Ok(false) => Err(bad_link()),
        Err(e) => Err(failed(e)),
    }
}

/// `GET /mail/unsubscribe`: no more reply mail to this address from this site, with a button
/// to take it back.
pub async fn unsubscribe(State(state): State<AppState>, Query(q): Query<ReaderQuery>) -> Response {
    let site = match reader_link(&state, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = state.store.set_reply_mail(&site, &q.email, false).await {
        return failed(e);
    }
    let mut page = FormPage::message(
        "No more reply mail",
        format!(
            "{} will mail no more replies to {}.",
            site_name(&state, &site).await,
            q.email.to_lowercase()
        ),
        Vec::new(),
    );
    page.action = "/mail/subscribe";
    page.fields = vec![
        hidden("site", site.as_str()),
        hidden("email", &q.email),
        hidden("sig", &q.sig),
    ];
    page.submit = "Mail me replies again";
    render(&page, StatusCode::OK)
}

/// `POST /mail/unsubscribe`: RFC 8058's one-click unsubscribe, sent by the mail client.
pub async fn unsubscribe_now(
    State(state): State<AppState>,
    Query(q): Query<ReaderQuery>,
) -> Response {
    let site = match reader_link(&state, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match state.store.set_reply_mail(&site, &q.email, false).await {
        Ok(()) => (StatusCode::OK, "Unsubscribed.").into_response(),
        Err(e) => failed(e),
    }
}

/// `POST /mail/subscribe`: the button on the unsubscribe page.
pub async fn subscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(q): axum::Form<ReaderQuery>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin();
    }
    let site = match reader_link(&state, &q).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match state.store.set_reply_mail(&site, &q.email, true).await {
        Ok(()) => message(
            StatusCode::OK,
            "Reply mail is on again",
            format!(
                "{} will mail replies to your comments to {} again.",
                site_name(&state, &site).await,
                q.email.to_lowercase()
            ),
        ),
        Err(e) => failed(e),
    }
}

#[derive(Deserialize)]
pub struct AppealQuery {
    comment: CommentId,
    sig: String,
}

async fn appeal_link(
    state: &AppState,
    q: &AppealQuery,
) -> Result<jirga_store::StoredComment, Response> {
    match signed(state, &appeal_what(q.comment), &q.sig).await {
        Ok(true) => {}
        Ok(false) => return Err(bad_link()),
        Err(e) => return Err(failed(e)),
    }
    match state.store.comment(q.comment).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(message(
            StatusCode::NOT_FOUND,
            "This comment is gone",
            "It was deleted, so there is nothing to look at again.".into(),
        )),
        Err(e) => Err(failed(e)),
    }
}

fn appeal_form(q: &AppealQuery, error: Option<String>, comment: &str) -> FormPage {
    FormPage {
        title: "Ask for another look",
        notice: Some(format!(
            "Your comment: \u{201c}{comment}\u{201d}. Say in a few words why it should be \
             published; a moderator will read it again."
        )),
        error,
        action: "/mail/appeal",
        fields: vec![
            hidden("comment", &q.comment.to_string()),
            hidden("sig", &q.sig),
            field("appeal", "Why it should be published", "text", "off"),
        ],
        submit: "Send to the moderators",
        links: Vec::new(),
        providers: Vec::new(),
        refresh: None,
    }
}

fn excerpt(c: &jirga_store::StoredComment) -> String {
    short(&c.body_markdown, 200)
}

fn not_appealable() -> Response {
    message(
        StatusCode::CONFLICT,
        "Already looked at again",
        "This comment has been appealed before, or it is no longer rejected.".into(),
    )
}

/// `GET /mail/appeal`: the form, for a rejected comment not appealed before.
pub async fn appeal_page(State(state): State<AppState>, Query(q): Query<AppealQuery>) -> Response {
    let comment = match appeal_link(&state, &q).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !appealable(&comment) {
        return not_appealable();
    }
    render(&appeal_form(&q, None, &excerpt(&comment)), StatusCode::OK)
}

#[derive(Deserialize)]
pub struct AppealForm {
    comment: CommentId,
    sig: String,
    appeal: String,
}

/// `POST /mail/appeal`: the comment goes back to the held queue as an appeal.
pub async fn appeal(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<AppealForm>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin();
    }
    let q = AppealQuery {
        comment: form.comment,
        sig: form.sig,
    };
    let comment = match appeal_link(&state, &q).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let text = match appeal_text(&form.appeal) {
        Ok(t) => t,
        Err(ApiError::Invalid(e)) => {
            return render(
                &appeal_form(&q, Some(e.to_string()), &excerpt(&comment)),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(e) => return failed(e),
    };
    match appeal_comment(&state, comment, &text).await {
        Ok(_) => message(
            StatusCode::OK,
            "Sent to the moderators",
            "A moderator will read your comment again, with what you said. We will mail \
                 you what they decide."
                .into(),
        ),
        Err(ApiError::NotAppealable) => not_appealable(),
        Err(e) => failed(e),
    }
}
