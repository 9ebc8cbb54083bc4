#![doc = include_str!("../README.md")]

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jirga_domain::{
    AccountId, AuthorId, CommentId, CommentStatus, Cursor, ModeratorId, ReportReason, Secret,
    SiteId, Sort, ThreadId, ThreadKey, Vote, WebhookId, tree,
};
use jirga_domain::{Reason, SitePolicy};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value is already taken (a site id, say).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The database failed; the message is for logs, not for users.
    #[error("storage backend error: {0}")]
    Backend(String),
    /// The database cannot be reached just now (stopped, restarting, network); worth retrying.
    #[error("storage backend unavailable: {0}")]
    Unavailable(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    /// Origins (scheme://host[:port]) whose pages may call the API from a browser.
    pub allowed_origins: Vec<String>,
    /// Whether the first comment under an unknown key creates its thread.
    pub auto_create_threads: bool,
    pub policy: SitePolicy,
    /// SHA-256 of the site's API key, hex. The key itself is shown once, at creation.
    pub api_key_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewSite {
    pub id: SiteId,
    pub name: String,
    pub allowed_origins: Vec<String>,
    pub auto_create_threads: bool,
    pub policy: SitePolicy,
    pub api_key_hash: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    pub id: ThreadId,
    pub site_id: SiteId,
    pub key: ThreadKey,
    pub title: String,
    pub url: Option<String>,
    /// The article's text, for moderation to compare comments with.
    pub text: String,
    pub closed: bool,
    pub published_count: i64,
    pub created_at: DateTime<Utc>,
    /// On a store shared by several processes, a value that changes with every write to the
    /// thread or its comments' visibility (PostgreSQL: the row's version), so a cached page
    /// can be checked against the database; `None` where this process sees every write.
    pub stamp: Option<String>,
}

/// What a publisher (or a first comment) says about an article. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ThreadUpdate {
    pub title: Option<String>,
    pub url: Option<String>,
    pub text: Option<String>,
    pub closed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthorView {
    pub id: AuthorId,
    pub name: String,
    pub affiliation: Option<String>,
    pub verified: bool,
}

/// An author record created by an administrator (or the demo seed): the only way to get an
/// affiliation line or the verified mark.
#[derive(Debug, Clone)]
pub struct NewAuthor {
    pub site_id: SiteId,
    pub name: String,
    pub email: Option<String>,
    pub affiliation: Option<String>,
    pub verified: bool,
}

/// Who is posting.
#[derive(Debug, Clone)]
pub enum AuthorRef {
    /// A guest, as typed: reuses the guest record with the same name and email, if any.
    Guest { name: String, email: Option<String> },
    /// A record made with `create_author`.
    Existing(AuthorId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredComment {
    pub id: CommentId,
    pub site_id: SiteId,
    pub thread_id: ThreadId,
    pub parent_id: Option<CommentId>,
    /// The top-level comment this one hangs under; `None` for a top-level comment.
    pub root_id: Option<CommentId>,
    pub depth: i64,
    pub author: AuthorView,
    pub body_markdown: String,
    pub body_html: String,
    pub status: CommentStatus,
    pub reasons: Vec<Reason>,
    pub moderation_version: String,
    pub abuse_score: Option<f32>,
    pub on_topic_score: Option<f32>,
    /// SHA-256 of the secret the author got at creation, hex.
    pub edit_token_hash: String,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl tree::Node for StoredComment {
    fn id(&self) -> i64 {
        self.id.get()
    }
    fn parent_id(&self) -> Option<i64> {
        self.parent_id.map(CommentId::get)
    }
    fn created_ms(&self) -> i64 {
        self.created_at.timestamp_millis()
    }
    fn visible(&self) -> bool {
        self.status == CommentStatus::Published
    }
}

/// The moderation outcome stored with a comment.
#[derive(Debug, Clone)]
pub struct Moderated {
    pub status: CommentStatus,
    pub reasons: Vec<Reason>,
    pub version: String,
    pub abuse: Option<f32>,
    pub on_topic: Option<f32>,
}

#[derive(Debug, Clone)]
pub struct NewComment {
    pub thread_id: ThreadId,
    pub parent_id: Option<CommentId>,
    pub author: AuthorRef,
    pub body_markdown: String,
    pub body_html: String,
    pub moderated: Moderated,
    pub edit_token_hash: String,
    pub created_at: DateTime<Utc>,
    /// `jirga_moderation::text_hash` of the body, to find the same text posted again.
    pub text_hash: String,
    /// The poster's address, hashed with the current rotating salt (for bans by address).
    pub ip_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CommentEdit {
    pub body_markdown: String,
    pub body_html: String,
    pub moderated: Moderated,
    pub edited_at: DateTime<Utc>,
    pub text_hash: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Moderator {
    pub id: ModeratorId,
    pub email: String,
    pub name: String,
    /// Argon2 PHC string (never shown by `Debug`).
    pub password_hash: Secret,
    /// The sites this moderator may act on.
    pub sites: Vec<SiteId>,
    /// The sites where this moderator is also an admin: may grant badges and change settings.
    pub admin_of: Vec<SiteId>,
    /// A mail with the queue every so many hours; 0: none.
    pub digest_hours: i64,
}

/// A reader's account: email and password, or an OpenID Connect identity, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: AccountId,
    pub email: Option<String>,
    pub name: String,
    /// Argon2 PHC string; `None` for an account that signs in only through OpenID Connect.
    pub password_hash: Option<Secret>,
    pub email_verified: bool,
    pub oidc_issuer: Option<String>,
    pub oidc_subject: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Option<String>,
    pub name: String,
    pub password_hash: Option<Secret>,
    pub email_verified: bool,
    /// (issuer, subject) of an OpenID Connect identity.
    pub oidc: Option<(String, String)>,
}

/// How an account is looked up.
#[derive(Debug, Clone, Copy)]
pub enum AccountKey<'a> {
    Id(AccountId),
    /// Case-insensitive.
    Email(&'a str),
    Oidc {
        issuer: &'a str,
        subject: &'a str,
    },
}

/// A reader a publisher's signed token vouches for (single sign-on).
#[derive(Debug, Clone)]
pub struct SsoProfile {
    /// The publisher's own id for the reader.
    pub subject: String,
    pub name: String,
    pub email: Option<String>,
    /// The affiliation line and verified mark the publisher gives (to its staff, say).
    pub affiliation: Option<String>,
    pub verified: bool,
    /// When the token was issued: an older token never overwrites a newer profile.
    pub issued_at: DateTime<Utc>,
}

/// The OpenID-style issuer of the accounts a site's publisher signs in.
pub fn sso_issuer(site: &SiteId) -> String {
    format!("sso:{site}")
}

/// What `update_account` changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub password_hash: Option<Secret>,
    pub email_verified: Option<bool>,
}

/// What a single-use mailed token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Verify,
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
        }
    }
}

/// Everything Jirga holds about an account, for its owner to download.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub account: Account,
    /// The account's author record on each site it commented on.
    pub authors: Vec<(SiteId, AuthorView)>,
    pub comments: Vec<StoredComment>,
    /// (comment id, +1 or -1, when).
    pub votes: Vec<(CommentId, i64, DateTime<Utc>)>,
    /// (comment id, reason, note, when).
    pub reports: Vec<(CommentId, String, Option<String>, DateTime<Utc>)>,
    /// (signed in, expires) of each open session.
    pub sessions: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

/// What a ban made from a comment covers besides its author record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BanScope {
    /// The author's email: any record (guest or account) with it.
    pub email: bool,
    /// The address the comment came from (its hash under the salt of the time).
    pub address: bool,
    /// The author is not told: their comments are kept from everyone else.
    pub shadow: bool,
}

