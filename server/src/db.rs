//! The embedded SQLite database: one file, WAL mode, migrations applied at start.
//!
//! Three guarantees live here (issue 14):
//! - **No connection goes back to the pool inside a transaction or read-only.**
//!   After every use the pool asks SQLite itself (`sqlite3_get_autocommit`,
//!   `sqlite3_db_readonly`) and compares with sqlx's transaction depth; a
//!   connection left in a transaction (a failed `COMMIT`/`ROLLBACK`, an
//!   automatic rollback sqlx did not see) or opened read-only is closed, never
//!   reused, and counted in `ats_scorer_db_connections_retired_total{reason}`.
//!   A connection kept inside a transaction would hold the write lock and turn
//!   the next `BEGIN` into a `SAVEPOINT` whose "commit" commits nothing.
//! - **Write transactions start with `BEGIN IMMEDIATE`** ([`begin_write`]): they
//!   take the write lock up front, waiting on the busy timeout instead of
//!   failing with "database is locked" when another writer holds it, and sqlx
//!   refuses a custom `BEGIN` on a connection it believes is inside a
//!   transaction, so a `COMMIT` that returns `Ok` is a real commit.
//! - **Readiness and start-up prove a write** ([`Health`]): a probe on a fresh
//!   connection replaces a row of `write_probe` in a `BEGIN IMMEDIATE`
//!   transaction and checks the pages left under `max_page_count`.

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use anyhow::Context;
use prometheus::{Histogram, IntCounterVec, IntGauge, Opts};
use sqlx::{
    Connection, Sqlite, SqliteConnection, SqlitePool, Transaction,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// SQLite serialises writers, so a large pool only adds lock contention; a few
/// connections let reads run beside the one writer (WAL) without waiting.
pub const MAX_CONNECTIONS: u32 = 8;

/// How long a connection waits on a lock held by another before `SQLITE_BUSY`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's page size as sqlx sets it (bytes); `--database-max-size-mb` is
/// turned into `max_page_count` with it.
pub const PAGE_SIZE: u64 = 4096;

/// How long a readiness answer is reused: `/ready` floods share one probe per
/// second instead of paying one fsync each.
pub const PROBE_CACHE: Duration = Duration::from_secs(1);

/// Longest a readiness probe may take (waiting on the write lock included)
/// before the database is called unavailable.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Pages of padding the probe writes, so its commit appends about as many
/// WAL frames as an event batch: on a full disk, space a failed transaction
/// left in the WAL can take a smaller write, and the probe would say 200
/// while real writes fail.
const PROBE_PAGES: i64 = 16;

/// Below this many pages left under `max_page_count` (free-list pages count as
/// left) the database is reported full: real writes (an event batch is a few
/// pages) would fail.
pub const HEADROOM_PAGES: i64 = 16;

/// `reason` values of `ats_scorer_db_connections_retired_total`.
pub const RETIRE_REASONS: [&str; 4] = ["file_moved", "in_transaction", "stale_depth", "read_only"];

/// The pool and its storage health, opened by [`open`].
pub struct Database {
    pub pool: SqlitePool,
    pub health: Arc<Health>,
}

/// Opens (creating if needed) the database at `url` and returns a pool.
///
/// The folder of the file is created too, so the default `sqlite://data/…` works
/// on a fresh checkout. Same as [`open`] without a size cap, for the commands
/// that only need a pool.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    Ok(open(url, None).await?.pool)
}

