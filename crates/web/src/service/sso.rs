//! Publisher single sign-on: a token the publisher's backend signed is exchanged, once per
//! page, for Jirga's own session; signing out revokes the token's `jti`. Every refusal is
//! remembered for the site's dashboard (`AppState::sso_refusals`).

use crate::auth::{Reader, new_token};
use crate::config::SsoSite;
use crate::error::ApiError;
use crate::sso::{self, PublicJwks, Refusal, SsoUser};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use jirga_domain::{AuthorName, Email, SiteId};
use jirga_store::{Account, SsoProfile};

/// Roles whose readers get the verified mark: the publisher's own people.
const STAFF_ROLES: [&str; 4] = ["staff", "admin", "moderator", "journalist"];

/// A session opened by a publisher's token.
pub struct SignedIn {
    pub account: Account,
    /// The session token (for the cookie).
    pub token: String,
    /// When the session ends: when the publisher's token does.
    pub until: DateTime<Utc>,
}

/// The site's sign-on settings; `NotConfigured` (before any database query) when it has none.
pub fn config<'a>(state: &'a AppState, site: &str) -> Result<&'a SsoSite, Refusal> {
    state
        .settings
        .sso
        .iter()
        .find(|s| s.site == site)
        .ok_or(Refusal::NotConfigured)
}

/// Checks the token: the site's secrets for HS256, its published keys otherwise (fetched
/// again once when the token names a kid the kept set lacks, for a rotated key).
async fn check(state: &AppState, site: &SsoSite, token: &str) -> Result<SsoUser, Refusal> {
    let now = Utc::now().timestamp();
    let header = sso::header(token)?;
    // Only the public-key algorithms need the published keys; anything else is decided here.
    let public_key = matches!(header.alg.as_str(), "RS256" | "ES256");
    let Some(url) = site.jwks_url.as_deref().filter(|_| public_key) else {
        return sso::verify(token, site, &PublicJwks::default(), now);
    };
    let keys = |fresh| async move {
        state
            .oidc
            .key_set(url, fresh)
            .await
            .map_err(|e| Refusal::KeysUnavailable(e.to_string()))
    };
    match sso::verify(token, site, &*keys(false).await?, now) {
        Err(Refusal::UnknownKid(_)) => sso::verify(token, site, &*keys(true).await?, now),
        other => other,
    }
}

/// Refusals are remembered for the dashboard on the way out.
fn refused(state: &AppState, site: &str, r: Refusal) -> ApiError {
    state.note_sso_refusal(site, &r);
    ApiError::Sso(r)
}

/// Exchanges a publisher's token for a session of the reader it names, whose account and
/// author record are made on first sight and follow the newest token's profile.
/// The reader's session before, if any, ends: one session per page's sign-in.
pub async fn sign_in(
    state: &AppState,
    site: &str,
    token: &str,
    previous: Option<&Reader>,
) -> Result<SignedIn, ApiError> {
    let site_id = SiteId::parse(site)?;
    let config = config(state, site).map_err(ApiError::Sso)?;
    let user = check(state, config, token)
        .await
        .map_err(|r| refused(state, site, r))?;
    if let Some(jti) = &user.jti
        && state.store.token_revoked(&site_id, jti).await?
    {
        return Err(refused(state, site, Refusal::Revoked));
    }
    let until = DateTime::from_timestamp(user.expires_at + sso::LEEWAY_SECS, 0)
        .ok_or_else(|| refused(state, site, Refusal::MissingClaim("exp")))?;
    let profile = profile(&user).map_err(|r| refused(state, site, r))?;
    let (account, _) = state.store.sso_account(&site_id, profile).await?;
    let (token, hash) = new_token();
    state
        .store
        .create_account_session(&hash, account.id, until)
        .await?;
    if let Some(before) = previous {
        state
            .store
            .end_account_sessions(before.account.id, Some(&before.token_hash))
            .await?;
    }
    Ok(SignedIn {
        account,
        token,
        until,
    })
}

/// What the token says of the reader, as Jirga keeps it: the name must be a valid author
/// name; an email that is not an address is left off.
fn profile(user: &SsoUser) -> Result<SsoProfile, Refusal> {
    let name = AuthorName::parse(&user.username).map_err(|_| Refusal::MissingClaim("user name"))?;
    let staff = user
        .role
        .as_deref()
        .is_some_and(|r| STAFF_ROLES.contains(&r.to_ascii_lowercase().as_str()));
    Ok(SsoProfile {
        subject: user.id.clone(),
        name: name.as_str().to_owned(),
        email: user
            .email
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
            .map(|e| e.as_str().to_owned()),
        affiliation: (!user.badges.is_empty()).then(|| user.badges.join(", ")),
        verified: staff,
        issued_at: DateTime::from_timestamp(user.issued_at, 0).unwrap_or_else(Utc::now),
    })
}

/// Signs out: the session ends, and the token (when it is still valid and has a `jti`) is
/// revoked, so the page cannot sign in again with it.
pub async fn sign_out(
    state: &AppState,
    site: &str,
    token: Option<&str>,
    reader: Option<&Reader>,
) -> Result<(), ApiError> {
    if let Some(r) = reader {
        state
            .store
            .end_account_sessions(r.account.id, Some(&r.token_hash))
            .await?;
    }
    let Some(token) = token else {
        return Ok(());
    };
    let site_id = SiteId::parse(site)?;
    let config = config(state, site).map_err(ApiError::Sso)?;
    let user = check(state, config, token)
        .await
        .map_err(|r| refused(state, site, r))?;
    if let Some(jti) = &user.jti {
        let until = DateTime::from_timestamp(user.expires_at + sso::LEEWAY_SECS, 0)
            .unwrap_or_else(Utc::now);
        state.store.revoke_token(&site_id, jti, until).await?;
    }
    Ok(())
}
