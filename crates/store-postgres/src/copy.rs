//! `jirga migrate-store`: copies a SQLite store into PostgreSQL, table by table in batches,
//! keeping every id; then moves the id sequences past the copied ids and checks that both
//! sides hold the same rows (counts, and an order-independent checksum of every row).
//!
//! Resuming: rows are inserted with `ON CONFLICT DO NOTHING`, and tables keyed by id restart
//! after the largest id already copied, so a copy cut off at any point can be run again with
//! `resume` and ends with the same result as one that never stopped.

use futures_util::TryStreamExt;
use jirga_store::{StoreError, StoreResult};
use jirga_store_sql::backend;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Row};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Int,
    /// `INTEGER` (4 bytes) on PostgreSQL.
    Int32,
    Text,
    Real,
    Bool,
}

struct Table {
    name: &'static str,
    /// Whether `id` is an integer key (copies resume after the largest copied id).
    has_id: bool,
    cols: &'static [(&'static str, Kind)],
}

use Kind::*;

/// Every table of the store, parents before the tables that refer to them.
const TABLES: &[Table] = &[
    Table {
        name: "sites",
        has_id: false,
        cols: &[
            ("id", Text),
            ("name", Text),
            ("allowed_origins", Text),
            ("auto_create_threads", Bool),
            ("api_key_hash", Text),
            ("created_at", Int),
            ("policy", Text),
        ],
    },
    Table {
        name: "accounts",
        has_id: true,
        cols: &[
            ("id", Int),
            ("email", Text),
            ("name", Text),
            ("password_hash", Text),
            ("email_verified", Bool),
            ("oidc_issuer", Text),
            ("oidc_subject", Text),
            ("created_at", Int),
            ("profile_iat", Int),
        ],
    },
    Table {
        name: "account_sessions",
        has_id: false,
        cols: &[
            ("token_hash", Text),
            ("account_id", Int),
            ("created_at", Int),
            ("expires_at", Int),
        ],
    },
    Table {
        name: "account_tokens",
        has_id: false,
        cols: &[
            ("token_hash", Text),
            ("account_id", Int),
            ("purpose", Text),
            ("expires_at", Int),
        ],
    },
    Table {
        name: "threads",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("key", Text),
            ("title", Text),
            ("url", Text),
            ("body_text", Text),
            ("closed", Bool),
            ("published_count", Int),
            ("created_at", Int),
        ],
    },
    Table {
        name: "authors",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("name", Text),
            ("email", Text),
            ("affiliation", Text),
            ("verified", Bool),
            ("created_at", Int),
            ("account_id", Int),
        ],
    },
    Table {
        name: "comments",
        has_id: true,
        cols: &[
            ("id", Int),
            ("thread_id", Int),
            ("parent_id", Int),
            ("root_id", Int),
            ("depth", Int),
            ("author_id", Int),
            ("body_markdown", Text),
            ("body_html", Text),
            ("status", Text),
            ("moderation_reasons", Text),
            ("moderation_version", Text),
            ("edit_token_hash", Text),
            ("votes", Int),
            ("created_at", Int),
            ("edited_at", Int),
            ("abuse_score", Real),
            ("on_topic_score", Real),
            ("text_hash", Text),
            ("ip_hash", Text),
        ],
    },
    Table {
        name: "votes",
        has_id: false,
        cols: &[
            ("comment_id", Int),
            ("voter", Text),
            ("value", Int32),
            ("created_at", Int),
        ],
    },
    Table {
        name: "reports",
        has_id: true,
        cols: &[
            ("id", Int),
            ("comment_id", Int),
            ("reporter", Text),
            ("reason", Text),
            ("note", Text),
            ("created_at", Int),
            ("resolved_at", Int),
        ],
    },
    Table {
        name: "secrets",
        has_id: false,
        cols: &[("name", Text), ("value", Text)],
    },
    Table {
        name: "moderators",
        has_id: true,
        cols: &[
            ("id", Int),
            ("email", Text),
            ("name", Text),
            ("password_hash", Text),
            ("created_at", Int),
            ("digest_hours", Int32),
            ("digest_sent_at", Int),
        ],
    },
    Table {
        name: "moderator_sites",
        has_id: false,
        cols: &[("moderator_id", Int), ("site_id", Text), ("role", Text)],
    },
    Table {
        name: "sessions",
        has_id: false,
        cols: &[
            ("token_hash", Text),
            ("moderator_id", Int),
            ("created_at", Int),
            ("expires_at", Int),
        ],
    },
    Table {
        name: "bans",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("author_id", Int),
            ("until", Int),
            ("created_at", Int),
            ("email", Text),
            ("ip_hash", Text),
            ("shadow", Bool),
        ],
    },
    Table {
        name: "modlog",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("moderator_id", Int),
            ("moderator", Text),
            ("action", Text),
            ("comment_id", Int),
            ("author_id", Int),
            ("note", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "webhooks",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("url", Text),
            ("secret", Text),
            ("events", Text),
            ("format", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "webhook_deliveries",
        has_id: true,
        cols: &[
            ("id", Int),
            ("webhook_id", Int),
            ("event_id", Text),
            ("event", Text),
            ("payload", Text),
            ("attempts", Int32),
            ("next_attempt_at", Int),
            ("created_at", Int),
            ("delivered_at", Int),
            ("given_up", Bool),
            ("last_status", Int32),
            ("last_error", Text),
            ("last_response", Text),
        ],
    },
    Table {
        name: "webhook_journal",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("event", Text),
            ("comment_id", Int),
            ("detail", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "mail_outbox",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("to_addr", Text),
            ("subject", Text),
            ("body", Text),
            ("unsubscribe", Text),
            ("attempts", Int32),
            ("next_attempt_at", Int),
            ("created_at", Int),
            ("sent_at", Int),
            ("given_up", Bool),
            ("last_error", Text),
        ],
    },
    Table {
        name: "mail_readers",
        has_id: false,
        cols: &[
            ("site_id", Text),
            ("email", Text),
            ("author_id", Int),
            ("confirmed_at", Int),
            ("confirm_sent_at", Int),
            ("replies", Bool),
            ("replies_sent_at", Int),
        ],
    },
    Table {
        name: "reply_notices",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("email", Text),
            ("comment_id", Int),
            ("created_at", Int),
        ],
    },
    Table {
        name: "revoked_tokens",
        has_id: false,
        cols: &[("site_id", Text), ("jti", Text), ("expires_at", Int)],
    },
    Table {
        name: "import_batches",
        has_id: true,
        cols: &[
            ("id", Int),
            ("site_id", Text),
            ("source", Text),
            ("file_name", Text),
            ("report", Text),
            ("created_at", Int),
            ("undone_at", Int),
        ],
    },
    Table {
        name: "imported",
        has_id: false,
        cols: &[
            ("site_id", Text),
            ("source", Text),
            ("external_id", Text),
            ("comment_id", Int),
            ("batch_id", Int),
            ("parent_external_id", Text),
        ],
    },
    Table {
        name: "imported_authors",
        has_id: false,
        cols: &[
            ("site_id", Text),
            ("source", Text),
            ("author_key", Text),
            ("author_id", Int),
            ("batch_id", Int),
        ],
    },
    Table {
        name: "import_threads",
        has_id: false,
        cols: &[("batch_id", Int), ("thread_id", Int)],
    },
];

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Real(Option<f64>),
    Bool(bool),
}

