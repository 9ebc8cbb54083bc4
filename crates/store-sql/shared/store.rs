// The Store implementation both SQL backends share, written once. It is not a module of
// jirga-store-sql: each backend crate `include!`s it after defining the names it uses, so it
// is compiled and type-checked once per database with that database's own sqlx types
// (docs/design/store.md says why this and not a generic type or sqlx's Any driver):
//
// - types `Backend` (the store: fields `events`, a `broadcast::Sender<Event>`), `DbRow`,
//   `Pool` and `Tx<'c>`;
// - `Backend::reader()` / `writer()` (the pools reads and writes go to), `announce` (send an
//   event to every instance), `stamp` (a thread's version, `None` where one process sees
//   every write), `THREAD_COLS`, and `site_list` / `text_list` / `id_list` / `author_list` (the argument
//   `in_list!` expects);
// - `ROW_LOCKS` (take row locks before recounting);
// - SQL fragments as macros, so queries stay `&'static str`: `in_list!("$n")` (membership in
//   a bound list), `same_text!(column, "$n")` (equal ignoring ASCII case), `like!()`
//   (case-insensitive LIKE), `for_update!()` (a row lock where the database has them),
//   `score_bin!()` (an abuse score's twentieth, 0..=19).
//
// Placeholders are `$n` on both: sqlx's SQLite driver reads `$n` as the n-th argument.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jirga_domain::{
    AccountId, AuthorId, CommentId, CommentStatus, Cursor, ModeratorId, ReportReason, SiteId, Sort,
    ThreadId, ThreadKey, Vote, WebhookId,
};
use jirga_store::{
    Account, AccountChange, AccountData, AccountKey, AuthorHistory, AuthorRef, AuthorRow, AuthorView, BanCheck,
    BanScope, BanState, CommentEdit, Readiness, DELETED_USER, DayStats, Event, Moderator, ModlogEntry,
    NewAccount, NewAuthor, NewComment, NewModlogEntry, NewSite, QueueItem, SCORE_BINS, ScoreBin,
    Site, SsoProfile, Store, StoreError, StoreResult, StoredComment, Thread, ThreadUpdate,
    TokenPurpose, account_voter, sso_issuer, Delivery, DeliveryOutcome, JournalEntry, NewWebhook,
    Webhook,
    WebhookFormat, ImportAuthor, Contact, NewMail, OutMail, ImportBatch, ExportAuthor, VoteRecord, ImportComment, ImportLinks, Imported,
};
use jirga_store_sql::{
    Columns, account_from_row, author_from_row, author_row_from_row, backend, comment_from_row,
    from_ms, json, like_pattern, ms, select_comments, site_from_row, thread_from_row,
};
use sqlx::Row;

