//! Settings, read by the binary from a TOML file and `JIRGA_*` variables. Every field has a
//! default, so an empty file is a working configuration.

use jirga_domain::Secret;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where to listen. Port 0 picks a free port (tests do this).
    pub addr: SocketAddr,
    /// The folder that holds `jirga.db` (unless `database` says otherwise) and site models.
    pub data: PathBuf,
    /// The database: `postgres://user@host:port/db` (several instances may share it) or
    /// `sqlite://path/to/jirga.db`. Unset: `jirga.db` in `data`.
    pub database: Option<Secret>,
    /// The address readers reach this server at, if not `http://{addr}` (behind a proxy, say).
    pub public_url: Option<String>,
    /// Longest comment body, in characters.
    pub body_max_chars: usize,
    /// How long an author may edit or delete a comment after posting it.
    pub edit_window_minutes: i64,
    /// Largest request body for comment endpoints, in bytes.
    pub max_request_bytes: usize,
    /// Largest request body for `PUT /api/v1/threads` (it carries the article's text).
    pub max_article_bytes: usize,
    /// Largest export file an admin may upload in the dashboard's Import page, in megabytes
    /// (bigger files: `jirga import` on the server). The upload has an hour to arrive.
    pub import_upload_max_mb: u64,
    /// Top-level comments per page, when the client does not ask.
    pub page_size: u32,
    /// Levels of replies sent under each top-level comment.
    pub reply_depth: usize,
    /// Replies sent under any one comment before "more replies".
    pub replies_per_comment: usize,
    pub rate_limits: RateLimits,
    /// Serve thread pages and counts from memory until their thread is written to.
    pub read_cache: bool,
    /// Addresses of reverse proxies whose X-Forwarded-For / X-Real-IP headers are believed.
    /// From anyone else those headers are ignored, so a client cannot dodge rate limits.
    pub trusted_proxies: Vec<IpAddr>,
    /// Seconds a connection has to send its request headers (slowloris defence).
    pub header_read_timeout_secs: u64,
    /// Seconds a request has to arrive in full and be answered (408 otherwise); an event
    /// stream counts until its headers are sent.
    pub request_timeout_secs: u64,
    /// Open connections at most; more are closed on accept.
    pub max_connections: usize,
    /// Days one salt for hashing client addresses lives. Then a new random salt replaces it
    /// and the old one is deleted, so hashes from different periods cannot be linked (a
    /// reader may then vote again on a comment older than the period).
    pub ip_salt_days: u32,
    /// Where account mail (verification, password reset) goes: `smtp://host:port` (plain),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://...`. Unset: mail is
    /// written to the log instead (the demo).
    pub smtp_url: Option<Secret>,
    /// The From of account mail.
    pub mail_from: String,
    /// How long a reader stays signed in.
    pub account_session_days: i64,
    /// SameSite of the reader's session cookie: "lax" when the widget's pages and Jirga share a
    /// site (comments.news.example under www.news.example), "none" when they do not (the cookie
    /// is then always Secure, so Jirga must be served over HTTPS).
    pub cookie_same_site: String,
    /// OpenID Connect providers readers may sign in with, each for one site.
    pub oidc: Vec<OidcProvider>,
    /// Publisher single sign-on: a site whose own backend signs its readers in (see the README).
    pub sso: Vec<SsoSite>,
    /// `GET /metrics` (Prometheus) answers requests that carry `Authorization: Bearer <this>`.
    /// Unset (and `metrics_open` false): no metrics are kept or served.
    pub metrics_token: Option<Secret>,
    /// Serve `/metrics` to anyone (a server reachable only from the scraper's network).
    pub metrics_open: bool,
    /// Seconds before a failed webhook delivery is tried again; doubled after each failure,
    /// an hour apart at most.
    pub webhook_retry_secs: u64,
    /// Seconds a webhook receiver has to answer.
    pub webhook_timeout_secs: u64,
    /// Hours after which a delivery that keeps failing is given up.
    pub webhook_give_up_hours: u32,
    /// Whether this instance sends webhook deliveries (any instance on the database may; each
    /// delivery is claimed by one).
    pub webhook_worker: bool,
    /// Replies to a reader are gathered this long before the first mail about them goes.
    pub reply_mail_gather_secs: u64,
    /// A reader gets at most one reply mail per this many minutes (the rest wait for the next).
    pub reply_mail_every_minutes: u64,
}

