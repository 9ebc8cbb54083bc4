//! Publisher single sign-on: the publisher's backend signs a JWT for its signed-in reader, and
//! Jirga checks it here. HS256 with one of the site's shared secrets (chosen by `kid`, so a
//! secret can be rotated without downtime), or RS256 / ES256 with a key from the site's JWKS
//! URL (so tokens the publisher already issues, such as OpenID Connect ID tokens, work).
//!
//! The claims are read in Coral's shape by default (`user.id`, `user.email`, `user.username`,
//! `user.role`, `user.badges`, `user.avatar`, `user.url`), or where the site's `[sso.claims]`
//! points (JSON pointers, e.g. `id = "/sub"`). `exp` is required (60 s of leeway), `exp - iat`
//! may not pass the site's maximum lifetime, `aud` must name the site, and `iss` must match
//! when the site names one. Every refusal has a stable code (`Refusal::code`).

use crate::config::SsoSite;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

/// Clocks disagree: a token this far past `exp` (or before `iat` / `nbf`) still counts.
pub const LEEWAY_SECS: i64 = 60;

/// Why a token was refused. `code` is the stable machine-readable code the API returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this site has no single sign-on configured")]
    NotConfigured,
    #[error("the token is not a signed JWT (three base64url parts): {0}")]
    Malformed(String),
    #[error("algorithm {0} is not accepted (HS256, RS256, ES256)")]
    Algorithm(String),
    #[error("no key of this site has the token's kid {0:?}")]
    UnknownKid(Option<String>),
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the token expired at {exp} (now {now})")]
    Expired { exp: i64, now: i64 },
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token lives {lifetime} s; this site allows at most {max} s")]
    LifetimeTooLong { lifetime: i64, max: i64 },
    #[error("the token's audience is not this site ({0})")]
    WrongAudience(String),
    #[error("the token's issuer {0:?} is not the one configured")]
    WrongIssuer(String),
    #[error("the token has no {0} claim")]
    MissingClaim(&'static str),
    #[error("the token was revoked (signed out)")]
    Revoked,
    #[error("the site's keys could not be fetched: {0}")]
    KeysUnavailable(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotConfigured => "sso_not_configured",
            Refusal::Malformed(_) => "sso_malformed",
            Refusal::Algorithm(_) => "sso_algorithm",
            Refusal::UnknownKid(_) => "sso_unknown_kid",
            Refusal::BadSignature => "sso_bad_signature",
            Refusal::Expired { .. } => "sso_expired",
            Refusal::NotYetValid => "sso_not_yet_valid",
            Refusal::LifetimeTooLong { .. } => "sso_lifetime_too_long",
            Refusal::WrongAudience(_) => "sso_wrong_audience",
            Refusal::WrongIssuer(_) => "sso_wrong_issuer",
            Refusal::MissingClaim(_) => "sso_missing_claim",
            Refusal::Revoked => "sso_revoked",
            Refusal::KeysUnavailable(_) => "sso_keys_unavailable",
        }
    }
}

/// A public key from a JWKS document: RSA (`n`, `e`) or P-256 (`x`, `y`).
#[derive(Debug, Clone, Deserialize)]
pub struct PublicJwk {
    pub kty: String,
    pub kid: Option<String>,
    pub crv: Option<String>,
    pub n: Option<String>,
    pub e: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublicJwks {
    pub keys: Vec<PublicJwk>,
}

/// The reader a publisher's token vouches for.
#[derive(Debug, Clone, PartialEq)]
pub struct SsoUser {
    /// The publisher's own id for the reader.
    pub id: String,
    pub email: Option<String>,
    pub username: String,
    pub role: Option<String>,
    pub badges: Vec<String>,
    pub avatar: Option<String>,
    pub url: Option<String>,
    /// When the token was issued: a profile is updated only from a newer token.
    pub issued_at: i64,
    pub expires_at: i64,
    /// The token's id, for revocation at sign-out.
    pub jti: Option<String>,
}

fn b64(part: &str) -> Result<Vec<u8>, Refusal> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| Refusal::Malformed(format!("bad base64: {e}")))
}

