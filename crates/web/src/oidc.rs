//! The OpenID Connect client: providers' discovery documents and keys (cached a few minutes)
//! and the ID token check: RS256 signature against the provider's published keys, issuer,
//! audience, expiry and nonce. The sign-in pages that use it are in `accounts::oidc`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PROVIDER_CACHE: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Jwk {
    kty: String,
    kid: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Jwks {
    pub(crate) keys: Vec<Jwk>,
}

/// A provider's discovery document and published keys.
type Known = Arc<(Discovery, Jwks)>;

/// Providers' discovery documents and keys, kept a few minutes.
pub struct Oidc {
    pub(crate) client: reqwest::Client,
    known: Mutex<HashMap<String, (Instant, Known)>>,
    /// Publishers' key sets for single sign-on (`crate::sso`), by URL.
    key_sets: Mutex<HashMap<String, (Instant, Arc<crate::sso::PublicJwks>)>>,
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
            key_sets: Mutex::default(),
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

    /// A publisher's published keys, kept a few minutes (`fresh`: fetched again now, for a
    /// token whose kid is not in the kept set).
    pub(crate) async fn key_set(
        &self,
        url: &str,
        fresh: bool,
    ) -> Result<Arc<crate::sso::PublicJwks>, OidcError> {
        if !fresh {
            let sets = self.key_sets.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, keys)) = sets.get(url)
                && at.elapsed() < PROVIDER_CACHE
            {
                return Ok(keys.clone());
            }
        }
        let keys: Arc<crate::sso::PublicJwks> = Arc::new(self.get_json(url).await?);
        self.key_sets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(url.to_owned(), (Instant::now(), keys.clone()));
        Ok(keys)
    }

    pub(crate) async fn provider(
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
pub(crate) fn verify(
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
