//! Sign-in with an OpenID Connect provider configured for a site (`[[oidc]]` in the settings):
//! the authorization code flow with PKCE, `state` and `nonce`; the token is checked by
//! `crate::oidc`.

use super::forms::{FormPage, enc, render, safe_return, signed_in};
use crate::auth::{cookie_value, new_token, token_hash};
use crate::config::OidcProvider;
use crate::error::ApiError;
use crate::i18n::{Lang, Locale};
use crate::oidc::{Claims, OidcError, verify};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jirga_domain::AccountId;
use jirga_domain::{AuthorName, Email};
use jirga_store::{AccountKey, NewAccount, StoreError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

const COOKIE: &str = "jirga_oidc";

fn find<'a>(state: &'a AppState, site: &str, id: &str) -> Option<&'a OidcProvider> {
    state
        .settings
        .oidc
        .iter()
        .find(|p| p.site == site && p.id == id)
}

fn redirect_uri(state: &AppState) -> String {
    format!("{}/account/oidc/callback", state.public_url)
}

fn failed(l: &'static Locale, status: StatusCode, why: String) -> Response {
    render(
        &FormPage {
            l,
            title: "account-oidc-failed",
            notice: None,
            error: Some(why),
            action: "",
            fields: Vec::new(),
            submit: "",
            links: vec![("/account/sign-in".into(), l.t("account-oidc-back"))],
            providers: Vec::new(),
            refresh: None,
        },
        status,
    )
}

#[derive(Deserialize)]
pub(super) struct StartQuery {
    site: String,
    provider: String,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// A sign-in on its way through the provider, kept in a short-lived cookie: the `state` that
/// ties the provider's answer to this browser, the `nonce` the ID token must carry, the PKCE
/// verifier, and where the reader goes afterwards.
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    site: String,
    provider: String,
    return_to: String,
}

impl Pending {
    fn new(p: &OidcProvider, return_to: Option<String>) -> Self {
        Self {
            state: new_token().0,
            nonce: new_token().0,
            verifier: new_token().0,
            site: p.site.clone(),
            provider: p.id.clone(),
            return_to: return_to.unwrap_or_default(),
        }
    }

    /// The tokens as they are (URL-safe base64), the rest base64-encoded; `.` between.
    fn cookie(&self, secure: bool) -> HeaderValue {
        let value = format!(
            "{}.{}.{}.{}.{}.{}",
            self.state,
            self.nonce,
            self.verifier,
            URL_SAFE_NO_PAD.encode(&self.site),
            URL_SAFE_NO_PAD.encode(&self.provider),
            URL_SAFE_NO_PAD.encode(&self.return_to),
        );
        let secure = if secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{COOKIE}={value}; Path=/account/oidc; HttpOnly; SameSite=Lax; Max-Age=600{secure}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("jirga_invalid=; Max-Age=0"))
    }

    fn from_cookie(value: &str) -> Option<Self> {
        let text = |b: &str| {
            URL_SAFE_NO_PAD
                .decode(b)
                .ok()
                .and_then(|v| String::from_utf8(v).ok())
                .unwrap_or_default()
        };
        let parts: Vec<&str> = value.split('.').collect();
        let [state, nonce, verifier, site, provider, return_to] = parts[..] else {
            return None;
        };
        Some(Self {
            state: state.to_owned(),
            nonce: nonce.to_owned(),
            verifier: verifier.to_owned(),
            site: text(site),
            provider: text(provider),
            return_to: text(return_to),
        })
    }

    /// The provider's authorization URL for this sign-in (PKCE with S256).
    fn authorization_url(&self, endpoint: &str, client_id: &str, redirect_uri: &str) -> String {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(self.verifier.as_bytes()));
        format!(
            "{endpoint}{}response_type=code&client_id={}&redirect_uri={}&scope=openid%20email%20profile\
             &state={}&nonce={}&code_challenge={challenge}&code_challenge_method=S256",
            if endpoint.contains('?') { '&' } else { '?' },
            enc(client_id),
            enc(redirect_uri),
            self.state,
            self.nonce,
        )
    }
}

pub(super) async fn start(
    State(state): State<AppState>,
    Lang(l): Lang,
    Query(q): Query<StartQuery>,
) -> Response {
    let Some(p) = find(&state, &q.site, &q.provider) else {
        return ApiError::NotFound.into_response();
    };
    let provider = match state.oidc.provider(&p.issuer, false).await {
        Ok(d) => d,
        Err(e) => {
            return failed(
                l,
                StatusCode::BAD_GATEWAY,
                l.t1("account-oidc-provider", "why", e.to_string()),
            );
        }
    };
    let pending = Pending::new(p, q.return_to);
    let url = pending.authorization_url(
        &provider.0.authorization_endpoint,
        &p.client_id,
        &redirect_uri(&state),
    );
    let cookie = pending.cookie(state.public_url.starts_with("https://"));
    crate::auth::with_cookie(Redirect::to(&url).into_response(), cookie)
}