/// Opens (creating if needed) the database at `url`: WAL, `synchronous=FULL`,
/// 5 s busy timeout, foreign keys, and `max_page_count` from `max_size_mb`
/// (megabytes of 2^20 bytes; `None`: SQLite's own limit) on every connection.
/// Connections are checked on release (see the module doc).
///
/// Errors: an invalid URL, a folder that cannot be created, a file that
/// cannot be opened (the message names the file and the likely cause).
pub async fn open(url: &str, max_size_mb: Option<u64>) -> anyhow::Result<Database> {
    let mut options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid DATABASE_URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk (WAL fsynced) before it returns, so a `201`
        // survives a power cut, not only a crash of this process. Writes are
        // few and small; the events writer (issue 6) groups them per commit.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true);
    if let Some(mb) = max_size_mb {
        let pages = (mb.saturating_mul(1 << 20) / PAGE_SIZE).max(1);
        options = options.pragma("max_page_count", pages.to_string());
    }

    let file = options.get_filename().to_path_buf();
    if let Some(parent) = file.parent()
        && !parent.as_os_str().is_empty()
        && file.to_str() != Some(":memory:")
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }

    let retired = IntCounterVec::new(
        Opts::new(
            "ats_scorer_db_connections_retired_total",
            "Pooled SQLite connections closed instead of reused, by reason: file_moved (its \
             database file was removed or replaced since it was opened: a restore, a mistaken \
             delete), in_transaction \
             (SQLite still inside a transaction after use: a failed COMMIT or ROLLBACK), \
             stale_depth (sqlx believed a transaction open that SQLite had rolled back), \
             read_only (opened read-only: files or folder not writable at the time).",
        ),
        &["reason"],
    )
    .expect("valid metric");
    for reason in RETIRE_REASONS {
        retired.with_label_values(&[reason]);
    }
    let (on_release, on_acquire) = (retired.clone(), retired.clone());

    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        // After every use: never reuse a connection SQLite left inside a
        // transaction (or sqlx believes is), nor one that is read-only.
        .after_release(move |conn, _meta| {
            let retired = on_release.clone();
            Box::pin(async move { keep(conn, &retired).await })
        })
        // Before reusing an idle one too: a connection opened while the files
        // were read-only must not serve a write once they are fixed. (Only
        // idle connections are checked; a new one is used, then retired on
        // release, so a read-only database costs a connect per request but
        // never loops.)
        .before_acquire(move |conn, _meta| {
            let retired = on_acquire.clone();
            Box::pin(async move { keep(conn, &retired).await })
        })
        .connect_with(options.clone())
        .await
        .map_err(|e| storage_error(&file, "open", &e))?;
    // The file exists now. A connection opened later must find it, never
    // create an empty one: a database removed while the server runs is then
    // an error (`SQLITE_CANTOPEN`, readiness fails) instead of writes into a
    // new file without tables or data.
    pool.set_connect_options(options.create_if_missing(false));

    Ok(Database {
        health: Arc::new(Health {
            pool: pool.clone(),
            file,
            retired,
            last: tokio::sync::Mutex::new(None),
            ready_gauge: OnceLock::new(),
            probe_seconds: OnceLock::new(),
        }),
        pool,
    })
}

/// Whether the pool may keep `conn`; counts and logs a retirement.
async fn keep(conn: &mut SqliteConnection, retired: &IntCounterVec) -> Result<bool, sqlx::Error> {
    match connection_state(conn).await?.retire_reason() {
        None => Ok(true),
        Some(reason) => {
            tracing::warn!(reason, "database connection retired instead of reused");
            retired.with_label_values(&[reason]).inc();
            Ok(false)
        }
    }
}

/// What SQLite and sqlx say about a connection between uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionState {
    /// SQLite is in autocommit mode (no transaction open).
    pub autocommit: bool,
    /// The main database was opened read-only.
    pub read_only: bool,
    /// sqlx's transaction depth (0: none).
    pub depth_open: bool,
    /// The database file at the connection's path is no longer the one it
    /// opened (removed, renamed or replaced): SQLite's `SQLITE_FCNTL_HAS_MOVED`,
    /// which compares the open file's inode with the path's.
    pub moved: bool,
}

impl ConnectionState {
    /// Why this connection must not be reused (`None`: it may).
    pub fn retire_reason(&self) -> Option<&'static str> {
        if self.moved {
            Some("file_moved")
        } else if !self.autocommit {
            Some("in_transaction")
        } else if self.depth_open {
            Some("stale_depth")
        } else if self.read_only {
            Some("read_only")
        } else {
            None
        }
    }
}

