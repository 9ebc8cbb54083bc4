//! What every handler shares: the store, the moderation pipeline, settings, rate limiters and
//! the cache of origins allowed to call the API from a browser.

use crate::config::Settings;
use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jirga_domain::AccountId;
use jirga_moderation::Pipeline;
use jirga_store::{Site, Store};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};

/// One event ready to send to the readers of one thread (`live::hub` makes them).
#[derive(Debug)]
pub struct Live {
    pub site: String,
    pub thread: String,
    pub data: String,
}

pub type LiveSender = tokio::sync::broadcast::Sender<Arc<Live>>;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// Everything the pipeline reads about one comment, owned so that it can move to a blocking
/// thread.
pub struct Moderation {
    pub title: String,
    pub text: String,
    pub parent: Option<String>,
    pub body: String,
    pub author_name: String,
    pub author_banned: bool,
    pub author_published: u32,
    pub duplicates: u32,
    pub articles: SiteArticles,
    pub policy: jirga_moderation::SitePolicy,
}

/// A site's recent articles as (title, text).
pub type SiteArticles = Arc<Vec<(String, String)>>;

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub pipeline: Arc<Pipeline>,
    /// Each site's latest dashboard import on this instance.
    pub imports: crate::service::imports::Jobs,
    /// One moderation at a time per core: the encoder is CPU work, run off the async runtime.
    moderation_slots: tokio::sync::Semaphore,
    pub settings: Settings,
    pub public_url: String,
    /// Serialised thread pages and counts; see `cache`.
    pub cache: crate::cache::ReadCache,
    /// Events ready for this instance's live readers; see `live`.
    pub live: LiveSender,
    posts: DefaultKeyedRateLimiter<IpAddr>,
    actions: DefaultKeyedRateLimiter<IpAddr>,
    origins: RwLock<HashSet<String>>,
    /// Each site's recent articles (title, text), for judging on-topic relative to them;
    /// refreshed after a minute.
    articles:
        std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, SiteArticles)>>,
    /// (period, salt) for hashing client addresses; see `rotate_ip_salt`.
    ip_salt: RwLock<(i64, String)>,
    sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    sign_ins_by_account: DefaultKeyedRateLimiter<String>,
    /// Posts and actions per signed-in account, whatever address they come from.
    account_posts: DefaultKeyedRateLimiter<AccountId>,
    account_actions: DefaultKeyedRateLimiter<AccountId>,
    pub mailer: crate::mail::Mailer,
    pub oidc: crate::oidc::Oidc,
    /// The key that signs commenters' reply-feed links (`service::feeds`), read once.
    pub feeds_key: tokio::sync::OnceCell<String>,
    /// Wakes the webhook worker when an event is queued.
    pub webhook_wake: Arc<tokio::sync::Notify>,
    /// Wakes the mail worker when a mail is queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Counters for `/metrics` (kept only when metrics are on).
    pub metrics: crate::metrics::Metrics,
    /// The last refused publisher sign-on tokens per site, newest last, for the dashboard.
    sso_refusals:
        std::sync::Mutex<std::collections::HashMap<String, std::collections::VecDeque<SsoRefused>>>,
}

/// A publisher token Jirga refused, as the dashboard shows it.
#[derive(Debug, Clone)]
pub struct SsoRefused {
    pub at: chrono::DateTime<chrono::Utc>,
    pub code: &'static str,
    pub why: String,
}

/// How many refusals each site keeps.
const SSO_REFUSALS_KEPT: usize = 20;

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
    SignIn,
}

const IP_SALT: &str = "ip_salt:";

