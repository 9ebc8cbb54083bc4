//! Sign-in with an OpenID Connect provider configured for a site (`[[oidc]]` in the settings):
//! the authorization code flow with PKCE, `state` and `nonce`; the token is checked by
//! `crate::oidc`.

use super::forms::{FormPage, enc, render, safe_return, signed_in};
use crate::auth::{cookie_value, new_token, token_hash};
use crate::config::OidcProvider;
use crate::error::ApiError;
use crate::oidc::{Claims, OidcError, verify};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
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

fn failed(status: StatusCode, why: String) -> Response {
    render(
        &FormPage {
            title: "Sign-in failed",
            notice: None,
            error: Some(why),
            action: "",
            fields: Vec::new(),
            submit: "",
            links: vec![("/account/sign-in".into(), "Back to sign-in".into())],
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

pub(super) async fn start(State(state): State<AppState>, Query(q): Query<StartQuery>) -> Response {
    let Some(p) = find(&state, &q.site, &q.provider) else {
        return ApiError::NotFound.into_response();
    };
    let provider = match state.oidc.provider(&p.issuer, false).await {
        Ok(d) => d,
        Err(e) => return failed(StatusCode::BAD_GATEWAY, e.to_string()),
    };
    let (csrf_state, _) = new_token();
    let (nonce, _) = new_token();
    let (verifier, _) = new_token();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let return_to = URL_SAFE_NO_PAD.encode(q.return_to.unwrap_or_default());
    let value = format!(
        "{csrf_state}.{nonce}.{verifier}.{}.{}.{return_to}",
        URL_SAFE_NO_PAD.encode(&p.site),
        URL_SAFE_NO_PAD.encode(&p.id)
    );
    let url = format!(
        "{}{}response_type=code&client_id={}&redirect_uri={}&scope=openid%20email%20profile&state={csrf_state}&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256",
        provider.0.authorization_endpoint,
        if provider.0.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        },
        enc(&p.client_id),
        enc(&redirect_uri(&state)),
    );
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/account/oidc; HttpOnly; SameSite=Lax; Max-Age=600{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("jirga_invalid=; Max-Age=0"));
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
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    if let Some(e) = q.error {
        return failed(StatusCode::BAD_REQUEST, format!("The provider said: {e}"));
    }
    let cookie = cookie_value(&headers, COOKIE).unwrap_or_default();
    let parts: Vec<&str> = cookie.split('.').collect();
    let [csrf_state, nonce, verifier, site, provider, return_to] = parts[..] else {
        return failed(
            StatusCode::BAD_REQUEST,
            "This sign-in was not started here, or took too long; start again.".into(),
        );
    };
    // The state ties the answer to the browser that started the sign-in (login CSRF).
    if q.state.as_deref() != Some(csrf_state) || token_hash(csrf_state).is_empty() {
        return failed(
            StatusCode::BAD_REQUEST,
            "The answer does not belong to this sign-in; start again.".into(),
        );
    }
    let text = |b: &str| {
        URL_SAFE_NO_PAD
            .decode(b)
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .unwrap_or_default()
    };
    let (site, provider_id, return_to) = (text(site), text(provider), text(return_to));
    let Some(p) = find(&state, &site, &provider_id) else {
        return ApiError::NotFound.into_response();
    };
    let Some(code) = q.code else {
        return failed(StatusCode::BAD_REQUEST, "The provider sent no code.".into());
    };
    let claims = match exchange(&state, p, &code, verifier, nonce).await {
        Ok(c) => c,
        Err(e) => return failed(StatusCode::BAD_GATEWAY, e.to_string()),
    };
    let account = match account_for(&state, p, &claims).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let to = safe_return(&state, Some(&return_to)).await;
    let resp = signed_in(&state, account, &to).await;
    crate::auth::with_cookie(
        resp,
        HeaderValue::from_static("jirga_oidc=; Path=/account/oidc; HttpOnly; Max-Age=0"),
    )
}

async fn exchange(
    state: &AppState,
    p: &OidcProvider,
    code: &str,
    verifier: &str,
    nonce: &str,
) -> Result<Claims, OidcError> {
    let provider = state.oidc.provider(&p.issuer, false).await?;
    let redirect = redirect_uri(state);
    let token: TokenResponse = state
        .oidc
        .client
        .post(&provider.0.token_endpoint)
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
        .map_err(|e| OidcError::Provider(format!("token endpoint: {e}")))?
        .json()
        .await
        .map_err(|e| OidcError::Provider(format!("token endpoint: {e}")))?;
    let now = Utc::now().timestamp();
    match verify(
        &token.id_token,
        &provider.1.keys,
        &provider.0.issuer,
        &p.client_id,
        nonce,
        now,
    ) {
        Ok(c) => Ok(c),
        // The provider may have rotated its keys since they were fetched: fetch once more.
        Err(OidcError::Token(_)) => {
            let provider = state.oidc.provider(&p.issuer, true).await?;
            verify(
                &token.id_token,
                &provider.1.keys,
                &provider.0.issuer,
                &p.client_id,
                nonce,
                now,
            )
        }
        Err(e) => Err(e),
    }
}

/// The account of this OpenID identity, made on its first sign-in.
async fn account_for(state: &AppState, p: &OidcProvider, c: &Claims) -> Result<i64, ApiError> {
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
