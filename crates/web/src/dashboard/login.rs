//! Moderators sign in and out.

use super::session::{COOKIE, SESSION_HOURS, Session, internal, render};
use crate::auth::same_origin_post;
use crate::http::ClientIp;
use crate::i18n::{Lang, Locale};
use crate::service::moderators;
use crate::state::{AppState, Limit};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "moderate/login.html")]
pub(super) struct LoginPage {
    l: &'static Locale,
    error: Option<String>,
}

pub(super) async fn login_page(Lang(l): Lang) -> Response {
    render(&LoginPage { l, error: None }, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    email: String,
    password: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Lang(l): Lang,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    // Login CSRF: the form must come from a page of this server.
    if !same_origin_post(&state, &headers) {
        return (StatusCode::FORBIDDEN, l.t("dash-login-foreign")).into_response();
    }
    // Per address and per account: guessing passwords from many addresses for one account,
    // or for many accounts from one address, is slowed down either way.
    if let Err(e) = state
        .check_rate(Limit::SignIn, ip)
        .and_then(|()| state.check_sign_in_account(&form.email))
    {
        return e.into_response();
    }
    match moderators::sign_in(&state, &form.email, form.password, SESSION_HOURS).await {
        Ok(Some(token)) => {
            let resp = Redirect::to("/moderate").into_response();
            crate::auth::with_cookie(resp, session_cookie(&state, &token))
        }
        Ok(None) => {
            let error = Some(l.t("dash-login-wrong"));
            render(&LoginPage { l, error }, StatusCode::UNAUTHORIZED)
        }
        Err(e) => internal(e),
    }
}

/// A moderator's session cookie: never sent from another site's page.
fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let max_age = SESSION_HOURS * 3600;
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("jirga_invalid=; Max-Age=0"))
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

pub(super) async fn logout(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    if let Err(r) = session.check(&form.csrf) {
        return r.into_response();
    }
    if let Err(e) = state.store.delete_session(&session.token_hash).await {
        return internal(e);
    }
    let clear =
        HeaderValue::from_static("jirga_mod=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    crate::auth::with_cookie(Redirect::to("/moderate/login").into_response(), clear)
}
