#![doc = include_str!("../README.md")]

pub mod copy;

use jirga_store::EventKind;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::broadcast;

/// The schema this build expects, applied at open.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Thread columns with the row's version (`xmin`) as the stamp: every write that changes
/// what readers see of a thread updates its row (its count is recomputed), so a new stamp.
const THREAD_COLS: &str = "SELECT id, site_id, key, title, url, body_text, closed, \
     published_count, created_at, xmin::TEXT AS stamp FROM threads";

/// The channel every instance LISTENs on.
pub const CHANNEL: &str = "jirga_events";

pub struct PgStore {
    pool: PgPool,
    events: broadcast::Sender<Event>,
    /// Rows this process's imports have written, and that count when the planner's
    /// statistics were last refreshed for them (`after_import`).
    imported_rows: AtomicU64,
    analyzed_at: AtomicU64,
}

/// Connection settings: a short acquire timeout, so requests fail fast (503) while the
/// database is down instead of queueing.
fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(16)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(true)
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`), runs the embedded migrations and
    /// starts listening for other instances' events.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("database URL: {e}")))?;
        let pool = pool_options()
            .connect_with(options)
            .await
            .map_err(backend)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        let (events, _) = broadcast::channel(jirga_store::EVENT_BUFFER);
        let listener = listen(pool.clone()).await?;
        tokio::spawn(forward_events(pool.clone(), listener, events.clone()));
        Ok(Self {
            pool,
            events,
            imported_rows: AtomicU64::new(0),
            analyzed_at: AtomicU64::new(0),
        })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

async fn listen(pool: PgPool) -> StoreResult<PgListener> {
    let mut listener = PgListener::connect_with(&pool).await.map_err(backend)?;
    listener.listen(CHANNEL).await.map_err(backend)?;
    Ok(listener)
}

/// Passes notifications on to this instance's subscribers. When the connection drops, it
/// reconnects with backoff and sends `Resync`, since notifications sent meanwhile are lost.
async fn forward_events(pool: PgPool, mut listener: PgListener, events: broadcast::Sender<Event>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => match serde_json::from_str::<Event>(n.payload()) {
                Ok(event) => {
                    let _ = events.send(event);
                }
                Err(e) => tracing::warn!("ignoring a malformed event: {e}"),
            },
            Ok(None) | Err(_) => {
                tracing::warn!("lost the event connection to PostgreSQL; reconnecting");
                let _ = events.send(resync());
                let mut wait = Duration::from_millis(100);
                listener = loop {
                    tokio::time::sleep(wait).await;
                    if events.receiver_count() == 0 && events.is_empty() && pool.is_closed() {
                        return;
                    }
                    match listen(pool.clone()).await {
                        Ok(l) => break l,
                        Err(_) => wait = (wait * 2).min(Duration::from_secs(2)),
                    }
                };
                tracing::info!("listening for events again");
                let _ = events.send(resync());
            }
        }
    }
}

fn resync() -> Event {
    Event {
        site: String::new(),
        thread: String::new(),
        thread_id: ThreadId(0),
        kind: EventKind::Resync,
        comment_id: None,
        count: 0,
    }
}

// What the shared store (`jirga-store-sql/shared/store.rs`) needs from this backend.

type Backend = PgStore;
type Pool = PgPool;
type DbRow = PgRow;
type Tx<'c> = Transaction<'c, Postgres>;

/// Rows from a bound JSON array of objects, one typed column per named key:
/// `json_rows!("$1"; id BIGINT, name TEXT)`.
macro_rules! json_rows {
    ($p:literal; $first:ident $fty:ident $(, $col:ident $ty:ident)*) => {
        concat!(
            "jsonb_to_recordset(CAST(", $p, " AS jsonb)) AS x(", stringify!($first), " ", stringify!($fty),
            $(", ", stringify!($col), " ", stringify!($ty),)*
            ")"
        )
    };
}

/// `IN` a bound array (`site_list` / `text_list` / `id_list` make it).
macro_rules! in_list {
    ($p:literal) => {
        concat!("= ANY(", $p, ")")
    };
}

/// Equal ignoring ASCII case (SQLite's `NOCASE`; the indexes are on `lower(...)`).
macro_rules! same_text {
    ($col:literal, $p:literal) => {
        concat!("lower(", $col, ") = lower(", $p, ")")
    };
}

macro_rules! like {
    () => {
        "ILIKE"
    };
}

/// Concurrent writers on one thread take its row lock before recounting.
const ROW_LOCKS: bool = true;

/// `NO KEY UPDATE`: does not conflict with the `KEY SHARE` lock a foreign key takes.
macro_rules! for_update {
    () => {
        " FOR NO KEY UPDATE"
    };
}

macro_rules! score_bin {
    () => {
        "CAST(LEAST(FLOOR(c.abuse_score * 20), 19) AS BIGINT)"
    };
}

/// Nothing to lock: the ids come from sequences (`reserve_ids`), which never hand out a number
/// twice.
async fn lock_for_import(_tx: &mut Tx<'_>, _batch: i64) -> StoreResult<()> {
    Ok(())
}

/// `n` ids for new rows of `table`, taken from its identity sequence before the rows are
/// written (an import's multi-row inserts); other writers meanwhile get other numbers.
async fn reserve_ids(tx: &mut Tx<'_>, table: &'static str, n: usize) -> StoreResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
    )
    .bind(table)
    .bind(n as i64)
    .fetch_all(&mut **tx)
    .await
    .map_err(backend)
}

fn site_list(sites: &[SiteId]) -> StoreResult<Vec<String>> {
    Ok(sites.iter().map(|s| s.as_str().to_owned()).collect())
}

fn text_list(texts: Vec<String>) -> StoreResult<Vec<String>> {
    Ok(texts)
}

fn author_list(ids: &[AuthorId]) -> StoreResult<Vec<i64>> {
    Ok(ids.iter().map(|id| id.get()).collect())
}

fn id_list(ids: &[CommentId]) -> StoreResult<Vec<i64>> {
    Ok(ids.iter().map(|id| id.get()).collect())
}

impl PgStore {
    /// Each connection pool by name, for metrics.
    fn pools(&self) -> Vec<(&'static str, &PgPool)> {
        vec![("main", &self.pool)]
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    /// Every instance on this database hears it, this one included (through `forward_events`).
    async fn announce(&self, event: &Event) -> StoreResult<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(json(event)?)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Called by an import after each multi-row write. The planner decides how to look
    /// records up by the tables' statistics; on tables an import is filling they still say
    /// "nearly empty" until autovacuum analyses them (later, or never where it is off), and
    /// each lookup of a thousand ids then reads every row the source imported so far. So the
    /// statistics are refreshed whenever this process's import rows have doubled: about
    /// log2(n) `ANALYZE`s for n rows.
    async fn after_import(&self, tx: &mut Tx<'_>, rows: usize) -> StoreResult<()> {
        let total = self.imported_rows.fetch_add(rows as u64, Ordering::Relaxed) + rows as u64;
        if total >= 2 * self.analyzed_at.load(Ordering::Relaxed).max(1_000) {
            self.analyzed_at.store(total, Ordering::Relaxed);
            sqlx::query("ANALYZE imported, imported_authors, comments, authors")
                .execute(&mut **tx)
                .await
                .map_err(backend)?;
        }
        Ok(())
    }

    /// The thread row's version: any write that changes what readers see of a thread
    /// rewrites its row (the count is recomputed), so it gets a new `xmin`.
    async fn stamp(&self, thread_id: ThreadId) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT xmin::TEXT FROM threads WHERE id = $1")
            .bind(thread_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }
}

include!("../../store-sql/shared/store.rs");

/// Creates an empty database with a unique name on the server at `server_url` (e.g.
/// `postgres://postgres@127.0.0.1:5432`) and returns its URL. Tests and benchmarks use one
/// each; `scripts/test` drops those left from earlier runs (names start with `prefix`).
pub async fn fresh_database(server_url: &str, prefix: &str) -> StoreResult<String> {
    use sqlx::Connection;
    let base = server_url.trim_end_matches('/');
    let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .map_err(backend)?;
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        &jirga_store_sql::random_secret()[..12]
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .map_err(backend)?;
    admin.close().await.map_err(backend)?;
    Ok(format!("{base}/{name}"))
}
