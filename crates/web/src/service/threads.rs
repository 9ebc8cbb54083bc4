//! Articles: the publisher's backend registers or updates them with its site's API key.

use crate::auth::token_hash;
use crate::error::ApiError;
use crate::state::AppState;
use jirga_domain::{SiteId, ThreadKey};
use jirga_store::{EventKind, Thread, ThreadUpdate};

/// Registers or updates an article, for the publisher's backend (its site's API key).
pub async fn put_thread(
    state: &AppState,
    site: &SiteId,
    api_key: Option<&str>,
    key: ThreadKey,
    update: ThreadUpdate,
) -> Result<Thread, ApiError> {
    let api_key = api_key.ok_or(ApiError::Unauthorized)?;
    let site = state.store.site(site).await?.ok_or(ApiError::UnknownSite)?;
    if token_hash(api_key.trim()) != site.api_key_hash {
        return Err(ApiError::Unauthorized);
    }
    let thread = state.store.put_thread(&site.id, &key, update).await?;
    state.changed(thread.id, EventKind::Updated, None).await;
    Ok(thread)
}