#[derive(Deserialize)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: String,
}

pub(super) async fn callback(
    State(state): State<AppState>,
    Lang(l): Lang,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    if let Some(e) = q.error {
        return failed(
            l,
            StatusCode::BAD_REQUEST,
            l.t1("account-oidc-provider", "why", e),
        );
    }
    let Some(pending) = cookie_value(&headers, COOKIE).and_then(|v| Pending::from_cookie(&v))
    else {
        return failed(l, StatusCode::BAD_REQUEST, l.t("account-oidc-not-started"));
    };
    // The state ties the answer to the browser that started the sign-in (login CSRF).
    if q.state.as_deref() != Some(pending.state.as_str()) || token_hash(&pending.state).is_empty() {
        return failed(l, StatusCode::BAD_REQUEST, l.t("account-oidc-foreign"));
    }
    let Some(p) = find(&state, &pending.site, &pending.provider) else {
        return ApiError::NotFound.into_response();
    };
    let Some(code) = q.code else {
        return failed(l, StatusCode::BAD_REQUEST, l.t("account-oidc-no-code"));
    };
    let claims = match exchange(&state, p, &code, &pending).await {
        Ok(c) => c,
        Err(e) => {
            let why = l.t1("account-oidc-provider", "why", e.to_string());
            return failed(l, StatusCode::BAD_GATEWAY, why);
        }
    };
    let account = match account_for(&state, p, &claims).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let to = safe_return(&state, Some(&pending.return_to)).await;
    let resp = signed_in(&state, l, account, &to).await;
    let clear = HeaderValue::from_static("jirga_oidc=; Path=/account/oidc; HttpOnly; Max-Age=0");
    crate::auth::with_cookie(resp, clear)
}

/// Trades the code for an ID token and checks it; when the token's key is unknown, the
/// provider's keys are fetched once more (it may have rotated them since).
async fn exchange(
    state: &AppState,
    p: &OidcProvider,
    code: &str,
    pending: &Pending,
) -> Result<Claims, OidcError> {
    let provider = state.oidc.provider(&p.issuer, false).await?;
    let id_token = id_token(
        state,
        &provider.0.token_endpoint,
        p,
        code,
        &pending.verifier,
    )
    .await?;
    let now = Utc::now().timestamp();
    let check = |keys: &[crate::oidc::Jwk], issuer: &str| {
        verify(&id_token, keys, issuer, &p.client_id, &pending.nonce, now)
    };
    match check(&provider.1.keys, &provider.0.issuer) {
        Err(OidcError::Token(_)) => {
            let provider = state.oidc.provider(&p.issuer, true).await?;
            check(&provider.1.keys, &provider.0.issuer)
        }
        other => other,
    }
}

/// The token endpoint's ID token for an authorization code.
async fn id_token(
    state: &AppState,
    endpoint: &str,
    p: &OidcProvider,
    code: &str,
    verifier: &str,
) -> Result<String, OidcError> {
    let redirect = redirect_uri(state);
    let failed = |e: reqwest::Error| OidcError::Provider(format!("token endpoint: {e}"));
    let token: TokenResponse = state
        .oidc
        .client
        .post(endpoint)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect.as_str()),
            ("client_id", p.client_id.as_str()),
            ("client_secret", p.client_secret.expose()),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(failed)?
        .json()
        .await
        .map_err(failed)?;
    Ok(token.id_token)
}

/// The account of this OpenID identity, made on its first sign-in.
async fn account_for(
    state: &AppState,
    p: &OidcProvider,
    c: &Claims,
) -> Result<AccountId, ApiError> {
    let issuer = p.issuer.trim_end_matches('/');
    let key = AccountKey::Oidc {
        issuer,
        subject: &c.sub,
    };
    if let Some(a) = state.store.account(key).await? {
        return Ok(a.id);
    }
    let name = [c.name.as_deref(), c.preferred_username.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|n| AuthorName::parse(n).ok())
        .map_or_else(|| "Reader".to_owned(), |n| n.as_str().to_owned());
    // The address is kept only when the provider vouches for it.
    let email = c
        .email
        .as_deref()
        .filter(|_| c.email_verified)
        .and_then(|e| Email::parse(e).ok())
        .map(|e| e.as_str().to_owned());
    let new = |email: Option<String>| NewAccount {
        email,
        name: name.clone(),
        password_hash: None,
        email_verified: true,
        oidc: Some((issuer.to_owned(), c.sub.clone())),
    };
    match state.store.create_account(new(email.clone())).await {
        Ok(a) => Ok(a.id),
        // The address already belongs to another account: this one goes without it (accounts
        // are not merged on an address's say-so).
        Err(StoreError::Conflict(_)) if email.is_some() => {
            Ok(state.store.create_account(new(None)).await?.id)
        }
        Err(e) => Err(e.into()),
    }
}
