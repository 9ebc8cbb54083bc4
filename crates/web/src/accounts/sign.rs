//! Signing up, in and back in: the forms, the mailed verification link, password reset.

use super::forms::{
    FormPage, ReturnQuery, enc, field, forbidden_origin, gate, hidden, link, providers_for, render,
    safe_return, signed_in, signed_out,
};
use crate::auth::{reader, same_origin_post};
use crate::error::ApiError;
use crate::http::ClientIp;
use crate::i18n::{Lang, Locale};
use crate::service::accounts::{self, Refused, SignIn};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jirga_store::{AccountKey, TokenPurpose};
use serde::Deserialize;

fn sign_up_form(l: &'static Locale, error: Option<String>, return_to: &str) -> FormPage {
    FormPage {
        l,
        title: "account-sign-up-title",
        notice: None,
        error,
        action: "/account/sign-up",
        fields: vec![
            field("name", "account-field-name", "text", "nickname"),
            field("email", "account-field-email", "email", "email"),
            field(
                "password",
                "account-field-new-password",
                "password",
                "new-password",
            ),
            hidden("return", return_to),
        ],
        submit: "account-sign-up-submit",
        links: vec![link("/account/sign-in", l.t("account-have-one"))],
        providers: Vec::new(),
        refresh: None,
    }
}