/// The token's header: its algorithm and key id. Read first, to choose the key.
pub struct Header {
    pub alg: String,
    pub kid: Option<String>,
}

/// Splits a compact JWS into header, claims and signature (the signed text is the first two
/// parts as they came).
fn split(token: &str) -> Result<(Header, Value, Vec<u8>, &str), Refusal> {
    let token = token.trim();
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed("not three parts".into()));
    };
    let header: Value =
        serde_json::from_slice(&b64(h)?).map_err(|e| Refusal::Malformed(format!("header: {e}")))?;
    let claims: Value =
        serde_json::from_slice(&b64(p)?).map_err(|e| Refusal::Malformed(format!("claims: {e}")))?;
    let header = Header {
        alg: header["alg"].as_str().unwrap_or_default().to_owned(),
        kid: header["kid"].as_str().map(str::to_owned),
    };
    let signed = &token[..h.len() + 1 + p.len()];
    Ok((header, claims, b64(s)?, signed))
}

/// The token's algorithm and kid, before anything is checked (to know whether the site's
/// JWKS is needed).
pub fn header(token: &str) -> Result<Header, Refusal> {
    split(token).map(|(h, ..)| h)
}

/// Checks a token's signature and claims for `site` at time `now` (Unix seconds). `jwks` is
/// the site's published keys, when it has a JWKS URL and the token is not HS256.
pub fn verify(
    token: &str,
    site: &SsoSite,
    jwks: &PublicJwks,
    now: i64,
) -> Result<SsoUser, Refusal> {
    let (header, claims, signature, signed) = split(token)?;
    match header.alg.as_str() {
        "HS256" => check_hs256(site, &header, signed, &signature)?,
        "RS256" | "ES256" => {
            let key = jwks
                .keys
                .iter()
                .filter(|k| k.kty == if header.alg == "RS256" { "RSA" } else { "EC" })
                .find(|k| header.kid.is_none() || k.kid == header.kid)
                .ok_or_else(|| Refusal::UnknownKid(header.kid.clone()))?;
            if header.alg == "RS256" {
                check_rs256(key, signed, &signature)?;
            } else {
                check_es256(key, signed, &signature)?;
            }
        }
        other => return Err(Refusal::Algorithm(format!("{other:?}"))),
    }
    check_claims(&claims, site, now)
}

fn check_hs256(
    site: &SsoSite,
    header: &Header,
    signed: &str,
    signature: &[u8],
) -> Result<(), Refusal> {
    use hmac::{Hmac, Mac};
    let secret = site
        .secrets
        .iter()
        .find(|s| header.kid.is_none() && site.secrets.len() == 1 || s.kid == header.kid)
        .ok_or_else(|| Refusal::UnknownKid(header.kid.clone()))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.secret.expose().as_bytes())
        .map_err(|_| Refusal::BadSignature)?;
    mac.update(signed.as_bytes());
    // `verify_slice` compares in constant time.
    mac.verify_slice(signature)
        .map_err(|_| Refusal::BadSignature)
}

fn check_rs256(key: &PublicJwk, signed: &str, signature: &[u8]) -> Result<(), Refusal> {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    let (Some(n), Some(e)) = (&key.n, &key.e) else {
        return Err(Refusal::KeysUnavailable("an RSA key without n or e".into()));
    };
    let public = rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&b64(n)?),
        rsa::BigUint::from_bytes_be(&b64(e)?),
    )
    .map_err(|e| Refusal::KeysUnavailable(format!("RSA key: {e}")))?;
    let signature = Signature::try_from(signature).map_err(|_| Refusal::BadSignature)?;
    VerifyingKey::<Sha256>::new(public)
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| Refusal::BadSignature)
}

