//! Scale: thread reads as the database grows from 10,000 to 1,000,000 comments over 10,000
//! threads, on SQLite and on PostgreSQL.
//!
//! cargo run --release -p jirga-bench --bin scale -- [sqlite|postgres|both] [POSTGRES_SERVER_URL]
//!
//! 100 "probe" threads are filled first (100 comments each: 25 top-level, 75 replies, one in
//! 20 held); the other 9,900 threads are then filled in stages. After each stage a real Jirga
//! server (read cache off, so every read goes to the database) answers 2,000 reads of random
//! probe threads over loopback HTTP; the probe threads never change, so flat latency means the
//! database's size does not leak into a thread read. At the end the hot queries' plans are
//! printed (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).

use jirga_domain::SiteId;
use jirga_store::{NewSite, Store};
use jirga_web::{Application, Frontpage, Settings};
use std::sync::Arc;
use std::time::{Duration, Instant};

const THREADS: i64 = 10_000;
const PER_THREAD: i64 = 100;
const PROBES: i64 = 100;
const READS: usize = 2_000;
const STAGES: [i64; 5] = [PROBES, 1_000, 2_500, 5_000, THREADS];

/// Comments for threads [from, to], as one INSERT ... SELECT over generated numbers. `series`
/// is the backend's way to produce the rows (t: thread id, k: 0..99).
fn comments_sql(series: &str) -> String {
    format!(
        "INSERT INTO comments (id, thread_id, parent_id, root_id, depth, author_id, body_markdown, \
           body_html, status, moderation_reasons, moderation_version, edit_token_hash, votes, created_at, text_hash) \
         SELECT (t - 1) * {PER_THREAD} + k + 1, t, \
           CASE WHEN k % 4 = 0 THEN NULL ELSE (t - 1) * {PER_THREAD} + (k / 4) * 4 + 1 END, \
           CASE WHEN k % 4 = 0 THEN NULL ELSE (t - 1) * {PER_THREAD} + (k / 4) * 4 + 1 END, \
           CASE WHEN k % 4 = 0 THEN 0 ELSE 1 END, 1 + (t * 7 + k) % 1000, \
           'Comment ' || k || ' on article ' || t || ', about the river gauges and the warning times.', \
           '<p>Comment ' || k || ' on article ' || t || ', about the river gauges and the warning times.</p>', \
           CASE WHEN k % 20 = 19 THEN 'held' ELSE 'published' END, '[]', 'bench', 'x', (t * 31 + k) % 7, \
           1700000000000 + t * 1000 + k, 'h' || t || '-' || k \
         FROM {series}"
    )
}

const COUNT_SQL: &str = "UPDATE threads SET published_count = (SELECT COUNT(*) FROM comments c \
     WHERE c.thread_id = threads.id AND c.status = 'published') WHERE id BETWEEN {from} AND {to}";

enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Backend {
    fn url(&self) -> String {
        match self {
            Backend::Sqlite(dir) => format!("sqlite://{}/jirga.db", dir.path().display()),
            Backend::Postgres(url) => url.clone(),
        }
    }
    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }
}

async fn exec(db: &Backend, sql: String) {
    match db {
        Backend::Sqlite(dir) => {
            let pool =
                sqlx::SqlitePool::connect(&format!("sqlite://{}/jirga.db", dir.path().display()))
                    .await
                    .expect("sqlite");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .expect("sql");
            pool.close().await;
        }
        Backend::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.expect("pg");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .expect("sql");
            pool.close().await;
        }
    }
}

async fn fill(db: &Backend, from: i64, to: i64) {
    let series = match db {
        Backend::Sqlite(_) => format!(
            "(WITH RECURSIVE g(t) AS (SELECT {from} UNION ALL SELECT t + 1 FROM g WHERE t < {to}), \
              n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < {}) SELECT t, k FROM g, n)",
            PER_THREAD - 1
        ),
        Backend::Postgres(_) => format!(
            "generate_series({from}, {to}) t, generate_series(0, {}) k",
            PER_THREAD - 1
        ),
    };
    let counts = COUNT_SQL
        .replace("{from}", &from.to_string())
        .replace("{to}", &to.to_string());
    exec(db, format!("{}; {counts}", comments_sql(&series))).await;
}

async fn setup(db: &Backend, store: &dyn Store) {
    store
        .create_site(NewSite {
            id: SiteId::parse("scale").expect("id"),
            name: "Scale".into(),
            allowed_origins: vec![],
            auto_create_threads: true,
            policy: Default::default(),
            api_key_hash: "x".into(),
        })
        .await
        .expect("site");
    let (threads, authors) = match db {
        Backend::Sqlite(_) => (
            format!(
                "WITH RECURSIVE g(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM g WHERE t < {THREADS}) \
                 INSERT INTO threads (id, site_id, key, title, body_text, created_at) \
                 SELECT t, 'scale', '/t' || t, 'Article ' || t, '', t FROM g"
            ),
            "WITH RECURSIVE g(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM g WHERE a < 1000) \
             INSERT INTO authors (id, site_id, name, created_at) SELECT a, 'scale', 'Reader ' || a, 0 FROM g"
                .to_owned(),
        ),
        Backend::Postgres(_) => (
            format!(
                "INSERT INTO threads (id, site_id, key, title, body_text, created_at) \
                 SELECT t, 'scale', '/t' || t, 'Article ' || t, '', t FROM generate_series(1, {THREADS}) t"
            ),
            "INSERT INTO authors (id, site_id, name, created_at) \
             SELECT a, 'scale', 'Reader ' || a, 0 FROM generate_series(1, 1000) a"
                .to_owned(),
        ),
    };
    exec(db, format!("{threads}; {authors}")).await;
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn measure(url: &str, client: &reqwest::Client, query: &str) -> (f64, f64) {
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        1 + (seed >> 33) as i64 % PROBES
    };
    let mut lat = Vec::with_capacity(READS);
    for i in 0..READS + 200 {
        let t = next();
        let start = Instant::now();
        let resp = client
            .get(format!(
                "{url}/api/v1/comments?site=scale&thread=/t{t}{query}"
            ))
            .send()
            .await
            .expect("get");
        assert!(resp.status().is_success());
        let body = resp.bytes().await.expect("body");
        assert!(body.len() > 1000);
        if i >= 200 {
            lat.push(start.elapsed());
        }
    }
    lat.sort();
    (pct(&lat, 0.5), pct(&lat, 0.99))
}

