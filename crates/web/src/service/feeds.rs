//! What the Atom feeds carry: a thread's published comments, a site's latest, and the replies
//! to one commenter (behind a signed link, since it follows a person). The feeds module
//! above renders them as Atom.

use crate::error::ApiError;
use crate::state::AppState;
use hmac::{Hmac, Mac};
use jirga_domain::{AuthorId, SiteId, ThreadKey};
use jirga_store::{StoredComment, Thread};
use sha2::Sha256;

/// Entries in a feed at most.
const ENTRIES: u32 = 50;

/// A feed before it is written out.
pub struct Feed {
    pub title: String,
    /// Where the feed is (its id and `rel="self"`), after the server's public URL.
    pub path: String,
    /// The page the comments belong to, when there is one.
    pub page: Option<String>,
    pub entries: Vec<(StoredComment, Thread)>,
}

/// The key lives with the data (so links outlive a restart) and is read once per process:
/// `Store::secret` writes, and the account page signs one link per site.
async fn signing_key(state: &AppState) -> Result<&str, ApiError> {
    let key = state
        .feeds_key
        .get_or_try_init(|| async { state.store.secret("feeds").await })
        .await?;
    Ok(key.as_str())
}

/// The signature of a link that stands for what it says (`what` names its purpose first:
/// "replies:…", "unsubscribe:…"), so a link for one thing is never good for another.
pub async fn sign(state: &AppState, what: &str) -> Result<String, ApiError> {
    Ok(hex::encode(mac(state, what).await?.finalize().into_bytes()))
}

/// Whether `sig` is the signature of `what` (compared in constant time).
pub async fn signed(state: &AppState, what: &str, sig: &str) -> Result<bool, ApiError> {
    let mac = mac(state, what).await?;
    Ok(hex::decode(sig).is_ok_and(|raw| mac.verify_slice(&raw).is_ok()))
}

/// The MAC of `what` under the signing key, not yet finished.
async fn mac(state: &AppState, what: &str) -> Result<Hmac<Sha256>, ApiError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(signing_key(state).await?.as_bytes())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    mac.update(what.as_bytes());
    Ok(mac)
}

/// The signature of a commenter's replies feed: anyone with the link can read it, nobody can
/// make one for another commenter.
pub async fn replies_signature(
    state: &AppState,
    site: &SiteId,
    author: AuthorId,
) -> Result<String, ApiError> {
    sign(state, &format!("replies:{site}:{author}")).await
}

/// The path of a commenter's replies feed, signed.
pub async fn replies_path(
    state: &AppState,
    site: &SiteId,
    author: AuthorId,
) -> Result<String, ApiError> {
    let sig = replies_signature(state, site, author).await?;
    Ok(format!("/feeds/{site}/replies/{author}.atom?sig={sig}"))
}

async fn site_of(state: &AppState, raw: &str) -> Result<SiteId, ApiError> {
    let id = SiteId::parse(raw)?;
    state.store.site(&id).await?.ok_or(ApiError::UnknownSite)?;
    Ok(id)
}

pub async fn thread(state: &AppState, site: &str, key: &str) -> Result<Feed, ApiError> {
    let site = site_of(state, site).await?;
    let key = ThreadKey::parse(key)?;
    let thread = state
        .store
        .thread(&site, &key)
        .await?
        .ok_or(ApiError::UnknownThread)?;
    let entries = state
        .store
        .latest_published(&site, Some(thread.id), ENTRIES)
        .await?;
    Ok(Feed {
        title: format!("Comments on {}", display_title(&thread)),
        path: format!(
            "/feeds/{site}/thread.atom?thread={}",
            urlencode(key.as_str())
        ),
        page: thread.url.clone(),
        entries,
    })
}

pub async fn latest(state: &AppState, site: &str) -> Result<Feed, ApiError> {
    let site = site_of(state, site).await?;
    let entries = state.store.latest_published(&site, None, ENTRIES).await?;
    Ok(Feed {
        title: format!("Latest comments on {site}"),
        path: format!("/feeds/{site}/latest.atom"),
        page: None,
        entries,
    })
}

pub async fn replies(
    state: &AppState,
    site: &str,
    author: AuthorId,
    sig: &str,
) -> Result<Feed, ApiError> {
    let site = site_of(state, site).await?;
    let want = replies_signature(state, &site, author).await?;
    // Compared as hashes, so the time taken says nothing about the signature.
    if crate::auth::token_hash(sig) != crate::auth::token_hash(&want) {
        return Err(ApiError::InvalidToken);
    }
    let entries = state.store.replies_to(&site, author, ENTRIES).await?;
    Ok(Feed {
        title: "Replies to your comments".into(),
        path: format!("/feeds/{site}/replies/{author}.atom?sig={sig}"),
        page: None,
        entries,
    })
}

pub fn display_title(t: &Thread) -> String {
    if t.title.trim().is_empty() {
        t.key.to_string()
    } else {
        t.title.clone()
    }
}

/// Percent-encodes a query value.
pub fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