impl Value {
    /// A canonical text form for the checksum, the same whichever database the value came from.
    fn canonical(&self, out: &mut Vec<u8>) {
        match self {
            Value::Int(None) | Value::Text(None) | Value::Real(None) => out.extend_from_slice(b"N"),
            Value::Int(Some(v)) => out.extend_from_slice(format!("I{v}").as_bytes()),
            Value::Text(Some(s)) => {
                out.extend_from_slice(format!("T{}:", s.len()).as_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            Value::Real(Some(v)) => {
                out.extend_from_slice(format!("R{:016x}", v.to_bits()).as_bytes())
            }
            Value::Bool(b) => out.extend_from_slice(if *b { b"B1" } else { b"B0" }),
        }
        out.push(0x1f);
    }
}

/// What one table looks like after a copy.
#[derive(Debug, Clone, PartialEq)]
pub struct TableReport {
    pub table: &'static str,
    pub source_rows: i64,
    pub target_rows: i64,
    pub source_checksum: String,
    pub target_checksum: String,
}

impl TableReport {
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_checksum == self.target_checksum
    }
}

#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// Allow a target that already holds rows (to finish an interrupted copy).
    pub resume: bool,
    pub batch: usize,
    /// Stop with an error after copying this many rows (to test resuming).
    pub stop_after_rows: Option<u64>,
}