fn check_es256(key: &PublicJwk, signed: &str, signature: &[u8]) -> Result<(), Refusal> {
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    let (Some(x), Some(y)) = (&key.x, &key.y) else {
        return Err(Refusal::KeysUnavailable("an EC key without x or y".into()));
    };
    if key.crv.as_deref() != Some("P-256") {
        return Err(Refusal::KeysUnavailable(format!("curve {:?}", key.crv)));
    }
    let (x, y) = (b64(x)?, b64(y)?);
    if x.len() != 32 || y.len() != 32 {
        return Err(Refusal::KeysUnavailable(
            "a P-256 point of the wrong size".into(),
        ));
    }
    // The uncompressed SEC1 form: 0x04, x, y.
    let sec1: Vec<u8> = [&[4u8][..], &x, &y].concat();
    let public = VerifyingKey::from_sec1_bytes(&sec1)
        .map_err(|e| Refusal::KeysUnavailable(format!("P-256 key: {e}")))?;
    // JWS carries r || s, 32 bytes each.
    let signature = Signature::from_slice(signature).map_err(|_| Refusal::BadSignature)?;
    public
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| Refusal::BadSignature)
}

/// A claim's value where the site's mapping (or Coral's shape) puts it.
fn claim<'a>(claims: &'a Value, pointer: &str) -> Option<&'a Value> {
    claims.pointer(pointer).filter(|v| !v.is_null())
}

