//! Sign-in with an OpenID Connect provider configured for a site (`[[oidc]]` in the settings):
//! the authorization code flow with PKCE, `state` and `nonce`. The ID token is checked here:
//! RS256 signature against the provider's published keys, issuer, audience, expiry and nonce.

use crate::accounts::{self, FormPage, enc};
use crate::auth::{cookie_value, new_token, token_hash};
use crate::config::OidcProvider;
use crate::error::ApiError;
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
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COOKIE: &str = "jirga_oidc";
const PROVIDER_CACHE: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

/// A provider's discovery document and published keys.
type Known = Arc<(Discovery, Jwks)>;

/// Providers' discovery documents and keys, kept a few minutes.
pub struct Oidc {
    client: reqwest::Client,
    known: Mutex<HashMap<String, (Instant, Known)>>,
}

impl Default for Oidc {
    fn default() -> Self {
        Self {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            known: Mutex::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the provider could not be reached or answered badly: {0}")]
    Provider(String),
    #[error("the ID token is not valid: {0}")]
    Token(String),
}

impl Oidc {
    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        self.client
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| OidcError::Provider(e.to_string()))?
            .json()
            .await
            .map_err(|e| OidcError::Provider(e.to_string()))
    }

    async fn provider(
        &self,
        issuer: &str,
        fresh: bool,
    ) -> Result<Arc<(Discovery, Jwks)>, OidcError> {
        let issuer = issuer.trim_end_matches('/');
        if !fresh {
            let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, p)) = known.get(issuer)
                && at.elapsed() < PROVIDER_CACHE
            {
                return Ok(p.clone());
            }
        }
        let d: Discovery = self
            .get_json(&format!("{issuer}/.well-known/openid-configuration"))
            .await?;
        if d.issuer.trim_end_matches('/') != issuer {
            return Err(OidcError::Provider(format!(
                "the discovery document names issuer {:?}, not {issuer:?}",
                d.issuer
            )));
        }
        let keys: Jwks = self.get_json(&d.jwks_uri).await?;
        let p = Arc::new((d, keys));
        self.known
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(issuer.to_owned(), (Instant::now(), p.clone()));
        Ok(p)
    }
}

fn b64(part: &str) -> Result<Vec<u8>, OidcError> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| OidcError::Token(format!("bad base64: {e}")))
}

/// The claims Jirga reads from an ID token.
#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: serde_json::Value,
    pub exp: i64,
    pub nonce: Option<String>,
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: bool,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
}

/// Checks an ID token's signature (RS256, a key from the provider's set) and its claims.
fn verify(
    token: &str,
    keys: &[Jwk],
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: i64,
) -> Result<Claims, OidcError> {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(OidcError::Token("not a JWS compact token".into()));
    };
    let header: serde_json::Value =
        serde_json::from_slice(&b64(h)?).map_err(|e| OidcError::Token(format!("header: {e}")))?;
    if header["alg"] != "RS256" {
        return Err(OidcError::Token(format!(
            "algorithm {} is not accepted (RS256 only)",
            header["alg"]
        )));
    }
    let kid = header["kid"].as_str();
    let key = keys
        .iter()
        .filter(|k| k.kty == "RSA")
        .find(|k| kid.is_none() || k.kid.as_deref() == kid)
        .ok_or_else(|| OidcError::Token("no published key matches the token's kid".into()))?;
    let (Some(n), Some(e)) = (&key.n, &key.e) else {
        return Err(OidcError::Token(
            "the key has no modulus or exponent".into(),
        ));
    };
    let public = rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&b64(n)?),
        rsa::BigUint::from_bytes_be(&b64(e)?),
    )
    .map_err(|e| OidcError::Token(format!("key: {e}")))?;
    let signature = Signature::try_from(b64(s)?.as_slice())
        .map_err(|e| OidcError::Token(format!("signature: {e}")))?;
    VerifyingKey::<Sha256>::new(public)
        .verify(format!("{h}.{p}").as_bytes(), &signature)
        .map_err(|_| OidcError::Token("the signature does not verify".into()))?;
    let claims: Claims =
        serde_json::from_slice(&b64(p)?).map_err(|e| OidcError::Token(format!("claims: {e}")))?;
    if claims.iss.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(OidcError::Token(format!("issuer {:?}", claims.iss)));
    }
    let audience_ok = match &claims.aud {
        serde_json::Value::String(a) => a == client_id,
        serde_json::Value::Array(list) => list.iter().any(|a| a == client_id),
        _ => false,
    };
    if !audience_ok {
        return Err(OidcError::Token("the token is for another client".into()));
    }
    if claims.exp <= now {
        return Err(OidcError::Token("the token has expired".into()));
    }
    if claims.nonce.as_deref() != Some(nonce) {
        return Err(OidcError::Token(
            "the nonce does not match this sign-in".into(),
        ));
    }
    Ok(claims)
}

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
    accounts::render(
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
pub struct StartQuery {
    site: String,
    provider: String,
    #[serde(rename = "return")]
    return_to: Option<String>,
}

pub async fn start(State(state): State<AppState>, Query(q): Query<StartQuery>) -> Response {
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
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: String,
}

pub async fn callback(
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
    let to = accounts::safe_return(&state, Some(&return_to)).await;
    let resp = accounts::signed_in(&state, account, &to).await;
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
            ("client_secret", p.client_secret.as_str()),
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