impl Default for CopyOptions {
    fn default() -> Self {
        Self {
            resume: false,
            batch: 1000,
            stop_after_rows: None,
        }
    }
}

/// Copies everything from `from` to `to` (both already migrated), reporting progress to
/// `progress(table, rows copied so far, rows in the table)`.
pub async fn copy_store(
    from: &SqlitePool,
    to: &PgPool,
    options: &CopyOptions,
    mut progress: impl FnMut(&str, u64, u64),
) -> StoreResult<Vec<TableReport>> {
    check_schema(from, to).await?;
    if !options.resume {
        for t in TABLES {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {}",
                t.name
            )))
            .fetch_one(to)
            .await
            .map_err(backend)?;
            if n > 0 {
                return Err(StoreError::Conflict(format!(
                    "the target already holds data ({n} rows in {}); use --resume to finish an \
                     interrupted copy into it",
                    t.name
                )));
            }
        }
    }
    let mut copied_total = 0u64;
    for t in TABLES {
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {}",
            t.name
        )))
        .fetch_one(from)
        .await
        .map_err(backend)?;
        let total = u64::try_from(total).unwrap_or(0);
        // Resume after the largest id already there (rows are copied in id order).
        let mut after: i64 = if t.has_id {
            sqlx::query_scalar::<_, Option<i64>>(sqlx::AssertSqlSafe(format!(
                "SELECT MAX(id) FROM {}",
                t.name
            )))
            .fetch_one(to)
            .await
            .map_err(backend)?
            .unwrap_or(0)
        } else {
            0
        };
        let mut done: u64 = if t.has_id {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {} WHERE id <= $1",
                t.name
            )))
            .bind(after)
            .fetch_one(to)
            .await
            .map_err(backend)?;
            u64::try_from(n).unwrap_or(0)
        } else {
            0
        };
        progress(t.name, done, total);
        let cols: Vec<&str> = t.cols.iter().map(|(c, _)| *c).collect();
        let list = cols.join(", ");
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT rowid AS _rowid, {list} FROM {} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                t.name
            )))
            .bind(after)
            .bind(options.batch as i64)
            .fetch_all(from)
            .await
            .map_err(backend)?;
            if rows.is_empty() {
                break;
            }
            let mut values = Vec::with_capacity(rows.len());
            for r in &rows {
                after = r.try_get("_rowid").map_err(backend)?;
                values.push(sqlite_values(r, t)?);
            }
            let mut q: QueryBuilder<sqlx::Postgres> =
                QueryBuilder::new(format!("INSERT INTO {} ({list}) ", t.name));
            q.push_values(values, |mut b, row| {
                for v in row {
                    match v {
                        Value::Int(x) => b.push_bind(x),
                        Value::Text(x) => b.push_bind(x),
                        Value::Real(x) => b.push_bind(x),
                        Value::Bool(x) => b.push_bind(x),
                    };
                }
            });
            q.push(" ON CONFLICT DO NOTHING");
            let mut tx = to.begin().await.map_err(backend)?;
            q.build().execute(&mut *tx).await.map_err(backend)?;
            tx.commit().await.map_err(backend)?;
            done += rows.len() as u64;
            copied_total += rows.len() as u64;
            progress(t.name, done, total);
            if options.stop_after_rows.is_some_and(|n| copied_total >= n) {
                return Err(StoreError::Backend(format!(
                    "stopped after {copied_total} rows, as asked"
                )));
            }
        }
        if t.has_id {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                t.name
            )))
            .execute(to)
            .await
            .map_err(backend)?;
        }
    }
    verify(from, to).await
}