fn text(claims: &Value, pointer: &str) -> Option<String> {
    match claim(claims, pointer)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn check_claims(claims: &Value, site: &SsoSite, now: i64) -> Result<SsoUser, Refusal> {
    let exp = claims["exp"].as_i64().ok_or(Refusal::MissingClaim("exp"))?;
    if exp + LEEWAY_SECS <= now {
        return Err(Refusal::Expired { exp, now });
    }
    let iat = claims["iat"].as_i64();
    if claims["nbf"]
        .as_i64()
        .is_some_and(|nbf| nbf > now + LEEWAY_SECS)
        || iat.is_some_and(|iat| iat > now + LEEWAY_SECS)
    {
        return Err(Refusal::NotYetValid);
    }
    // Without `iat` the token could have been made any time before `exp`: measure from now.
    let lifetime = exp - iat.unwrap_or(now);
    if lifetime > site.max_lifetime_secs {
        return Err(Refusal::LifetimeTooLong {
            lifetime,
            max: site.max_lifetime_secs,
        });
    }
    let audience_ok = match &claims["aud"] {
        Value::String(a) => a == &site.site,
        Value::Array(list) => list.iter().any(|a| a == site.site.as_str()),
        _ => false,
    };
    if !audience_ok {
        return Err(Refusal::WrongAudience(claims["aud"].to_string()));
    }
    if let Some(issuer) = &site.issuer {
        let iss = claims["iss"].as_str().unwrap_or_default();
        if iss.trim_end_matches('/') != issuer.trim_end_matches('/') {
            return Err(Refusal::WrongIssuer(iss.to_owned()));
        }
    }
    let map = &site.claims;
    let id = text(claims, &map.id).ok_or(Refusal::MissingClaim("user id"))?;
    let username = text(claims, &map.username).ok_or(Refusal::MissingClaim("user name"))?;
    let badges = match claim(claims, &map.badges) {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|b| b.as_str().map(str::trim).filter(|b| !b.is_empty()))
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    Ok(SsoUser {
        id,
        email: text(claims, &map.email),
        username,
        role: text(claims, &map.role),
        badges,
        avatar: text(claims, &map.avatar),
        url: text(claims, &map.url),
        issued_at: iat.unwrap_or(now),
        expires_at: exp,
        jti: claims["jti"].as_str().map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{SsoClaims, SsoSecret};
    use hmac::{Hmac, Mac};
    use serde_json::json;

    fn site() -> SsoSite {
        SsoSite {
            site: "news".into(),
            secrets: vec![
                SsoSecret {
                    kid: Some("2026-10".into()),
                    secret: "old secret".into(),
                },
                SsoSecret {
                    kid: Some("2026-11".into()),
                    secret: "new secret".into(),
                },
            ],
            jwks_url: None,
            issuer: Some("https://news.example".into()),
            max_lifetime_secs: 3600,
            claims: SsoClaims::default(),
        }
    }

    fn hs256(kid: &str, secret: &str, claims: &Value) -> String {
        let h =
            URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "typ": "JWT", "kid": kid}).to_string());
        let p = URL_SAFE_NO_PAD.encode(claims.to_string());
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
        mac.update(format!("{h}.{p}").as_bytes());
        let s = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{h}.{p}.{s}")
    }

    const NOW: i64 = 1_800_000_000;

    fn claims() -> Value {
        json!({
            "iss": "https://news.example", "aud": "news", "iat": NOW - 10, "exp": NOW + 600,
            "jti": "t-1",
            "user": {"id": "u-42", "email": "amina@example.org", "username": "Amina",
                     "role": "staff", "badges": ["Reporter"]}
        })
    }

    fn check(token: &str) -> Result<SsoUser, &'static str> {
        verify(token, &site(), &PublicJwks::default(), NOW).map_err(|e| e.code())
    }

    #[test]
    fn a_token_signed_with_either_current_secret_is_read_in_corals_shape() {
        for (kid, secret) in [("2026-10", "old secret"), ("2026-11", "new secret")] {
            let user = check(&hs256(kid, secret, &claims())).expect("accepted");
            assert_eq!(user.id, "u-42");
            assert_eq!(user.username, "Amina");
            assert_eq!(user.email.as_deref(), Some("amina@example.org"));
            assert_eq!(user.badges, vec!["Reporter".to_owned()]);
            assert_eq!(
                (user.issued_at, user.jti.as_deref()),
                (NOW - 10, Some("t-1"))
            );
        }
    }

    #[test]
    fn each_refusal_has_its_code() {
        let with = |f: &dyn Fn(&mut Value)| {
            let mut c = claims();
            f(&mut c);
            hs256("2026-11", "new secret", &c)
        };
        assert_eq!(
            check(&hs256("2026-11", "wrong", &claims())),
            Err("sso_bad_signature")
        );
        assert_eq!(
            check(&hs256("2025-01", "new secret", &claims())),
            Err("sso_unknown_kid")
        );
        assert_eq!(
            check(&with(&|c| c["exp"] = json!(NOW - 61))),
            Err("sso_expired")
        );
        assert!(
            check(&with(&|c| c["exp"] = json!(NOW - 59))).is_ok(),
            "within the leeway"
        );
        assert_eq!(
            check(&with(&|c| c["exp"] = Value::Null)),
            Err("sso_missing_claim")
        );
        assert_eq!(
            check(&with(&|c| c["iat"] = json!(NOW + 600))),
            Err("sso_not_yet_valid")
        );
        assert_eq!(
            check(&with(&|c| c["exp"] = json!(NOW + 7200))),
            Err("sso_lifetime_too_long")
        );
        assert_eq!(
            check(&with(&|c| c["aud"] = json!("other"))),
            Err("sso_wrong_audience")
        );
        assert!(check(&with(&|c| c["aud"] = json!(["other", "news"]))).is_ok());
        assert_eq!(
            check(&with(&|c| c["iss"] = json!("https://evil.example"))),
            Err("sso_wrong_issuer")
        );
        assert_eq!(
            check(&with(&|c| c["user"]["id"] = Value::Null)),
            Err("sso_missing_claim")
        );
        assert_eq!(
            check(&with(&|c| c["user"]["username"] = json!(" "))),
            Err("sso_missing_claim")
        );
        assert_eq!(check("a.b"), Err("sso_malformed"));
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        assert_eq!(check(&none), Err("sso_algorithm"));
        // An RS256 token when the site publishes no keys.
        let rs = format!(
            "{}.{}.AAAA",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        assert_eq!(check(&rs), Err("sso_unknown_kid"));
    }

    #[test]
    fn a_claim_mapping_reads_an_id_token() {
        let mut s = site();
        s.claims = SsoClaims {
            id: "/sub".into(),
            email: "/email".into(),
            username: "/name".into(),
            ..SsoClaims::default()
        };
        let c = json!({"iss": "https://news.example", "aud": "news", "iat": NOW, "exp": NOW + 60,
                       "sub": "abc", "name": "Bilal", "email": "b@example.org"});
        let user = verify(
            &hs256("2026-11", "new secret", &c),
            &s,
            &PublicJwks::default(),
            NOW,
        )
        .expect("accepted");
        assert_eq!((user.id.as_str(), user.username.as_str()), ("abc", "Bilal"));
    }
}