/// Who is posting, for checking bans.
#[derive(Debug, Clone, Copy, Default)]
pub struct BanCheck<'a> {
    pub author_id: Option<AuthorId>,
    pub email: Option<&'a str>,
    pub ip_hash: Option<&'a str>,
}

/// The bans that apply to a poster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BanState {
    None,
    Banned,
    Shadow,
}

/// An author record as an admin sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorRow {
    pub author: AuthorView,
    pub email: Option<String>,
    pub account_id: Option<AccountId>,
    pub comments: i64,
}

/// The name a deleted account's kept comments are shown under.
pub const DELETED_USER: &str = "deleted user";

/// The voter or reporter key of a signed-in reader (others are keyed by address hash).
pub fn account_voter(account_id: AccountId) -> String {
    format!("a:{account_id}")
}

/// A comment as a moderator sees it: with its article and the comment it answers.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub comment: StoredComment,
    pub thread_title: String,
    pub thread_key: String,
    /// The article's address, when the publisher gave one (the comment is at `#comment-ID`).
    pub thread_url: Option<String>,
    pub parent: Option<StoredComment>,
    /// Unresolved reports: (reason, how many).
    pub reports: Vec<(String, i64)>,
    /// What the author did before, on this site.
    pub history: AuthorHistory,
}

/// An author's record on a site, beside their comment in a moderator's queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthorHistory {
    pub published: i64,
    pub held: i64,
    pub rejected: i64,
    /// Readers' reports against the author's comments, resolved or not.
    pub reports: i64,
    /// Bans of this author record, past or current.
    pub bans: i64,
}