/// Counts and checksums of every table on both sides.
pub async fn verify(from: &SqlitePool, to: &PgPool) -> StoreResult<Vec<TableReport>> {
    let mut out = Vec::new();
    for t in TABLES {
        let list = t
            .cols
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {list} FROM {}", t.name);
        // Streamed, so a million rows are checked in constant memory.
        let (source_rows, source_sum) = tally(
            sqlx::query(sqlx::AssertSqlSafe(sql.clone())).fetch(from),
            t,
            sqlite_values,
        )
        .await?;
        let (target_rows, target_sum) = tally(
            sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(to),
            t,
            pg_values,
        )
        .await?;
        out.push(TableReport {
            table: t.name,
            source_rows,
            target_rows,
            source_checksum: format!("{source_sum:032x}"),
            target_checksum: format!("{target_sum:032x}"),
        });
    }
    Ok(out)
}

/// Refuses to copy when either side has a table or column this copier does not know: a
/// later migration must be added to `TABLES` before data can be lost silently.
async fn check_schema(from: &SqlitePool, to: &PgPool) -> StoreResult<()> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name != '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(from)
    .await
    .map_err(backend)?;
    for name in &tables {
        let Some(t) = TABLES.iter().find(|t| t.name == name) else {
            return Err(StoreError::Backend(format!(
                "migrate-store does not know the table {name:?}"
            )));
        };
        let mut cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{name}')"
        )))
        .fetch_all(from)
        .await
        .map_err(backend)?;
        let mut pg_cols: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::TEXT FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind(name)
        .fetch_all(to)
        .await
        .map_err(backend)?;
        let mut known: Vec<String> = t.cols.iter().map(|(c, _)| (*c).to_owned()).collect();
        cols.sort();
        pg_cols.sort();
        known.sort();
        if cols != known || pg_cols != known {
            return Err(StoreError::Backend(format!(
                "table {name}: SQLite has {cols:?}, PostgreSQL {pg_cols:?}, migrate-store copies {known:?}"
            )));
        }
    }
    Ok(())
}

/// Rows and the order-independent sum of their hashes, whichever database they come from.
async fn tally<R>(
    mut rows: futures_util::stream::BoxStream<'_, Result<R, sqlx::Error>>,
    t: &Table,
    values: fn(&R, &Table) -> StoreResult<Vec<Value>>,
) -> StoreResult<(i64, u128)> {
    let (mut n, mut sum) = (0i64, 0u128);
    while let Some(r) = rows.try_next().await.map_err(backend)? {
        n += 1;
        sum = sum.wrapping_add(row_hash(&values(&r, t)?));
    }
    Ok((n, sum))
}

fn row_hash(values: &[Value]) -> u128 {
    let mut bytes = Vec::with_capacity(128);
    for v in values {
        v.canonical(&mut bytes);
    }
    let digest = Sha256::digest(&bytes);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

macro_rules! values_of {
    ($fn:ident, $row:ty) => {
        fn $fn(r: &$row, t: &Table) -> StoreResult<Vec<Value>> {
            t.cols
                .iter()
                .map(|&(c, kind)| {
                    Ok(match kind {
                        Int => Value::Int(r.try_get::<Option<i64>, _>(c).map_err(backend)?),
                        Int32 => Value::Int(
                            r.try_get::<Option<i32>, _>(c)
                                .map_err(backend)?
                                .map(i64::from),
                        ),
                        Text => Value::Text(r.try_get(c).map_err(backend)?),
                        Real => Value::Real(r.try_get(c).map_err(backend)?),
                        Bool => Value::Bool(r.try_get(c).map_err(backend)?),
                    })
                })
                .collect()
        }
    };
}

values_of!(sqlite_values, sqlx::sqlite::SqliteRow);
values_of!(pg_values, sqlx::postgres::PgRow);
