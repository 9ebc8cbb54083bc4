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

/// Rows from a bound JSON array of objects, one column per named key (the types are
/// PostgreSQL's, which SQLite does not need): `json_rows!("$1"; id BIGINT, name TEXT)`.
macro_rules! json_rows {
    ($p:literal; $first:ident $fty:ident $(, $col:ident $ty:ident)*) => {
        concat!(
            "(SELECT json_extract(value, '$.", stringify!($first), "') AS ", stringify!($first),
            $(", json_extract(value, '$.", stringify!($col), "') AS ", stringify!($col),)*
            " FROM json_each(", $p, "))"
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

/// Takes SQLite's write lock at the start of an import's transaction, before it reads
/// anything: another process on the same file (a server while `jirga import` runs) then waits
/// (busy timeout) instead of writing between this transaction's `MAX(id)` and its inserts.
async fn lock_for_import(tx: &mut Tx<'_>, batch: i64) -> StoreResult<()> {
    sqlx::query("UPDATE import_batches SET report = report WHERE id = $1")
        .bind(batch)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// `n` ids for new rows of `table`, taken before the rows are written (an import's multi-row
/// inserts). Inside a transaction that holds the write lock (`lock_for_import`), nobody else
/// can take `MAX(id) + 1…` before it does.
async fn reserve_ids(tx: &mut Tx<'_>, table: &'static str, n: usize) -> StoreResult<Vec<i64>> {
    let sql = match table {
        "authors" => "SELECT COALESCE(MAX(id), 0) FROM authors",
        "comments" => "SELECT COALESCE(MAX(id), 0) FROM comments",
        "threads" => "SELECT COALESCE(MAX(id), 0) FROM threads",
        other => {
            return Err(StoreError::Backend(format!(
                "no ids are reserved for {other}"
            )));
        }
    };
    let last: i64 = sqlx::query_scalar(sql)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend)?;
    Ok((1..=n as i64).map(|i| last + i).collect())
}

fn site_list(sites: &[SiteId]) -> StoreResult<String> {
    json(&site_strs(sites))
}

fn text_list(texts: Vec<String>) -> StoreResult<String> {
    json(&texts)
}

fn author_list(ids: &[AuthorId]) -> StoreResult<String> {
    json(ids)
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

    /// Nothing to do: SQLite's planner uses the primary keys whatever the tables' size.
    async fn after_import(&self, _tx: &mut Tx<'_>, _rows: usize) -> StoreResult<()> {
        Ok(())
    }

    /// No stamp: this process sees every write, so a cached thread is never stale unseen.
    async fn stamp(&self, _thread_id: ThreadId) -> StoreResult<Option<String>> {
        Ok(None)
    }
}

include!("../../store-sql/shared/store.rs");
