//! The embedded SQLite database: one file, WAL mode, migrations applied at start.

use std::{str::FromStr, time::Duration};

use anyhow::Context;
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// SQLite serialises writers, so a large pool only adds lock contention; a few
/// connections let reads run beside the one writer (WAL) without waiting.
pub const MAX_CONNECTIONS: u32 = 8;

/// How long a connection waits on a lock held by another before `SQLITE_BUSY`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the database at `url` and returns a pool.
///
/// The folder of the file is created too, so the default `sqlite://data/…` works
/// on a fresh checkout.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid DATABASE_URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk (WAL fsynced) before it returns, so a `201`
        // survives a power cut, not only a crash of this process. Writes are
        // few and small; the events writer (issue 6) groups them per commit.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true);

    let file = options.get_filename();
    if let Some(parent) = file.parent()
        && !parent.as_os_str().is_empty()
        && file.to_str() != Some(":memory:")
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }

    SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {url:?}"))
}

/// Applies the migrations in `migrations/` (embedded at compile time) that the
/// database has not seen yet.
pub async fn migrate(pool: &SqlitePool) -> anyhow::Result<()> {
    sqlx::migrate!("../migrations")
        .run(pool)
        .await
        .context("failed to apply database migrations")
}

/// A cheap round trip proving the database answers (used by `/ready`).
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await
        .map(|_| ())
}
