//! What the account pages share: the form page, its fields and links, the checks every
//! sign-in form passes first, mailed links, starting and ending a session, where to go after.

use crate::auth::{COOKIE, cookie, new_token, same_origin_post, with_cookie};
use crate::error::ApiError;
use crate::i18n::Locale;
use crate::state::{AppState, Limit};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use jirga_domain::AccountId;
use serde::Deserialize;

/// Starts a session for the account and sends the reader on to `to`.
pub async fn signed_in(
    state: &AppState,
    l: &'static Locale,
    account_id: AccountId,
    to: &str,
) -> Response {
    let (token, hash) = new_token();
    let days = state.settings.account_session_days.max(1);
    if let Err(e) = state
        .store
        .create_account_session(&hash, account_id, Utc::now() + Duration::days(days))
        .await
    {
        return ApiError::from(e).into_response();
    }
    // Back to a page of another origin (the article) by a page of our own, not a redirect:
    // the CSP's form-action 'self' also governs where a form's redirects may go.
    let onward = if to.starts_with('/') {
        Redirect::to(to).into_response()
    } else {
        let mut page = FormPage::message(
            l,
            "account-signed-in",
            l.t("account-signed-in-text"),
            vec![link(to, l.t("account-back-to-article"))],
        );
        page.refresh = Some(to.to_owned());
        render(&page, StatusCode::OK)
    };
    with_cookie(onward, cookie(state, COOKIE, &token, "/", days * 86_400))
}

pub(super) fn signed_out(state: &AppState, resp: Response) -> Response {
    with_cookie(resp, cookie(state, COOKIE, "", "/", 0))
}

/// Where to go after signing in: a path here, or a page on an origin some site allows.
pub async fn safe_return(state: &AppState, raw: Option<&str>) -> String {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return "/account".into();
    };
    if raw.starts_with('/') && !raw.starts_with("//") && !raw.starts_with("/\\") {
        return raw.to_owned();
    }
    let origin = raw
        .split_once("://")
        .map(|(scheme, rest)| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{host}")
        })
        .unwrap_or_default();
    if (origin.starts_with("https://") || origin.starts_with("http://"))
        && (origin == state.public_url || state.origin_known(&origin).await)
    {
        raw.to_owned()
    } else {
        "/account".into()
    }
}

pub struct Field {
    pub name: &'static str,
    /// The label's message key.
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub autocomplete: &'static str,
}

pub(super) fn field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    auto: &'static str,
) -> Field {
    Field {
        name,
        label,
        kind,
        value: String::new(),
        autocomplete: auto,
    }
}

pub(super) fn hidden(name: &'static str, value: &str) -> Field {
    Field {
        name,
        label: "",
        kind: "hidden",
        value: value.to_owned(),
        autocomplete: "off",
    }
}

/// Every account page but the signed-in home: a message, maybe a form, maybe links. The
/// title, the field labels and the button are message keys; the rest is said already.
#[derive(Template)]
#[template(path = "account/form.html")]
pub struct FormPage {
    pub l: &'static Locale,
    pub title: &'static str,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub action: &'static str,
    pub fields: Vec<Field>,
    pub submit: &'static str,
    pub links: Vec<(String, String)>,
    pub providers: Vec<(String, String)>,
    /// Where the page sends the browser on by itself.
    pub refresh: Option<String>,
}

impl FormPage {
    pub(super) fn message(
        l: &'static Locale,
        title: &'static str,
        notice: String,
        links: Vec<(String, String)>,
    ) -> Self {
        FormPage {
            l,
            title,
            notice: Some(notice),
            error: None,
            action: "",
            fields: Vec::new(),
            submit: "",
            links,
            providers: Vec::new(),
            refresh: None,
        }
    }
}

pub fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

pub(super) fn link(href: &str, label: String) -> (String, String) {
    (href.to_owned(), label)
}

pub(super) fn forbidden_origin(l: &Locale) -> Response {
    (StatusCode::FORBIDDEN, l.t("account-foreign-form")).into_response()
}

/// What every form that signs in, signs up or mails a link passes first: it must come from a
/// page of this origin, within the sign-in rate of the client's address and of the email.
/// `Some` is the refusal to send.
pub(super) fn gate(
    state: &AppState,
    l: &Locale,
    headers: &HeaderMap,
    ip: std::net::IpAddr,
    email: &str,
) -> Option<Response> {
    if !same_origin_post(state, headers) {
        return Some(forbidden_origin(l));
    }
    state
        .check_rate(Limit::SignIn, ip)
        .and_then(|()| state.check_sign_in_account(email))
        .err()
        .map(IntoResponse::into_response)
}

#[derive(Deserialize, Default)]
pub struct ReturnQuery {
    #[serde(rename = "return")]
    pub return_to: Option<String>,
    pub site: Option<String>,
    pub token: Option<String>,
}

pub(super) fn providers_for(
    state: &AppState,
    l: &Locale,
    site: Option<&str>,
    return_to: &str,
) -> Vec<(String, String)> {
    state
        .settings
        .oidc
        .iter()
        .filter(|p| site.is_none_or(|s| s == p.site))
        .map(|p| {
            (
                format!(
                    "/account/oidc/start?site={}&provider={}&return={}",
                    enc(&p.site),
                    enc(&p.id),
                    enc(return_to)
                ),
                l.t1("account-sign-in-with", "provider", &p.name),
            )
        })
        .collect()
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
