//! Where the links in readers' mail lead: confirming an address, stopping (and restarting)
//! reply mail, and asking for another look at a rejected comment. Each link is signed for its
//! one purpose (`notify`), so it needs no sign-in and cannot be made for someone else.

use super::forms::{FormPage, field, forbidden_origin, hidden, render};
use crate::auth::same_origin_post;
use crate::error::ApiError;
use crate::i18n::{Lang, Locale};
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

fn message(l: &'static Locale, status: StatusCode, title: &'static str, text: String) -> Response {
    render(&FormPage::message(l, title, text, Vec::new()), status)
}

fn bad_link(l: &'static Locale) -> Response {
    message(
        l,
        StatusCode::FORBIDDEN,
        "mail-page-bad-link",
        l.t("mail-page-bad-link-text"),
    )
}

fn failed(l: &'static Locale, e: impl std::fmt::Display) -> Response {
    tracing::warn!("mail link: {e}");
    message(
        l,
        StatusCode::INTERNAL_SERVER_ERROR,
        "mail-page-failed",
        l.t("mail-page-failed-text"),
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
pub async fn confirm(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<ConfirmQuery>,
) -> Response {
    let Ok(site) = SiteId::parse(&q.site) else {
        return bad_link(l);
    };
    match signed(
        &state,
        &confirm_what(&site, &q.email, q.author.get()),
        &q.sig,
    )
    .await
    {
        Ok(true) => {}
        Ok(false) => return bad_link(l),
        Err(e) => return failed(l, e),
    }
    let kept = match state
        .store
        .confirm_email(&site, &q.email, q.author, Utc::now())
        .await
    {
        Ok(id) => id,
        Err(jirga_store::StoreError::NotFound(_)) => {
            return message(
                l,
                StatusCode::NOT_FOUND,
                "mail-page-nothing",
                l.t("mail-page-nothing-text"),
            );
        }
        Err(e) => return failed(l, e),
    };
    // The cache may hold pages with the old names.
    state.cache.clear();
    tracing::info!("address confirmed on {site} for author {kept}");
    message(
        l,
        StatusCode::OK,
        "mail-page-confirmed",
        l.t1(
            "mail-page-confirmed-text",
            "site",
            site_name(&state, &site).await,
        ),
    )
}

#[derive(Deserialize)]
pub struct ReaderQuery {
    site: String,
    email: String,
    sig: String,
}

/// Reply mail to the link's address switched on or off, once the link's signature holds.
async fn reply_mail_by_link(
    state: &AppState,
    l: &'static Locale,
    q: &ReaderQuery,
    on: bool,
) -> Result<SiteId, Response> {
    let site = SiteId::parse(&q.site).map_err(|_| bad_link(l))?;
    match signed(state, &unsubscribe_what(&site, &q.email), &q.sig).await {
        Ok(true) => {}
        Ok(false) => return Err(bad_link(l)),
        Err(e) => return Err(failed(l, e)),
    }
    match state.store.set_reply_mail(&site, &q.email, on).await {
        Ok(()) => Ok(site),
        Err(e) => Err(failed(l, e)),
    }
}

/// `GET /mail/unsubscribe`: no more reply mail to this address from this site, with a button
/// to take it back.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<ReaderQuery>,
) -> Response {
    let site = match reply_mail_by_link(&state, l, &q, false).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut page = FormPage::message(
        l,
        "mail-page-unsubscribed",
        l.t2(
            "mail-page-unsubscribed-text",
            "site",
            site_name(&state, &site).await,
            "email",
            q.email.to_lowercase(),
        ),
        Vec::new(),
    );
    page.action = "/mail/subscribe";
    page.fields = vec![
        hidden("site", site.as_str()),
        hidden("email", &q.email),
        hidden("sig", &q.sig),
    ];
    page.submit = "mail-page-resubscribe";
    render(&page, StatusCode::OK)
}

/// `POST /mail/unsubscribe`: RFC 8058's one-click unsubscribe, sent by the mail client.
pub async fn unsubscribe_now(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<ReaderQuery>,
) -> Response {
    match reply_mail_by_link(&state, l, &q, false).await {
        Ok(_) => (StatusCode::OK, l.t("mail-page-unsubscribed-short")).into_response(),
        Err(r) => r,
    }
}

/// `POST /mail/subscribe`: the button on the unsubscribe page.
pub async fn subscribe(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(q): axum::Form<ReaderQuery>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin(l);
    }
    let site = match reply_mail_by_link(&state, l, &q, true).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    message(
        l,
        StatusCode::OK,
        "mail-page-resubscribed",
        l.t2(
            "mail-page-resubscribed-text",
            "site",
            site_name(&state, &site).await,
            "email",
            q.email.to_lowercase(),
        ),
    )
}

#[derive(Deserialize)]
pub struct AppealQuery {
    comment: CommentId,
    sig: String,
}

async fn appeal_link(
    state: &AppState,
    l: &'static Locale,
    q: &AppealQuery,
) -> Result<jirga_store::StoredComment, Response> {
    match signed(state, &appeal_what(q.comment), &q.sig).await {
        Ok(true) => {}
        Ok(false) => return Err(bad_link(l)),
        Err(e) => return Err(failed(l, e)),
    }
    match state.store.comment(q.comment).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(message(
            l,
            StatusCode::NOT_FOUND,
            "mail-page-gone",
            l.t("mail-page-gone-text"),
        )),
        Err(e) => Err(failed(l, e)),
    }
}

fn appeal_form(
    l: &'static Locale,
    q: &AppealQuery,
    error: Option<String>,
    comment: &str,
) -> FormPage {
    FormPage {
        l,
        title: "widget-appeal-ask",
        notice: Some(l.t1("mail-page-appeal-text", "comment", comment)),
        error,
        action: "/mail/appeal",
        fields: vec![
            hidden("comment", &q.comment.to_string()),
            hidden("sig", &q.sig),
            field("appeal", "mail-page-appeal-field", "text", "off"),
        ],
        submit: "widget-appeal-send",
        links: Vec::new(),
        providers: Vec::new(),
        refresh: None,
    }
}

fn excerpt(c: &jirga_store::StoredComment) -> String {
    short(&c.body_markdown, 200)
}

fn not_appealable(l: &'static Locale) -> Response {
    message(
        l,
        StatusCode::CONFLICT,
        "mail-page-appealed",
        l.t("mail-page-appealed-text"),
    )
}

/// `GET /mail/appeal`: the form, for a rejected comment not appealed before.
pub async fn appeal_page(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<AppealQuery>,
) -> Response {
    let comment = match appeal_link(&state, l, &q).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !appealable(&comment) {
        return not_appealable(l);
    }
    render(
        &appeal_form(l, &q, None, &excerpt(&comment)),
        StatusCode::OK,
    )
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
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<AppealForm>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin(l);
    }
    let q = AppealQuery {
        comment: form.comment,
        sig: form.sig,
    };
    let comment = match appeal_link(&state, l, &q).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let text = match appeal_text(&form.appeal) {
        Ok(t) => t,
        Err(ApiError::Invalid(e)) => {
            let why = l.keyed("widget-error-", e.code());
            return render(
                &appeal_form(l, &q, Some(why), &excerpt(&comment)),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(e) => return failed(l, e),
    };
    match appeal_comment(&state, comment, &text).await {
        Ok(_) => message(
            l,
            StatusCode::OK,
            "mail-page-appeal-sent",
            l.t("mail-page-appeal-sent-text"),
        ),
        Err(ApiError::NotAppealable) => not_appealable(l),
        Err(e) => failed(l, e),
    }
}
