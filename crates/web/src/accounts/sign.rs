//! Signing up, in and back in: the forms, the mailed verification link, password reset.

use super::forms::{
    FormPage, ReturnQuery, enc, field, forbidden_origin, gate, hidden, link, providers_for, render,
    safe_return, signed_in, signed_out,
};
use crate::auth::{reader, same_origin_post};
use crate::error::ApiError;
use crate::http::ClientIp;
use crate::service::accounts::{self, Refused, SignIn};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jirga_store::{AccountKey, TokenPurpose};
use serde::Deserialize;

fn sign_up_form(error: Option<String>, return_to: &str) -> FormPage {
    FormPage {
        title: "Create an account",
        notice: None,
        error,
        action: "/account/sign-up",
        fields: vec![
            field("name", "Name shown with your comments", "text", "nickname"),
            field("email", "Email", "email", "email"),
            field(
                "password",
                "Password (10 characters or more)",
                "password",
                "new-password",
            ),
            hidden("return", return_to),
        ],
        submit: "Create account",
        links: vec![link("/account/sign-in", "I have an account: sign in")],
        providers: Vec::new(),
        refresh: None,
    }
}

pub(super) async fn sign_up_page(Query(q): Query<ReturnQuery>) -> Response {
    render(
        &sign_up_form(None, q.return_to.as_deref().unwrap_or_default()),
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
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignUpForm>,
) -> Response {
    // Per address too: each sign-up mails the address, which must not become a mail bomb.
    if let Some(refused) = gate(&state, &headers, ip, &form.email) {
        return refused;
    }
    let return_to = form.return_to.unwrap_or_default();
    match accounts::sign_up(&state, &form.name, &form.email, form.password).await {
        Ok(email) => render(
            &FormPage::message(
                "Check your mail",
                format!(
                    "We sent a link to {}. Open it to confirm your address, then sign in.",
                    email.as_str()
                ),
                vec![link(
                    &format!("/account/sign-in?return={}", enc(&return_to)),
                    "Sign in",
                )],
            ),
            StatusCode::OK,
        ),
        Err(Refused::Form(msg)) => render(
            &sign_up_form(Some(msg), &return_to),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::LinkExpired) => link_expired(),
        Err(Refused::Api(e)) => e.into_response(),
    }
}

pub(super) async fn verify(
    State(state): State<AppState>,
    Query(q): Query<ReturnQuery>,
) -> Response {
    match accounts::verify_email(&state, &q.token.unwrap_or_default()).await {
        Ok(()) => render(
            &FormPage::message(
                "Email confirmed",
                "Your address is confirmed. You can sign in now.".into(),
                vec![link("/account/sign-in", "Sign in")],
            ),
            StatusCode::OK,
        ),
        Err(Refused::LinkExpired) => render(
            &FormPage::message(
                "Link expired",
                "This link has expired or was already used. Sign in to get a new one.".into(),
                vec![link("/account/sign-in", "Sign in")],
            ),
            StatusCode::BAD_REQUEST,
        ),
        Err(Refused::Form(why)) => (StatusCode::BAD_REQUEST, why).into_response(),
        Err(Refused::Api(e)) => e.into_response(),
    }
}

fn sign_in_form(
    state: &AppState,
    error: Option<String>,
    notice: Option<String>,
    return_to: &str,
    site: Option<&str>,
) -> FormPage {
    FormPage {
        title: "Sign in",
        notice,
        error,
        action: "/account/sign-in",
        fields: vec![
            field("email", "Email", "email", "username"),
            field("password", "Password", "password", "current-password"),
            hidden("return", return_to),
        ],
        submit: "Sign in",
        links: vec![
            link(
                &format!("/account/sign-up?return={}", enc(return_to)),
                "Create an account",
            ),
            link("/account/reset", "Forgot your password?"),
        ],
        providers: providers_for(state, site, return_to),
        refresh: None,
    }
}

pub(super) async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReturnQuery>,
) -> Response {
    if let Ok(Some(_)) = reader(&state, &headers).await {
        return Redirect::to(&safe_return(&state, q.return_to.as_deref()).await).into_response();
    }
    render(
        &sign_in_form(
            &state,
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
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignInForm>,
) -> Response {
    if let Some(refused) = gate(&state, &headers, ip, &form.email) {
        return refused;
    }
    let return_to = form.return_to.unwrap_or_default();
    let (status, msg) = match accounts::sign_in(&state, &form.email, form.password).await {
        Ok(SignIn::Account(id)) => {
            let to = safe_return(&state, Some(&return_to)).await;
            return signed_in(&state, id, &to).await;
        }
        Ok(SignIn::Wrong) => (StatusCode::UNAUTHORIZED, "Wrong email or password.".into()),
        Ok(SignIn::Unverified(to)) => (
            StatusCode::FORBIDDEN,
            format!("Confirm your address first: we sent a new link to {to}."),
        ),
        Err(e) => return e.into_response(),
    };
    render(
        &sign_in_form(&state, Some(msg), None, &return_to, None),
        status,
    )
}

fn reset_form(error: Option<String>) -> FormPage {
    FormPage {
        title: "Reset your password",
        notice: Some("We will mail you a link to choose a new password.".into()),
        error,
        action: "/account/reset",
        fields: vec![field("email", "Email", "email", "username")],
        submit: "Send the link",
        links: vec![link("/account/sign-in", "Sign in")],
        providers: Vec::new(),
        refresh: None,
    }
}

pub(super) async fn reset_page() -> Response {
    render(&reset_form(None), StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct EmailForm {
    email: String,
}

pub(super) async fn reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<EmailForm>,
) -> Response {
    if let Some(refused) = gate(&state, &headers, ip, &form.email) {
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
            "Check your mail",
            "If an account has this address, we sent it a link to choose a new password.".into(),
            vec![link("/account/sign-in", "Sign in")],
        ),
        StatusCode::OK,
    )
}

fn reset_confirm_form(token: &str, error: Option<String>) -> FormPage {
    FormPage {
        title: "Choose a new password",
        notice: None,
        error,
        action: "/account/reset/confirm",
        fields: vec![
            field(
                "password",
                "New password (10 characters or more)",
                "password",
                "new-password",
            ),
            hidden("token", token),
        ],
        submit: "Set the password",
        links: Vec::new(),
        providers: Vec::new(),
        refresh: None,
    }
}

pub(super) async fn reset_confirm_page(Query(q): Query<ReturnQuery>) -> Response {
    render(
        &reset_confirm_form(q.token.as_deref().unwrap_or_default(), None),
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
    headers: HeaderMap,
    axum::Form(form): axum::Form<ResetConfirmForm>,
) -> Response {
    if !same_origin_post(&state, &headers) {
        return forbidden_origin();
    }
    match accounts::reset_password(&state, &form.token, form.password).await {
        Ok(()) => signed_out(
            &state,
            render(
                &FormPage::message(
                    "Password changed",
                    "Your password is changed and every session was signed out. Sign in with the new one."
                        .into(),
                    vec![link("/account/sign-in", "Sign in")],
                ),
                StatusCode::OK,
            ),
        ),
        Err(Refused::Form(msg)) => render(
            &reset_confirm_form(&form.token, Some(msg)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::LinkExpired) => link_expired(),
        Err(Refused::Api(e)) => e.into_response(),
    }
}

fn link_expired() -> Response {
    render(
        &FormPage::message(
            "Link expired",
            "This link has expired or was already used; ask for a new one.".into(),
            vec![link("/account/reset", "Reset your password")],
        ),
        StatusCode::BAD_REQUEST,
    )
}