async fn plans(db: &Backend) -> String {
    let queries = [
        (
            "first page, oldest first",
            "SELECT c.id FROM comments c WHERE c.thread_id = 57 AND c.parent_id IS NULL AND (c.status = 'published' OR EXISTS (SELECT 1 FROM comments d WHERE d.root_id = c.id AND d.status = 'published')) ORDER BY c.created_at, c.id LIMIT 10",
        ),
        (
            "first page, most liked",
            "SELECT c.id FROM comments c WHERE c.thread_id = 57 AND c.parent_id IS NULL AND (c.status = 'published' OR EXISTS (SELECT 1 FROM comments d WHERE d.root_id = c.id AND d.status = 'published')) ORDER BY c.votes DESC, c.id LIMIT 10",
        ),
        (
            "replies under a page",
            "SELECT c.id FROM comments c WHERE c.root_id IN (ROOTS) ORDER BY c.created_at, c.id",
        ),
        (
            "thread by key",
            "SELECT id FROM threads WHERE site_id = 'scale' AND key = '/t57'",
        ),
        (
            "counts",
            "SELECT key, published_count FROM threads WHERE site_id = 'scale' AND key IN ('/t1', '/t2', '/t3')",
        ),
    ];
    let mut out = String::new();
    for (name, sql) in queries {
        // The roots as each store passes them: a JSON array on SQLite, an array on PostgreSQL.
        let sql = sql.replace(
            "IN (ROOTS)",
            match db {
                Backend::Sqlite(_) => {
                    "IN (SELECT value FROM json_each('[5601,5605,5609,5613,5617]'))"
                }
                Backend::Postgres(_) => "= ANY('{5601,5605,5609,5613,5617}'::BIGINT[])",
            },
        );
        out.push_str(&format!("\n{name}:\n"));
        let lines: Vec<String> = match db {
            Backend::Sqlite(dir) => {
                let pool = sqlx::SqlitePool::connect(&format!(
                    "sqlite://{}/jirga.db",
                    dir.path().display()
                ))
                .await
                .expect("sqlite");
                let rows: Vec<(i64, i64, i64, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                        .fetch_all(&pool)
                        .await
                        .expect("plan");
                rows.into_iter().map(|r| r.3).collect()
            }
            Backend::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url).await.expect("pg");
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "EXPLAIN (ANALYZE, COSTS OFF) {sql}"
                )))
                .fetch_all(&pool)
                .await
                .expect("plan")
            }
        };
        for l in lines {
            out.push_str(&format!("    {l}\n"));
        }
    }
    out
}

async fn run(db: Backend) {
    let mut settings = Settings {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database: Some(db.url().into()),
        read_cache: false,
        ..Settings::default()
    };
    let data = tempfile::tempdir().expect("tmp");
    settings.data = data.path().to_path_buf();
    let store: Arc<dyn Store> = jirga_storage::open(
        settings.database.as_ref().map(jirga_domain::Secret::expose),
        &settings.data,
    )
    .await
    .expect("open");
    setup(&db, store.as_ref()).await;
    let app = Application::build(settings, store.clone(), Frontpage::default())
        .await
        .expect("app");
    let url = app.url().to_owned();
    tokio::spawn(app.run());
    let client = reqwest::Client::new();
    println!("\n## {}\n", db.name());
    println!(
        "| comments in the database | fill time (s) | first page p50 (ms) | p99 (ms) | most liked p50 (ms) | p99 (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut filled = 0;
    for stage in STAGES {
        let start = Instant::now();
        fill(&db, filled + 1, stage).await;
        if let Backend::Postgres(_) = db {
            exec(&db, "ANALYZE".into()).await;
        }
        let took = start.elapsed().as_secs_f64();
        filled = stage;
        let (p50, p99) = measure(&url, &client, "").await;
        let (t50, t99) = measure(&url, &client, "&sort=top").await;
        println!(
            "| {} | {took:.1} | {p50:.2} | {p99:.2} | {t50:.2} | {t99:.2} |",
            filled * PER_THREAD
        );
    }
    println!(
        "\nQuery plans at {} comments:\n```{}```",
        filled * PER_THREAD,
        plans(&db).await
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "both".into());
    let server = args
        .next()
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".into());
    println!("# Scale: thread reads from 10,000 to 1,000,000 comments\n");
    println!(
        "Each row: {READS} sequential reads (loopback HTTP, read cache off) of random probe threads of 100 comments; `bench/src/bin/scale.rs`."
    );
    if which == "sqlite" || which == "both" {
        run(Backend::Sqlite(tempfile::tempdir().expect("tmp"))).await;
    }
    if which == "postgres" || which == "both" {
        let url = jirga_store_postgres::fresh_database(&server, "jirga_bench")
            .await
            .expect("database");
        run(Backend::Postgres(url)).await;
    }
}
