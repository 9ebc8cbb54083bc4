#![doc = include_str!("../README.md")]

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jirga_domain::{CommentStatus, Cursor, ReportReason, SiteId, Sort, ThreadKey, Vote};
use jirga_store::{
    Account, AccountChange, AccountData, AccountKey, AuthorRef, AuthorRow, AuthorView, BanCheck,
    BanScope, BanState, CommentEdit, DELETED_USER, DayStats, Event, Moderator, ModlogEntry,
    NewAccount, NewAuthor, NewComment, NewModlogEntry, NewSite, QueueItem, SCORE_BINS, ScoreBin,
    Site, Store, StoreError, StoreResult, StoredComment, Thread, ThreadUpdate, TokenPurpose,
    account_voter,
};
use jirga_store_sql::{
    Columns, THREAD_COLS, account_from_row, author_from_row, author_row_from_row, backend,
    comment_from_row, from_ms, json, like_pattern, ms, select_comments, site_from_row, site_strs,
    thread_from_row,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use std::path::Path;
use std::time::Duration;

pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// One process owns a SQLite file, so events stay in it.
    events: tokio::sync::broadcast::Sender<Event>,
}

impl SqliteStore {
    /// Opens (creating if needed) `jirga.db` in `dir` and runs the embedded migrations.
    pub async fn open(dir: &Path) -> StoreResult<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", dir.display())))?;
        Self::open_file(&dir.join("jirga.db")).await
    }

    pub async fn open_file(path: &Path) -> StoreResult<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before the 201 goes out, so a crash loses nothing accepted.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations")
            .run(&writer)
            .await
            .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(backend)?;
        Ok(Self {
            writer,
            reader,
            events: tokio::sync::broadcast::channel(jirga_store::EVENT_BUFFER).0,
        })
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    /// The read-write pool (for `jirga migrate-store`, which reads every table).
    pub fn pool(&self) -> &SqlitePool {
        &self.writer
    }

    pub async fn integrity_check(&self) -> StoreResult<String> {
        sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.writer)
            .await
            .map_err(backend)
    }
}

async fn refresh_count(tx: &mut Transaction<'_, Sqlite>, thread_id: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE threads SET published_count = \
         (SELECT COUNT(*) FROM comments WHERE thread_id = ?1 AND status = 'published') WHERE id = ?1",
    )
    .bind(thread_id)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

impl SqliteStore {
    async fn comment_on(&self, pool: &SqlitePool, id: i64) -> StoreResult<Option<StoredComment>> {
        sqlx::query(select_comments!("WHERE c.id = ?"))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(backend)?
            .as_ref()
            .map(comment_from_row)
            .transpose()
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn publish(&self, event: &Event) -> StoreResult<()> {
        // No receivers is not an error: nobody is listening yet.
        let _ = self.events.send(event.clone());
        Ok(())
    }

    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    async fn sites(&self) -> StoreResult<Vec<Site>> {
        sqlx::query("SELECT * FROM sites ORDER BY id")
            .fetch_all(&self.reader)
            .await
            .map_err(backend)?
            .iter()
            .map(site_from_row)
            .collect()
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        sqlx::query("SELECT * FROM sites WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(backend)?
            .as_ref()
            .map(site_from_row)
            .transpose()
    }

    async fn create_site(&self, site: NewSite) -> StoreResult<Site> {
        sqlx::query(
            "INSERT INTO sites (id, name, allowed_origins, auto_create_threads, policy, api_key_hash, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(site.id.as_str())
        .bind(&site.name)
        .bind(json(&site.allowed_origins)?)
        .bind(site.auto_create_threads)
        .bind(json(&site.policy)?)
        .bind(&site.api_key_hash)
        .bind(ms(Utc::now()))
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        self.site_after_write(&site.id).await
    }

    async fn update_site(&self, site: NewSite) -> StoreResult<Site> {
        let done = sqlx::query(
            "UPDATE sites SET name = ?, allowed_origins = ?, auto_create_threads = ?, policy = ? WHERE id = ?",
        )
        .bind(&site.name)
        .bind(json(&site.allowed_origins)?)
        .bind(site.auto_create_threads)
        .bind(json(&site.policy)?)
        .bind(site.id.as_str())
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("site {}", site.id)));
        }
        self.site_after_write(&site.id).await
    }

