#![doc = include_str!("../README.md")]

use jirga_store_sql::{THREAD_COLS, site_strs};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::path::Path;
use std::time::Duration;

/// The schema this build expects, applied at open.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

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
        MIGRATOR
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

    /// The read-write pool (for `jirga migrate-store`, which reads every table).
    pub fn pool(&self) -> &SqlitePool {
        &self.writer
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.writer)
            .await
            .map_err(backend)
    }
}

// What the shared store (`jirga-store-sql/shared/store.rs`) needs from this backend.

type Backend = SqliteStore;
type Pool = SqlitePool;
type DbRow = SqliteRow;
type Tx<'c> = Transaction<'c, Sqlite>;

/// Rows `(e TEXT, c INTEGER, p TEXT)` from a bound JSON array of `{"e", "c", "p"}` objects
/// (an import's records: external id, comment id, pending parent).
macro_rules! import_rows {
    ($p:literal) => {
        concat!(
            "(SELECT json_extract(value, '$.e') AS e, json_extract(value, '$.c') AS c, \
             json_extract(value, '$.p') AS p FROM json_each(",
            $p,
            "))"
        )
    };
}

/// `IN` a bound JSON array (`site_list` / `text_list` / `id_list` make it).
macro_rules! in_list {
    ($p:literal) => {
        concat!("IN (SELECT value FROM json_each(", $p, "))")
    };
}

/// Equal ignoring ASCII case, by the `NOCASE` collation the indexes use.
macro_rules! same_text {
    ($col:literal, $p:literal) => {
        concat!($col, " = ", $p, " COLLATE NOCASE")
    };
}

/// SQLite's `LIKE` ignores ASCII case already.
macro_rules! like {
    () => {
        "LIKE"
    };
}

/// No row locks: one connection writes, so writers are already in order (and the
/// lock-taking read before a recount is skipped).
const ROW_LOCKS: bool = false;

macro_rules! for_update {
    () => {
        ""
    };
}

macro_rules! score_bin {
    () => {
        "MIN(CAST(c.abuse_score * 20 AS INTEGER), 19)"
    };
}

fn site_list(sites: &[SiteId]) -> StoreResult<String> {
    json(&site_strs(sites))
}

fn text_list(texts: Vec<String>) -> StoreResult<String> {
    json(&texts)
}

fn id_list(ids: &[CommentId]) -> StoreResult<String> {
    json(ids)
}

impl SqliteStore {
    /// Each connection pool by name, for metrics.
    fn pools(&self) -> Vec<(&'static str, &SqlitePool)> {
        vec![("writer", &self.writer), ("reader", &self.reader)]
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// One process owns a SQLite file, so events stay in it.
    async fn announce(&self, event: &Event) -> StoreResult<()> {
        // No receivers is not an error: nobody is listening yet.
        let _ = self.events.send(event.clone());
        Ok(())
    }

    /// No stamp: this process sees every write, so a cached thread is never stale unseen.
    async fn stamp(&self, _thread_id: ThreadId) -> StoreResult<Option<String>> {
        Ok(None)
    }
}

include!("../../store-sql/shared/store.rs");
