//! Isso's SQLite database (`comments.db`, schema versions up to 5): `threads (id, uri,
//! title)` and `comments (tid, id, parent, created, mode, text, author, email, …)`. `uri` is
//! the page's path, which is what Jirga keys threads by too; `text` is Markdown; `created` is
//! seconds since the epoch (UTC); `mode` 1 is visible, 2 pending, 4 deleted (Isso keeps a
//! deleted comment with replies). Read whole: Isso sites are small.

use crate::{
    Position, Record, SkipReason, SourceAuthor, SourceBody, SourceComment, SourceState,
    SourceThread,
};
use chrono::DateTime;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// The first bytes of every SQLite file.
pub const MAGIC: &[u8] = b"SQLite format 3\0";

pub async fn read(path: &std::path::Path) -> Result<crate::Records<'static>, String> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot open {} as SQLite: {e}", path.display()))?;
    let threads = sqlx::query("SELECT id, uri, title FROM threads ORDER BY id")
        .fetch_all(&pool)
        .await
        .map_err(|e| format!("not an Isso database (threads): {e}"))?;
    let comments = sqlx::query(
        "SELECT tid, id, parent, created, mode, text, author, email FROM comments ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .map_err(|e| format!("not an Isso database (comments): {e}"))?;
    pool.close().await;
    let mut out = Vec::with_capacity(threads.len() + comments.len());
    for t in &threads {
        let id: i64 = t.try_get("id").unwrap_or_default();
        let uri: Option<String> = t.try_get("uri").ok().flatten();
        out.push(Record::Thread(SourceThread {
            key: None,
            text: None,
            created_at: None,
            id: id.to_string(),
            url: uri,
            title: t.try_get::<Option<String>, _>("title").ok().flatten(),
            closed: false,
            deleted: false,
        }));
    }
    for c in &comments {
        let id: i64 = c.try_get("id").unwrap_or_default();
        let at = Position::Line(id.max(0) as u64);
        let (Ok(tid), Ok(created)) = (c.try_get::<i64, _>("tid"), c.try_get::<f64, _>("created"))
        else {
            out.push(Record::Skipped {
                at,
                reason: SkipReason::Malformed,
                detail: format!("comment {id}: no thread or creation time"),
            });
            continue;
        };
        let Some(created_at) = DateTime::from_timestamp_millis((created * 1000.0).round() as i64)
        else {
            out.push(Record::Skipped {
                at,
                reason: SkipReason::Malformed,
                detail: format!("comment {id}: created {created} is not a time"),
            });
            continue;
        };
        let text = |name: &str| {
            c.try_get::<Option<String>, _>(name)
                .ok()
                .flatten()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let name = text("author").unwrap_or_else(|| "Anonymous".into());
        let email = text("email");
        let key = email
            .as_ref()
            .map(|e| format!("email:{}", e.to_lowercase()));
        let mode: i64 = c
            .try_get::<Option<i64>, _>("mode")
            .ok()
            .flatten()
            .unwrap_or(1);
        out.push(Record::Comment(SourceComment {
            native: None,
            id: id.to_string(),
            thread: tid.to_string(),
            parent: c
                .try_get::<Option<i64>, _>("parent")
                .ok()
                .flatten()
                .map(|p| p.to_string()),
            author: SourceAuthor::new(key, name, email),
            body: SourceBody::Markdown(text("text").unwrap_or_default()),
            created_at,
            state: match mode {
                1 => SourceState::Published,
                4 => SourceState::Deleted,
                _ => SourceState::Held,
            },
        }));
    }
    Ok(Box::new(out.into_iter()))
}