    async fn thread(&self, site: &SiteId, key: &ThreadKey) -> StoreResult<Option<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{THREAD_COLS} WHERE site_id = ? AND key = ?"
        )))
        .bind(site.as_str())
        .bind(key.as_str())
        .fetch_optional(&self.reader)
        .await
        .map_err(backend)?
        .as_ref()
        .map(thread_from_row)
        .transpose()
    }

    async fn thread_by_id(&self, id: i64) -> StoreResult<Option<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!("{THREAD_COLS} WHERE id = ?")))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(backend)?
            .as_ref()
            .map(thread_from_row)
            .transpose()
    }

    async fn recent_threads(&self, site: &SiteId, limit: u32) -> StoreResult<Vec<Thread>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{THREAD_COLS} WHERE site_id = ? AND (title != '' OR body_text != '') ORDER BY created_at DESC, id DESC LIMIT ?"
        )))
        .bind(site.as_str())
        .bind(limit)
        .fetch_all(&self.reader)
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
        let row = sqlx::query(
            "INSERT INTO threads (site_id, key, title, url, body_text, closed, created_at) \
             VALUES (?1, ?2, COALESCE(?3, ''), ?4, COALESCE(?5, ''), COALESCE(?6, 0), ?7) \
             ON CONFLICT (site_id, key) DO UPDATE SET \
               title = COALESCE(?3, title), url = COALESCE(?4, url), \
               body_text = COALESCE(?5, body_text), closed = COALESCE(?6, closed) \
             RETURNING id",
        )
        .bind(site.as_str())
        .bind(key.as_str())
        .bind(update.title)
        .bind(update.url)
        .bind(update.text)
        .bind(update.closed)
        .bind(ms(Utc::now()))
        .fetch_one(&self.writer)
        .await
        .map_err(backend)?;
        let id: i64 = row.try_get("id").map_err(backend)?;
        sqlx::query(sqlx::AssertSqlSafe(format!("{THREAD_COLS} WHERE id = ?")))
            .bind(id)
            .fetch_one(&self.writer)
            .await
            .map_err(backend)
            .and_then(|r| thread_from_row(&r))
    }

    async fn counts(
        &self,
        site: &SiteId,
        keys: &[ThreadKey],
    ) -> StoreResult<Vec<(ThreadKey, i64)>> {
        let keys: Vec<&str> = keys.iter().map(ThreadKey::as_str).collect();
        let rows = sqlx::query(
            "SELECT key, published_count FROM threads \
             WHERE site_id = ? AND key IN (SELECT value FROM json_each(?))",
        )
        .bind(site.as_str())
        .bind(json(&keys)?)
        .fetch_all(&self.reader)
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

    async fn create_author(&self, author: NewAuthor) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO authors (site_id, name, email, affiliation, verified, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(author.site_id.as_str())
        .bind(&author.name)
        .bind(&author.email)
        .bind(&author.affiliation)
        .bind(author.verified)
        .bind(ms(Utc::now()))
        .fetch_one(&self.writer)
        .await
        .map_err(backend)
    }

    async fn verified_name_taken(&self, site: &SiteId, name: &str) -> StoreResult<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM authors WHERE site_id = ? AND name = ? COLLATE NOCASE AND verified = 1)",
        )
        .bind(site.as_str())
        .bind(name)
        .fetch_one(&self.reader)
        .await
        .map_err(backend)
    }

    async fn insert_comment(&self, c: NewComment) -> StoreResult<StoredComment> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let site: String = sqlx::query_scalar("SELECT site_id FROM threads WHERE id = ?")
            .bind(c.thread_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::NotFound(format!("thread {}", c.thread_id)))?;
        let author_id: i64 = match c.author {
            AuthorRef::Existing(id) => id,
            AuthorRef::Guest { name, email } => {
                let existing: Option<i64> = match &email {
                    Some(email) => sqlx::query_scalar(
                        "SELECT id FROM authors WHERE site_id = ? AND name = ? AND email = ? AND verified = 0 \
                         AND affiliation IS NULL AND account_id IS NULL ORDER BY id LIMIT 1",
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
                        "INSERT INTO authors (site_id, name, email, created_at) VALUES (?, ?, ?, ?) RETURNING id",
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
                    sqlx::query("SELECT id, root_id, depth, thread_id FROM comments WHERE id = ?")
                        .bind(parent)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend)?
                        .ok_or_else(|| StoreError::NotFound(format!("comment {parent}")))?;
                let parent_thread: i64 = row.try_get("thread_id").map_err(backend)?;
                if parent_thread != c.thread_id {
                    return Err(StoreError::Conflict("parent is in another thread".into()));
                }
                let root: Option<i64> = row.try_get("root_id").map_err(backend)?;
                let depth: i64 = row.try_get("depth").map_err(backend)?;
                (Some(root.unwrap_or(parent)), depth + 1)
            }
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (thread_id, parent_id, root_id, depth, author_id, body_markdown, body_html, \
             status, moderation_reasons, moderation_version, abuse_score, on_topic_score, edit_token_hash, created_at, text_hash, ip_hash) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
        .bind(c.moderated.abuse)
        .bind(c.moderated.on_topic)
        .bind(&c.edit_token_hash)
        .bind(ms(c.created_at))
        .bind(&c.text_hash)
        .bind(&c.ip_hash)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        refresh_count(&mut tx, c.thread_id).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(&self.writer, id)
            .await?
            .ok_or_else(|| StoreError::Backend("comment vanished after insert".into()))
    }

    async fn comment(&self, id: i64) -> StoreResult<Option<StoredComment>> {
        self.comment_on(&self.reader, id).await
    }

    async fn edit_comment(&self, id: i64, edit: CommentEdit) -> StoreResult<StoredComment> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let thread_id: i64 = sqlx::query_scalar(
            "UPDATE comments SET body_markdown = ?, body_html = ?, status = ?, moderation_reasons = ?, \
             moderation_version = ?, abuse_score = ?, on_topic_score = ?, edited_at = ?, text_hash = ? \
             WHERE id = ? RETURNING thread_id",
        )
        .bind(&edit.body_markdown)
        .bind(&edit.body_html)
        .bind(edit.moderated.status.as_str())
        .bind(json(&edit.moderated.reasons)?)
        .bind(&edit.moderated.version)
        .bind(edit.moderated.abuse)
        .bind(edit.moderated.on_topic)
        .bind(ms(edit.edited_at))
        .bind(&edit.text_hash)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))?;
        refresh_count(&mut tx, thread_id).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(&self.writer, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))
    }

    async fn delete_comment(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        // The text goes; the row stays so replies keep their place under a tombstone.
        let thread_id: i64 = sqlx::query_scalar(
            "UPDATE comments SET status = 'deleted', body_markdown = '', body_html = '', edited_at = ? \
             WHERE id = ? RETURNING thread_id",
        )
        .bind(ms(at))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))?;
        refresh_count(&mut tx, thread_id).await?;
        tx.commit().await.map_err(backend)
    }

    async fn top_level_page(
        &self,
        thread_id: i64,
        sort: Sort,
        after: Option<Cursor>,
        limit: u32,
    ) -> StoreResult<Vec<StoredComment>> {
        // A top-level comment is listed when readers may see it, or when readers may see a
        // reply under it (then it shows as a tombstone).
        macro_rules! page {
            ($cond:literal, $order:literal) => {
                select_comments!(
                    "WHERE c.thread_id = ?1 AND c.parent_id IS NULL \
                     AND (c.status = 'published' OR EXISTS \
                          (SELECT 1 FROM comments d WHERE d.root_id = c.id AND d.status = 'published')) \
                     AND (?2 IS NULL OR ",
                    $cond,
                    ") ORDER BY ",
                    $order,
                    " LIMIT ?4"
                )
            };
        }
        let sql = match sort {
            Sort::Oldest => page!("(c.created_at, c.id) > (?2, ?3)", "c.created_at, c.id"),
            Sort::Newest => page!(
                "(c.created_at, c.id) < (?2, ?3)",
                "c.created_at DESC, c.id DESC"
            ),
            Sort::Top => page!(
                "(c.votes < ?2 OR (c.votes = ?2 AND c.id > ?3))",
                "c.votes DESC, c.id"
            ),
        };
        let after = after.filter(|c| c.sort == sort);
        sqlx::query(sql)
            .bind(thread_id)
            .bind(after.map(|c| c.key))
            .bind(after.map(|c| c.id))
            .bind(limit)
            .fetch_all(&self.reader)
            .await
            .map_err(backend)?
            .iter()
            .map(comment_from_row)
            .collect()
    }

    async fn under_roots(&self, root_ids: &[i64]) -> StoreResult<Vec<StoredComment>> {
        if root_ids.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query(select_comments!(
            "WHERE c.root_id IN (SELECT value FROM json_each(?)) ORDER BY c.created_at, c.id"
        ))
        .bind(json(root_ids)?)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect()
    }

    async fn vote(&self, comment_id: i64, voter: &str, vote: Vote) -> StoreResult<i64> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        if vote == Vote::Clear {
            sqlx::query("DELETE FROM votes WHERE comment_id = ? AND voter = ?")
                .bind(comment_id)
                .bind(voter)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        } else {
            sqlx::query(
                "INSERT INTO votes (comment_id, voter, value, created_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value",
            )
            .bind(comment_id)
            .bind(voter)
            .bind(vote.value())
            .bind(ms(Utc::now()))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        let total: i64 = sqlx::query_scalar(
            "UPDATE comments SET votes = (SELECT COALESCE(SUM(value), 0) FROM votes WHERE comment_id = ?1) \
             WHERE id = ?1 RETURNING votes",
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
        comment_id: i64,
        reporter: &str,
        reason: ReportReason,
        note: Option<String>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO reports (comment_id, reporter, reason, note, created_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (comment_id, reporter) DO NOTHING",
        )
        .bind(comment_id)
        .bind(reporter)
        .bind(reason.as_str())
        .bind(note)
        .bind(ms(Utc::now()))
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn secret(&self, name: &str) -> StoreResult<String> {
        sqlx::query("INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)")
            .bind(name)
            .bind(jirga_store_sql::random_secret())
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        sqlx::query_scalar("SELECT value FROM secrets WHERE name = ?")
            .bind(name)
            .fetch_one(&self.writer)
            .await
            .map_err(backend)
    }

    async fn retire_secrets(&self, prefix: &str, keep: &str) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM secrets WHERE substr(name, 1, length(?1)) = ?1 AND name != ?2",
        )
        .bind(prefix)
        .bind(keep)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn guest_author(
        &self,
        site: &SiteId,
        name: &str,
        email: &str,
    ) -> StoreResult<Option<i64>> {
        sqlx::query_scalar(
            "SELECT id FROM authors WHERE site_id = ? AND name = ? AND email = ? AND verified = 0 \
             AND affiliation IS NULL AND account_id IS NULL ORDER BY id LIMIT 1",
        )
        .bind(site.as_str())
        .bind(name)
        .bind(email)
        .fetch_optional(&self.reader)
        .await
        .map_err(backend)
    }

    async fn ban_state(
        &self,
        site: &SiteId,
        who: BanCheck<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<BanState> {
        // A plain ban (shadow 0) wins over a shadow-ban (1).
        let least: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(shadow) FROM bans WHERE site_id = ? AND (until IS NULL OR until > ?) \
             AND (author_id = ? OR email = ? OR ip_hash = ?)",
        )
        .bind(site.as_str())
        .bind(ms(now))
        .bind(who.author_id)
        .bind(who.email)
        .bind(who.ip_hash)
        .fetch_one(&self.reader)
        .await
        .map_err(backend)?;
        Ok(match least {
            None => BanState::None,
            Some(0) => BanState::Banned,
            Some(_) => BanState::Shadow,
        })
    }

    async fn author_published(&self, author_id: i64) -> StoreResult<u32> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments WHERE author_id = ? AND status = 'published'",
        )
        .bind(author_id)
        .fetch_one(&self.reader)
        .await
        .map_err(backend)
    }

    async fn same_text_count(
        &self,
        site: &SiteId,
        text_hash: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<u32> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE c.text_hash = ? AND c.created_at >= ? AND t.site_id = ? AND c.status != 'deleted'",
        )
        .bind(text_hash)
        .bind(ms(since))
        .bind(site.as_str())
        .fetch_one(&self.reader)
        .await
        .map_err(backend)
    }

    async fn create_moderator(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        sites: &[SiteId],
    ) -> StoreResult<i64> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO moderators (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(ms(Utc::now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        for site in sites {
            sqlx::query("INSERT INTO moderator_sites (moderator_id, site_id) VALUES (?, ?)")
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
        let row = sqlx::query("SELECT id FROM moderators WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.reader)
            .await
            .map_err(backend)?;
        match row {
            Some(r) => self.moderator(r.try_get("id").map_err(backend)?).await,
            None => Ok(None),
        }
    }

    async fn create_session(
        &self,
        token_hash: &str,
        moderator_id: i64,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, moderator_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(moderator_id)
            .bind(ms(Utc::now()))
            .bind(ms(expires_at))
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn session_moderator(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Moderator>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT moderator_id FROM sessions WHERE token_hash = ? AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(&self.reader)
        .await
        .map_err(backend)?;
        match id {
            Some(id) => self.moderator(id).await,
            None => Ok(None),
        }
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn grant_admin(&self, moderator_id: i64, site: &SiteId) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO moderator_sites (moderator_id, site_id, role) VALUES (?, ?, 'admin') \
             ON CONFLICT (moderator_id, site_id) DO UPDATE SET role = 'admin'",
        )
        .bind(moderator_id)
        .bind(site.as_str())
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn site_authors(
        &self,
        site: &SiteId,
        search: &str,
        limit: u32,
    ) -> StoreResult<Vec<AuthorRow>> {
        let pattern = like_pattern(search);
        let rows = sqlx::query(
            "SELECT a.*, (SELECT COUNT(*) FROM comments c WHERE c.author_id = a.id) AS comments \
             FROM authors a WHERE a.site_id = ? \
             AND (? = '' OR a.name LIKE ? ESCAPE '\\' OR a.email LIKE ? ESCAPE '\\') \
             ORDER BY comments DESC, a.id LIMIT ?",
        )
        .bind(site.as_str())
        .bind(search)
        .bind(&pattern)
        .bind(&pattern)
        .bind(limit)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        rows.iter().map(author_row_from_row).collect()
    }

    async fn set_badges(
        &self,
        site: &SiteId,
        author_id: i64,
        affiliation: Option<String>,
        verified: bool,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE authors SET affiliation = ?, verified = ? WHERE id = ? AND site_id = ?",
        )
        .bind(affiliation)
        .bind(verified)
        .bind(author_id)
        .bind(site.as_str())
        .execute(&self.writer)
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
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(&a.email)
        .bind(&a.name)
        .bind(&a.password_hash)
        .bind(a.email_verified)
        .bind(issuer)
        .bind(subject)
        .bind(ms(Utc::now()))
        .fetch_one(&self.writer)
        .await
        .map_err(backend)?;
        account_from_row(&row)
    }

    async fn account(&self, key: AccountKey<'_>) -> StoreResult<Option<Account>> {
        let q = match key {
            AccountKey::Id(id) => sqlx::query("SELECT * FROM accounts WHERE id = ?").bind(id),
            AccountKey::Email(email) => {
                sqlx::query("SELECT * FROM accounts WHERE email = ?").bind(email)
            }
            AccountKey::Oidc { issuer, subject } => {
                sqlx::query("SELECT * FROM accounts WHERE oidc_issuer = ? AND oidc_subject = ?")
                    .bind(issuer)
                    .bind(subject)
            }
        };
        q.fetch_optional(&self.writer)
            .await
            .map_err(backend)?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn update_account(&self, id: i64, change: AccountChange) -> StoreResult<()> {
        sqlx::query(
            "UPDATE accounts SET password_hash = COALESCE(?, password_hash), \
             email_verified = COALESCE(?, email_verified) WHERE id = ?",
        )
        .bind(change.password_hash)
        .bind(change.email_verified)
        .bind(id)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn account_author(&self, site: &SiteId, account: &Account) -> StoreResult<AuthorView> {
        let find = || {
            sqlx::query("SELECT * FROM authors WHERE site_id = ? AND account_id = ?")
                .bind(site.as_str())
                .bind(account.id)
                .fetch_optional(&self.writer)
        };
        if let Some(row) = find().await.map_err(backend)? {
            return author_from_row(&row);
        }
        let made = sqlx::query(
            "INSERT INTO authors (site_id, name, email, created_at, account_id) VALUES (?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(site.as_str())
        .bind(&account.name)
        .bind(&account.email)
        .bind(ms(Utc::now()))
        .bind(account.id)
        .fetch_one(&self.writer)
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

    async fn create_account_token(
        &self,
        token_hash: &str,
        account_id: i64,
        purpose: TokenPurpose,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(purpose.as_str())
        .bind(ms(expires_at))
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn take_account_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let row = sqlx::query(
            "DELETE FROM account_tokens WHERE token_hash = ? AND purpose = ? RETURNING account_id, expires_at",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(&self.writer)
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
        account_id: i64,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO account_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(ms(Utc::now()))
        .bind(ms(expires_at))
        .execute(&self.writer)
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
             WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(token_hash)
        .bind(ms(now))
        .fetch_optional(&self.reader)
        .await
        .map_err(backend)?
        .as_ref()
        .map(account_from_row)
        .transpose()
    }

    async fn end_account_sessions(
        &self,
        account_id: i64,
        token_hash: Option<&str>,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM account_sessions WHERE account_id = ? AND (? IS NULL OR token_hash = ?)",
        )
        .bind(account_id)
        .bind(token_hash)
        .bind(token_hash)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn account_data(&self, account_id: i64) -> StoreResult<Option<AccountData>> {
        let Some(account) = self.account(AccountKey::Id(account_id)).await? else {
            return Ok(None);
        };
        let authors = sqlx::query("SELECT * FROM authors WHERE account_id = ? ORDER BY id")
            .bind(account_id)
            .fetch_all(&self.reader)
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
        let comments = sqlx::query(select_comments!("WHERE a.account_id = ? ORDER BY c.id"))
            .bind(account_id)
            .fetch_all(&self.reader)
            .await
            .map_err(backend)?
            .iter()
            .map(comment_from_row)
            .collect::<StoreResult<_>>()?;
        let voter = account_voter(account_id);
        let votes = sqlx::query(
            "SELECT comment_id, value, created_at FROM votes WHERE voter = ? ORDER BY created_at",
        )
        .bind(&voter)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?
        .iter()
        .map(|r| {
            Ok((
                r.int("comment_id")?,
                r.int("value")?,
                from_ms(r.int("created_at")?),
            ))
        })
        .collect::<StoreResult<_>>()?;
        let reports = sqlx::query(
            "SELECT comment_id, reason, note, created_at FROM reports WHERE reporter = ? ORDER BY id",
        )
        .bind(&voter)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?
        .iter()
        .map(|r| {
            Ok((
                r.int("comment_id")?,
                r.text("reason")?,
                r.opt_text("note")?,
                from_ms(r.int("created_at")?),
            ))
        })
        .collect::<StoreResult<_>>()?;
        let sessions = sqlx::query(
            "SELECT created_at, expires_at FROM account_sessions WHERE account_id = ? ORDER BY created_at",
        )
        .bind(account_id)
        .fetch_all(&self.reader)
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
        account_id: i64,
        remove_on: &[SiteId],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredComment>> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let removed: Vec<StoredComment> = sqlx::query(select_comments!(
            "WHERE a.account_id = ? AND c.status != 'deleted' \
             AND t.site_id IN (SELECT value FROM json_each(?)) ORDER BY c.id"
        ))
        .bind(account_id)
        .bind(json(&site_strs(remove_on))?)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect::<StoreResult<_>>()?;
        let mut threads = std::collections::BTreeSet::new();
        for c in &removed {
            sqlx::query(
                "UPDATE comments SET status = 'deleted', body_markdown = '', body_html = '', edited_at = ? WHERE id = ?",
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
            "UPDATE authors SET name = ?, email = NULL, affiliation = NULL, verified = 0, account_id = NULL \
             WHERE account_id = ?",
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
            "UPDATE votes SET voter = ? WHERE voter = ?",
            "UPDATE reports SET reporter = ? WHERE reporter = ?",
        ] {
            sqlx::query(sql)
                .bind(&gone)
                .bind(&voter)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        for sql in [
            "DELETE FROM account_sessions WHERE account_id = ?",
            "DELETE FROM account_tokens WHERE account_id = ?",
            "DELETE FROM accounts WHERE id = ?",
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

    async fn held_queue(&self, sites: &[SiteId], limit: u32) -> StoreResult<Vec<QueueItem>> {
        let rows = sqlx::query(select_comments!(
            "WHERE c.status = 'held' AND t.site_id IN (SELECT value FROM json_each(?)) ORDER BY c.created_at, c.id LIMIT ?"
        ))
        .bind(json(&site_strs(sites))?)
        .bind(limit)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        self.queue_items(rows).await
    }

    async fn report_queue(&self, sites: &[SiteId], limit: u32) -> StoreResult<Vec<QueueItem>> {
        let rows = sqlx::query(select_comments!(
            jirga_store_sql::weighted_reports!(),
            "WHERE c.status = 'published' AND t.site_id IN (SELECT value FROM json_each(?)) \
             ORDER BY r.n DESC, c.id LIMIT ?"
        ))
        .bind(json(&site_strs(sites))?)
        .bind(limit)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        self.queue_items(rows).await
    }

    async fn moderate(
        &self,
        comment_id: i64,
        status: CommentStatus,
        entry: NewModlogEntry,
    ) -> StoreResult<StoredComment> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let thread_id: i64 =
            sqlx::query_scalar("UPDATE comments SET status = ? WHERE id = ? RETURNING thread_id")
                .bind(status.as_str())
                .bind(comment_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?
                .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))?;
        resolve_reports(&mut tx, comment_id).await?;
        refresh_count(&mut tx, thread_id).await?;
        insert_log(&mut tx, &entry).await?;
        tx.commit().await.map_err(backend)?;
        self.comment_on(&self.writer, comment_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("comment {comment_id}")))
    }

    async fn dismiss_reports(&self, comment_id: i64, entry: NewModlogEntry) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        resolve_reports(&mut tx, comment_id).await?;
        insert_log(&mut tx, &entry).await?;
        tx.commit().await.map_err(backend)
    }

    async fn ban(
        &self,
        comment_id: i64,
        scope: BanScope,
        until: Option<DateTime<Utc>>,
        entry: NewModlogEntry,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "INSERT INTO bans (site_id, author_id, until, created_at, email, ip_hash, shadow) \
             SELECT t.site_id, c.author_id, ?, ?, CASE WHEN ? THEN a.email END, \
                    CASE WHEN ? THEN c.ip_hash END, ? \
             FROM comments c JOIN authors a ON a.id = c.author_id JOIN threads t ON t.id = c.thread_id \
             WHERE c.id = ?",
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
        tx.commit().await.map_err(backend)
    }

    async fn log(&self, entry: NewModlogEntry) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        insert_log(&mut tx, &entry).await?;
        tx.commit().await.map_err(backend)
    }

    async fn modlog(&self, sites: &[SiteId], limit: u32) -> StoreResult<Vec<ModlogEntry>> {
        let rows = sqlx::query(
            "SELECT * FROM modlog WHERE site_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?",
        )
        .bind(json(&site_strs(sites))?)
        .bind(limit)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        rows.iter().map(jirga_store_sql::modlog_from_row).collect()
    }

    async fn site_comments(&self, site: &SiteId) -> StoreResult<Vec<StoredComment>> {
        sqlx::query(select_comments!(
            "WHERE t.site_id = ? AND c.status != 'deleted' ORDER BY c.id"
        ))
        .bind(site.as_str())
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?
        .iter()
        .map(comment_from_row)
        .collect()
    }

    async fn moderator_decisions(&self, site: &SiteId) -> StoreResult<Vec<(StoredComment, bool)>> {
        let rows = sqlx::query(
            "SELECT comment_id, action FROM modlog WHERE id IN \
               (SELECT MAX(id) FROM modlog WHERE site_id = ? AND comment_id IS NOT NULL \
                AND action IN ('approve', 'reject') GROUP BY comment_id) ORDER BY comment_id",
        )
        .bind(site.as_str())
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("comment_id").map_err(backend)?;
            let action: String = r.try_get("action").map_err(backend)?;
            if let Some(c) = self.comment(id).await?
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
            "SELECT date(c.created_at / 1000, 'unixepoch') AS day, \
               SUM(c.status = 'published') AS published, SUM(c.status = 'held') AS held, \
               SUM(c.status = 'rejected') AS rejected \
             FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = ? AND c.created_at >= ? GROUP BY day ORDER BY day",
        )
        .bind(site.as_str())
        .bind(since)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(DayStats {
                    day: r.try_get("day").map_err(backend)?,
                    published: r.try_get("published").map_err(backend)?,
                    held: r.try_get("held").map_err(backend)?,
                    rejected: r.try_get("rejected").map_err(backend)?,
                })
            })
            .collect()
    }

    async fn abuse_histogram(&self, site: &SiteId) -> StoreResult<[ScoreBin; SCORE_BINS]> {
        let rows = sqlx::query(
            "SELECT MIN(CAST(c.abuse_score * 20 AS INTEGER), 19) AS bin, COUNT(*) AS n, \
             SUM(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END) AS rejected \
             FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE t.site_id = ? AND c.abuse_score IS NOT NULL GROUP BY bin",
        )
        .bind(site.as_str())
        .fetch_all(&self.reader)
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
}

impl SqliteStore {
    async fn site_after_write(&self, id: &SiteId) -> StoreResult<Site> {
        sqlx::query("SELECT * FROM sites WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.writer)
            .await
            .map_err(backend)?
            .as_ref()
            .map(site_from_row)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("site {id}")))
    }
}

async fn resolve_reports(tx: &mut Transaction<'_, Sqlite>, comment_id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE reports SET resolved_at = ? WHERE comment_id = ? AND resolved_at IS NULL")
        .bind(ms(Utc::now()))
        .bind(comment_id)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

async fn insert_log(tx: &mut Transaction<'_, Sqlite>, e: &NewModlogEntry) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO modlog (site_id, moderator_id, moderator, action, comment_id, author_id, note, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.site_id.as_str())
    .bind(e.moderator_id)
    .bind(&e.moderator)
    .bind(&e.action)
    .bind(e.comment_id)
    .bind(e.author_id)
    .bind(&e.note)
    .bind(ms(Utc::now()))
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

impl SqliteStore {
    async fn moderator(&self, id: i64) -> StoreResult<Option<Moderator>> {
        let Some(r) = sqlx::query("SELECT * FROM moderators WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let roles: Vec<(String, String)> = sqlx::query_as(
            "SELECT site_id, role FROM moderator_sites WHERE moderator_id = ? ORDER BY site_id",
        )
        .bind(id)
        .fetch_all(&self.reader)
        .await
        .map_err(backend)?;
        let (sites, admin_of) = jirga_store_sql::split_roles(roles)?;
        Ok(Some(Moderator {
            id,
            email: r.try_get("email").map_err(backend)?,
            name: r.try_get("name").map_err(backend)?,
            password_hash: r.try_get("password_hash").map_err(backend)?,
            sites,
            admin_of,
        }))
    }

    async fn queue_items(&self, rows: Vec<SqliteRow>) -> StoreResult<Vec<QueueItem>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let comment = comment_from_row(row)?;
            let thread = self.thread_by_id(comment.thread_id).await?;
            let parent = match comment.parent_id {
                Some(p) => self.comment(p).await?,
                None => None,
            };
            let reports = sqlx::query(
                "SELECT reason, COUNT(*) AS n FROM reports WHERE comment_id = ? AND resolved_at IS NULL \
                 GROUP BY reason ORDER BY n DESC",
            )
            .bind(comment.id)
            .fetch_all(&self.reader)
            .await
            .map_err(backend)?
            .iter()
            .map(|r| Ok((r.try_get("reason").map_err(backend)?, r.try_get("n").map_err(backend)?)))
            .collect::<StoreResult<_>>()?;
            out.push(QueueItem {
                thread_title: thread.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
                thread_key: thread.map(|t| t.key.to_string()).unwrap_or_default(),
                comment,
                parent,
                reports,
            });
        }
        Ok(out)
    }
}
