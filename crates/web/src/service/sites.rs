//! What a site's admins and moderators change about it: its moderation settings, and the
//! affiliations and verified marks of its commenters. Each change is logged.

use super::moderation::entry;
use crate::error::ApiError;
use crate::state::AppState;
use jirga_domain::AuthorId;
use jirga_domain::{SiteId, SitePolicy};
use jirga_store::{ModAction, Moderator, NewSite, Site, StoreError};

/// Replaces a site's moderation settings (its moderators may), logging the new ones.
/// `current` is the site as the caller read it (to check the new settings against).
pub async fn save_policy(
    state: &AppState,
    by: &Moderator,
    current: Site,
    policy: SitePolicy,
) -> Result<(), ApiError> {
    if !by.sites.contains(&current.id) {
        return Err(ApiError::NotYourSite);
    }
    let mut line = entry(by, &current.id, ModAction::Settings);
    line.note = serde_json::to_string(&policy).ok();
    state
        .store
        .update_site(NewSite {
            id: current.id,
            name: current.name,
            allowed_origins: current.allowed_origins,
            auto_create_threads: current.auto_create_threads,
            policy,
            api_key_hash: current.api_key_hash,
        })
        .await?;
    state.store.log(line).await?;
    Ok(())
}

/// Sets a commenter's affiliation (at most 120 characters; empty: none) and verified mark.
/// Only the site's admins may: the caller checks that.
pub async fn set_badges(
    state: &AppState,
    by: &Moderator,
    site: &SiteId,
    author: AuthorId,
    affiliation: Option<&str>,
    verified: bool,
) -> Result<(), ApiError> {
    if !by.admin_of.contains(site) {
        return Err(ApiError::NotYourSite);
    }
    let affiliation: Option<String> = affiliation
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(120).collect());
    match state
        .store
        .set_badges(site, author, affiliation.clone(), verified)
        .await
    {
        Err(StoreError::NotFound(_)) => return Err(ApiError::UnknownComment),
        other => other?,
    }
    let mut line = entry(by, site, ModAction::Badges);
    line.author_id = Some(author);
    line.note = Some(format!(
        "verified: {}; affiliation: {}",
        if verified { "yes" } else { "no" },
        affiliation.as_deref().unwrap_or("none")
    ));
    state.store.log(line).await?;
    // The author's name line changed wherever they commented: drop cached pages.
    state.cache.clear();
    Ok(())
}