pub(super) async fn sign_up_page(Lang(l): Lang, Query(q): Query<ReturnQuery>) -> Response {
    render(
        &sign_up_form(l, None, q.return_to.as_deref().unwrap_or_default()),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct SignUpForm {
    name: String,
    email: String,
    password: String,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

pub(super) async fn sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignUpForm>,
) -> Response {
    // Per address too: each sign-up mails the address, which must not become a mail bomb.
    if let Some(refused) = gate(&state, l, &headers, ip, &form.email) {
        return refused;
    }
    let return_to = form.return_to.unwrap_or_default();
    match accounts::sign_up(&state, &form.name, &form.email, form.password).await {
        Ok(email) => render(
            &FormPage::message(
                l,
                "account-check-mail",
                l.t1("account-sent-confirm", "email", email.as_str()),
                vec![link(
                    &format!("/account/sign-in?return={}", enc(&return_to)),
                    l.t("account-sign-in"),
                )],
            ),
            StatusCode::OK,
        ),
        Err(Refused::Form(code)) => render(
            &sign_up_form(l, Some(l.keyed("account-error-", code)), &return_to),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::LinkExpired) => link_expired(l),
        Err(Refused::Api(e)) => e.into_response(),
    }
}

pub(super) async fn verify(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<ReturnQuery>,
) -> Response {
    match accounts::verify_email(&state, &q.token.unwrap_or_default()).await {
        Ok(()) => render(
            &FormPage::message(
                l,
                "account-email-confirmed",
                l.t("account-email-confirmed-text"),
                vec![link("/account/sign-in", l.t("account-sign-in"))],
            ),
            StatusCode::OK,
        ),
        Err(Refused::LinkExpired) => render(
            &FormPage::message(
                l,
                "account-link-expired",
                l.t("account-link-expired-sign-in"),
                vec![link("/account/sign-in", l.t("account-sign-in"))],
            ),
            StatusCode::BAD_REQUEST,
        ),
        Err(Refused::Form(code)) => {
            (StatusCode::BAD_REQUEST, l.keyed("account-error-", code)).into_response()
        }
        Err(Refused::Api(e)) => e.into_response(),
    }
}

fn sign_in_form(
    state: &AppState,
    l: &'static Locale,
    error: Option<String>,
    notice: Option<String>,
    return_to: &str,
    site: Option<&str>,
) -> FormPage {
    FormPage {
        l,
        title: "account-sign-in",
        notice,
        error,
        action: "/account/sign-in",
        fields: vec![
            field("email", "account-field-email", "email", "username"),
            field(
                "password",
                "account-field-password",
                "password",
                "current-password",
            ),
            hidden("return", return_to),
        ],
        submit: "account-sign-in",
        links: vec![
            link(
                &format!("/account/sign-up?return={}", enc(return_to)),
                l.t("account-sign-up-title"),
            ),
            link("/account/reset", l.t("account-forgot")),
        ],
        providers: providers_for(state, l, site, return_to),
        refresh: None,
    }
}

pub(super) async fn sign_in_page(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
    Query(q): Query<ReturnQuery>,
) -> Response {
    if let Ok(Some(_)) = reader(&state, &headers).await {
        return Redirect::to(&safe_return(&state, q.return_to.as_deref()).await).into_response();
    }
    render(
        &sign_in_form(
            &state,
            l,
            None,
            None,
            q.return_to.as_deref().unwrap_or_default(),
            q.site.as_deref(),
        ),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct SignInForm {
    email: String,
    password: String,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

pub(super) async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignInForm>,
) -> Response {
    if let Some(refused) = gate(&state, l, &headers, ip, &form.email) {
        return refused;
    }
    let return_to = form.return_to.unwrap_or_default();
    let (status, msg) = match accounts::sign_in(&state, &form.email, form.password).await {
        Ok(SignIn::Account(id)) => {
            let to = safe_return(&state, Some(&return_to)).await;
            return signed_in(&state, l, id, &to).await;
        }
        Ok(SignIn::Wrong) => (StatusCode::UNAUTHORIZED, l.t("account-wrong")),
        Ok(SignIn::Unverified(to)) => (
            StatusCode::FORBIDDEN,
            l.t1("account-unverified", "email", to.to_string()),
        ),
        Err(e) => return e.into_response(),
    };
    render(
        &sign_in_form(&state, l, Some(msg), None, &return_to, None),
        status,
    )
}

fn reset_form(l: &'static Locale, error: Option<String>) -> FormPage {
    FormPage {
        l,
        title: "account-reset-title",
        notice: Some(l.t("account-reset-text")),
        error,
        action: "/account/reset",
        fields: vec![field("email", "account-field-email", "email", "username")],
        submit: "account-reset-submit",
        links: vec![link("/account/sign-in", l.t("account-sign-in"))],
        providers: Vec::new(),
        refresh: None,
    }
}

pub(super) async fn reset_page(Lang(l): Lang) -> Response {
    render(&reset_form(l, None), StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct EmailForm {
    email: String,
}

pub(super) async fn reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<EmailForm>,
) -> Response {
    if let Some(refused) = gate(&state, l, &headers, ip, &form.email) {
        return refused;
    }
    match state
        .store
        .account(AccountKey::Email(form.email.trim()))
        .await
    {
        Ok(Some(account)) => {
            let to = account.email.clone().unwrap_or_default();
            if let Err(e) = accounts::mail_link(&state, account.id, &to, TokenPurpose::Reset).await
            {
                return e.into_response();
            }
        }
        Ok(None) => {}
        Err(e) => return ApiError::from(e).into_response(),
    }
    render(
        &FormPage::message(
            l,
            "account-check-mail",
            l.t("account-reset-sent"),
            vec![link("/account/sign-in", l.t("account-sign-in"))],
        ),
        StatusCode::OK,
    )
}

fn reset_confirm_form(l: &'static Locale, token: &str, error: Option<String>) -> FormPage {
    FormPage {
        l,
        title: "account-new-password-title",
        notice: None,
        error,
        action: "/account/reset/confirm",
        fields: vec![
            field(
                "password",
                "account-field-new-password",
                "password",
                "new-password",
            ),
            hidden("token", token),
        ],
        submit: "account-new-password-submit",
        links: Vec::new(),
        providers: Vec::new(),
        refresh: None,
    }
}

pub(super) async fn reset_confirm_page(Lang(l): Lang, Query(q): Query<ReturnQuery>) -> Response {
    render(
        &reset_confirm_form(l, q.token.as_deref().unwrap_or_default(), None),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct ResetConfirmForm {
    token: String,
    password: String,
}

pub(super) async fn reset_confirm(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ResetConfirmForm>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin(l);
    }
    match accounts::reset_password(&state, &form.token, form.password).await {
        Ok(()) => signed_out(
            &state,
            render(
                &FormPage::message(
                    l,
                    "account-password-changed",
                    l.t("account-password-changed-text"),
                    vec![link("/account/sign-in", l.t("account-sign-in"))],
                ),
                StatusCode::OK,
            ),
        ),
        Err(Refused::Form(code)) => render(
            &reset_confirm_form(l, &form.token, Some(l.keyed("account-error-", code))),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::LinkExpired) => link_expired(l),
        Err(Refused::Api(e)) => e.into_response(),
    }
}

fn link_expired(l: &'static Locale) -> Response {
    render(
        &FormPage::message(
            l,
            "account-link-expired",
            l.t("account-link-expired-reset"),
            vec![link("/account/reset", l.t("account-reset-title"))],
        ),
        StatusCode::BAD_REQUEST,
    )
}
