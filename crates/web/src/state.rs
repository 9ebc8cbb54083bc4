//! What every handler shares: the store, the moderation pipeline, settings, rate limiters and
//! the cache of origins allowed to call the API from a browser.

use crate::config::Settings;
use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jirga_moderation::Pipeline;
use jirga_store::{Site, Store};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// A site's recent articles as (title, text).
pub type SiteArticles = Arc<Vec<(String, String)>>;

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub pipeline: Pipeline,
    pub settings: Settings,
    pub public_url: String,
    /// Serialised thread pages and counts; see `cache`.
    pub cache: crate::cache::ReadCache,
    /// Events ready for this instance's live readers; see `live`.
    pub live: crate::live::LiveSender,
    posts: DefaultKeyedRateLimiter<IpAddr>,
    actions: DefaultKeyedRateLimiter<IpAddr>,
    origins: RwLock<HashSet<String>>,
    /// Each site's recent articles (title, text), for judging on-topic relative to them;
    /// refreshed after a minute.
    articles:
        std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, SiteArticles)>>,
    ip_salt: String,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

/// Which limiter a request draws on.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Post,
    Action,
}

impl AppState {
    pub async fn new(
        store: Arc<dyn Store>,
        settings: Settings,
        public_url: String,
    ) -> anyhow::Result<Self> {
        let ip_salt = store.secret("ip_salt").await?;
        let origins = all_origins(&store.sites().await?);
        let events = store.subscribe();
        let state = Self(Arc::new(Inner {
            posts: RateLimiter::keyed(per_minute(settings.rate_limits.posts_per_minute)),
            actions: RateLimiter::keyed(per_minute(settings.rate_limits.actions_per_minute)),
            store,
            pipeline: Pipeline::shipped()?.with_site_models(settings.data.join("models")),
            public_url,
            cache: crate::cache::ReadCache::default(),
            live: tokio::sync::broadcast::channel(1024).0,
            settings,
            origins: RwLock::new(origins),
            articles: std::sync::Mutex::default(),
            ip_salt,
        }));
        tokio::spawn(crate::live::hub(state.clone(), events, state.live.clone()));
        Ok(state)
    }

    pub fn check_rate(&self, limit: Limit, ip: IpAddr) -> Result<(), ApiError> {
        let limiter = match limit {
            Limit::Post => &self.posts,
            Limit::Action => &self.actions,
        };
        limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after_secs: wait.as_secs() + 1,
            }
        })
    }

    /// A stable pseudonym for a client address: votes and reports are counted once per
    /// reader without storing the address itself.
    pub fn ip_hash(&self, ip: IpAddr) -> String {
        let mut h = Sha256::new();
        h.update(self.ip_salt.as_bytes());
        h.update(ip.to_string().as_bytes());
        hex::encode(h.finalize())
    }

    /// Whether any site lets pages on `origin` call the API. Sites can be changed by another
    /// process (`jirga site origins`), so an unknown origin reloads the list: one small query,
    /// cheaper than the request it guards, and only for origins no site has allowed.
    pub async fn origin_known(&self, origin: &str) -> bool {
        if self
            .origins
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(origin)
        {
            return true;
        }
        match self.store.sites().await {
            Ok(sites) => {
                let fresh = all_origins(&sites);
                let known = fresh.contains(origin);
                *self.origins.write().unwrap_or_else(|p| p.into_inner()) = fresh;
                known
            }
            Err(_) => false,
        }
    }

    /// The site's recent articles, from a cache that is at most a minute old.
    pub async fn site_articles(
        &self,
        site: &jirga_domain::SiteId,
    ) -> Result<Arc<Vec<(String, String)>>, ApiError> {
        const FRESH: std::time::Duration = std::time::Duration::from_secs(60);
        if let Some((at, list)) = self
            .articles
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(site.as_str())
            && at.elapsed() < FRESH
        {
            return Ok(list.clone());
        }
        let list: SiteArticles = Arc::new(
            self.store
                .recent_threads(site, 20)
                .await?
                .into_iter()
                .map(|t| (t.title, t.text))
                .collect(),
        );
        self.articles
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                site.as_str().to_owned(),
                (std::time::Instant::now(), list.clone()),
            );
        Ok(list)
    }

    /// Whether `origin` (from the request's Origin header) is this server itself.
    pub fn same_origin(&self, origin: &str, host: Option<&str>) -> bool {
        origin == self.public_url
            || host.is_some_and(|h| {
                origin == format!("http://{h}") || origin == format!("https://{h}")
            })
    }
}

fn all_origins(sites: &[Site]) -> HashSet<String> {
    sites
        .iter()
        .flat_map(|s| s.allowed_origins.iter().cloned())
        .collect()
}