/// Locks the thread's row, then recounts: the count reads a snapshot taken after the lock,
/// so two writers on one thread cannot both count without the other's comment. On
/// PostgreSQL the lock is `NO KEY UPDATE`, which does not conflict with the `KEY SHARE` locks
/// that inserting a comment (its foreign key to the thread) takes: two inserts cannot
/// deadlock on it. SQLite has one writer, so no lock is needed.
async fn refresh_count(tx: &mut Tx<'_>, thread_id: ThreadId) -> StoreResult<()> {
    if ROW_LOCKS {
        sqlx::query(concat!(
            "SELECT id FROM threads WHERE id = $1",
            for_update!()
        ))
        .bind(thread_id)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    }
    sqlx::query(
        "UPDATE threads SET published_count = \
         (SELECT COUNT(*) FROM comments WHERE thread_id = $1 AND status = 'published') WHERE id = $1",
    )
    .bind(thread_id)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

fn limit(n: u32) -> i64 {
    i64::from(n)
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A row of `webhooks` (columns `w_*` when joined with a delivery).
fn webhook_from_row(r: &DbRow, prefix: &str) -> StoreResult<Webhook> {
    let col = |c: &str| format!("{prefix}{c}");
    let format = r.text(&col("format"))?;
    Ok(Webhook {
        id: WebhookId(r.int(&col("id"))?),
        site_id: jirga_store_sql::site_id(r.text(&col("site_id"))?)?,
        url: r.text(&col("url"))?,
        secret: jirga_domain::Secret::new(r.text(&col("secret"))?),
        events: serde_json::from_str(&r.text(&col("events"))?)
            .map_err(|e| StoreError::Backend(format!("stored webhook events: {e}")))?,
        format: WebhookFormat::parse(&format)
            .ok_or_else(|| StoreError::Backend(format!("unknown webhook format {format:?}")))?,
        created_at: from_ms(r.int(&col("created_at"))?),
    })
}

/// A delivery joined with its webhook (`DELIVERY_COLS`).
fn delivery_from_row(r: &DbRow) -> StoreResult<Delivery> {
    Ok(Delivery {
        id: r.int("id")?,
        webhook: webhook_from_row(r, "w_")?,
        event_id: r.text("event_id")?,
        event: r.text("event")?,
        payload: r.text("payload")?,
        attempts: i32::try_from(r.int("attempts")?).unwrap_or(i32::MAX),
        created_at: from_ms(r.int("created_at")?),
        next_attempt_at: from_ms(r.int("next_attempt_at")?),
        delivered_at: r.opt_int("delivered_at")?.map(from_ms),
        given_up: r.flag("given_up")?,
        last_status: r.opt_int("last_status")?.and_then(|v| i32::try_from(v).ok()),
        last_error: r.opt_text("last_error")?,
        last_response: r.opt_text("last_response")?,
    })
}

/// A delivery's columns with its webhook's as `w_*`.
const DELIVERY_COLS: &str = "SELECT d.id, d.event_id, d.event, d.payload, CAST(d.attempts AS BIGINT) AS attempts, \
     d.created_at, d.next_attempt_at, d.delivered_at, d.given_up, CAST(d.last_status AS BIGINT) AS last_status, \
     d.last_error, d.last_response, w.id AS w_id, w.site_id AS w_site_id, w.url AS w_url, \
     w.secret AS w_secret, w.events AS w_events, w.format AS w_format, w.created_at AS w_created_at \
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id";

impl Backend {
    /// An outbox row (webhook delivery, mail) taken for this instance until `until`, if it is
    /// still due at `was` (no other instance moved it): `sql` sets $1 where id = $2 and the due
    /// time = $3, unfinished.
    async fn take_lease(
        &self,
        sql: &'static str,
        id: i64,
        was: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(sql)
            .bind(ms(until))
            .bind(id)
            .bind(ms(was))
            .execute(self.writer())
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn comment_on(&self, pool: &Pool, id: CommentId) -> StoreResult<Option<StoredComment>> {
        sqlx::query(select_comments!("WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(backend)?
            .as_ref()
            .map(comment_from_row)
            .transpose()
    }

    /// Comment rows, each with its thread (read once per thread).
    async fn with_threads(&self, rows: Vec<DbRow>) -> StoreResult<Vec<(StoredComment, Thread)>> {
        let mut threads: std::collections::HashMap<ThreadId, Thread> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let c = comment_from_row(row)?;
            let t = match threads.get(&c.thread_id) {
                Some(t) => t.clone(),
                None => {
                    let t = self
                        .thread_on(self.reader(), c.thread_id)
                        .await?
                        .ok_or_else(|| StoreError::NotFound(format!("thread {}", c.thread_id)))?;
                    threads.insert(c.thread_id, t.clone());
                    t
                }
            };
            out.push((c, t));
        }
        Ok(out)
    }

    async fn thread_on(&self, pool: &Pool, id: ThreadId) -> StoreResult<Option<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!("{THREAD_COLS} WHERE id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(backend)?
            .as_ref()
            .map(thread_from_row)
            .transpose()
    }

    async fn site_on(&self, pool: &Pool, id: &SiteId) -> StoreResult<Option<Site>> {
        sqlx::query("SELECT * FROM sites WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(pool)
            .await
            .map_err(backend)?
            .as_ref()
            .map(site_from_row)
            .transpose()
    }

    async fn moderator(&self, id: ModeratorId) -> StoreResult<Option<Moderator>> {
        let Some(r) = sqlx::query("SELECT * FROM moderators WHERE id = $1")
            .bind(id)
            .fetch_optional(self.reader())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let roles: Vec<(String, String)> = sqlx::query_as(
            "SELECT site_id, role FROM moderator_sites WHERE moderator_id = $1 ORDER BY site_id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        let (sites, admin_of) = jirga_store_sql::split_roles(roles)?;
        Ok(Some(Moderator {
            id,
            email: r.try_get("email").map_err(backend)?,
            name: r.try_get("name").map_err(backend)?,
            password_hash: jirga_domain::Secret::new(
                r.try_get::<String, _>("password_hash").map_err(backend)?,
            ),
            sites,
            admin_of,
            digest_hours: r.try_get::<i32, _>("digest_hours").map_err(backend)?.into(),
        }))
    }

    async fn queue_items(&self, rows: Vec<DbRow>) -> StoreResult<Vec<QueueItem>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let comment = comment_from_row(row)?;
            let thread = self.thread_on(self.reader(), comment.thread_id).await?;
            let parent = match comment.parent_id {
                Some(p) => self.comment_on(self.reader(), p).await?,
                None => None,
            };
            let reports = sqlx::query(
                "SELECT reason, COUNT(*) AS n FROM reports WHERE comment_id = $1 AND resolved_at IS NULL \
                 GROUP BY reason ORDER BY n DESC, reason",
            )
            .bind(comment.id)
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(|r| Ok((r.try_get("reason").map_err(backend)?, r.try_get("n").map_err(backend)?)))
            .collect::<StoreResult<_>>()?;
            let h = sqlx::query(
                "SELECT \
                   COALESCE(SUM(CASE WHEN c.status = 'published' THEN 1 ELSE 0 END), 0) AS published, \
                   COALESCE(SUM(CASE WHEN c.status = 'held' THEN 1 ELSE 0 END), 0) AS held, \
                   COALESCE(SUM(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END), 0) AS rejected, \
                   (SELECT COUNT(*) FROM reports r JOIN comments rc ON rc.id = r.comment_id \
                     WHERE rc.author_id = $1) AS reports, \
                   (SELECT COUNT(*) FROM bans b WHERE b.author_id = $1) AS bans \
                 FROM comments c WHERE c.author_id = $1",
            )
            .bind(comment.author.id)
            .fetch_one(self.reader())
            .await
            .map_err(backend)?;
            let history = AuthorHistory {
                published: h.int("published")?,
                held: h.int("held")?,
                rejected: h.int("rejected")?,
                reports: h.int("reports")?,
                bans: h.int("bans")?,
            };
            out.push(QueueItem {
                history,
                thread_title: thread.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
                thread_url: thread.as_ref().and_then(|t| t.url.clone()),
                thread_key: thread.map(|t| t.key.to_string()).unwrap_or_default(),
                comment,
                parent,
                reports,
            });
        }
        Ok(out)
    }
}

/// A moderator's decision on a comment: its new status, its reports resolved, its thread's
/// count recomputed.
async fn set_status(tx: &mut Tx<'_>, comment_id: CommentId, status: CommentStatus) -> StoreResult<()> {
    let thread_id: ThreadId =
        sqlx::query_scalar("UPDATE comments SET status = $1 WHERE id = $2 RETURNING thread_id")
            .bind(status.as_str())
            .bind(comment_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))?;
    resolve_reports(tx, comment_id).await?;
    refresh_count(tx, thread_id).await
}

async fn resolve_reports(tx: &mut Tx<'_>, comment_id: CommentId) -> StoreResult<()> {
    sqlx::query(
        "UPDATE reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL",
    )
    .bind(ms(Utc::now()))
    .bind(comment_id)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Notes a change webhooks may be told of, in the transaction that makes it, when the
/// comment's site has webhooks: a crash just after the commit cannot lose the event.
async fn journal(
    tx: &mut Tx<'_>,
    event: &str,
    comment_id: CommentId,
    detail: Option<String>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO webhook_journal (site_id, event, comment_id, detail, created_at) \
         SELECT t.site_id, $1, c.id, $2, $3 FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.id = $4 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.site_id = t.site_id)",
    )
    .bind(event)
    .bind(detail)
    .bind(ms(Utc::now()))
    .bind(comment_id)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// A moderator's action, as the journal keeps it.
fn action_detail(e: &NewModlogEntry) -> StoreResult<Option<String>> {
    json(&serde_json::json!({"action": {
        "kind": e.action.as_str(), "moderator": e.moderator, "note": e.note,
    }}))
    .map(Some)
}

async fn insert_log(tx: &mut Tx<'_>, e: &NewModlogEntry) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO modlog (site_id, moderator_id, moderator, action, comment_id, author_id, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.site_id.as_str())
    .bind(e.moderator_id)
    .bind(&e.moderator)
    .bind(e.action.as_str())
    .bind(e.comment_id)
    .bind(e.author_id)
    .bind(&e.note)
    .bind(ms(Utc::now()))
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl Store for Backend {
    async fn publish(&self, event: &Event) -> StoreResult<()> {
        self.announce(event).await
    }

    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    async fn thread_stamp(&self, thread_id: ThreadId) -> StoreResult<Option<String>> {
        self.stamp(thread_id).await
    }

    async fn readiness(&self) -> StoreResult<Readiness> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(self.reader())
                .await
                .map_err(backend)?;
        Ok(Readiness {
            expected: MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0),
            applied,
        })
    }

    fn pool_stats(&self) -> Vec<(&'static str, u32, usize)> {
        self.pools()
            .into_iter()
            .map(|(name, pool)| (name, pool.size(), pool.num_idle()))
            .collect()
    }

    async fn held_count(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE status = 'held'")
            .fetch_one(self.reader())
            .await
            .map_err(backend)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn sites(&self) -> StoreResult<Vec<Site>> {
        sqlx::query("SELECT * FROM sites ORDER BY id")
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(site_from_row)
            .collect()
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        self.site_on(self.reader(), id).await
    }

    async fn create_site(&self, site: NewSite) -> StoreResult<Site> {
        sqlx::query(
            "INSERT INTO sites (id, name, allowed_origins, auto_create_threads, policy, api_key_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(site.id.as_str())
        .bind(&site.name)
        .bind(json(&site.allowed_origins)?)
        .bind(site.auto_create_threads)
        .bind(json(&site.policy)?)
        .bind(&site.api_key_hash)
        .bind(ms(Utc::now()))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        self.site_on(self.writer(), &site.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("site {}", site.id)))
    }

    async fn update_site(&self, site: NewSite) -> StoreResult<Site> {
        let done = sqlx::query(
            "UPDATE sites SET name = $1, allowed_origins = $2, auto_create_threads = $3, policy = $4 WHERE id = $5",
        )
        .bind(&site.name)
        .bind(json(&site.allowed_origins)?)
        .bind(site.auto_create_threads)
        .bind(json(&site.policy)?)
        .bind(site.id.as_str())
        .execute(self.writer())
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("site {}", site.id)));
        }
        self.site_on(self.writer(), &site.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("site {}", site.id)))
    }

    async fn thread(&self, site: &SiteId, key: &ThreadKey) -> StoreResult<Option<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{THREAD_COLS} WHERE site_id = $1 AND key = $2"
        )))
        .bind(site.as_str())
        .bind(key.as_str())
        .fetch_optional(self.reader())
        .await
        .map_err(backend)?
        .as_ref()
        .map(thread_from_row)
        .transpose()
    }

    async fn thread_by_id(&self, id: ThreadId) -> StoreResult<Option<Thread>> {
        self.thread_on(self.reader(), id).await
    }

    async fn recent_threads(&self, site: &SiteId, n: u32) -> StoreResult<Vec<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{THREAD_COLS} WHERE site_id = $1 AND (title != '' OR body_text != '') \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        )))
        .bind(site.as_str())
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(thread_from_row)
        .collect()
    }

    async fn put_thread(
        &self,
        site: &SiteId,
        key: &ThreadKey,
        update: ThreadUpdate,
    ) -> StoreResult<Thread> {
        let id: ThreadId = sqlx::query_scalar(
            "INSERT INTO threads AS t (site_id, key, title, url, body_text, closed, created_at) \
             VALUES ($1, $2, COALESCE($3, ''), $4, COALESCE($5, ''), COALESCE($6, FALSE), $7) \
             ON CONFLICT (site_id, key) DO UPDATE SET \
               title = COALESCE($3, t.title), url = COALESCE($4, t.url), \
               body_text = COALESCE($5, t.body_text), closed = COALESCE($6, t.closed) \
             RETURNING id",
        )
        .bind(site.as_str())
        .bind(key.as_str())
        .bind(update.title)
        .bind(update.url)
        .bind(update.text)
        .bind(update.closed)
        .bind(ms(Utc::now()))
        .fetch_one(self.writer())
        .await
        .map_err(backend)?;
        self.thread_on(self.writer(), id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("thread {id}")))
    }

    async fn counts(
        &self,
        site: &SiteId,
        keys: &[ThreadKey],
    ) -> StoreResult<Vec<(ThreadKey, i64)>> {
        let keys: Vec<String> = keys.iter().map(|k| k.as_str().to_owned()).collect();
        let rows = sqlx::query(concat!(
            "SELECT key, published_count FROM threads WHERE site_id = $1 AND key ",
            in_list!("$2")
        ))
        .bind(site.as_str())
        .bind(text_list(keys)?)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                let key: String = r.try_get("key").map_err(backend)?;
                let key = ThreadKey::parse(&key).map_err(|e| StoreError::Backend(e.to_string()))?;
                Ok((key, r.try_get("published_count").map_err(backend)?))
            })
            .collect()
    }

    async fn create_author(&self, author: NewAuthor) -> StoreResult<AuthorId> {
        sqlx::query_scalar(
            "INSERT INTO authors (site_id, name, email, affiliation, verified, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(author.site_id.as_str())
        .bind(&author.name)
        .bind(&author.email)
        .bind(&author.affiliation)
        .bind(author.verified)
        .bind(ms(Utc::now()))
        .fetch_one(self.writer())
        .await
        .map_err(backend)
    }

    async fn verified_name_taken(&self, site: &SiteId, name: &str) -> StoreResult<bool> {
        sqlx::query_scalar(concat!(
            "SELECT EXISTS (SELECT 1 FROM authors WHERE site_id = $1 AND ",
            same_text!("name", "$2"),
            " AND verified)"
        ))
        .bind(site.as_str())
        .bind(name)
        .fetch_one(self.reader())
        .await
        .map_err(backend)
    }

    async fn insert_comment(&self, c: NewComment) -> StoreResult<StoredComment> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let site: String = sqlx::query_scalar("SELECT site_id FROM threads WHERE id = $1")
            .bind(c.thread_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::NotFound(format!("thread {}", c.thread_id)))?;
        let author_id: AuthorId = match c.author {
            AuthorRef::Existing(id) => id,
            AuthorRef::Guest { name, email } => {
                let existing: Option<AuthorId> = match &email {
                    Some(email) => sqlx::query_scalar(
                        "SELECT id FROM authors WHERE site_id = $1 AND name = $2 AND email = $3 \
                         AND NOT verified AND affiliation IS NULL AND account_id IS NULL ORDER BY id LIMIT 1",
                    )
                    .bind(&site)
                    .bind(&name)
                    .bind(email)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?,
                    None => None,
                };
                match existing {
                    Some(id) => id,
                    None => sqlx::query_scalar(
                        "INSERT INTO authors (site_id, name, email, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(&site)
                    .bind(&name)
                    .bind(&email)
                    .bind(ms(c.created_at))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend)?,
                }
            }
        };
        let (root_id, depth) = match c.parent_id {
            None => (None, 0),
            Some(parent) => {
                let row =
                    sqlx::query("SELECT id, root_id, depth, thread_id FROM comments WHERE id = $1")
                        .bind(parent)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend)?
                        .ok_or_else(|| StoreError::NotFound(format!("comment {parent}")))?;
                let parent_thread: ThreadId = row.try_get("thread_id").map_err(backend)?;
                if parent_thread != c.thread_id {
                    return Err(StoreError::Conflict("parent is in another thread".into()));
                }
                let root: Option<CommentId> = row.try_get("root_id").map_err(backend)?;
                let depth: i64 = row.try_get("depth").map_err(backend)?;
                (Some(root.unwrap_or(parent)), depth + 1)
            }
        };
        let id: CommentId = sqlx::query_scalar(
            "INSERT INTO comments (thread_id, parent_id, root_id, depth, author_id, body_markdown, body_html, \
             status, moderation_reasons, moderation_version, abuse_score, on_topic_score, edit_token_hash, created_at, text_hash, ip_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(c.thread_id)
        .bind(c.parent_id)
        .bind(root_id)
        .bind(depth)
        .bind(author_id)
        .bind(&c.body_markdown)
        .bind(&c.body_html)
        .bind(c.moderated.status.as_str())
        .bind(json(&c.moderated.reasons)?)
        .bind(&c.moderated.version)
        .bind(c.moderated.abuse.map(f64::from))
        .bind(c.moderated.on_topic.map(f64::from))
        .bind(&c.edit_token_hash)
        .bind(ms(c.created_at))
        .bind(&c.text_hash)
        .bind(&c.ip_hash)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        refresh_count(&mut tx, c.thread_id).await?;
        let event = match c.moderated.status {
            CommentStatus::Published => "comment.published",
            CommentStatus::Held => "comment.held",
            _ => "comment.rejected",
        };
        journal(&mut tx, event, id, None).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(self.writer(), id)
            .await?
            .ok_or_else(|| StoreError::Backend("comment vanished after insert".into()))
    }

    async fn comment(&self, id: CommentId) -> StoreResult<Option<StoredComment>> {
        self.comment_on(self.reader(), id).await
    }

    async fn edit_comment(&self, id: CommentId, edit: CommentEdit) -> StoreResult<StoredComment> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let thread_id: ThreadId = sqlx::query_scalar(
            "UPDATE comments SET body_markdown = $1, body_html = $2, status = $3, moderation_reasons = $4, \
             moderation_version = $5, abuse_score = $6, on_topic_score = $7, edited_at = $8, text_hash = $9 \
             WHERE id = $10 RETURNING thread_id",
        )
        .bind(&edit.body_markdown)
        .bind(&edit.body_html)
        .bind(edit.moderated.status.as_str())
        .bind(json(&edit.moderated.reasons)?)
        .bind(&edit.moderated.version)
        .bind(edit.moderated.abuse.map(f64::from))
        .bind(edit.moderated.on_topic.map(f64::from))
        .bind(ms(edit.edited_at))
        .bind(&edit.text_hash)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))?;
        refresh_count(&mut tx, thread_id).await?;
        journal(&mut tx, "comment.edited", id, None).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(self.writer(), id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))
    }

    async fn delete_comment(&self, id: CommentId, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let thread_id: ThreadId = sqlx::query_scalar(
            "UPDATE comments SET status = 'deleted', body_markdown = '', body_html = '', edited_at = $1 \
             WHERE id = $2 RETURNING thread_id",
        )
        .bind(ms(at))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))?;
        refresh_count(&mut tx, thread_id).await?;
        journal(&mut tx, "comment.deleted", id, None).await?;
        tx.commit().await.map_err(backend)
    }

    async fn top_level_page(
        &self,
        thread_id: ThreadId,
        sort: Sort,
        after: Option<Cursor>,
        n: u32,
    ) -> StoreResult<Vec<StoredComment>> {
        macro_rules! page {
            ($cond:literal, $order:literal) => {
                select_comments!(
                    "WHERE c.thread_id = $1 AND c.parent_id IS NULL \
                     AND (c.status = 'published' OR EXISTS \
                          (SELECT 1 FROM comments d WHERE d.root_id = c.id AND d.status = 'published')) \
                     AND (CAST($2 AS BIGINT) IS NULL OR ",
                    $cond,
                    ") ORDER BY ",
                    $order,
                    " LIMIT $4"
                )
            };
        }
        let sql = match sort {
            Sort::Oldest => page!("(c.created_at, c.id) > ($2, $3)", "c.created_at, c.id"),
            Sort::Newest => page!(
                "(c.created_at, c.id) < ($2, $3)",
                "c.created_at DESC, c.id DESC"
            ),
            Sort::Top => page!(
                "(c.votes < $2 OR (c.votes = $2 AND c.id > $3))",
                "c.votes DESC, c.id"
            ),
        };
        let after = after.filter(|c| c.sort == sort);
        sqlx::query(sql)
            .bind(thread_id)
            .bind(after.map(|c| c.key))
            .bind(after.map(|c| c.id))
            .bind(limit(n))
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(comment_from_row)
            .collect()
    }

    async fn under_roots(&self, root_ids: &[CommentId]) -> StoreResult<Vec<StoredComment>> {
        if root_ids.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query(select_comments!(
            "WHERE c.root_id ",
            in_list!("$1"),
            " ORDER BY c.created_at, c.id"
        ))
        .bind(id_list(root_ids)?)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect()
    }

    async fn vote(&self, comment_id: CommentId, voter: &str, vote: Vote) -> StoreResult<i64> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        // The comment's row lock orders concurrent votes, so each total sees the others.
        sqlx::query(concat!(
            "SELECT id FROM comments WHERE id = $1",
            for_update!()
        ))
        .bind(comment_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))?;
        if vote == Vote::Clear {
            sqlx::query("DELETE FROM votes WHERE comment_id = $1 AND voter = $2")
                .bind(comment_id)
                .bind(voter)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        } else {
            sqlx::query(
                "INSERT INTO votes (comment_id, voter, value, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value",
            )
            .bind(comment_id)
            .bind(voter)
            .bind(vote.value() as i32)
            .bind(ms(Utc::now()))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        let total: i64 = sqlx::query_scalar(
            "UPDATE comments SET votes = (SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) FROM votes WHERE comment_id = $1) \
             WHERE id = $1 RETURNING votes",
        )
        .bind(comment_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(total)
    }

    async fn report(
        &self,
        comment_id: CommentId,
        reporter: &str,
        reason: ReportReason,
        note: Option<String>,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let done = sqlx::query(
            "INSERT INTO reports (comment_id, reporter, reason, note, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (comment_id, reporter) DO NOTHING",
        )
        .bind(comment_id)
        .bind(reporter)
        .bind(reason.as_str())
        .bind(note)
        .bind(ms(Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let new = done.rows_affected() == 1;
        if new {
            let detail = json(&serde_json::json!({"report": {"reason": reason.as_str()}}))?;
            journal(&mut tx, "comment.reported", comment_id, Some(detail)).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(new)
    }

    async fn secret(&self, name: &str) -> StoreResult<String> {
        sqlx::query(
            "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(jirga_store_sql::random_secret())
        .execute(self.writer())
        .await
        .map_err(backend)?;
        sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
            .bind(name)
            .fetch_one(self.writer())
            .await
            .map_err(backend)
    }

    async fn retire_secrets(&self, prefix: &str, keep: &str) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM secrets WHERE substr(name, 1, length($1)) = $1 AND name != $2",
        )
        .bind(prefix)
        .bind(keep)
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn guest_author(
        &self,
        site: &SiteId,
        name: &str,
        email: &str,
    ) -> StoreResult<Option<AuthorId>> {
        sqlx::query_scalar(
            "SELECT id FROM authors WHERE site_id = $1 AND name = $2 AND email = $3 AND NOT verified \
             AND affiliation IS NULL AND account_id IS NULL ORDER BY id LIMIT 1",
        )
        .bind(site.as_str())
        .bind(name)
        .bind(email)
        .fetch_optional(self.reader())
        .await
        .map_err(backend)
    }

    async fn ban_state(
        &self,
        site: &SiteId,
        who: BanCheck<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<BanState> {
        // A plain ban wins over a shadow-ban: all shadow = true.
        let least: Option<i64> = sqlx::query_scalar(concat!(
            "SELECT CAST(MIN(CASE WHEN shadow THEN 1 ELSE 0 END) AS BIGINT) FROM bans WHERE site_id = $1 AND (until IS NULL OR until > $2) \
             AND (author_id = $3 OR ",
            same_text!("email", "$4"),
            " OR ip_hash = $5)"
        ))
        .bind(site.as_str())
        .bind(ms(now))
        .bind(who.author_id)
        .bind(who.email)
        .bind(who.ip_hash)
        .fetch_one(self.reader())
        .await
        .map_err(backend)?;
        Ok(match least {
            None => BanState::None,
            Some(0) => BanState::Banned,
            Some(_) => BanState::Shadow,
        })
    }

    async fn author_published(&self, author_id: AuthorId) -> StoreResult<u32> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments WHERE author_id = $1 AND status = 'published'",
        )
        .bind(author_id)
        .fetch_one(self.reader())
        .await
        .map_err(backend)?;
        Ok(count(n))
    }

    async fn same_text_count(
        &self,
        site: &SiteId,
        text_hash: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<u32> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE c.text_hash = $1 AND c.created_at >= $2 AND t.site_id = $3 AND c.status != 'deleted'",
        )
        .bind(text_hash)
        .bind(ms(since))
        .bind(site.as_str())
        .fetch_one(self.reader())
        .await
        .map_err(backend)?;
        Ok(count(n))
    }

    async fn create_moderator(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        sites: &[SiteId],
    ) -> StoreResult<ModeratorId> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let id: ModeratorId = sqlx::query_scalar(
            "INSERT INTO moderators (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(ms(Utc::now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        for site in sites {
            sqlx::query("INSERT INTO moderator_sites (moderator_id, site_id) VALUES ($1, $2)")
                .bind(id)
                .bind(site.as_str())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(id)
    }

    async fn moderator_by_email(&self, email: &str) -> StoreResult<Option<Moderator>> {
        let id: Option<ModeratorId> = sqlx::query_scalar(concat!(
            "SELECT id FROM moderators WHERE ",
            same_text!("email", "$1")
        ))
        .bind(email)
        .fetch_optional(self.reader())
        .await
        .map_err(backend)?;
        match id {
            Some(id) => self.moderator(id).await,
            None => Ok(None),
        }
    }

    async fn create_session(
        &self,
        token_hash: &str,
        moderator_id: ModeratorId,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, moderator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(moderator_id)
        .bind(ms(Utc::now()))
        .bind(ms(expires_at))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn session_moderator(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Moderator>> {
        let id: Option<ModeratorId> = sqlx::query_scalar(
            "SELECT moderator_id FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(self.reader())
        .await
        .map_err(backend)?;
        match id {
            Some(id) => self.moderator(id).await,
            None => Ok(None),
        }
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.writer())
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn grant_admin(&self, moderator_id: ModeratorId, site: &SiteId) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO moderator_sites (moderator_id, site_id, role) VALUES ($1, $2, 'admin') \
             ON CONFLICT (moderator_id, site_id) DO UPDATE SET role = 'admin'",
        )
        .bind(moderator_id)
        .bind(site.as_str())
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn site_authors(
        &self,
        site: &SiteId,
        search: &str,
        n: u32,
    ) -> StoreResult<Vec<AuthorRow>> {
        let pattern = like_pattern(search);
        let rows = sqlx::query(concat!(
            "SELECT a.*, (SELECT COUNT(*) FROM comments c WHERE c.author_id = a.id) AS comments \
             FROM authors a WHERE a.site_id = $1 \
             AND ($2 = '' OR a.name ",
            like!(),
            " $3 ESCAPE '\\' OR a.email ",
            like!(),
            " $4 ESCAPE '\\') ORDER BY comments DESC, a.id LIMIT $5"
        ))
        .bind(site.as_str())
        .bind(search)
        .bind(&pattern)
        .bind(&pattern)
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        rows.iter().map(author_row_from_row).collect()
    }

    async fn set_badges(
        &self,
        site: &SiteId,
        author_id: AuthorId,
        affiliation: Option<String>,
        verified: bool,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE authors SET affiliation = $1, verified = $2 WHERE id = $3 AND site_id = $4",
        )
        .bind(affiliation)
        .bind(verified)
        .bind(author_id)
        .bind(site.as_str())
        .execute(self.writer())
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("author {author_id}")));
        }
        Ok(())
    }

    async fn create_account(&self, a: NewAccount) -> StoreResult<Account> {
        let (issuer, subject) = a.oidc.unzip();
        let row = sqlx::query(
            "INSERT INTO accounts (email, name, password_hash, email_verified, oidc_issuer, oidc_subject, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
        )
        .bind(&a.email)
        .bind(&a.name)
        .bind(a.password_hash.as_ref().map(jirga_domain::Secret::expose))
        .bind(a.email_verified)
        .bind(issuer)
        .bind(subject)
        .bind(ms(Utc::now()))
        .fetch_one(self.writer())
        .await
        .map_err(backend)?;
        account_from_row(&row)
    }

    async fn account(&self, key: AccountKey<'_>) -> StoreResult<Option<Account>> {
        let q = match key {
            AccountKey::Id(id) => sqlx::query("SELECT * FROM accounts WHERE id = $1").bind(id),
            AccountKey::Email(email) => sqlx::query(concat!(
                "SELECT * FROM accounts WHERE ",
                same_text!("email", "$1")
            ))
            .bind(email),
            AccountKey::Oidc { issuer, subject } => {
                sqlx::query("SELECT * FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2")
                    .bind(issuer)
                    .bind(subject)
            }
        };
        q.fetch_optional(self.writer())
            .await
            .map_err(backend)?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn update_account(&self, id: AccountId, change: AccountChange) -> StoreResult<()> {
        sqlx::query(
            "UPDATE accounts SET password_hash = COALESCE($1, password_hash), \
             email_verified = COALESCE($2, email_verified) WHERE id = $3",
        )
        .bind(change.password_hash.as_ref().map(jirga_domain::Secret::expose))
        .bind(change.email_verified)
        .bind(id)
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn account_author(&self, site: &SiteId, account: &Account) -> StoreResult<AuthorView> {
        let find = || {
            sqlx::query("SELECT * FROM authors WHERE site_id = $1 AND account_id = $2")
                .bind(site.as_str())
                .bind(account.id)
                .fetch_optional(self.writer())
        };
        if let Some(row) = find().await.map_err(backend)? {
            return author_from_row(&row);
        }
        let made = sqlx::query(
            "INSERT INTO authors (site_id, name, email, created_at, account_id) VALUES ($1, $2, $3, $4, $5) RETURNING *",
        )
        .bind(site.as_str())
        .bind(&account.name)
        .bind(&account.email)
        .bind(ms(Utc::now()))
        .bind(account.id)
        .fetch_one(self.writer())
        .await
        .map_err(backend);
        match made {
            Ok(row) => author_from_row(&row),
            // Made meanwhile by a concurrent request.
            Err(StoreError::Conflict(_)) => author_from_row(
                &find()
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::Backend("author record vanished".into()))?,
            ),
            Err(e) => Err(e),
        }
    }

    async fn sso_account(
        &self,
        site: &SiteId,
        p: SsoProfile,
    ) -> StoreResult<(Account, AuthorView)> {
        let issuer = sso_issuer(site);
        let iat = ms(p.issued_at);
        let mut tx = self.writer().begin().await.map_err(backend)?;
        // The address goes with the account only while no other account has it.
        let email = match &p.email {
            Some(e) => {
                let taken: Option<AccountId> = sqlx::query_scalar(concat!(
                    "SELECT id FROM accounts WHERE ",
                    same_text!("email", "$1"),
                    " AND (oidc_issuer IS NULL OR oidc_issuer <> $2 OR oidc_subject <> $3)"
                ))
                .bind(e)
                .bind(&issuer)
                .bind(&p.subject)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?;
                taken.is_none().then(|| e.clone())
            }
            None => None,
        };
        let existing = sqlx::query(concat!(
            "SELECT id, profile_iat FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2",
            for_update!()
        ))
        .bind(&issuer)
        .bind(&p.subject)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        let (account_id, newer) = match existing {
            None => {
                let id: AccountId = sqlx::query_scalar(
                    "INSERT INTO accounts (email, name, password_hash, email_verified, oidc_issuer, oidc_subject, created_at, profile_iat) \
                     VALUES ($1, $2, NULL, TRUE, $3, $4, $5, $6) RETURNING id",
                )
                .bind(&email)
                .bind(&p.name)
                .bind(&issuer)
                .bind(&p.subject)
                .bind(ms(Utc::now()))
                .bind(iat)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend)?;
                (id, true)
            }
            Some(row) => {
                let id: AccountId = row.try_get("id").map_err(backend)?;
                let last: Option<i64> = row.try_get("profile_iat").map_err(backend)?;
                let newer = last.is_none_or(|last| iat > last);
                if newer {
                    sqlx::query(
                        "UPDATE accounts SET name = $1, email = $2, email_verified = TRUE, profile_iat = $3 WHERE id = $4",
                    )
                    .bind(&p.name)
                    .bind(&email)
                    .bind(iat)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                }
                (id, newer)
            }
        };
        let author = sqlx::query("SELECT * FROM authors WHERE site_id = $1 AND account_id = $2")
            .bind(site.as_str())
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        let author = match author {
            None => sqlx::query(
                "INSERT INTO authors (site_id, name, email, affiliation, verified, created_at, account_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
            )
            .bind(site.as_str())
            .bind(&p.name)
            .bind(&email)
            .bind(&p.affiliation)
            .bind(p.verified)
            .bind(ms(Utc::now()))
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?,
            Some(row) if newer => sqlx::query(
                "UPDATE authors SET name = $1, email = $2, affiliation = $3, verified = $4 WHERE id = $5 RETURNING *",
            )
            .bind(&p.name)
            .bind(&email)
            .bind(&p.affiliation)
            .bind(p.verified)
            .bind(AuthorId(row.int("id")?))
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?,
            Some(row) => row,
        };
        let account = sqlx::query("SELECT * FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok((account_from_row(&account)?, author_from_row(&author)?))
    }

    async fn revoke_token(
        &self,
        site: &SiteId,
        jti: &str,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // Revocations of tokens that have expired anyway are dropped on the way.
        sqlx::query("DELETE FROM revoked_tokens WHERE expires_at < $1")
            .bind(ms(Utc::now()))
            .execute(self.writer())
            .await
            .map_err(backend)?;
        let done = sqlx::query(
            "INSERT INTO revoked_tokens (site_id, jti, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, jti) DO NOTHING",
        )
        .bind(site.as_str())
        .bind(jti)
        .bind(ms(until))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn token_revoked(&self, site: &SiteId, jti: &str) -> StoreResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT expires_at FROM revoked_tokens WHERE site_id = $1 AND jti = $2")
                .bind(site.as_str())
                .bind(jti)
                .fetch_optional(self.reader())
                .await
                .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn create_account_token(
        &self,
        token_hash: &str,
        account_id: AccountId,
        purpose: TokenPurpose,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(purpose.as_str())
        .bind(ms(expires_at))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn take_account_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<AccountId>> {
        let row = sqlx::query(
            "DELETE FROM account_tokens WHERE token_hash = $1 AND purpose = $2 RETURNING account_id, expires_at",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(self.writer())
        .await
        .map_err(backend)?;
        match row {
            Some(r) if r.try_get::<i64, _>("expires_at").map_err(backend)? > ms(now) => {
                Ok(Some(r.try_get("account_id").map_err(backend)?))
            }
            _ => Ok(None),
        }
    }

    async fn create_account_session(
        &self,
        token_hash: &str,
        account_id: AccountId,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO account_sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(ms(Utc::now()))
        .bind(ms(expires_at))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn session_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Account>> {
        sqlx::query(
            "SELECT a.* FROM account_sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(self.reader())
        .await
        .map_err(backend)?
        .as_ref()
        .map(account_from_row)
        .transpose()
    }

    async fn end_account_sessions(
        &self,
        account_id: AccountId,
        token_hash: Option<&str>,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM account_sessions WHERE account_id = $1 AND ($2 IS NULL OR token_hash = $3)",
        )
        .bind(account_id)
        .bind(token_hash)
        .bind(token_hash)
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn account_data(&self, account_id: AccountId) -> StoreResult<Option<AccountData>> {
        let Some(account) = self.account(AccountKey::Id(account_id)).await? else {
            return Ok(None);
        };
        let authors = sqlx::query("SELECT * FROM authors WHERE account_id = $1 ORDER BY id")
            .bind(account_id)
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(|r| {
                Ok((
                    jirga_store_sql::site_id(r.text("site_id")?)?,
                    author_from_row(r)?,
                ))
            })
            .collect::<StoreResult<_>>()?;
        let comments = sqlx::query(select_comments!("WHERE a.account_id = $1 ORDER BY c.id"))
            .bind(account_id)
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(comment_from_row)
            .collect::<StoreResult<_>>()?;
        let voter = account_voter(account_id);
        let votes = sqlx::query(
            "SELECT comment_id, CAST(value AS BIGINT) AS value, created_at FROM votes WHERE voter = $1 ORDER BY created_at",
        )
        .bind(&voter)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(|r| Ok((CommentId(r.int("comment_id")?), r.int("value")?, from_ms(r.int("created_at")?))))
        .collect::<StoreResult<_>>()?;
        let reports = sqlx::query(
            "SELECT comment_id, reason, note, created_at FROM reports WHERE reporter = $1 ORDER BY id",
        )
        .bind(&voter)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(|r| {
            Ok((
                CommentId(r.int("comment_id")?),
                r.text("reason")?,
                r.opt_text("note")?,
                from_ms(r.int("created_at")?),
            ))
        })
        .collect::<StoreResult<_>>()?;
        let sessions = sqlx::query(
            "SELECT created_at, expires_at FROM account_sessions WHERE account_id = $1 ORDER BY created_at",
        )
        .bind(account_id)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(|r| Ok((from_ms(r.int("created_at")?), from_ms(r.int("expires_at")?))))
        .collect::<StoreResult<_>>()?;
        Ok(Some(AccountData {
            account,
            authors,
            comments,
            votes,
            reports,
            sessions,
        }))
    }

    async fn delete_account(
        &self,
        account_id: AccountId,
        remove_on: &[SiteId],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredComment>> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let removed: Vec<StoredComment> = sqlx::query(select_comments!(
            "WHERE a.account_id = $1 AND c.status != 'deleted' \
             AND t.site_id ",
            in_list!("$2"),
            " ORDER BY c.id"
        ))
        .bind(account_id)
        .bind(site_list(remove_on)?)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect::<StoreResult<_>>()?;
        let mut threads = std::collections::BTreeSet::new();
        for c in &removed {
            sqlx::query(
                "UPDATE comments SET status = 'deleted', body_markdown = '', body_html = '', edited_at = $1 WHERE id = $2",
            )
            .bind(ms(at))
            .bind(c.id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            threads.insert(c.thread_id);
        }
        for thread in threads {
            refresh_count(&mut tx, thread).await?;
        }
        sqlx::query(
            "UPDATE authors SET name = $1, email = NULL, affiliation = NULL, verified = FALSE, account_id = NULL \
             WHERE account_id = $2",
        )
        .bind(DELETED_USER)
        .bind(account_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        // Votes and reports stay counted, no longer linked to anyone.
        let gone = format!("gone:{}", jirga_store_sql::random_secret());
        let voter = account_voter(account_id);
        for sql in [
            "UPDATE votes SET voter = $1 WHERE voter = $2",
            "UPDATE reports SET reporter = $1 WHERE reporter = $2",
        ] {
            sqlx::query(sql)
                .bind(&gone)
                .bind(&voter)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        for sql in [
            "DELETE FROM account_sessions WHERE account_id = $1",
            "DELETE FROM account_tokens WHERE account_id = $1",
            "DELETE FROM accounts WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(account_id)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(removed)
    }

    async fn held_queue(&self, sites: &[SiteId], n: u32) -> StoreResult<Vec<QueueItem>> {
        let rows = sqlx::query(select_comments!(
            "WHERE c.status = 'held' AND t.site_id ",
            in_list!("$1"),
            " ORDER BY c.created_at, c.id LIMIT $2"
        ))
        .bind(site_list(sites)?)
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        self.queue_items(rows).await
    }

    async fn report_queue(&self, sites: &[SiteId], n: u32) -> StoreResult<Vec<QueueItem>> {
        let rows = sqlx::query(select_comments!(
            jirga_store_sql::weighted_reports!(),
            "WHERE c.status = 'published' AND t.site_id ",
            in_list!("$1"),
            " ORDER BY r.n DESC, c.id LIMIT $2"
        ))
        .bind(site_list(sites)?)
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        self.queue_items(rows).await
    }

    async fn moderate(
        &self,
        comment_id: CommentId,
        status: CommentStatus,
        entry: NewModlogEntry,
    ) -> StoreResult<StoredComment> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        set_status(&mut tx, comment_id, status).await?;
        insert_log(&mut tx, &entry).await?;
        journal(&mut tx, "moderator.action", comment_id, action_detail(&entry)?).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(self.writer(), comment_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))
    }

    async fn appeal(&self, comment_id: CommentId, reasons: &[jirga_domain::Reason]) -> StoreResult<StoredComment> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let thread: Option<ThreadId> = sqlx::query_scalar(
            "UPDATE comments SET status = 'held', moderation_reasons = $1 \
             WHERE id = $2 AND status = 'rejected' RETURNING thread_id",
        )
        .bind(json(reasons)?)
        .bind(comment_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        if thread.is_none() {
            return Err(StoreError::Conflict(format!("comment {comment_id} is not rejected")));
        }
        tx.commit().await.map_err(backend)?;
        self.comment_on(self.writer(), comment_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))
    }

    async fn dismiss_reports(&self, comment_id: CommentId, entry: NewModlogEntry) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        resolve_reports(&mut tx, comment_id).await?;
        insert_log(&mut tx, &entry).await?;
        journal(&mut tx, "moderator.action", comment_id, action_detail(&entry)?).await?;
        tx.commit().await.map_err(backend)
    }

    async fn ban(
        &self,
        comment_id: CommentId,
        scope: BanScope,
        until: Option<DateTime<Utc>>,
        entry: NewModlogEntry,
        reject: NewModlogEntry,
    ) -> StoreResult<StoredComment> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let done = sqlx::query(
            "INSERT INTO bans (site_id, author_id, until, created_at, email, ip_hash, shadow) \
             SELECT t.site_id, c.author_id, $1, $2, \
                    CASE WHEN $3 OR EXISTS (SELECT 1 FROM mail_readers r WHERE r.author_id = a.id \
                                            AND r.confirmed_at IS NOT NULL) THEN a.email END, \
                    CASE WHEN $4 THEN c.ip_hash END, $5 \
             FROM comments c JOIN authors a ON a.id = c.author_id JOIN threads t ON t.id = c.thread_id \
             WHERE c.id = $6",
        )
        .bind(until.map(ms))
        .bind(ms(Utc::now()))
        .bind(scope.email)
        .bind(scope.address)
        .bind(scope.shadow)
        .bind(comment_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("comment {comment_id}")));
        }
        insert_log(&mut tx, &entry).await?;
        set_status(&mut tx, comment_id, CommentStatus::Rejected).await?;
        insert_log(&mut tx, &reject).await?;
        journal(&mut tx, "moderator.action", comment_id, action_detail(&entry)?).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(self.writer(), comment_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))
    }

    async fn log(&self, entry: NewModlogEntry) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        insert_log(&mut tx, &entry).await?;
        tx.commit().await.map_err(backend)
    }

    async fn modlog(&self, sites: &[SiteId], n: u32) -> StoreResult<Vec<ModlogEntry>> {
        sqlx::query(concat!(
            "SELECT m.*, a.name AS author_name, c.body_markdown AS excerpt, t.key AS thread_key, t.url AS thread_url \
             FROM modlog m LEFT JOIN authors a ON a.id = m.author_id \
             LEFT JOIN comments c ON c.id = m.comment_id LEFT JOIN threads t ON t.id = c.thread_id \
             WHERE m.site_id ",
            in_list!("$1"),
            " ORDER BY m.id DESC LIMIT $2"
        ))
        .bind(site_list(sites)?)
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(jirga_store_sql::modlog_from_row)
        .collect()
    }

    async fn latest_published(
        &self,
        site: &SiteId,
        thread: Option<ThreadId>,
        n: u32,
    ) -> StoreResult<Vec<(StoredComment, Thread)>> {
        let rows = sqlx::query(select_comments!(
            "WHERE t.site_id = $1 AND ($2 IS NULL OR c.thread_id = $2) AND c.status = 'published' \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $3"
        ))
        .bind(site.as_str())
        .bind(thread)
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        self.with_threads(rows).await
    }

    async fn replies_to(
        &self,
        site: &SiteId,
        author: AuthorId,
        n: u32,
    ) -> StoreResult<Vec<(StoredComment, Thread)>> {
        let rows = sqlx::query(select_comments!(
            "JOIN comments p ON p.id = c.parent_id \
             WHERE t.site_id = $1 AND p.author_id = $2 AND c.author_id != $2 AND c.status = 'published' \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $3"
        ))
        .bind(site.as_str())
        .bind(author)
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        self.with_threads(rows).await
    }

    async fn create_webhook(&self, hook: NewWebhook) -> StoreResult<Webhook> {
        let row = sqlx::query(
            "INSERT INTO webhooks (site_id, url, secret, events, format, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
        )
        .bind(hook.site_id.as_str())
        .bind(&hook.url)
        .bind(hook.secret.expose())
        .bind(json(&hook.events)?)
        .bind(hook.format.as_str())
        .bind(ms(Utc::now()))
        .fetch_one(self.writer())
        .await
        .map_err(backend)?;
        webhook_from_row(&row, "")
    }

    async fn webhooks(&self, site: &SiteId) -> StoreResult<Vec<Webhook>> {
        sqlx::query("SELECT * FROM webhooks WHERE site_id = $1 ORDER BY id")
            .bind(site.as_str())
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(|r| webhook_from_row(r, ""))
            .collect()
    }

    async fn delete_webhook(&self, site: &SiteId, id: WebhookId) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        sqlx::query(
            "DELETE FROM webhook_deliveries WHERE webhook_id = \
             (SELECT id FROM webhooks WHERE id = $1 AND site_id = $2)",
        )
        .bind(id)
        .bind(site.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let done = sqlx::query("DELETE FROM webhooks WHERE id = $1 AND site_id = $2")
            .bind(id)
            .bind(site.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn enqueue_event(
        &self,
        site: &SiteId,
        event: &str,
        event_id: &str,
        payload: &str,
        only: Option<WebhookId>,
    ) -> StoreResult<u64> {
        let now = ms(Utc::now());
        // The events are a JSON list of plain names: a quoted name matches exactly one.
        let done = sqlx::query(
            "INSERT INTO webhook_deliveries (webhook_id, event_id, event, payload, next_attempt_at, created_at) \
             SELECT id, $1, $2, $3, $4, $4 FROM webhooks \
             WHERE site_id = $5 AND (($6 IS NULL AND events LIKE $7) OR id = $6)",
        )
        .bind(event_id)
        .bind(event)
        .bind(payload)
        .bind(now)
        .bind(site.as_str())
        .bind(only)
        .bind(format!("%\"{event}\"%"))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn journal_entries(&self, n: u32) -> StoreResult<Vec<JournalEntry>> {
        sqlx::query("SELECT * FROM webhook_journal ORDER BY id LIMIT $1")
            .bind(limit(n))
            .fetch_all(self.reader())
            .await
            .map_err(backend)?
            .iter()
            .map(|r| {
                Ok(JournalEntry {
                    id: r.int("id")?,
                    site_id: jirga_store_sql::site_id(r.text("site_id")?)?,
                    event: r.text("event")?,
                    comment_id: CommentId(r.int("comment_id")?),
                    detail: r.opt_text("detail")?,
                    created_at: from_ms(r.int("created_at")?),
                })
            })
            .collect()
    }

    async fn take_journal_entry(
        &self,
        entry: &JournalEntry,
        event_id: &str,
        payload: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let taken = sqlx::query("DELETE FROM webhook_journal WHERE id = $1")
            .bind(entry.id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if taken.rows_affected() == 0 {
            return Ok(false);
        }
        let now = ms(Utc::now());
        sqlx::query(
            "INSERT INTO webhook_deliveries (webhook_id, event_id, event, payload, next_attempt_at, created_at) \
             SELECT id, $1, $2, $3, $4, $4 FROM webhooks WHERE site_id = $5 AND events LIKE $6",
        )
        .bind(event_id)
        .bind(&entry.event)
        .bind(payload)
        .bind(now)
        .bind(entry.site_id.as_str())
        .bind(format!("%\"{}\"%", entry.event))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn due_deliveries(&self, now: DateTime<Utc>, n: u32) -> StoreResult<Vec<Delivery>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{DELIVERY_COLS} WHERE d.delivered_at IS NULL AND NOT d.given_up AND d.next_attempt_at <= $1 \
             ORDER BY d.next_attempt_at, d.id LIMIT $2"
        )))
        .bind(ms(now))
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn claim_delivery(
        &self,
        delivery: &Delivery,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.take_lease(
            "UPDATE webhook_deliveries SET next_attempt_at = $1 \
             WHERE id = $2 AND next_attempt_at = $3 AND delivered_at IS NULL AND NOT given_up",
            delivery.id,
            delivery.next_attempt_at,
            lease_until,
        )
        .await
    }

    async fn finish_delivery(
        &self,
        id: i64,
        outcome: DeliveryOutcome,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let q = match outcome {
            DeliveryOutcome::Delivered { status, response } => sqlx::query(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $1, \
                 last_status = $2, last_error = NULL, last_response = $3 WHERE id = $4",
            )
            .bind(ms(at))
            .bind(i32::from(status))
            .bind(response)
            .bind(id),
            DeliveryOutcome::Failed {
                status,
                error,
                response,
                retry_at,
            } => sqlx::query(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = COALESCE($1, next_attempt_at), \
                 given_up = $2, last_status = $3, last_error = $4, last_response = $5 WHERE id = $6",
            )
            .bind(retry_at.map(ms))
            .bind(retry_at.is_none())
            .bind(status.map(i32::from))
            .bind(error)
            .bind(response)
            .bind(id),
        };
        q.execute(self.writer()).await.map_err(backend)?;
        Ok(())
    }

    async fn deliveries(&self, site: &SiteId, n: u32) -> StoreResult<Vec<Delivery>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{DELIVERY_COLS} WHERE w.site_id = $1 ORDER BY d.id DESC LIMIT $2"
        )))
        .bind(site.as_str())
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn outbox_depth(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND NOT given_up",
        )
        .fetch_one(self.reader())
        .await
        .map_err(backend)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn site_comments(&self, site: &SiteId) -> StoreResult<Vec<StoredComment>> {
        sqlx::query(select_comments!(
            "WHERE t.site_id = $1 AND c.status != 'deleted' ORDER BY c.id"
        ))
        .bind(site.as_str())
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect()
    }

    async fn moderator_decisions(&self, site: &SiteId) -> StoreResult<Vec<(StoredComment, bool)>> {
        let rows = sqlx::query(
            "SELECT comment_id, action FROM modlog WHERE id IN \
               (SELECT MAX(id) FROM modlog WHERE site_id = $1 AND comment_id IS NOT NULL \
                AND action IN ('approve', 'reject') GROUP BY comment_id) ORDER BY comment_id",
        )
        .bind(site.as_str())
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: CommentId = r.try_get("comment_id").map_err(backend)?;
            let action: String = r.try_get("action").map_err(backend)?;
            if let Some(c) = self.comment_on(self.reader(), id).await?
                && !c.body_markdown.is_empty()
            {
                out.push((c, action == "reject"));
            }
        }
        Ok(out)
    }

    async fn daily_stats(&self, site: &SiteId, days: u32) -> StoreResult<Vec<DayStats>> {
        let since = ms(Utc::now()) - i64::from(days) * 86_400_000;
        let rows = sqlx::query(
            "SELECT c.created_at / 86400000 AS day, \
               SUM(CASE WHEN c.status = 'published' THEN 1 ELSE 0 END) AS published, \
               SUM(CASE WHEN c.status = 'held' THEN 1 ELSE 0 END) AS held, \
               SUM(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END) AS rejected \
             FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = $1 AND c.created_at >= $2 GROUP BY day ORDER BY day",
        )
        .bind(site.as_str())
        .bind(since)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(DayStats {
                    day: from_ms(r.int("day")? * 86_400_000)
                        .format("%Y-%m-%d")
                        .to_string(),
                    published: r.try_get("published").map_err(backend)?,
                    held: r.try_get("held").map_err(backend)?,
                    rejected: r.try_get("rejected").map_err(backend)?,
                })
            })
            .collect()
    }

    async fn abuse_histogram(&self, site: &SiteId) -> StoreResult<[ScoreBin; SCORE_BINS]> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            score_bin!(),
            " AS bin, COUNT(*) AS n, \
             CAST(SUM(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END) AS BIGINT) AS rejected \
             FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = $1 AND c.abuse_score IS NOT NULL GROUP BY bin",
        ))
        .bind(site.as_str())
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        let mut out = [ScoreBin::default(); SCORE_BINS];
        for r in rows {
            let bin: i64 = r.try_get("bin").map_err(backend)?;
            if let Some(slot) = out.get_mut(bin.clamp(0, SCORE_BINS as i64 - 1) as usize) {
                *slot = ScoreBin {
                    comments: r.try_get("n").map_err(backend)?,
                    rejected: r.try_get("rejected").map_err(backend)?,
                };
            }
        }
        Ok(out)
    }

    async fn create_import_batch(
        &self,
        site: &SiteId,
        source: &str,
        file_name: &str,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO import_batches (site_id, source, file_name, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site.as_str())
        .bind(source)
        .bind(file_name)
        .bind(ms(Utc::now()))
        .fetch_one(self.writer())
        .await
        .map_err(backend)
    }

    async fn import_threads(
        &self,
        batch: i64,
        site: &SiteId,
        threads: &[(ThreadKey, ThreadUpdate, Option<DateTime<Utc>>)],
    ) -> StoreResult<Vec<ThreadId>> {
        use std::collections::HashMap;
        let mut tx = self.writer().begin().await.map_err(backend)?;
        lock_for_import(&mut tx, batch).await?;
        // The site's threads under these keys, in one query; the rest made in two statements.
        let keys: Vec<String> = threads.iter().map(|(k, ..)| k.to_string()).collect();
        let rows = sqlx::query(concat!(
            "SELECT key, id FROM threads WHERE site_id = $1 AND key ",
            in_list!("$2")
        ))
        .bind(site.as_str())
        .bind(text_list(keys)?)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let mut known: HashMap<String, ThreadId> = HashMap::new();
        for r in &rows {
            known.insert(r.try_get("key").map_err(backend)?, r.try_get("id").map_err(backend)?);
        }
        let mut fresh = Vec::new();
        for (key, update, made_at) in threads {
            if !known.contains_key(key.as_str()) {
                known.insert(key.to_string(), ThreadId(0));
                fresh.push((key, update, made_at));
            }
        }
        if !fresh.is_empty() {
            let ids = reserve_ids(&mut tx, "threads", fresh.len()).await?;
            let mut made = Vec::with_capacity(fresh.len());
            for ((key, update, made_at), id) in fresh.iter().zip(&ids) {
                known.insert(key.to_string(), ThreadId(*id));
                made.push(serde_json::json!({
                    "id": id, "k": key.as_str(), "ti": update.title, "u": update.url, "tx": update.text,
                    "c": update.closed, "t": ms(made_at.unwrap_or_else(Utc::now)),
                }));
            }
            let made = json(&made)?;
            sqlx::query(concat!(
                "INSERT INTO threads (id, site_id, key, title, url, body_text, closed, created_at) \
                 SELECT id, $1, k, COALESCE(ti, ''), u, COALESCE(tx, ''), COALESCE(c, FALSE), t FROM ",
                json_rows!("$2"; id BIGINT, k TEXT, ti TEXT, u TEXT, tx TEXT, c BOOLEAN, t BIGINT)
            ))
            .bind(site.as_str())
            .bind(&made)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            sqlx::query(concat!(
                "INSERT INTO import_threads (batch_id, thread_id) SELECT $1, id FROM ",
                json_rows!("$2"; id BIGINT)
            ))
            .bind(batch)
            .bind(&made)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(threads
            .iter()
            .map(|(k, ..)| known.get(k.as_str()).copied().unwrap_or(ThreadId(0)))
            .collect())
    }

    async fn import_comments(
        &self,
        batch: i64,
        site: &SiteId,
        source: &str,
        items: &[ImportComment],
    ) -> StoreResult<Vec<Imported>> {
        use std::collections::HashMap;
        let mut tx = self.writer().begin().await.map_err(backend)?;
        lock_for_import(&mut tx, batch).await?;
        // Three lookups for the whole call instead of three per comment: what was imported
        // before (these records, and the parents they name) and the commenters seen before.
        let mut wanted: Vec<String> = items.iter().map(|c| c.external_id.clone()).collect();
        wanted.extend(items.iter().filter_map(|c| c.parent.clone()));
        let rows = sqlx::query(concat!(
            "SELECT i.external_id, c.id, c.root_id, c.depth, c.thread_id FROM imported i \
             JOIN comments c ON c.id = i.comment_id \
             WHERE i.site_id = $1 AND i.source = $2 AND i.external_id ",
            in_list!("$3")
        ))
        .bind(site.as_str())
        .bind(source)
        .bind(text_list(wanted)?)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        // external id → (id, root, depth, thread)
        let mut known: HashMap<String, (CommentId, Option<CommentId>, i64, ThreadId)> = HashMap::new();
        for r in &rows {
            known.insert(
                r.try_get("external_id").map_err(backend)?,
                (
                    r.try_get("id").map_err(backend)?,
                    r.try_get("root_id").map_err(backend)?,
                    r.try_get("depth").map_err(backend)?,
                    r.try_get("thread_id").map_err(backend)?,
                ),
            );
        }
        let keys: Vec<String> = items.iter().map(|c| c.author.key.clone()).collect();
        let rows = sqlx::query(concat!(
            "SELECT author_key, author_id FROM imported_authors WHERE site_id = $1 AND source = $2 AND author_key ",
            in_list!("$3")
        ))
        .bind(site.as_str())
        .bind(source)
        .bind(text_list(keys)?)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let mut authors: HashMap<String, AuthorId> = HashMap::new();
        for r in &rows {
            authors.insert(r.try_get("author_key").map_err(backend)?, r.try_get("author_id").map_err(backend)?);
        }
        // The commenters met for the first time (with the time of their first comment here),
        // made in two statements.
        let mut new_authors: Vec<(&ImportAuthor, i64)> = Vec::new();
        for c in items {
            if !authors.contains_key(&c.author.key) && !known.contains_key(&c.external_id) {
                authors.insert(c.author.key.clone(), AuthorId(0));
                new_authors.push((&c.author, ms(c.created_at)));
            }
        }
        if !new_authors.is_empty() {
            let ids = reserve_ids(&mut tx, "authors", new_authors.len()).await?;
            let mut rows = Vec::with_capacity(new_authors.len());
            for ((a, first_seen), id) in new_authors.iter().zip(&ids) {
                authors.insert(a.key.clone(), AuthorId(*id));
                rows.push(serde_json::json!({
                    "id": id, "k": a.key, "n": a.name, "m": a.email, "af": a.affiliation,
                    "v": a.verified, "t": first_seen,
                }));
            }
            let rows = json(&rows)?;
            sqlx::query(concat!(
                "INSERT INTO authors (id, site_id, name, email, affiliation, verified, created_at) \
                 SELECT id, $1, n, m, af, v, t FROM ",
                json_rows!("$2"; id BIGINT, n TEXT, m TEXT, af TEXT, v BOOLEAN, t BIGINT)
            ))
            .bind(site.as_str())
            .bind(&rows)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            sqlx::query(concat!(
                "INSERT INTO imported_authors (site_id, source, author_key, author_id, batch_id) \
                 SELECT $1, $2, k, id, $3 FROM ",
                json_rows!("$4"; id BIGINT, k TEXT)
            ))
            .bind(site.as_str())
            .bind(source)
            .bind(batch)
            .bind(&rows)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        // The comments, in one statement. Their ids are taken first, so that a reply to a
        // record earlier in this call knows its parent's id, and no id has to be matched back
        // to its record by the order a multi-row `INSERT … RETURNING` answers in.
        let fresh = items.iter().filter(|c| !known.contains_key(&c.external_id)).count();
        let mut ids = reserve_ids(&mut tx, "comments", fresh).await?.into_iter();
        let mut out = Vec::with_capacity(items.len());
        let mut comment_rows = Vec::with_capacity(fresh);
        let mut rows_made = Vec::with_capacity(fresh);
        let mut vote_rows = Vec::new();
        for c in items {
            if let Some((id, ..)) = known.get(&c.external_id) {
                out.push(Imported::Existing(*id));
                continue;
            }
            let id = CommentId(ids.next().ok_or_else(|| StoreError::Backend("too few ids reserved".into()))?);
            // The parent, when it has been read already (and sits in the same thread).
            let parent = c
                .parent
                .as_ref()
                .and_then(|ext| known.get(ext))
                .filter(|p| p.3 == c.thread_id)
                .map(|p| (p.0, p.1, p.2));
            let (parent_id, root_id, depth) = match parent {
                Some((pid, root, depth)) => (Some(pid), Some(root.unwrap_or(pid)), depth + 1),
                None => (None, None, 0),
            };
            let mut row = serde_json::json!({
                "id": id, "th": c.thread_id, "pa": parent_id, "ro": root_id, "de": depth,
                "au": authors.get(&c.author.key), "md": c.body_markdown, "ht": c.body_html,
                "st": c.status.as_str(), "re": json(&c.reasons)?, "t": ms(c.created_at), "h": c.text_hash,
            });
            // What only a Jirga export carries, only where it is there (a missing key reads
            // as NULL; the votes column's default is 0).
            if let Some(extra) = row.as_object_mut() {
                if let Some(at) = c.edited_at {
                    extra.insert("ed".into(), ms(at).into());
                }
                if let Some(score) = c.abuse_score {
                    extra.insert("ab".into(), score.into());
                }
                if let Some(score) = c.on_topic_score {
                    extra.insert("ot".into(), score.into());
                }
                extra.insert("vo".into(), c.votes.iter().map(|v| v.value).sum::<i64>().into());
            }
            comment_rows.push(row);
            for v in &c.votes {
                vote_rows.push(serde_json::json!({"c": id, "v": v.voter, "x": v.value, "t": ms(v.created_at)}));
            }
            let pending = if parent_id.is_none() { c.parent.as_deref() } else { None };
            rows_made.push(serde_json::json!({"e": c.external_id, "c": id, "p": pending}));
            // Later records of this call may reply to it, or repeat it.
            known.insert(c.external_id.clone(), (id, root_id, depth, c.thread_id));
            out.push(Imported::New(id));
        }
        if !comment_rows.is_empty() {
            sqlx::query(concat!(
                "INSERT INTO comments (id, thread_id, parent_id, root_id, depth, author_id, body_markdown, body_html, \
                 status, moderation_reasons, moderation_version, edit_token_hash, created_at, text_hash, \
                 edited_at, abuse_score, on_topic_score, votes) \
                 SELECT id, th, pa, ro, de, au, md, ht, st, re, 'import', '', t, h, ed, ab, ot, vo FROM ",
                json_rows!("$1"; id BIGINT, th BIGINT, pa BIGINT, ro BIGINT, de BIGINT, au BIGINT,
                    md TEXT, ht TEXT, st TEXT, re TEXT, t BIGINT, h TEXT, ed BIGINT,
                    ab FLOAT8, ot FLOAT8, vo BIGINT)
            ))
            .bind(json(&comment_rows)?)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if !vote_rows.is_empty() {
                sqlx::query(concat!(
                    "INSERT INTO votes (comment_id, voter, value, created_at) SELECT c, v, x, t FROM ",
                    json_rows!("$1"; c BIGINT, v TEXT, x BIGINT, t BIGINT)
                ))
                .bind(json(&vote_rows)?)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            }
            sqlx::query(concat!(
                "INSERT INTO imported (site_id, source, external_id, comment_id, batch_id, parent_external_id) \
                 SELECT $1, $2, e, c, $3, p FROM ",
                json_rows!("$4"; e TEXT, c BIGINT, p TEXT)
            ))
            .bind(site.as_str())
            .bind(source)
            .bind(batch)
            .bind(json(&rows_made)?)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            self.after_import(&mut tx, rows_made.len()).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn finish_import(&self, batch: i64, report: &str) -> StoreResult<ImportLinks> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let mut links = ImportLinks::default();
        let pending = sqlx::query(
            "SELECT i.comment_id, c.thread_id, p.id AS parent_id, p.thread_id AS parent_thread \
             FROM imported i JOIN comments c ON c.id = i.comment_id \
             LEFT JOIN imported pi ON pi.site_id = i.site_id AND pi.source = i.source AND pi.external_id = i.parent_external_id \
             LEFT JOIN comments p ON p.id = pi.comment_id \
             WHERE i.batch_id = $1 AND i.parent_external_id IS NOT NULL",
        )
        .bind(batch)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let mut relink: Vec<ThreadId> = Vec::new();
        for r in &pending {
            let id: CommentId = r.try_get("comment_id").map_err(backend)?;
            let thread: ThreadId = r.try_get("thread_id").map_err(backend)?;
            let parent: Option<CommentId> = r.try_get("parent_id").map_err(backend)?;
            let parent_thread: Option<ThreadId> = r.try_get("parent_thread").map_err(backend)?;
            match parent {
                Some(parent) if parent_thread == Some(thread) && parent != id => {
                    sqlx::query("UPDATE comments SET parent_id = $1 WHERE id = $2")
                        .bind(parent)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend)?;
                    links.linked += 1;
                    if !relink.contains(&thread) {
                        relink.push(thread);
                    }
                }
                _ => links.orphans += 1,
            }
        }
        sqlx::query("UPDATE imported SET parent_external_id = NULL WHERE batch_id = $1")
            .bind(batch)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        for thread in &relink {
            relink_thread(&mut tx, *thread).await?;
        }
        let threads: Vec<ThreadId> = sqlx::query_scalar(
            "SELECT DISTINCT c.thread_id FROM imported i JOIN comments c ON c.id = i.comment_id WHERE i.batch_id = $1",
        )
        .bind(batch)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        for thread in threads {
            refresh_count(&mut tx, thread).await?;
        }
        sqlx::query("UPDATE import_batches SET report = $1 WHERE id = $2")
            .bind(report)
            .bind(batch)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(links)
    }

    async fn undo_import(&self, site: &SiteId, batch: i64) -> StoreResult<u64> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let owner: Option<String> =
            sqlx::query_scalar("SELECT site_id FROM import_batches WHERE id = $1 AND undone_at IS NULL")
                .bind(batch)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?;
        if owner.as_deref() != Some(site.as_str()) {
            return Err(StoreError::NotFound(format!("import {batch} of site {site}")));
        }
        let rows = sqlx::query(
            "SELECT c.id, c.thread_id, c.depth FROM imported i JOIN comments c ON c.id = i.comment_id \
             WHERE i.batch_id = $1 ORDER BY c.depth DESC, c.id DESC",
        )
        .bind(batch)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let mut threads: Vec<ThreadId> = Vec::new();
        let mut removed = 0u64;
        for r in &rows {
            let id: CommentId = r.try_get("id").map_err(backend)?;
            let thread: ThreadId = r.try_get("thread_id").map_err(backend)?;
            if !threads.contains(&thread) {
                threads.push(thread);
            }
            sqlx::query("DELETE FROM imported WHERE comment_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            // Deepest first, so a reply from this batch is gone before its parent is checked.
            // A comment with replies, or one the modlog names (the log is never rewritten),
            // stays as a placeholder.
            let replied: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM comments WHERE parent_id = $1) \
                 OR EXISTS (SELECT 1 FROM modlog WHERE comment_id = $1)",
            )
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend)?;
            if replied {
                sqlx::query(
                    "UPDATE comments SET status = 'deleted', body_markdown = '', body_html = '' WHERE id = $1",
                )
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
                continue;
            }
            for q in [
                "DELETE FROM votes WHERE comment_id = $1",
                "DELETE FROM reports WHERE comment_id = $1",
                "DELETE FROM webhook_journal WHERE comment_id = $1",
                "DELETE FROM comments WHERE id = $1",
            ] {
                sqlx::query(q).bind(id).execute(&mut *tx).await.map_err(backend)?;
            }
            removed += 1;
        }
        for thread in &threads {
            refresh_count(&mut tx, *thread).await?;
        }
        // Guests and threads the batch made, where nothing else uses them now.
        let authors: Vec<AuthorId> = sqlx::query_scalar("SELECT author_id FROM imported_authors WHERE batch_id = $1")
            .bind(batch)
            .fetch_all(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("DELETE FROM imported_authors WHERE batch_id = $1")
            .bind(batch)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        for author in authors {
            sqlx::query(
                "DELETE FROM authors WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM comments WHERE author_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM bans WHERE author_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM imported_authors WHERE author_id = $1)",
            )
            .bind(author)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        let made: Vec<ThreadId> = sqlx::query_scalar("SELECT thread_id FROM import_threads WHERE batch_id = $1")
            .bind(batch)
            .fetch_all(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("DELETE FROM import_threads WHERE batch_id = $1")
            .bind(batch)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        for thread in made {
            sqlx::query("DELETE FROM threads WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM comments WHERE thread_id = $1)")
                .bind(thread)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        sqlx::query("UPDATE import_batches SET undone_at = $1 WHERE id = $2")
            .bind(ms(Utc::now()))
            .bind(batch)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(removed)
    }

    async fn import_batches(&self, site: &SiteId) -> StoreResult<Vec<ImportBatch>> {
        let rows = sqlx::query(
            "SELECT b.id, b.site_id, b.source, b.file_name, b.report, b.created_at, b.undone_at, \
             (SELECT COUNT(*) FROM imported i WHERE i.batch_id = b.id) AS comments \
             FROM import_batches b WHERE b.site_id = $1 ORDER BY b.id DESC",
        )
        .bind(site.as_str())
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                let undone: Option<i64> = r.try_get("undone_at").map_err(backend)?;
                let comments: i64 = r.try_get("comments").map_err(backend)?;
                Ok(ImportBatch {
                    id: r.try_get("id").map_err(backend)?,
                    site_id: SiteId::parse(&r.text("site_id")?).map_err(|e| StoreError::Backend(e.to_string()))?,
                    source: r.text("source")?,
                    file_name: r.text("file_name")?,
                    report: r.text("report")?,
                    created_at: from_ms(r.try_get("created_at").map_err(backend)?),
                    undone_at: undone.map(from_ms),
                    comments: u64::try_from(comments).unwrap_or(0),
                })
            })
            .collect()
    }

    async fn export_threads(
        &self,
        site: &SiteId,
        after: ThreadId,
        limit: u32,
    ) -> StoreResult<Vec<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{THREAD_COLS} WHERE site_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        )))
        .bind(site.as_str())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(thread_from_row)
        .collect()
    }

    async fn export_authors(
        &self,
        site: &SiteId,
        after: AuthorId,
        limit: u32,
    ) -> StoreResult<Vec<ExportAuthor>> {
        let rows = sqlx::query(
            "SELECT id, name, email, affiliation, verified, account_id IS NOT NULL AS account, created_at \
             FROM authors WHERE site_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(site.as_str())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(ExportAuthor {
                    id: r.try_get("id").map_err(backend)?,
                    name: r.try_get("name").map_err(backend)?,
                    email: r.try_get("email").map_err(backend)?,
                    affiliation: r.try_get("affiliation").map_err(backend)?,
                    verified: r.try_get("verified").map_err(backend)?,
                    account: r.try_get("account").map_err(backend)?,
                    created_at: from_ms(r.int("created_at")?),
                })
            })
            .collect()
    }

    async fn export_comments(
        &self,
        site: &SiteId,
        after: CommentId,
        limit: u32,
    ) -> StoreResult<Vec<(StoredComment, Vec<VoteRecord>)>> {
        let comments = sqlx::query(select_comments!(
            "WHERE t.site_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3"
        ))
        .bind(site.as_str())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        let ids: Vec<CommentId> = comments.iter().map(|c| c.id).collect();
        let rows = sqlx::query(concat!(
            "SELECT comment_id, voter, CAST(value AS BIGINT) AS value, created_at FROM votes WHERE comment_id ",
            in_list!("$1"),
            " ORDER BY comment_id, created_at, voter"
        ))
        .bind(id_list(&ids)?)
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        let mut votes: std::collections::HashMap<CommentId, Vec<VoteRecord>> = std::collections::HashMap::new();
        for r in &rows {
            votes
                .entry(r.try_get("comment_id").map_err(backend)?)
                .or_default()
                .push(VoteRecord {
                    voter: r.try_get("voter").map_err(backend)?,
                    value: r.int("value")?,
                    created_at: from_ms(r.int("created_at")?),
                });
        }
        Ok(comments
            .into_iter()
            .map(|c| {
                let v = votes.remove(&c.id).unwrap_or_default();
                (c, v)
            })
            .collect())
    }

    async fn set_reasons(&self, comment_id: CommentId, reasons: &[jirga_domain::Reason]) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let thread: Option<ThreadId> = sqlx::query_scalar(
            "UPDATE comments SET moderation_reasons = $1 WHERE id = $2 RETURNING thread_id",
        )
        .bind(json(reasons)?)
        .bind(comment_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        if thread.is_none() {
            return Err(StoreError::NotFound(format!("comment {comment_id}")));
        }
        tx.commit().await.map_err(backend)
    }

    async fn enqueue_mail(&self, mail: NewMail, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO mail_outbox (site_id, to_addr, subject, body, unsubscribe, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(mail.site_id.as_ref().map(SiteId::as_str))
        .bind(&mail.to)
        .bind(&mail.subject)
        .bind(&mail.body)
        .bind(&mail.unsubscribe)
        .bind(ms(at))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn due_mail(&self, now: DateTime<Utc>, n: u32) -> StoreResult<Vec<OutMail>> {
        sqlx::query(
            "SELECT id, site_id, to_addr, subject, body, unsubscribe, CAST(attempts AS BIGINT) AS attempts, next_attempt_at \
             FROM mail_outbox WHERE sent_at IS NULL AND NOT given_up AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(ms(now))
        .bind(limit(n))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?
        .iter()
        .map(|r| {
            Ok(OutMail {
                id: r.int("id")?,
                mail: NewMail {
                    site_id: r.opt_text("site_id")?.map(jirga_store_sql::site_id).transpose()?,
                    to: r.text("to_addr")?,
                    subject: r.text("subject")?,
                    body: r.text("body")?,
                    unsubscribe: r.opt_text("unsubscribe")?,
                },
                attempts: r.int("attempts")?,
                next_attempt_at: from_ms(r.int("next_attempt_at")?),
            })
        })
        .collect()
    }

    async fn claim_mail(&self, mail: &OutMail, lease_until: DateTime<Utc>) -> StoreResult<bool> {
        self.take_lease(
            "UPDATE mail_outbox SET next_attempt_at = $1 \
             WHERE id = $2 AND next_attempt_at = $3 AND sent_at IS NULL AND NOT given_up",
            mail.id,
            mail.next_attempt_at,
            lease_until,
        )
        .await
    }

    async fn finish_mail(
        &self,
        id: i64,
        error: Option<String>,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let q = match error {
            None => sqlx::query(
                "UPDATE mail_outbox SET attempts = attempts + 1, sent_at = $1, last_error = NULL WHERE id = $2",
            )
            .bind(ms(at))
            .bind(id),
            Some(error) => sqlx::query(
                "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = COALESCE($1, next_attempt_at), \
                 given_up = $2, last_error = $3 WHERE id = $4",
            )
            .bind(retry_at.map(ms))
            .bind(retry_at.is_none())
            .bind(error)
            .bind(id),
        };
        q.execute(self.writer()).await.map_err(backend)?;
        Ok(())
    }

    async fn mail_backlog(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND NOT given_up",
        )
        .fetch_one(self.reader())
        .await
        .map_err(backend)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn contact(&self, comment_id: CommentId) -> StoreResult<Option<Contact>> {
        let Some(r) = sqlx::query(
            "SELECT t.site_id, c.author_id, lower(COALESCE(acc.email, a.email)) AS email, \
                    CASE WHEN acc.id IS NOT NULL THEN acc.email_verified \
                         ELSE COALESCE(r.author_id = a.id AND r.confirmed_at IS NOT NULL, FALSE) END AS confirmed, \
                    COALESCE(r.replies, FALSE) AS replies \
             FROM comments c JOIN authors a ON a.id = c.author_id JOIN threads t ON t.id = c.thread_id \
             LEFT JOIN accounts acc ON acc.id = a.account_id \
             LEFT JOIN mail_readers r ON r.site_id = t.site_id AND r.email = lower(COALESCE(acc.email, a.email)) \
             WHERE c.id = $1",
        )
        .bind(comment_id)
        .fetch_optional(self.reader())
        .await
        .map_err(backend)?
        else {
            return Ok(None);
        };
        let Some(email) = r.opt_text("email")?.filter(|e| !e.is_empty()) else {
            return Ok(None);
        };
        Ok(Some(Contact {
            site_id: jirga_store_sql::site_id(r.text("site_id")?)?,
            author_id: r.try_get("author_id").map_err(backend)?,
            email,
            confirmed: r.flag("confirmed")?,
            replies: r.flag("replies")?,
        }))
    }

    async fn note_confirm_sent(
        &self,
        site: &SiteId,
        email: &str,
        now: DateTime<Utc>,
        gap: chrono::Duration,
    ) -> StoreResult<bool> {
        let email = email.to_lowercase();
        let mut tx = self.writer().begin().await.map_err(backend)?;
        mail_reader(&mut tx, site, &email).await?;
        let done = sqlx::query(
            "UPDATE mail_readers SET confirm_sent_at = $1 WHERE site_id = $2 AND email = $3 \
             AND (confirm_sent_at IS NULL OR confirm_sent_at <= $4)",
        )
        .bind(ms(now))
        .bind(site.as_str())
        .bind(&email)
        .bind(ms(now - gap))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn confirm_email(
        &self,
        site: &SiteId,
        email: &str,
        author: AuthorId,
        at: DateTime<Utc>,
    ) -> StoreResult<AuthorId> {
        let email = email.to_lowercase();
        let mut tx = self.writer().begin().await.map_err(backend)?;
        mail_reader(&mut tx, site, &email).await?;
        let before: Option<AuthorId> = sqlx::query_scalar(
            "SELECT author_id FROM mail_readers WHERE site_id = $1 AND email = $2 AND confirmed_at IS NOT NULL",
        )
        .bind(site.as_str())
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .flatten();
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM authors WHERE id = $1 AND site_id = $2")
            .bind(author)
            .bind(site.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        let Some(name) = name else {
            return Err(StoreError::NotFound(format!("author {author}")));
        };
        let keep = before.unwrap_or(author);
        // The guest records with this address: never an account's, a verified or an
        // administrator-made one (those have their own sign-in or were made on purpose).
        let others: Vec<AuthorId> = sqlx::query_scalar(concat!(
            "SELECT id FROM authors WHERE site_id = $1 AND id <> $2 AND NOT verified \
             AND affiliation IS NULL AND account_id IS NULL AND ",
            same_text!("email", "$3")
        ))
        .bind(site.as_str())
        .bind(keep)
        .bind(&email)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        let list = author_list(&others)?;
        for sql in [
            concat!("UPDATE comments SET author_id = $1 WHERE author_id ", in_list!("$2")),
            concat!("UPDATE bans SET author_id = $1 WHERE author_id ", in_list!("$2")),
            concat!("UPDATE imported_authors SET author_id = $1 WHERE author_id ", in_list!("$2")),
        ] {
            sqlx::query(sql)
                .bind(keep)
                .bind(&list)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        sqlx::query(concat!("DELETE FROM authors WHERE id ", in_list!("$1")))
            .bind(&list)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("UPDATE authors SET name = $1 WHERE id = $2")
            .bind(&name)
            .bind(keep)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query(
            "UPDATE mail_readers SET author_id = $1, confirmed_at = COALESCE(confirmed_at, $2) \
             WHERE site_id = $3 AND email = $4",
        )
        .bind(keep)
        .bind(ms(at))
        .bind(site.as_str())
        .bind(&email)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(keep)
    }

    async fn set_reply_mail(&self, site: &SiteId, email: &str, on: bool) -> StoreResult<()> {
        let email = email.to_lowercase();
        let mut tx = self.writer().begin().await.map_err(backend)?;
        mail_reader(&mut tx, site, &email).await?;
        sqlx::query("UPDATE mail_readers SET replies = $1 WHERE site_id = $2 AND email = $3")
            .bind(on)
            .bind(site.as_str())
            .bind(&email)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if !on {
            sqlx::query("DELETE FROM reply_notices WHERE site_id = $1 AND email = $2")
                .bind(site.as_str())
                .bind(&email)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn add_reply_notice(
        &self,
        site: &SiteId,
        email: &str,
        reply: CommentId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO reply_notices (site_id, email, comment_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(site.as_str())
        .bind(email.to_lowercase())
        .bind(reply)
        .bind(ms(at))
        .execute(self.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn reply_mail_due(
        &self,
        now: DateTime<Utc>,
        gather: chrono::Duration,
        gap: chrono::Duration,
    ) -> StoreResult<Vec<(SiteId, String)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT n.site_id, n.email FROM reply_notices n \
             JOIN mail_readers r ON r.site_id = n.site_id AND r.email = n.email \
             WHERE r.replies AND (r.replies_sent_at IS NULL OR r.replies_sent_at <= $2) \
             GROUP BY n.site_id, n.email HAVING MIN(n.created_at) <= $1 \
             ORDER BY MIN(n.created_at) LIMIT 100",
        )
        .bind(ms(now - gather))
        .bind(ms(now - gap))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|(site, email)| Ok((jirga_store_sql::site_id(site)?, email)))
            .collect()
    }

    async fn take_reply_notices(
        &self,
        site: &SiteId,
        email: &str,
        now: DateTime<Utc>,
        gap: chrono::Duration,
    ) -> StoreResult<Vec<CommentId>> {
        let email = email.to_lowercase();
        let mut tx = self.writer().begin().await.map_err(backend)?;
        let won = sqlx::query(
            "UPDATE mail_readers SET replies_sent_at = $1 WHERE site_id = $2 AND email = $3 AND replies \
             AND (replies_sent_at IS NULL OR replies_sent_at <= $4)",
        )
        .bind(ms(now))
        .bind(site.as_str())
        .bind(&email)
        .bind(ms(now - gap))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if won.rows_affected() != 1 {
            return Ok(Vec::new());
        }
        let mut ids: Vec<CommentId> = sqlx::query_scalar(
            "DELETE FROM reply_notices WHERE site_id = $1 AND email = $2 RETURNING comment_id",
        )
        .bind(site.as_str())
        .bind(&email)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        ids.sort_unstable();
        Ok(ids)
    }

    async fn set_digest(&self, moderator: ModeratorId, hours: i64) -> StoreResult<()> {
        sqlx::query("UPDATE moderators SET digest_hours = $1 WHERE id = $2")
            .bind(i32::try_from(hours.clamp(0, 24 * 7)).unwrap_or(0))
            .bind(moderator)
            .execute(self.writer())
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn take_due_digests(&self, now: DateTime<Utc>) -> StoreResult<Vec<Moderator>> {
        let due: Vec<(ModeratorId, Option<i64>)> = sqlx::query_as(
            "SELECT id, digest_sent_at FROM moderators WHERE digest_hours > 0 \
             AND (digest_sent_at IS NULL OR digest_sent_at <= $1 - CAST(digest_hours AS BIGINT) * 3600000)",
        )
        .bind(ms(now))
        .fetch_all(self.reader())
        .await
        .map_err(backend)?;
        let mut out = Vec::new();
        for (id, sent) in due {
            let won = sqlx::query(
                "UPDATE moderators SET digest_sent_at = $1 WHERE id = $2 \
                 AND (digest_sent_at = $3 OR (digest_sent_at IS NULL AND $3 IS NULL))",
            )
            .bind(ms(now))
            .bind(id)
            .bind(sent)
            .execute(self.writer())
            .await
            .map_err(backend)?;
            if won.rows_affected() == 1
                && let Some(m) = self.moderator(id).await?
            {
                out.push(m);
            }
        }
        Ok(out)
    }
}

/// Makes sure the address has its row (all flags off).
async fn mail_reader(tx: &mut Tx<'_>, site: &SiteId, email: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO mail_readers (site_id, email) VALUES ($1, $2) ON CONFLICT (site_id, email) DO NOTHING",
    )
    .bind(site.as_str())
    .bind(email)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Recomputes `root_id` and `depth` of a thread's comments from `parent_id` (after an import
/// linked replies to parents that came later in its file).
async fn relink_thread(tx: &mut Tx<'_>, thread: ThreadId) -> StoreResult<()> {
    let rows = sqlx::query("SELECT id, parent_id, root_id, depth FROM comments WHERE thread_id = $1")
        .bind(thread)
        .fetch_all(&mut **tx)
        .await
        .map_err(backend)?;
    let mut parent_of = std::collections::HashMap::new();
    let mut now = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: CommentId = r.try_get("id").map_err(backend)?;
        let parent: Option<CommentId> = r.try_get("parent_id").map_err(backend)?;
        let root: Option<CommentId> = r.try_get("root_id").map_err(backend)?;
        let depth: i64 = r.try_get("depth").map_err(backend)?;
        parent_of.insert(id, parent);
        now.push((id, root, depth));
    }
    for (id, root, depth) in now {
        // Walk up to the top (bounded: a cycle cannot last longer than the thread).
        let (mut top, mut d, mut at) = (id, 0i64, id);
        while let Some(Some(p)) = parent_of.get(&at) {
            top = *p;
            at = *p;
            d += 1;
            if d as usize > parent_of.len() {
                break;
            }
        }
        let want_root = (top != id).then_some(top);
        if want_root != root || d != depth {
            sqlx::query("UPDATE comments SET root_id = $1, depth = $2 WHERE id = $3")
                .bind(want_root)
                .bind(d)
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(backend)?;
        }
    }
    Ok(())
}
