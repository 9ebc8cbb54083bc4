//! Who is asking, and how they prove it: random tokens and their hashes (edit tokens,
//! sessions, mailed links, API keys), passwords (Argon2), cookies, the CSRF token of a
//! reader's session, and the signed-in reader of a request. Everything above this module
//! (API, dashboard, accounts) uses these; this module uses only the state and the errors.

use crate::error::ApiError;
use crate::state::AppState;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use base64::Engine;
use chrono::Utc;
use jirga_store::Account;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The reader's session cookie.
pub const COOKIE: &str = "jirga_session";
/// The header an API write made with a session cookie carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-jirga-csrf";
const MIN_PASSWORD: usize = 10;
const MAX_PASSWORD: usize = 200;

/// A random URL-safe token and its SHA-256 hex (what the database keeps).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// SHA-256 of a token, hex: how every token (edit, session, mailed, API key) is stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a site API key the way `put_thread` checks it.
pub fn api_key_hash(key: &str) -> String {
    token_hash(key)
}

/// A fresh API key and its hash.
pub fn new_api_key() -> (String, String) {
    new_token()
}

/// Argon2 on this thread (tens of milliseconds of CPU): for the CLI and the demo's seeding.
pub fn hash_password_now(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

pub fn csrf_for(token: &str) -> String {
    token_hash(&format!("account-csrf:{token}"))
}

/// A signed-in reader.
pub struct Reader {
    pub account: Account,
    /// Goes into every form and, as `x-jirga-csrf`, into every API write.
    pub csrf: String,
    pub token_hash: String,
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The reader whose session cookie came with the request, if it is a live session.
pub async fn reader(state: &AppState, headers: &HeaderMap) -> Result<Option<Reader>, ApiError> {
    let Some(token) = cookie_value(headers, COOKIE).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let token_hash = token_hash(&token);
    Ok(state
        .store
        .session_account(&token_hash, Utc::now())
        .await?
        .map(|account| Reader {
            account,
            csrf: csrf_for(&token),
            token_hash,
        }))
}

/// For API writes: the signed-in reader, who must also send the CSRF token; a request with a
/// live session and no (or a wrong) token is refused rather than taken as a guest's.
pub async fn api_reader(state: &AppState, headers: &HeaderMap) -> Result<Option<Reader>, ApiError> {
    let Some(r) = reader(state, headers).await? else {
        return Ok(None);
    };
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if sent != Some(r.csrf.as_str()) {
        return Err(ApiError::CsrfFailed);
    }
    Ok(Some(r))
}

pub fn cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let none = state.settings.cookie_same_site.eq_ignore_ascii_case("none");
    let same_site = if none {
        "None"
    } else if state
        .settings
        .cookie_same_site
        .eq_ignore_ascii_case("strict")
    {
        "Strict"
    } else {
        "Lax"
    };
    let secure = if none || state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("jirga_invalid=; Max-Age=0"))
}

pub fn with_cookie(mut resp: Response, value: HeaderValue) -> Response {
    resp.headers_mut().append(header::SET_COOKIE, value);
    resp
}

/// A POST from a page must come from this origin. Browsers send Origin with every POST;
/// a request without one is not from a browser page, so it cannot be a forged one.
pub fn same_origin_post(state: &AppState, headers: &HeaderMap) -> bool {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            state.same_origin(origin, host)
        }
    }
}

/// A new password's length, or why it is refused (a code the forms say in words).
pub fn check_password(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        Err("password_too_short")
    } else if n > MAX_PASSWORD {
        Err("password_too_long")
    } else {
        Ok(())
    }
}

/// Argon2 on a blocking thread: it takes tens of milliseconds of CPU on purpose.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password_now(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}
