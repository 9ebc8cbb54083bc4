//! What a site's admins and moderators change about it: its moderation settings, and the
//! affiliations and verified marks of its commenters (each change logged), and its webhooks.

use super::moderation::entry;
use crate::error::ApiError;
use crate::state::AppState;
use jirga_domain::{AuthorId, WebhookId};
use jirga_domain::{SiteId, SitePolicy};
use jirga_store::{
    ModAction, Moderator, NewSite, NewWebhook, Site, StoreError, WEBHOOK_EVENTS, Webhook,
    WebhookFormat,
};

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

/// What an admin asks a new webhook for.
pub struct WebhookIn {
    pub url: String,
    pub events: Vec<String>,
    pub format: String,
}

/// Adds a webhook to a site the moderator is an admin of; the webhook, whose secret is
/// shown this once. Refuses a URL that is not http(s) and events Jirga does not send, with a
/// code the page says in words (`address`, `no_events`, `event:NAME`, `format`).
pub async fn add_webhook(
    state: &AppState,
    by: &Moderator,
    site: &SiteId,
    hook: WebhookIn,
) -> Result<Result<Webhook, String>, ApiError> {
    if !by.admin_of.contains(site) {
        return Err(ApiError::NotYourSite);
    }
    let url = hook.url.trim();
    let parsed = reqwest::Url::parse(url);
    if !parsed.is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()) {
        return Ok(Err("address".into()));
    }
    if hook.events.is_empty() {
        return Ok(Err("no_events".into()));
    }
    if let Some(e) = hook
        .events
        .iter()
        .find(|e| !WEBHOOK_EVENTS.contains(&e.as_str()))
    {
        return Ok(Err(format!("event:{e}")));
    }
    let Some(format) = WebhookFormat::parse(&hook.format) else {
        return Ok(Err("format".into()));
    };
    let made = state
        .store
        .create_webhook(NewWebhook {
            site_id: site.clone(),
            url: url.to_owned(),
            secret: crate::auth::new_token().0.into(),
            events: hook.events,
            format,
        })
        .await?;
    Ok(Ok(made))
}

pub async fn remove_webhook(
    state: &AppState,
    by: &Moderator,
    site: &SiteId,
    id: WebhookId,
) -> Result<(), ApiError> {
    if !by.admin_of.contains(site) {
        return Err(ApiError::NotYourSite);
    }
    if state.store.delete_webhook(site, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// Queues a test event for one webhook (delivered like any other, and logged).
pub async fn test_webhook(
    state: &AppState,
    by: &Moderator,
    site: &SiteId,
    id: WebhookId,
) -> Result<(), ApiError> {
    if !by.admin_of.contains(site) {
        return Err(ApiError::NotYourSite);
    }
    if !state.store.webhooks(site).await?.iter().any(|h| h.id == id) {
        return Err(ApiError::NotFound);
    }
    let data = serde_json::json!({"test": true, "by": by.name});
    crate::webhooks::emit(state, site, "test", data, Some(id)).await;
    Ok(())
}