/// One line of the modlog.
#[derive(Debug, Clone, PartialEq)]
pub struct ModlogEntry {
    pub id: i64,
    pub site_id: String,
    pub moderator: String,
    pub action: ModAction,
    pub comment_id: Option<CommentId>,
    pub author_id: Option<AuthorId>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The author's name now, when the line names an author.
    pub author_name: Option<String>,
    /// The start of the comment's text (empty once deleted) and its thread's key.
    pub excerpt: Option<String>,
    pub thread_key: Option<String>,
    /// The article's address, when the publisher gave one.
    pub thread_url: Option<String>,
}

/// What a modlog line records; stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModAction {
    Approve,
    Reject,
    /// Reports on a comment dismissed: it stays as it is.
    DismissReports,
    Ban,
    ShadowBan,
    /// A site's settings changed.
    Settings,
    /// An author's affiliation or verified mark changed.
    Badges,
    /// A line written by hand or by a tool.
    Note,
}

impl ModAction {
    pub const ALL: [ModAction; 8] = [
        ModAction::Approve,
        ModAction::Reject,
        ModAction::DismissReports,
        ModAction::Ban,
        ModAction::ShadowBan,
        ModAction::Settings,
        ModAction::Badges,
        ModAction::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ModAction::Approve => "approve",
            ModAction::Reject => "reject",
            ModAction::DismissReports => "dismiss",
            ModAction::Ban => "ban",
            ModAction::ShadowBan => "shadow-ban",
            ModAction::Settings => "settings",
            ModAction::Badges => "badges",
            ModAction::Note => "note",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }
}

impl std::fmt::Display for ModAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct NewModlogEntry {
    pub site_id: SiteId,
    pub moderator_id: Option<ModeratorId>,
    pub moderator: String,
    pub action: ModAction,
    pub comment_id: Option<CommentId>,
    pub author_id: Option<AuthorId>,
    pub note: Option<String>,
}

/// Comments posted on one day, by where they stand now.
#[derive(Debug, Clone, PartialEq)]
pub struct DayStats {
    pub day: String,
    pub published: i64,
    pub held: i64,
    pub rejected: i64,
}

/// Comments whose abuse score (as recorded when posted or last edited) fell in one bin of
/// `SCORE_BINS`, and how many of them stand rejected now.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScoreBin {
    pub comments: i64,
    pub rejected: i64,
}

/// Bins of the abuse score in `abuse_histogram`: [0, 0.05), [0.05, 0.1) ... [0.95, 1].
pub const SCORE_BINS: usize = 20;

/// The bin of `SCORE_BINS` a score falls in, as the stores' SQL bins it.
pub fn score_bin(score: f32) -> usize {
    ((f64::from(score) * SCORE_BINS as f64).max(0.0) as usize).min(SCORE_BINS - 1)
}

/// A change that readers of a thread should hear about, announced to every instance that
/// shares the database (the announcing one included).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub site: String,
    /// The thread's key.
    pub thread: String,
    pub thread_id: ThreadId,
    pub kind: EventKind,
    pub comment_id: Option<CommentId>,
    /// The thread's published count after the change.
    pub count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A comment readers may now see: new, or approved by a moderator.
    Published,
    /// A visible comment's text changed.
    Edited,
    /// A comment readers may no longer see: deleted, rejected, or held after an edit.
    Removed,
    /// Something else readers see changed: a comment's votes, the thread's details.
    Updated,
    /// Events may have been missed (the connection to the database was lost): anything
    /// cached may be stale. Never sent to readers.
    Resync,
}

/// How many events a slow subscriber may fall behind before it is told to resync.
pub const EVENT_BUFFER: usize = 4096;

/// The events a webhook may subscribe to.
pub const WEBHOOK_EVENTS: [&str; 7] = [
    "comment.published",
    "comment.held",
    "comment.rejected",
    "comment.edited",
    "comment.deleted",
    "comment.reported",
    "moderator.action",
];

/// How a webhook's deliveries are shaped: Jirga's JSON (signed), or a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Json,
    Slack,
    Discord,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
            WebhookFormat::Discord => "discord",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            WebhookFormat::Json,
            WebhookFormat::Slack,
            WebhookFormat::Discord,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: WebhookId,
    pub site_id: SiteId,
    pub url: String,
    /// Signs each delivery (HMAC-SHA256); shown to the admin once, at creation.
    pub secret: Secret,
    pub events: Vec<String>,
    pub format: WebhookFormat,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub site_id: SiteId,
    pub url: String,
    pub secret: Secret,
    pub events: Vec<String>,
    pub format: WebhookFormat,
}