/// Reads the state of `conn` from its SQLite handle. The handle is reached
/// through the connection's command queue, so a rollback queued by a dropped
/// `Transaction` has run before.
pub async fn connection_state(conn: &mut SqliteConnection) -> Result<ConnectionState, sqlx::Error> {
    let depth_open = conn.is_in_transaction();
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the live handle of this connection, held exclusively by
    // the lock for the duration of both calls; neither keeps the pointer.
    let mut moved: std::ffi::c_int = 0;
    // SAFETY: as above; `moved` outlives the call, which writes one int to it.
    let (autocommit, read_only, moved_known) = unsafe {
        (
            libsqlite3_sys::sqlite3_get_autocommit(db) != 0,
            libsqlite3_sys::sqlite3_db_readonly(db, c"main".as_ptr()) == 1,
            libsqlite3_sys::sqlite3_file_control(
                db,
                c"main".as_ptr(),
                libsqlite3_sys::SQLITE_FCNTL_HAS_MOVED,
                (&raw mut moved).cast(),
            ) == libsqlite3_sys::SQLITE_OK,
        )
    };
    Ok(ConnectionState {
        autocommit,
        read_only,
        depth_open,
        moved: moved_known && moved != 0,
    })
}

/// Starts a write transaction with `BEGIN IMMEDIATE` on a pooled connection.
///
/// Every write transaction goes through here: the write lock is taken at
/// `BEGIN` (waiting up to [`BUSY_TIMEOUT`] for another writer) rather than at
/// the first write, where WAL mode may answer `SQLITE_BUSY` at once. Fails
/// rather than nest (`InvalidSavePointStatement`) on a connection sqlx
/// believes is in a transaction, and fails if SQLite already is in one.
///
/// Fails with [`moved_error`] when the database file was removed or replaced
/// after the connection opened it (checked once the write lock is held, so a
/// write never lands in a file nobody will read again; the connection is then
/// retired on release).
pub async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    if connection_state(&mut tx).await?.moved {
        return Err(moved_error());
    }
    Ok(tx)
}

/// Applies the migrations in `migrations/` (embedded at compile time) that the
/// database has not seen yet.
pub async fn migrate(pool: &SqlitePool) -> anyhow::Result<()> {
    sqlx::migrate!("../migrations")
        .run(pool)
        .await
        .context("failed to apply database migrations")
}

/// A cheap round trip proving the database answers (reads only).
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await
        .map(|_| ())
}

/// The SQLite primary result code of a database error (`SQLITE_FULL` is 13…).
pub fn primary_code(e: &sqlx::Error) -> Option<u32> {
    match e {
        sqlx::Error::Database(d) => d.code()?.parse::<u32>().ok().map(|c| c & 0xff),
        _ => None,
    }
}

/// Whether `e` says the storage refuses writes: full (`SQLITE_FULL`),
/// read-only (`SQLITE_READONLY`), I/O error (`SQLITE_IOERR`) or the file
/// cannot be opened (`SQLITE_CANTOPEN`). Lock contention is not one.
pub fn is_storage_error(e: &sqlx::Error) -> bool {
    matches!(primary_code(e), Some(8 | 10 | 13 | 14)) || matches!(e, sqlx::Error::Io(_))
}

/// Whether `e` is a write the storage refused for now rather than a bug: a
/// storage error ([`is_storage_error`]), a lock held past [`BUSY_TIMEOUT`]
/// (`SQLITE_BUSY`, `SQLITE_LOCKED`), or a database file removed or replaced
/// under the server ([`moved_error`]). Answered `503` with `Retry-After`;
/// nothing of the request was stored.
pub fn is_transient(e: &sqlx::Error) -> bool {
    is_storage_error(e) || matches!(primary_code(e), Some(5 | 6)) || is_moved_error(e)
}

/// The error of a write on a connection whose database file was removed or
/// replaced since it was opened (see [`ConnectionState::moved`]).
pub fn moved_error() -> sqlx::Error {
    sqlx::Error::Protocol(MOVED_MESSAGE.into())
}

