//! Opening the database named by a URL, creating and migrating it as needed.

use crate::{Store, StoreError};
use cnscd_domain::clock::Clock;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::Executor;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Where the embedded database lives when nothing else is said.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://cnscd-data/cnscd.db";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The file path inside a `sqlite://` URL (`sqlite:///abs/x.db`, `sqlite://rel/x.db`), unless in memory.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then_some(path)
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating a SQLite file and its folder if missing,
    /// and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30));
        // WAL lets readers work while one writer writes; a 32 MiB page cache and memory-mapped reads keep a
        // national registry's indexes in memory. Writers of other processes (a CLI import beside the server)
        // wait up to a minute for the write lock rather than fail.
        let options = if backend == Backend::Sqlite {
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000; \
                         PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456;",
                    )
                    .await?;
                    Ok(())
                })
            })
        } else {
            options
        };
        let pool = options.connect(&url).await?;
        let store = Store {
            pool,
            backend,
            sqlite_writer: Arc::new(tokio::sync::Mutex::new(())),
            changes: Arc::default(),
            clock: Clock::system(),
        };
        store.migrate().await?;
        store.run_upgrades().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Waits for this process's turn to write (SQLite only; PostgreSQL handles concurrent writers). Other
    /// processes on the same file wait in SQLite's busy handler.
    pub(crate) async fn writer_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.clone().lock_owned().await),
            Backend::Postgres => None,
        }
    }

    /// Refreshes the planner's statistics after a bulk write (an import, demo data): PostgreSQL planned a
    /// commune's members as a full scan (40 ms instead of 2 ms) on statistics taken before 30,000 rows arrived.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        let sql = match self.backend {
            Backend::Postgres => "ANALYZE teams, members, search_terms, decision_teams",
            Backend::Sqlite => "PRAGMA optimize",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// The same store reading the time from `clock` (tests set the time instead of waiting).
    pub fn with_clock(&self, clock: Clock) -> Self {
        Self {
            clock,
            ..self.clone()
        }
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// How many audited changes this process has committed: a cache built at one count is stale at another
    /// (changes by another process, a CLI import, are caught by the cache's own age limit).
    pub fn changes(&self) -> u64 {
        self.changes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Closes every connection (tests and the CLI call this before exiting).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the folder of a SQLite file and asks SQLite to create the file itself if missing.
fn prepare_sqlite(url: &str) -> Result<String, StoreError> {
    if let Some(parent) = sqlite_file(url).and_then(|file| Path::new(file).parent()) {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::DataDirectory {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let url = if url.starts_with("sqlite://") || url.starts_with("sqlite:") {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    };
    Ok(if url.contains("mode=") {
        url
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_file_in_sqlite_urls() {
        assert_eq!(
            sqlite_file("sqlite:///var/lib/cnscd/cnscd.db"),
            Some("/var/lib/cnscd/cnscd.db")
        );
        assert_eq!(
            sqlite_file("sqlite://relative/path.db?mode=rwc"),
            Some("relative/path.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }
}