/// One event on its way to one webhook: the outbox row.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub webhook: Webhook,
    /// The same for every delivery of one event: receivers de-duplicate by it.
    pub event_id: String,
    pub event: String,
    /// The event as JSON (`Event` shape of the webhook module); shaped per format when sent.
    pub payload: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub given_up: bool,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    /// The start of the receiver's last answer.
    pub last_response: Option<String>,
}

/// A change webhooks may be told of, noted in the transaction that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub id: i64,
    pub site_id: SiteId,
    /// One of `WEBHOOK_EVENTS`.
    pub event: String,
    pub comment_id: CommentId,
    /// More about it, as JSON: the report's reason, the moderator's action.
    pub detail: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// How an attempt to deliver went.
#[derive(Debug, Clone)]
pub enum DeliveryOutcome {
    Delivered {
        status: u16,
        response: String,
    },
    /// `retry_at: None`: given up (it kept failing for a day).
    Failed {
        status: Option<u16>,
        error: String,
        response: Option<String>,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Whether the database answers and its schema is the one this build expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    /// The newest migration this build carries.
    pub expected: i64,
    /// The newest migration applied to the database (`None`: none yet).
    pub applied: Option<i64>,
}

impl Readiness {
    /// Applied at least as far as this build expects (a newer schema is fine while an older
    /// instance is being replaced: migrations only add).
    pub fn current(&self) -> bool {
        self.applied.is_some_and(|a| a >= self.expected)
    }
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Announces a change to every instance on this database, this one included.
    async fn publish(&self, event: &Event) -> StoreResult<()>;
    /// The changes announced by any instance on this database.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event>;
    /// The thread's current `Thread::stamp`.
    async fn thread_stamp(&self, _thread_id: ThreadId) -> StoreResult<Option<String>> {
        Ok(None)
    }

