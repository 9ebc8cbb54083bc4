//! What the SQLite and PostgreSQL backends share. Both schemas use the same table and column
//! names and store times as Unix milliseconds, JSON lists as text and flags as booleans, so a
//! row from either database becomes the same record through the [`Columns`] accessors.

use chrono::{DateTime, TimeZone, Utc};
use jirga_domain::Reason;
use jirga_domain::{AccountId, AuthorId, CommentId, CommentStatus, SiteId, ThreadId, ThreadKey};
use jirga_store::{AuthorView, ModlogEntry, Site, StoreError, StoreResult, StoredComment, Thread};

/// Maps a database error: unique violations are conflicts; a database that cannot be reached
/// (refused, reset, pool timed out) is `Unavailable`, which the HTTP layer answers with 503.
pub fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        // 57P01..57P03: the server is shutting down or starting up; 08xxx: connection failures.
        sqlx::Error::Database(db)
            if db
                .code()
                .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")) =>
        {
            StoreError::Unavailable(db.message().to_owned())
        }
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
}

pub fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(e.to_string()))
}

pub fn site_id(raw: String) -> StoreResult<SiteId> {
    SiteId::parse(&raw).map_err(|e| StoreError::Backend(format!("stored site id {raw:?}: {e}")))
}

pub fn site_strs(sites: &[SiteId]) -> Vec<&str> {
    sites.iter().map(SiteId::as_str).collect()
}

/// Typed column access by name, the same on both databases.
pub trait Columns {
    fn text(&self, col: &str) -> StoreResult<String>;
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>>;
    fn int(&self, col: &str) -> StoreResult<i64>;
    fn opt_int(&self, col: &str) -> StoreResult<Option<i64>>;
    fn flag(&self, col: &str) -> StoreResult<bool>;
    fn opt_real(&self, col: &str) -> StoreResult<Option<f64>>;
}

macro_rules! columns_for {
    ($row:ty) => {
        impl Columns for $row {
            fn text(&self, col: &str) -> StoreResult<String> {
                sqlx::Row::try_get(self, col).map_err(backend)
            }
            fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
                sqlx::Row::try_get(self, col).map_err(backend)
            }
            fn int(&self, col: &str) -> StoreResult<i64> {
                sqlx::Row::try_get(self, col).map_err(backend)
            }
            fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
                sqlx::Row::try_get(self, col).map_err(backend)
            }
            fn flag(&self, col: &str) -> StoreResult<bool> {
                sqlx::Row::try_get(self, col).map_err(backend)
            }
            fn opt_real(&self, col: &str) -> StoreResult<Option<f64>> {
                sqlx::Row::try_get(self, col).map_err(backend)
            }
        }
    };
}

columns_for!(sqlx::sqlite::SqliteRow);
columns_for!(sqlx::postgres::PgRow);

/// `SELECT <comment columns> FROM comments c JOIN authors a JOIN threads t ` followed by the
/// rest of the query.
#[macro_export]
macro_rules! select_comments {
    ($($rest:expr),*) => {
        concat!(
            "SELECT c.id, t.site_id, c.thread_id, c.parent_id, c.root_id, c.depth, c.author_id, ",
            "a.name AS author_name, a.affiliation, a.verified, c.body_markdown, c.body_html, ",
            "c.status, c.moderation_reasons, c.moderation_version, c.abuse_score, c.on_topic_score, ",
            "c.edit_token_hash, c.votes, ",
            "c.created_at, c.edited_at ",
            "FROM comments c JOIN authors a ON a.id = c.author_id JOIN threads t ON t.id = c.thread_id ",
            $($rest),*
        )
    };
}

/// The thread columns `thread_from_row` reads, on SQLite: one process sees every write, so
/// threads carry no stamp.
/// Joins `r.n`, the weight of each comment's unresolved reports: each report counts
/// (1 + upheld) / (1 + dismissed), from its reporter's earlier reports that a moderator has
/// resolved (upheld: the comment was rejected; dismissed: it stayed published). A reader whose
/// reports were right weighs more, one who cries wolf less; a new reader counts 1.
#[macro_export]
macro_rules! weighted_reports {
    () => {
        "JOIN (SELECT u.comment_id, SUM(COALESCE(w.weight, 1.0)) AS n FROM reports u \
           LEFT JOIN (SELECT p.reporter, \
               (1.0 + SUM(CASE WHEN pc.status = 'rejected' THEN 1 ELSE 0 END)) \
             / (1.0 + SUM(CASE WHEN pc.status = 'published' THEN 1 ELSE 0 END)) AS weight \
             FROM reports p JOIN comments pc ON pc.id = p.comment_id \
             WHERE p.resolved_at IS NOT NULL GROUP BY p.reporter) w ON w.reporter = u.reporter \
           WHERE u.resolved_at IS NULL GROUP BY u.comment_id) r ON r.comment_id = c.id "
    };
}

pub const THREAD_COLS: &str = "SELECT id, site_id, key, title, url, body_text, closed, \
     published_count, created_at, NULL AS stamp FROM threads";