fn is_moved_error(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Protocol(m) if m == MOVED_MESSAGE)
}

const MOVED_MESSAGE: &str = "the database file was removed or replaced while the server ran";

/// What an operator should check for a storage error, by SQLite code.
fn hint(e: &sqlx::Error) -> &'static str {
    let code = match e {
        sqlx::Error::Protocol(m) if m.starts_with("database or disk is full") => Some(13),
        _ => primary_code(e),
    };
    match code {
        Some(8) => {
            "the file, its -wal/-shm files or its folder is not writable by the user running \
             ats-scorer, or the file system is mounted read-only"
        }
        Some(13) => {
            "the disk is full or --database-max-size-mb is reached: free space or raise the cap"
        }
        Some(14) => {
            "the file or the -wal/-shm files beside it cannot be opened or created: the folder is \
             missing, not writable by the user running ats-scorer, or on a read-only file system"
        }
        Some(10) => "the disk reported an I/O error",
        _ => "",
    }
}

/// An error naming the file, what was being done, SQLite's message and a hint.
fn storage_error(file: &Path, doing: &str, e: &sqlx::Error) -> anyhow::Error {
    let cause = match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        other => other.to_string(),
    };
    let hint = hint(e);
    if hint.is_empty() {
        anyhow::anyhow!("cannot {doing} the database {}: {cause}", file.display())
    } else {
        anyhow::anyhow!(
            "cannot {doing} the database {}: {cause} ({hint})",
            file.display()
        )
    }
}

/// Whether the database accepts writes, as the last probe or writer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Ok,
    /// Writes fail; SQLite's message (`database or disk is full`, `attempt to
    /// write a readonly database`…).
    Unwritable(String),
    /// The probe did not finish within [`PROBE_TIMEOUT`].
    Timeout,
    /// The pool gave no connection (closed, timed out); logged with its cause.
    Error,
}

impl Check {
    /// The `checks.database` value of `/ready`: `ok`, `timeout`, `error` or
    /// `unwritable: <cause>`.
    pub fn label(&self) -> String {
        match self {
            Check::Ok => "ok".into(),
            Check::Unwritable(cause) => format!("unwritable: {cause}"),
            Check::Timeout => "timeout".into(),
            Check::Error => "error".into(),
        }
    }
}

/// Readiness of the storage: a cached, single-flight write probe, fed also by
/// the storage errors writers meet.
pub struct Health {
    pool: SqlitePool,
    file: PathBuf,
    /// `ats_scorer_db_connections_retired_total{reason}`.
    pub retired: IntCounterVec,
    last: tokio::sync::Mutex<Option<(Instant, Check)>>,
    ready_gauge: OnceLock<IntGauge>,
    probe_seconds: OnceLock<Histogram>,
}

impl Health {
    /// The database file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Sets the gauge every answer updates (`ats_scorer_ready`) and the
    /// histogram each probe is timed in (`…db_query_duration_seconds{query="ready_probe"}`).
    pub fn set_metrics(&self, ready: IntGauge, probe_seconds: Histogram) {
        let _ = self.ready_gauge.set(ready);
        let _ = self.probe_seconds.set(probe_seconds);
    }

    fn record(&self, check: &Check) {
        if let Some(g) = self.ready_gauge.get() {
            g.set(i64::from(*check == Check::Ok));
        }
    }