/// An OpenID Connect provider for one site (authorization code flow with PKCE).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// The site whose readers see the "Sign in with" button.
    pub site: String,
    /// Short id used in URLs, e.g. "newsid".
    pub id: String,
    /// The button's text: "Sign in with {name}".
    pub name: String,
    /// The issuer URL; `{issuer}/.well-known/openid-configuration` is read at sign-in.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
}

/// A site whose readers are signed in by the publisher's own accounts: its backend signs a JWT
/// for the signed-in reader and the page hands it to the widget.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoSite {
    pub site: String,
    /// Shared secrets for HS256, each with the `kid` tokens name it by. Keep the old secret
    /// listed while the publisher moves to a new one.
    #[serde(default)]
    pub secrets: Vec<SsoSecret>,
    /// Where the publisher publishes its public keys (RS256, ES256), e.g. its OpenID
    /// provider's `jwks_uri`. Fetched on first use, kept ten minutes, fetched again at once
    /// when a token names a kid not in it.
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// When set, a token's `iss` must be this.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Longest `exp - iat` accepted, in seconds.
    #[serde(default = "default_sso_lifetime")]
    pub max_lifetime_secs: i64,
    /// Where the reader's fields are in the token (JSON pointers); Coral's shape by default.
    #[serde(default)]
    pub claims: SsoClaims,
}

fn default_sso_lifetime() -> i64 {
    86_400
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoSecret {
    pub kid: Option<String>,
    pub secret: Secret,
}

/// JSON pointers to the reader's fields in a token.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SsoClaims {
    pub id: String,
    pub email: String,
    pub username: String,
    pub role: String,
    pub badges: String,
    pub avatar: String,
    pub url: String,
}

impl Default for SsoClaims {
    fn default() -> Self {
        Self {
            id: "/user/id".into(),
            email: "/user/email".into(),
            username: "/user/username".into(),
            role: "/user/role".into(),
            badges: "/user/badges".into(),
            avatar: "/user/avatar".into(),
            url: "/user/url".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    /// New comments and edits per client address per minute.
    pub posts_per_minute: u32,
    /// Votes and reports per client address per minute.
    pub actions_per_minute: u32,
    /// Dashboard sign-in attempts per client address, and per account, per minute.
    pub sign_ins_per_minute: u32,
}

impl Settings {
    /// Whether metrics are kept and `/metrics` is served.
    pub fn metrics_on(&self) -> bool {
        self.metrics_open || self.metrics_token.is_some()
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            posts_per_minute: 6,
            actions_per_minute: 60,
            sign_ins_per_minute: 10,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data: PathBuf::from("data"),
            database: None,
            public_url: None,
            body_max_chars: 5_000,
            edit_window_minutes: 15,
            max_request_bytes: 64 * 1024,
            max_article_bytes: 2 * 1024 * 1024,
            page_size: 10,
            reply_depth: 3,
            replies_per_comment: 5,
            rate_limits: RateLimits::default(),
            read_cache: true,
            trusted_proxies: Vec::new(),
            header_read_timeout_secs: 10,
            request_timeout_secs: 30,
            import_upload_max_mb: 512,
            max_connections: 10_000,
            ip_salt_days: 7,
            smtp_url: None,
            mail_from: "Jirga <jirga@localhost>".into(),
            account_session_days: 30,
            cookie_same_site: "lax".into(),
            oidc: Vec::new(),
            sso: Vec::new(),
            metrics_token: None,
            metrics_open: false,
            webhook_retry_secs: 30,
            webhook_timeout_secs: 10,
            webhook_give_up_hours: 24,
            webhook_worker: true,
            reply_mail_gather_secs: 120,
            reply_mail_every_minutes: 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_never_print_their_secrets() {
        let settings = Settings {
            database: Some("postgres://jirga:db-pass@db/jirga".into()),
            smtp_url: Some("smtp://mailer:mail-pass@mail.example:587".into()),
            oidc: vec![OidcProvider {
                site: "news".into(),
                id: "newsid".into(),
                name: "News ID".into(),
                issuer: "https://id.example".into(),
                client_id: "jirga".into(),
                client_secret: "oidc-pass".into(),
            }],
            ..Settings::default()
        };
        let printed = format!("{settings:?}");
        for secret in ["db-pass", "mail-pass", "oidc-pass"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("postgres://jirga:***@db/jirga"));
    }
}