pub fn comment_from_row(row: &impl Columns) -> StoreResult<StoredComment> {
    let status = row.text("status")?;
    let reasons = row.text("moderation_reasons")?;
    Ok(StoredComment {
        id: CommentId(row.int("id")?),
        site_id: site_id(row.text("site_id")?)?,
        thread_id: ThreadId(row.int("thread_id")?),
        parent_id: row.opt_int("parent_id")?.map(CommentId),
        root_id: row.opt_int("root_id")?.map(CommentId),
        depth: row.int("depth")?,
        author: AuthorView {
            id: AuthorId(row.int("author_id")?),
            name: row.text("author_name")?,
            affiliation: row.opt_text("affiliation")?,
            verified: row.flag("verified")?,
        },
        body_markdown: row.text("body_markdown")?,
        body_html: row.text("body_html")?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("unknown status {status:?}")))?,
        reasons: serde_json::from_str::<Vec<Reason>>(&reasons)
            .map_err(|e| StoreError::Backend(format!("stored reasons: {e}")))?,
        moderation_version: row.text("moderation_version")?,
        abuse_score: row.opt_real("abuse_score")?.map(|v| v as f32),
        on_topic_score: row.opt_real("on_topic_score")?.map(|v| v as f32),
        edit_token_hash: row.text("edit_token_hash")?,
        votes: row.int("votes")?,
        created_at: from_ms(row.int("created_at")?),
        edited_at: row.opt_int("edited_at")?.map(from_ms),
    })
}

pub fn thread_from_row(row: &impl Columns) -> StoreResult<Thread> {
    let key = row.text("key")?;
    Ok(Thread {
        id: ThreadId(row.int("id")?),
        site_id: site_id(row.text("site_id")?)?,
        key: ThreadKey::parse(&key).map_err(|e| StoreError::Backend(format!("stored key: {e}")))?,
        title: row.text("title")?,
        url: row.opt_text("url")?,
        text: row.text("body_text")?,
        closed: row.flag("closed")?,
        published_count: row.int("published_count")?,
        created_at: from_ms(row.int("created_at")?),
        stamp: row.opt_text("stamp")?,
    })
}

pub fn site_from_row(row: &impl Columns) -> StoreResult<Site> {
    Ok(Site {
        id: site_id(row.text("id")?)?,
        name: row.text("name")?,
        allowed_origins: serde_json::from_str(&row.text("allowed_origins")?)
            .map_err(|e| StoreError::Backend(format!("stored origins: {e}")))?,
        auto_create_threads: row.flag("auto_create_threads")?,
        policy: serde_json::from_str(&row.text("policy")?)
            .map_err(|e| StoreError::Backend(format!("stored policy: {e}")))?,
        api_key_hash: row.text("api_key_hash")?,
    })
}

pub fn modlog_from_row(r: &impl Columns) -> StoreResult<ModlogEntry> {
    Ok(ModlogEntry {
        id: r.int("id")?,
        site_id: r.text("site_id")?,
        moderator: r.text("moderator")?,
        action: {
            let code = r.text("action")?;
            jirga_store::ModAction::parse(&code)
                .ok_or_else(|| StoreError::Backend(format!("unknown modlog action {code:?}")))?
        },
        comment_id: r.opt_int("comment_id")?.map(CommentId),
        author_id: r.opt_int("author_id")?.map(AuthorId),
        note: r.opt_text("note")?,
        created_at: from_ms(r.int("created_at")?),
        author_name: r.opt_text("author_name").ok().flatten(),
        excerpt: r
            .opt_text("excerpt")
            .ok()
            .flatten()
            .map(|t| excerpt(&t, 120)),
        thread_key: r.opt_text("thread_key").ok().flatten(),
        thread_url: r.opt_text("thread_url").ok().flatten(),
    })
}

/// The first `max` characters of a text, on one line, with "…" when it was cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        line
    } else {
        format!("{}…", line.chars().take(max).collect::<String>().trim_end())
    }
}

/// A new random secret: 32 bytes, hex.
pub fn random_secret() -> String {
    use std::fmt::Write;
    let bytes: [u8; 32] = rand::random();
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// An `accounts` row.
pub fn account_from_row(r: &impl Columns) -> StoreResult<jirga_store::Account> {
    Ok(jirga_store::Account {
        id: AccountId(r.int("id")?),
        email: r.opt_text("email")?,
        name: r.text("name")?,
        password_hash: r.opt_text("password_hash")?.map(jirga_domain::Secret::from),
        email_verified: r.flag("email_verified")?,
        oidc_issuer: r.opt_text("oidc_issuer")?,
        oidc_subject: r.opt_text("oidc_subject")?,
        created_at: from_ms(r.int("created_at")?),
    })
}

/// A row of `SELECT a.*, (comment count) AS comments FROM authors a`.
pub fn author_row_from_row(r: &impl Columns) -> StoreResult<jirga_store::AuthorRow> {
    Ok(jirga_store::AuthorRow {
        author: jirga_store::AuthorView {
            id: AuthorId(r.int("id")?),
            name: r.text("name")?,
            affiliation: r.opt_text("affiliation")?,
            verified: r.flag("verified")?,
        },
        email: r.opt_text("email")?,
        account_id: r.opt_int("account_id")?.map(AccountId),
        comments: r.int("comments")?,
    })
}

/// The author view of a row of `authors`.
pub fn author_from_row(r: &impl Columns) -> StoreResult<jirga_store::AuthorView> {
    Ok(jirga_store::AuthorView {
        id: AuthorId(r.int("id")?),
        name: r.text("name")?,
        affiliation: r.opt_text("affiliation")?,
        verified: r.flag("verified")?,
    })
}

/// A `LIKE` pattern (escape character `\`) matching `search` anywhere.
pub fn like_pattern(search: &str) -> String {
    let mut out = String::from("%");
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// (sites moderated, sites administered) from `moderator_sites` rows of (site, role).
pub fn split_roles(rows: Vec<(String, String)>) -> StoreResult<(Vec<SiteId>, Vec<SiteId>)> {
    let mut sites = Vec::new();
    let mut admin_of = Vec::new();
    for (site, role) in rows {
        let id = site_id(site)?;
        if role == "admin" {
            admin_of.push(id.clone());
        }
        sites.push(id);
    }
    Ok((sites, admin_of))
}
