//! Opening the store a database URL names: `postgres://...` for PostgreSQL,
//! `sqlite://path/to/jirga.db` for a SQLite file, or none for `jirga.db` in the data directory.
//! Only the binary (and tests and benchmarks) open stores: the web layer sees `dyn Store`.

use anyhow::{Context, bail};
use jirga_store::Store;
use jirga_store_postgres::PgStore;
use jirga_store_sqlite::SqliteStore;
use std::path::Path;
use std::sync::Arc;

/// Which backend a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Database {
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                bail!("database URL {url:?} names no file (sqlite://path/to/jirga.db)");
            }
            Ok(Database::Sqlite(path.into()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(url.to_owned()))
        } else {
            bail!("database URL {url:?} must start with sqlite:// or postgres://")
        }
    }

    /// The database a URL names, or `jirga.db` in the data directory without one.
    pub fn of(url: Option<&str>, data: &Path) -> anyhow::Result<Self> {
        match url {
            Some(url) => Self::parse(url),
            None => Ok(Database::Sqlite(data.join("jirga.db"))),
        }
    }

    pub async fn open(&self) -> anyhow::Result<Arc<dyn Store>> {
        Ok(match self {
            Database::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                Arc::new(
                    SqliteStore::open_file(Path::new(path))
                        .await
                        .with_context(|| format!("cannot open {}", path.display()))?,
                )
            }
            Database::Postgres(url) => Arc::new(
                PgStore::open(url)
                    .await
                    .with_context(|| format!("cannot open {}", redact(url)))?,
            ),
        })
    }
}

/// The store a database URL names (or `jirga.db` in `data`), opened and migrated.
pub async fn open(url: Option<&str>, data: &Path) -> anyhow::Result<Arc<dyn Store>> {
    Database::of(url, data)?.open().await
}

/// The URL without its password, for messages.
pub use jirga_domain::secret::redact;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            Database::parse("sqlite:///var/lib/jirga/jirga.db").ok(),
            Some(Database::Sqlite("/var/lib/jirga/jirga.db".into()))
        );
        assert!(matches!(
            Database::parse("postgres://jirga@db/jirga"),
            Ok(Database::Postgres(_))
        ));
        assert!(Database::parse("mysql://x").is_err());
        assert!(Database::parse("sqlite://").is_err());
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
    }
}