impl AppState {
    pub async fn new(
        store: Arc<dyn Store>,
        settings: Settings,
        public_url: String,
    ) -> anyhow::Result<Self> {
        let origins = all_origins(&store.sites().await?);
        let mailer = crate::mail::Mailer::new(&settings)?;
        let account_posts = RateLimiter::keyed(per_minute(settings.rate_limits.posts_per_minute));
        let account_actions =
            RateLimiter::keyed(per_minute(settings.rate_limits.actions_per_minute));
        let state = Self(Arc::new(Inner {
            posts: RateLimiter::keyed(per_minute(settings.rate_limits.posts_per_minute)),
            actions: RateLimiter::keyed(per_minute(settings.rate_limits.actions_per_minute)),
            sign_ins: RateLimiter::keyed(per_minute(settings.rate_limits.sign_ins_per_minute)),
            sign_ins_by_account: RateLimiter::keyed(per_minute(
                settings.rate_limits.sign_ins_per_minute,
            )),
            store,
            pipeline: Arc::new(Pipeline::shipped()?.with_site_models(settings.data.join("models"))),
            imports: crate::service::imports::Jobs::default(),
            moderation_slots: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
            public_url,
            cache: crate::cache::ReadCache::default(),
            live: tokio::sync::broadcast::channel(1024).0,
            settings,
            origins: RwLock::new(origins),
            articles: std::sync::Mutex::default(),
            ip_salt: RwLock::new((i64::MIN, String::new())),
            account_posts,
            account_actions,
            mailer,
            oidc: crate::oidc::Oidc::default(),
            sso_refusals: std::sync::Mutex::default(),
            metrics: crate::metrics::Metrics::default(),
            webhook_wake: Arc::default(),
            mail_wake: Arc::default(),
            feeds_key: tokio::sync::OnceCell::new(),
        }));
        state.rotate_ip_salt(chrono::Utc::now()).await?;
        let rotating = state.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                if let Err(e) = rotating.rotate_ip_salt(chrono::Utc::now()).await {
                    tracing::warn!("cannot rotate the address salt: {e}");
                }
            }
        });
        Ok(state)
    }

    /// Remembers why a publisher's token was refused (the newest few per site).
    pub fn note_sso_refusal(&self, site: &str, refusal: &crate::sso::Refusal) {
        let mut all = self.sso_refusals.lock().unwrap_or_else(|p| p.into_inner());
        let kept = all.entry(site.to_owned()).or_default();
        if kept.len() >= SSO_REFUSALS_KEPT {
            kept.pop_front();
        }
        kept.push_back(SsoRefused {
            at: chrono::Utc::now(),
            code: refusal.code(),
            why: refusal.to_string(),
        });
    }

    /// The site's last refused publisher tokens, newest first.
    pub fn sso_refusals(&self, site: &str) -> Vec<SsoRefused> {
        let all = self.sso_refusals.lock().unwrap_or_else(|p| p.into_inner());
        all.get(site)
            .map(|kept| kept.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    pub fn check_rate(&self, limit: Limit, ip: IpAddr) -> Result<(), ApiError> {
        let limiter = match limit {
            Limit::Post => &self.posts,
            Limit::Action => &self.actions,
            Limit::SignIn => &self.sign_ins,
        };
        limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after_secs: wait.as_secs() + 1,
            }
        })
    }

    /// Posts (`Limit::Post`) or votes and reports (others) by one signed-in account.
    pub fn check_account_rate(&self, limit: Limit, account_id: AccountId) -> Result<(), ApiError> {
        let limiter = match limit {
            Limit::Post => &self.account_posts,
            _ => &self.account_actions,
        };
        limiter.check_key(&account_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after_secs: wait.as_secs() + 1,
            }
        })
    }

    /// Sign-in attempts for one account (by email), whatever address they come from.
    pub fn check_sign_in_account(&self, email: &str) -> Result<(), ApiError> {
        self.sign_ins_by_account
            .check_key(&email.trim().to_lowercase())
            .map_err(|not_until| ApiError::RateLimited {
                retry_after_secs: not_until
                    .wait_time_from(DefaultClock::default().now())
                    .as_secs()
                    + 1,
            })
    }

    /// Makes sure the salt of the period `now` falls in is the one in use: a new period gets
    /// a new random salt (shared by every instance through the store) and the older salts
    /// are deleted, so the hashes they made can no longer be tied to an address.
    pub async fn rotate_ip_salt(&self, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
        let days = i64::from(self.settings.ip_salt_days.max(1));
        let period = now.timestamp().div_euclid(86_400 * days);
        if self.ip_salt.read().unwrap_or_else(|p| p.into_inner()).0 == period {
            return Ok(());
        }
        let name = format!("{IP_SALT}{days}d:{period}");
        let salt = self.store.secret(&name).await?;
        // The salt before periods existed ("ip_salt") goes too.
        self.store.retire_secrets("ip_salt", &name).await?;
        *self.ip_salt.write().unwrap_or_else(|p| p.into_inner()) = (period, salt);
        Ok(())
    }

    /// A pseudonym for a client address, stable within a salt period: votes and reports are
    /// counted once per reader without storing the address itself.
    pub fn ip_hash(&self, ip: IpAddr) -> String {
        let mut h = Sha256::new();
        h.update(
            self.ip_salt
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .1
                .as_bytes(),
        );
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
    /// Runs the moderation pipeline on a blocking thread (the sentence encoder takes
    /// milliseconds of CPU a comment; the async runtime must not wait on it), at most one per
    /// core at a time.
    pub async fn moderate(&self, m: Moderation) -> Result<jirga_moderation::Assessment, ApiError> {
        let _slot = self
            .moderation_slots
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let state = self.clone();
        let started = std::time::Instant::now();
        let metrics_on = self.settings.metrics_on();
        let assessed = tokio::task::spawn_blocking(move || {
            let others: Vec<(&str, &str)> = m
                .articles
                .iter()
                .map(|(t, x)| (t.as_str(), x.as_str()))
                .collect();
            state.pipeline.assess(&jirga_moderation::ModerationInput {
                article_title: &m.title,
                article_text: &m.text,
                parent_body: m.parent.as_deref(),
                body: &m.body,
                author_name: &m.author_name,
                author_banned: m.author_banned,
                author_published: m.author_published,
                duplicates: m.duplicates,
                other_articles: &others,
                site: &m.policy,
            })
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()));
        if metrics_on {
            self.metrics.moderated(started.elapsed());
        }
        assessed
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_address_salt_rotates_and_the_old_one_is_deleted() {
        let dir = tempfile::tempdir().expect("tmp");
        let store: Arc<dyn Store> = Arc::new(
            jirga_store_sqlite::SqliteStore::open(dir.path())
                .await
                .expect("store"),
        );
        // A salt from before rotation existed: it must go.
        store.secret("ip_salt").await.expect("old salt");
        let settings = Settings {
            data: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let state = AppState::new(store.clone(), settings, "http://x".into())
            .await
            .expect("state");
        let ip: IpAddr = "203.0.113.9".parse().expect("ip");
        let first = state.ip_hash(ip);
        assert_eq!(first, state.ip_hash(ip), "stable within a period");
        assert_ne!(first, "203.0.113.9");

        let now = chrono::Utc::now();
        state.rotate_ip_salt(now).await.expect("same period");
        assert_eq!(state.ip_hash(ip), first);
        state
            .rotate_ip_salt(now + chrono::Duration::days(8))
            .await
            .expect("next period");
        let second = state.ip_hash(ip);
        assert_ne!(second, first, "a new period, a new salt");
        // Only the current salt is left: the first period's and the old one are gone.
        let current = {
            let (period, _) = &*state.ip_salt.read().expect("lock");
            format!("{IP_SALT}7d:{period}")
        };
        assert_eq!(
            store
                .retire_secrets("ip_salt", &current)
                .await
                .expect("retire"),
            0
        );
    }
}