    /// Touches the database and reads which migrations it has.
    async fn readiness(&self) -> StoreResult<Readiness>;
    /// (pool, open connections, idle connections) of each connection pool, for metrics.
    fn pool_stats(&self) -> Vec<(&'static str, u32, usize)>;
    /// Held comments on every site: the moderators' backlog.
    async fn held_count(&self) -> StoreResult<u64>;

    async fn sites(&self) -> StoreResult<Vec<Site>>;
    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>>;
    /// `Conflict` when the id is taken.
    async fn create_site(&self, site: NewSite) -> StoreResult<Site>;
    /// Replaces name, origins and settings; the API key stays.
    async fn update_site(&self, site: NewSite) -> StoreResult<Site>;

    async fn thread(&self, site: &SiteId, key: &ThreadKey) -> StoreResult<Option<Thread>>;
    async fn thread_by_id(&self, id: ThreadId) -> StoreResult<Option<Thread>>;
    /// The site's newest threads that have an article text or title, newest first.
    async fn recent_threads(&self, site: &SiteId, limit: u32) -> StoreResult<Vec<Thread>>;
    /// Creates the thread or updates the fields that are `Some`.
    async fn put_thread(
        &self,
        site: &SiteId,
        key: &ThreadKey,
        update: ThreadUpdate,
    ) -> StoreResult<Thread>;
    /// Published counts for the given keys; keys with no thread are absent.
    async fn counts(&self, site: &SiteId, keys: &[ThreadKey])
    -> StoreResult<Vec<(ThreadKey, i64)>>;

    async fn create_author(&self, author: NewAuthor) -> StoreResult<AuthorId>;
    /// Whether a verified author on this site goes by this name (case-insensitive), so that a
    /// guest cannot pose as them.
    async fn verified_name_taken(&self, site: &SiteId, name: &str) -> StoreResult<bool>;

    async fn insert_comment(&self, comment: NewComment) -> StoreResult<StoredComment>;
    async fn comment(&self, id: CommentId) -> StoreResult<Option<StoredComment>>;
    async fn edit_comment(&self, id: CommentId, edit: CommentEdit) -> StoreResult<StoredComment>;
    async fn delete_comment(&self, id: CommentId, at: DateTime<Utc>) -> StoreResult<()>;

    /// A page of top-level comments that are published or have published replies, after
    /// `after`, in `sort` order.
    async fn top_level_page(
        &self,
        thread_id: ThreadId,
        sort: Sort,
        after: Option<Cursor>,
        limit: u32,
    ) -> StoreResult<Vec<StoredComment>>;
    /// Every comment, of any status, under the given top-level comments.
    async fn under_roots(&self, root_ids: &[CommentId]) -> StoreResult<Vec<StoredComment>>;

    /// Records a reader's vote (replacing their earlier one) and returns the new total.
    async fn vote(&self, comment_id: CommentId, voter: &str, vote: Vote) -> StoreResult<i64>;
    /// Records a report; `false` when this reader already reported this comment.
    async fn report(
        &self,
        comment_id: CommentId,
        reporter: &str,
        reason: ReportReason,
        note: Option<String>,
    ) -> StoreResult<bool>;

    /// A random secret that lives with the data (for hashing IP addresses), made on first use.
    async fn secret(&self, name: &str) -> StoreResult<String>;
    /// Deletes every secret whose name starts with `prefix`, except `keep`; how many went.
    async fn retire_secrets(&self, prefix: &str, keep: &str) -> StoreResult<u64>;

    /// The guest record a post under this name and email would use, if one exists.
    async fn guest_author(
        &self,
        site: &SiteId,
        name: &str,
        email: &str,
    ) -> StoreResult<Option<AuthorId>>;
    /// Whether a ban on this site covers the poster (by author record, email or address),
    /// and whether it is a shadow-ban; a plain ban wins over a shadow one.
    async fn ban_state(
        &self,
        site: &SiteId,
        who: BanCheck<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<BanState>;
    /// How many of this author's comments are published.
    async fn author_published(&self, author_id: AuthorId) -> StoreResult<u32>;
    /// Comments on this site with this text hash since `since` (any status but deleted).
    async fn same_text_count(
        &self,
        site: &SiteId,
        text_hash: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<u32>;

    /// `Conflict` when the email is taken.
    async fn create_moderator(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        sites: &[SiteId],
    ) -> StoreResult<ModeratorId>;
    async fn moderator_by_email(&self, email: &str) -> StoreResult<Option<Moderator>>;
    async fn create_session(
        &self,
        token_hash: &str,
        moderator_id: ModeratorId,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn session_moderator(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Moderator>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Makes a moderator an admin of a site (and a moderator of it, if not yet).
    async fn grant_admin(&self, moderator_id: ModeratorId, site: &SiteId) -> StoreResult<()>;

    /// The site's author records, those with the most comments first; `search` filters by
    /// name or email (case-insensitive substring).
    async fn site_authors(
        &self,
        site: &SiteId,
        search: &str,
        limit: u32,
    ) -> StoreResult<Vec<AuthorRow>>;
    /// Sets an author's affiliation line and verified mark (an admin's grant); `NotFound` when
    /// the author is not on this site.
    async fn set_badges(
        &self,
        site: &SiteId,
        author_id: AuthorId,
        affiliation: Option<String>,
        verified: bool,
    ) -> StoreResult<()>;

    /// `Conflict` when the email or the OpenID identity already has an account.
    async fn create_account(&self, account: NewAccount) -> StoreResult<Account>;
    async fn account(&self, key: AccountKey<'_>) -> StoreResult<Option<Account>>;
    async fn update_account(&self, id: AccountId, change: AccountChange) -> StoreResult<()>;
    /// The account's author record on a site, made on first use with the account's name and
    /// email (an admin may later grant it badges).
    async fn account_author(&self, site: &SiteId, account: &Account) -> StoreResult<AuthorView>;
    /// The account of a reader a publisher vouches for (issuer `sso_issuer(site)`, subject the
    /// publisher's id), made on first sight, and its author record on the site. Name, email
    /// and badges follow the newest token by `issued_at`; the email is left off while another
    /// account has it.
    async fn sso_account(
        &self,
        site: &SiteId,
        profile: SsoProfile,
    ) -> StoreResult<(Account, AuthorView)>;
    /// Revokes a publisher token's id (`jti`) until it would have expired; `false` when it
    /// already was.
    async fn revoke_token(
        &self,
        site: &SiteId,
        jti: &str,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn token_revoked(&self, site: &SiteId, jti: &str) -> StoreResult<bool>;
    /// Stores a mailed token (its hash) for verification or a password reset.
    async fn create_account_token(
        &self,
        token_hash: &str,
        account_id: AccountId,
        purpose: TokenPurpose,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Uses up a token: the account it was for, if it exists, is for this purpose and has not
    /// expired. A token works once.
    async fn take_account_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<AccountId>>;
    async fn create_account_session(
        &self,
        token_hash: &str,
        account_id: AccountId,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn session_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Account>>;
    /// Ends one session (`Some(token hash)`) or every session of the account (`None`);
    /// how many ended.
    async fn end_account_sessions(
        &self,
        account_id: AccountId,
        token_hash: Option<&str>,
    ) -> StoreResult<u64>;
    async fn account_data(&self, account_id: AccountId) -> StoreResult<Option<AccountData>>;
    /// Deletes the account, its sessions and tokens. Its comments on the sites in `remove_on`
    /// are deleted (text gone, as an author's own delete); elsewhere they stay, credited to
    /// "deleted user" (name, email and badges of the author record cleared). Returns the
    /// comments that were deleted, as they were before, for announcing.
    async fn delete_account(
        &self,
        account_id: AccountId,
        remove_on: &[SiteId],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredComment>>;

    /// Held comments on these sites, oldest first.
    async fn held_queue(&self, sites: &[SiteId], limit: u32) -> StoreResult<Vec<QueueItem>>;
    /// Published comments with unresolved reports, the weightiest first: a report counts more
    /// when its reporter's earlier reports were upheld (see `weighted_reports!`).
    async fn report_queue(&self, sites: &[SiteId], limit: u32) -> StoreResult<Vec<QueueItem>>;
    /// Sets a comment's status, resolves its reports and writes the modlog line, together.
    async fn moderate(
        &self,
        comment_id: CommentId,
        status: CommentStatus,
        entry: NewModlogEntry,
    ) -> StoreResult<StoredComment>;
    /// Its author asks for another look at a rejected comment: it goes back to the held queue
    /// with these reasons. `Conflict` when the comment is not rejected (any more).
    async fn appeal(&self, comment_id: CommentId, reasons: &[Reason])
    -> StoreResult<StoredComment>;
    /// Marks a comment's reports resolved without changing it, and logs that.
    async fn dismiss_reports(
        &self,
        comment_id: CommentId,
        entry: NewModlogEntry,
    ) -> StoreResult<()>;
    /// Bans the author of a comment from its site until a time (or for good), and also their
    /// email and the comment's address where `scope` says so, and rejects the comment: one
    /// transaction, logged as `entry` (the ban) and `reject` (the comment).
    async fn ban(
        &self,
        comment_id: CommentId,
        scope: BanScope,
        until: Option<DateTime<Utc>>,
        entry: NewModlogEntry,
        reject: NewModlogEntry,
    ) -> StoreResult<StoredComment>;
    /// Appends a line to the modlog (settings changes, say).
    async fn log(&self, entry: NewModlogEntry) -> StoreResult<()>;
    async fn modlog(&self, sites: &[SiteId], limit: u32) -> StoreResult<Vec<ModlogEntry>>;

    /// Published comments of a site, or of one thread of it, newest first, each with its
    /// thread (for feeds).
    async fn latest_published(
        &self,
        site: &SiteId,
        thread: Option<ThreadId>,
        limit: u32,
    ) -> StoreResult<Vec<(StoredComment, Thread)>>;
    /// Published replies to an author's comments on a site, newest first, with their thread.
    async fn replies_to(
        &self,
        site: &SiteId,
        author: AuthorId,
        limit: u32,
    ) -> StoreResult<Vec<(StoredComment, Thread)>>;
    /// A new subscription.
    async fn create_webhook(&self, hook: NewWebhook) -> StoreResult<Webhook>;
    async fn webhooks(&self, site: &SiteId) -> StoreResult<Vec<Webhook>>;
    /// Removes a subscription and its pending deliveries; `false` when the site has no such.
    async fn delete_webhook(&self, site: &SiteId, id: WebhookId) -> StoreResult<bool>;
    /// Puts an event in the outbox once for each of the site's webhooks subscribed to it (or
    /// only for `only`, a test event); how many deliveries that made.
    async fn enqueue_event(
        &self,
        site: &SiteId,
        event: &str,
        event_id: &str,
        payload: &str,
        only: Option<WebhookId>,
    ) -> StoreResult<u64>;
    /// The oldest changes not yet turned into deliveries.
    async fn journal_entries(&self, limit: u32) -> StoreResult<Vec<JournalEntry>>;
    /// Turns a journal entry into the deliveries of its event (for the site's webhooks
    /// subscribed to it) and removes it, in one transaction; `false` when another instance
    /// took it first.
    async fn take_journal_entry(
        &self,
        entry: &JournalEntry,
        event_id: &str,
        payload: &str,
    ) -> StoreResult<bool>;
    /// Deliveries due by `now`, oldest first.
    async fn due_deliveries(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Delivery>>;
    /// Takes a due delivery for this instance until `lease_until` (the next try if this one
    /// never reports back); `false` when another instance took it first.
    async fn claim_delivery(
        &self,
        delivery: &Delivery,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Records an attempt.
    async fn finish_delivery(
        &self,
        id: i64,
        outcome: DeliveryOutcome,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The site's latest deliveries, newest first (the dashboard's delivery log).
    async fn deliveries(&self, site: &SiteId, limit: u32) -> StoreResult<Vec<Delivery>>;
    /// Deliveries neither delivered nor given up, all sites.
    async fn outbox_depth(&self) -> StoreResult<u64>;
    /// Every comment of a site that is not deleted, oldest first (for replaying decisions).
    async fn site_comments(&self, site: &SiteId) -> StoreResult<Vec<StoredComment>>;
    /// The last approve (false) or reject (true) a moderator gave each comment of a site:
    /// the site's own labelled history.
    async fn moderator_decisions(&self, site: &SiteId) -> StoreResult<Vec<(StoredComment, bool)>>;

    /// Comments per day by status, the last `days` days, for one site.
    async fn daily_stats(&self, site: &SiteId, days: u32) -> StoreResult<Vec<DayStats>>;
    /// How many comments fall in each twentieth of the abuse score, and how many of those are
    /// rejected: what a hold threshold would have caught, and whether moderators agreed.
    async fn abuse_histogram(&self, site: &SiteId) -> StoreResult<[ScoreBin; SCORE_BINS]>;

    /// Starts an import from another comment system: a batch every record of it belongs to.
    async fn create_import_batch(
        &self,
        site: &SiteId,
        source: &str,
        file_name: &str,
    ) -> StoreResult<i64>;
    /// The threads an import puts comments under, in one transaction: for each key the
    /// site's existing thread, or a new one that the batch owns (its undo removes it again if
    /// nothing else was posted there), made at the given time (else now).
    async fn import_threads(
        &self,
        batch: i64,
        site: &SiteId,
        threads: &[(ThreadKey, ThreadUpdate, Option<DateTime<Utc>>)],
    ) -> StoreResult<Vec<ThreadId>>;
    /// Stores imported comments in one transaction. A record already imported from the same
    /// source (site, source, external id) is left as it is and answered `Existing`. A parent
    /// not read yet is linked by `finish_import`.
    async fn import_comments(
        &self,
        batch: i64,
        site: &SiteId,
        source: &str,
        items: &[ImportComment],
    ) -> StoreResult<Vec<Imported>>;
    /// Links replies whose parent came later in the file, recomputes the batch's threads
    /// (reply depth, published counts) and records the report.
    async fn finish_import(&self, batch: i64, report: &str) -> StoreResult<ImportLinks>;
    /// Removes exactly what a batch added: its comments (a comment someone has since replied
    /// to stays as a deleted placeholder), the guests and threads it made that nothing else
    /// uses. Answers how many comments were removed.
    async fn undo_import(&self, site: &SiteId, batch: i64) -> StoreResult<u64>;
    /// A site's imports, newest first.
    async fn import_batches(&self, site: &SiteId) -> StoreResult<Vec<ImportBatch>>;

    /// A page of a site's threads, by id, after `after` (an export reads them all this way).
    async fn export_threads(
        &self,
        site: &SiteId,
        after: ThreadId,
        limit: u32,
    ) -> StoreResult<Vec<Thread>>;
    /// A page of a site's author records, by id, after `after`.
    async fn export_authors(
        &self,
        site: &SiteId,
        after: AuthorId,
        limit: u32,
    ) -> StoreResult<Vec<ExportAuthor>>;
    /// A page of a site's comments in every state, by id, after `after`, each with its votes.
    async fn export_comments(
        &self,
        site: &SiteId,
        after: CommentId,
        limit: u32,
    ) -> StoreResult<Vec<(StoredComment, Vec<VoteRecord>)>>;

    /// Replaces a comment's reasons (a moderator's note for the author added to them).
    async fn set_reasons(&self, comment_id: CommentId, reasons: &[Reason]) -> StoreResult<()>;
    /// Puts a mail in the outbox.
    async fn enqueue_mail(&self, mail: NewMail, at: DateTime<Utc>) -> StoreResult<()>;
    /// Mail due to be sent (or tried again) by `now`, oldest first.
    async fn due_mail(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutMail>>;
    /// Takes a due mail for this instance until `lease_until`; false when another took it.
    async fn claim_mail(&self, mail: &OutMail, lease_until: DateTime<Utc>) -> StoreResult<bool>;
    /// After a try: sent (`error` none), or failed and tried again at `retry_at` (none: given up).
    async fn finish_mail(
        &self,
        id: i64,
        error: Option<String>,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Mail neither sent nor given up.
    async fn mail_backlog(&self) -> StoreResult<u64>;
    /// Where the author of a comment can be mailed, if they gave an address.
    async fn contact(&self, comment_id: CommentId) -> StoreResult<Option<Contact>>;
    /// Notes that a confirmation mail goes to this address now, unless one went within `gap`
    /// (then false: send none).
    async fn note_confirm_sent(
        &self,
        site: &SiteId,
        email: &str,
        now: DateTime<Utc>,
        gap: chrono::Duration,
    ) -> StoreResult<bool>;
    /// The address is the reader's: every guest record on the site with this address becomes
    /// one author (the one confirmed before, else `author`), named as `author` is now. The
    /// author record that remains.
    async fn confirm_email(
        &self,
        site: &SiteId,
        email: &str,
        author: AuthorId,
        at: DateTime<Utc>,
    ) -> StoreResult<AuthorId>;
    /// Turns the mailing of replies to this address on this site on or off.
    async fn set_reply_mail(&self, site: &SiteId, email: &str, on: bool) -> StoreResult<()>;
    /// A published reply for the address's next reply mail.
    async fn add_reply_notice(
        &self,
        site: &SiteId,
        email: &str,
        reply: CommentId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Addresses with replies waiting whose first waited `gather` and whose last reply mail
    /// went more than `gap` ago (or never): (site, address).
    async fn reply_mail_due(
        &self,
        now: DateTime<Utc>,
        gather: chrono::Duration,
        gap: chrono::Duration,
    ) -> StoreResult<Vec<(SiteId, String)>>;
    /// Takes the replies waiting for the address (marking a reply mail sent now), unless
    /// another instance did within `gap`: then none.
    async fn take_reply_notices(
        &self,
        site: &SiteId,
        email: &str,
        now: DateTime<Utc>,
        gap: chrono::Duration,
    ) -> StoreResult<Vec<CommentId>>;
    /// Sets how often (hours; 0: never) a moderator is mailed the queue.
    async fn set_digest(&self, moderator: ModeratorId, hours: i64) -> StoreResult<()>;
    /// Moderators whose digest is due now; each taken (marked sent) by this call, so two
    /// instances do not both send it.
    async fn take_due_digests(&self, now: DateTime<Utc>) -> StoreResult<Vec<Moderator>>;
}

/// A mail for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMail {
    pub site_id: Option<SiteId>,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The one-click unsubscribe URL (`List-Unsubscribe`), for mail a reader can stop.
    pub unsubscribe: Option<String>,
}

/// A mail in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutMail {
    pub id: i64,
    pub mail: NewMail,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
}

/// Where a comment's author can be mailed.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub site_id: SiteId,
    pub author_id: AuthorId,
    /// Lower case.
    pub email: String,
    /// The address is known to be this author's: a verified account's, or a guest's address
    /// confirmed for this author record.
    pub confirmed: bool,
    /// The reader asked for replies by mail (and has not unsubscribed).
    pub replies: bool,
}

/// An author record as an export carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportAuthor {
    pub id: AuthorId,
    pub name: String,
    pub email: Option<String>,
    pub affiliation: Option<String>,
    pub verified: bool,
    /// Whether a reader's account stands behind it (the account itself is not exported).
    pub account: bool,
    pub created_at: DateTime<Utc>,
}

/// One reader's vote on a comment. `voter` is what the store keeps: an account's or a
/// browser's opaque key, never an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRecord {
    pub voter: String,
    /// +1 or -1.
    pub value: i64,
    pub created_at: DateTime<Utc>,
}

/// One comment read from another system's export, ready to store.
#[derive(Debug, Clone)]
pub struct ImportComment {
    /// The source's own id for it (unique within the source and site).
    pub external_id: String,
    pub thread_id: ThreadId,
    /// The parent's external id, same source.
    pub parent: Option<String>,
    pub author: ImportAuthor,
    pub body_markdown: String,
    pub body_html: String,
    pub status: CommentStatus,
    pub reasons: Vec<Reason>,
    pub created_at: DateTime<Utc>,
    pub text_hash: String,
    /// What a Jirga export carries besides (other sources have none of it).
    pub edited_at: Option<DateTime<Utc>>,
    pub abuse_score: Option<f32>,
    pub on_topic_score: Option<f32>,
    pub votes: Vec<VoteRecord>,
}

/// A commenter as the source knows them: one guest author per `key` per site and source.
#[derive(Debug, Clone, Default)]
pub struct ImportAuthor {
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    /// From a Jirga export: the affiliation line and verified mark an administrator gave.
    pub affiliation: Option<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    New(CommentId),
    /// Imported before (an earlier run of the same file): left as it was.
    Existing(CommentId),
}

/// What `finish_import` linked: replies whose parent came later in the file, and replies
/// whose parent never came (kept, as top-level comments).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportLinks {
    pub linked: u64,
    pub orphans: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch {
    pub id: i64,
    pub site_id: SiteId,
    pub source: String,
    pub file_name: String,
    /// JSON counts by state and skip reason, as the importer reported them.
    pub report: String,
    pub created_at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
    /// Comments the batch holds now.
    pub comments: u64,
}