    /// Whether the database accepts a write now: the answer of the last second
    /// if there is one (concurrent callers wait for the same probe), else a new
    /// probe (at most [`PROBE_TIMEOUT`]).
    pub async fn check(&self) -> Check {
        let mut last = self.last.lock().await;
        if let Some((at, check)) = &*last
            && at.elapsed() < PROBE_CACHE
        {
            return check.clone();
        }
        let started = Instant::now();
        let probe = async {
            // The pool first: a closed or exhausted pool serves no request,
            // whatever a fresh connection could do.
            if let Err(e) = ping(&self.pool).await {
                tracing::warn!(error = %e, "readiness: the connection pool failed");
                return Check::Error;
            }
            match self.probe().await {
                Ok(()) => Check::Ok,
                Err(e) => {
                    tracing::warn!(error = %e, "readiness: the database refused a write");
                    Check::Unwritable(cause(&e))
                }
            }
        };
        let check = tokio::time::timeout(PROBE_TIMEOUT, probe)
            .await
            .unwrap_or_else(|_| {
                tracing::warn!("readiness: the write probe timed out");
                Check::Timeout
            });
        if let Some(h) = self.probe_seconds.get() {
            h.observe(started.elapsed().as_secs_f64());
        }
        self.record(&check);
        *last = Some((Instant::now(), check.clone()));
        check
    }

    /// Called with the errors of real writes: a storage error (see
    /// [`is_storage_error`]) makes readiness fail at once, until a probe
    /// (after [`PROBE_CACHE`]) proves a write again.
    pub fn note_error(&self, e: &sqlx::Error) {
        if !is_storage_error(e) && !is_moved_error(e) {
            return;
        }
        let check = Check::Unwritable(cause(e));
        self.record(&check);
        // A probe in flight holds the lock: its answer is as fresh.
        if let Ok(mut last) = self.last.try_lock() {
            *last = Some((Instant::now(), check));
        }
    }

    /// Fails with a message naming the file and the cause unless SQLite grants
    /// this process the write lock (`BEGIN IMMEDIATE` answers `SQLITE_READONLY`
    /// on a read-only file, folder or file system). Needs no table, so it runs
    /// before the migrations, whose own failure would name no cause.
    pub async fn ensure_lockable(&self) -> anyhow::Result<()> {
        let result = async {
            let options = (*self.pool.connect_options()).clone();
            let mut conn = SqliteConnection::connect_with(&options).await?;
            let result = async {
                let tx = conn.begin_with("BEGIN IMMEDIATE").await?;
                tx.rollback().await
            }
            .await;
            let _ = conn.close().await;
            result
        }
        .await;
        result.map_err(|e| storage_error(&self.file, "write", &e))
    }

    /// Fails with a message naming the file and the cause unless a write
    /// commits (for start-up: `serve`, `migrate`; after the migrations).
    pub async fn ensure_writable(&self) -> anyhow::Result<()> {
        self.probe()
            .await
            .map_err(|e| storage_error(&self.file, "write", &e))
    }

    /// One write on a fresh connection (so read-only files are seen even while
    /// pooled connections still hold writable descriptors): replace the probe
    /// row with [`PROBE_PAGES`] pages in `BEGIN IMMEDIATE`, check the headroom
    /// under `max_page_count`, commit.
    async fn probe(&self) -> Result<(), sqlx::Error> {
        let options = (*self.pool.connect_options())
            .clone()
            .create_if_missing(false);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        let result = probe_on(&mut conn).await;
        let _ = conn.close().await;
        result
    }
}

async fn probe_on(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM write_probe")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO write_probe (checked_at, pad) VALUES (?, randomblob(?))")
        .bind(crate::events::now_ms())
        .bind(PROBE_PAGES * page_size)
        .execute(&mut *tx)
        .await?;
    let max: i64 = sqlx::query_scalar("PRAGMA max_page_count")
        .fetch_one(&mut *tx)
        .await?;
    let used: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&mut *tx)
        .await?;
    let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
        .fetch_one(&mut *tx)
        .await?;
    if max - used + free < HEADROOM_PAGES {
        return Err(full_error());
    }
    tx.commit().await
}

/// The error of a probe that found fewer than [`HEADROOM_PAGES`] pages left.
fn full_error() -> sqlx::Error {
    sqlx::Error::Protocol(
        "database or disk is full (fewer than 16 pages left under max_page_count)".into(),
    )
}

/// SQLite's message alone (no "error returned from database:" prefix).
fn cause(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        sqlx::Error::Protocol(m) => m.clone(),
        other => other.to_string(),
    }
}
