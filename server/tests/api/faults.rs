//! Storage under faults (issue 14, items 1–3): a disk that fills under load, a
//! size cap reached, read-only files at start and at run time, a failed
//! COMMIT, connections left inside a transaction, and writers that meet.
//!
//! The promise checked everywhere: every 2xx is in the database after a
//! restart, every failure is a 5xx, `/ready` says 503 while writes fail and
//! 200 again once the cause is gone, without a restart.
//!
//! Root and permissions: these tests usually run as root, and root ignores
//! file permission bits (chmod 0444 does not stop it). Two mechanisms bind
//! root too and are used here:
//! - a tmpfs remounted read-only (`mount -o remount,ro`): the kernel refuses
//!   every write, whoever asks. It only works while no file on it is open for
//!   writing (the remount fails with EBUSY), so it serves the start-up test,
//!   not a running server (whose SQLite holds the -wal and -shm open);
//! - the server binary run as `nobody` (`setpriv --reuid --regid
//!   --clear-groups`), so chmod applies to it: used for read-only files and
//!   folders, at start and at run time. Run as an ordinary user, the binary is
//!   started directly and chmod binds it the same way.
//!
//! A real tmpfs needs `mount` (root); without it the tmpfs test says so and
//! stops, and the size-cap test (`--database-max-size-mb`) still covers the
//! kind "the database cannot grow".

use std::{
    collections::HashSet,
    io::{BufRead, BufReader},
    os::unix::fs::{PermissionsExt, chown},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use serde_json::{Value, json};
use server::{cli::Config, ratelimit::Rate};
use sqlx::{Connection, SqliteConnection};
use tempfile::TempDir;

use crate::helpers::fresh_config;

/// The shared browser-like client (gzip, br, cookies: one visitor per client),
/// with a bound on each request so a stuck write cannot hang the suite.
fn browser() -> reqwest::Client {
    crate::helpers::browser_client_builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn events_body(ids: &[String]) -> Value {
    let events: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"id": id, "kind": "page_view", "ts": server::events::now_ms(),
                   "session": "5e551011-0000-4000-8000-000000000001", "page": "/"})
        })
        .collect();
    json!({ "events": events })
}

fn rating_body(id: &str) -> Value {
    json!({"id": id, "kind": "rating", "question": "accuracy", "rating": 4,
           "context": {"page": "/", "algorithm": "v2.0", "score": 72,
                       "variants": {"scoring-algorithm": "v2"}}})
}

/// A config whose flood limits stay out of the way of a load test.
fn roomy_config(dir: &TempDir, db_file: &Path) -> Config {
    let mut config = fresh_config(dir);
    config.database_url = format!("sqlite://{}", db_file.display());
    let roomy = Rate {
        burst: 1_000_000,
        per_minute: 1_000_000,
    };
    config.feedback_rate = roomy;
    config.events_rate = roomy;
    config
}

/// An in-process server (stopped by `stop`, or on drop).
type Running = crate::helpers::Served;

async fn run(config: Config) -> Running {
    crate::helpers::serve(config).await
}

impl Running {
    async fn ready(&self, client: &reqwest::Client) -> (u16, Value) {
        let res = client
            .get(format!("{}/ready", self.address))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap_or_default())
    }

    async fn retired(&self, client: &reqwest::Client, reason: &str) -> u64 {
        let text = client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let key = format!("ats_scorer_db_connections_retired_total{{reason=\"{reason}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&key))
            .unwrap_or_else(|| panic!("no {key} in /metrics"))
            .trim()
            .parse()
            .unwrap()
    }
}

/// What the load saw: acknowledged ids, failures, anything else.
#[derive(Default)]
struct Ledger {
    events: HashSet<String>,
    feedback: HashSet<String>,
    failures: usize,
    /// The first few 5xx answers: status and body.
    failure_answers: Vec<(u16, String)>,
    /// Statuses that are neither 2xx nor 5xx (0: no answer).
    other: Vec<(String, u16, String)>,
}

/// An answer: status (0: none) and, unless 2xx, its body or error.
async fn answer(res: reqwest::Result<reqwest::Response>) -> (u16, String) {
    match res {
        Ok(r) if r.status().is_success() => (r.status().as_u16(), String::new()),
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => (0, e.to_string()),
    }
}

impl Ledger {
    /// The answers that were neither 2xx nor 5xx, short enough for a CI log:
    /// how many of each (endpoint, status), and the first three bodies.
    fn summary_of_other(&self) -> String {
        let mut counts = std::collections::BTreeMap::<(&str, u16), usize>::new();
        for (what, status, _) in &self.other {
            *counts.entry((what.as_str(), *status)).or_default() += 1;
        }
        let first: Vec<String> = self
            .other
            .iter()
            .take(3)
            .map(|(what, status, text)| {
                format!(
                    "{what} {status}: {}",
                    text.chars().take(160).collect::<String>()
                )
            })
            .collect();
        format!("unexpected answers {counts:?}; first: {first:#?}")
    }

    /// Books an answer for `ids`; returns its status.
    fn book(&mut self, what: &str, ids: Vec<String>, (status, text): (u16, String)) -> u16 {
        match status {
            200..=299 if what == "events" => self.events.extend(ids),
            200..=299 => self.feedback.extend(ids),
            500..=599 => {
                self.failures += 1;
                if self.failure_answers.len() < 5 {
                    self.failure_answers.push((status, text));
                }
            }
            _ => self.other.push((what.into(), status, text)),
        }
        status
    }
}

/// Posts one event batch (a fresh visitor per client) and books the answer.
async fn post_events(client: &reqwest::Client, base: &str, ledger: &Mutex<Ledger>) -> u16 {
    let ids: Vec<String> = (0..20).map(|_| new_id()).collect();
    let res = client
        .post(format!("{base}/api/events"))
        .json(&events_body(&ids))
        .send()
        .await;
    let answer = answer(res).await;
    ledger.lock().unwrap().book("events", ids, answer)
}

async fn post_feedback(client: &reqwest::Client, base: &str, ledger: &Mutex<Ledger>) -> u16 {
    let id = new_id();
    let res = client
        .post(format!("{base}/api/feedback"))
        .json(&rating_body(&id))
        .send()
        .await;
    let answer = answer(res).await;
    ledger.lock().unwrap().book("feedback", vec![id], answer)
}

/// Event and feedback writers (four each) until `stop` is set.
fn start_load(
    base: &str,
    ledger: &Arc<Mutex<Ledger>>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..8)
        .map(|w| {
            let (base, ledger, stop) = (base.to_string(), ledger.clone(), stop.clone());
            tokio::spawn(async move {
                let client = browser();
                while !stop.load(Ordering::Relaxed) {
                    if w % 2 == 0 {
                        post_events(&client, &base, &ledger).await;
                    } else {
                        post_feedback(&client, &base, &ledger).await;
                    }
                }
            })
        })
        .collect()
}

/// How the test takes the room away and gives it back.
enum Room {
    /// A tmpfs with a ballast file beside the database.
    Tmpfs { mount: Tmpfs, ballast: PathBuf },
    /// `--database-max-size-mb` with ballast rows stored before start.
    Cap,
}

/// Fills the database under event and feedback load until writes fail, then
/// frees room; checks the promise (see the module doc).
async fn fill_under_load(room: Room, dir: TempDir) {
    let db_file = match &room {
        Room::Tmpfs { mount, .. } => mount.path.join("app.db"),
        Room::Cap => dir.path().join("data/app.db"),
    };
    let mut config = roomy_config(&dir, &db_file);
    if let Room::Cap = room {
        // About 2 MiB of ballast rows, then a cap ~1 MiB above the size.
        let database = server::db::open(&config.database_url, None).await.unwrap();
        server::db::migrate(&database.pool).await.unwrap();
        sqlx::query("CREATE TABLE ballast (b BLOB NOT NULL)")
            .execute(&database.pool)
            .await
            .unwrap();
        for _ in 0..64 {
            sqlx::query("INSERT INTO ballast (b) VALUES (randomblob(32768))")
                .execute(&database.pool)
                .await
                .unwrap();
        }
        database.pool.close().await;
        let size = std::fs::metadata(&db_file).unwrap().len()
            + std::fs::metadata(db_file.with_extension("db-wal"))
                .map(|m| m.len())
                .unwrap_or(0);
        config.database_max_size_mb = Some(size / (1 << 20) + 2);
    }
    let app = run(config.clone()).await;
    let client = browser();
    assert_eq!(app.ready(&client).await.0, 200, "ready before the fill");

    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let workers = start_load(&app.address, &ledger, &stop);

    // Wait for writes to fail, and for /ready to say so.
    let mut ready_while_failing = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "writes never failed or /ready never said so: {} failures, /ready answered {:?}",
            ledger.lock().unwrap().failures,
            ready_while_failing
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        if ledger.lock().unwrap().failures < 20 {
            continue;
        }
        let (status, body) = app.ready(&client).await;
        ready_while_failing.push((status, body.clone()));
        if status == 503 {
            let check = body["checks"]["database"].as_str().unwrap_or_default();
            assert!(
                check.starts_with("unwritable:") && check.contains("full"),
                "503 names the failing check: {body}"
            );
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    // While the room is gone writes still fail, and /ready says so at once
    // (the writer's storage error, not only the next probe). At the edge of a
    // size cap a small write may still fit in the last free pages: each kind
    // is posted until it fails, and any 2xx on the way is booked like the
    // load's, so it must be there after the restart too.
    for what in ["events", "feedback"] {
        let mut failed = false;
        for _ in 0..50 {
            let status = if what == "events" {
                post_events(&client, &app.address, &ledger).await
            } else {
                post_feedback(&client, &app.address, &ledger).await
            };
            if status >= 500 {
                failed = true;
                break;
            }
        }
        assert!(failed, "{what}: writes still fail while the room is gone");
    }
    assert_eq!(
        app.ready(&client).await.0,
        503,
        "a failed write fails readiness"
    );
    if let Room::Cap = room {
        // And the probe alone, without writers, is not fooled by the pages it
        // frees itself: the headroom under the cap is what it checks.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(
            app.ready(&client).await.0,
            503,
            "/ready stays 503 at the cap while nothing was freed"
        );
    }

    // Give the room back, without a restart.
    match &room {
        Room::Tmpfs { ballast, .. } => std::fs::remove_file(ballast).unwrap(),
        Room::Cap => {
            let mut conn = SqliteConnection::connect(&config.database_url)
                .await
                .unwrap();
            sqlx::query("DELETE FROM ballast")
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        }
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = app.ready(&client).await;
        if status == 200 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "/ready never recovered: {body}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    for _ in 0..5 {
        assert_eq!(post_events(&client, &app.address, &ledger).await, 202);
        assert_eq!(post_feedback(&client, &app.address, &ledger).await, 201);
    }

    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(
        ledger.other.is_empty(),
        "every answer is a 2xx or a 5xx: {}",
        ledger.summary_of_other()
    );
    assert!(ledger.failures >= 20, "the disk filled");
    assert!(
        !ledger.events.is_empty() && !ledger.feedback.is_empty(),
        "writes were acknowledged before the fill"
    );

    // Every 2xx is there after a restart.
    app.stop().await;
    let app = run(config).await;
    let events: HashSet<String> = sqlx::query_scalar("SELECT id FROM events")
        .fetch_all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let feedback: HashSet<String> = sqlx::query_scalar("SELECT id FROM feedback")
        .fetch_all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost_events = ledger.events.difference(&events).count();
    let lost_feedback = ledger.feedback.difference(&feedback).count();
    assert_eq!(
        (lost_events, lost_feedback),
        (0, 0),
        "acknowledged and lost (of {} events, {} feedback)",
        ledger.events.len(),
        ledger.feedback.len()
    );
    assert_eq!(app.ready(&client).await.0, 200);
    app.stop().await;
    drop(room);
}

/// A tmpfs mounted on a temporary folder, unmounted on drop.
struct Tmpfs {
    path: PathBuf,
    _dir: TempDir,
}

impl Tmpfs {
    /// Mounts one of `size` (e.g. `"6m"`), or `None` when this user cannot.
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0777"),
                "tmpfs",
            ])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self {
            path: dir.path().to_path_buf(),
            _dir: dir,
        })
    }

    fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.path)
            .status()
            .unwrap();
        assert!(status.success(), "remount {mode}");
    }

    /// Bytes still free on it.
    fn free_bytes(&self) -> u64 {
        let out = Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(&self.path)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Writes `bytes` of ballast to `path`, stopping quietly when the disk is full.
fn write_ballast(path: &Path, bytes: u64) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0x5a_u8; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        if f.write_all(&chunk[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    let _ = f.sync_all();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_disk_that_fills_under_load_loses_no_acknowledged_write_and_recovers_without_restart() {
    let Some(mount) = Tmpfs::mount("8m") else {
        eprintln!("cannot mount a tmpfs here (not root?): the size-cap test covers the kind");
        return;
    };
    // Leave ~1.5 MiB for the database, its WAL and the load.
    let ballast = mount.path.join("ballast");
    write_ballast(&ballast, mount.free_bytes().saturating_sub(1_536 * 1024));
    fill_under_load(Room::Tmpfs { mount, ballast }, tempfile::tempdir().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_at_its_size_cap_loses_no_acknowledged_write_and_recovers_without_restart() {
    fill_under_load(Room::Cap, tempfile::tempdir().unwrap()).await;
}

// ---------------------------------------------------------------------------
// Connections left in a transaction, a failed COMMIT.

/// The app on a fresh database, with a browser.
async fn small_app() -> (TempDir, Config, Running) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data/app.db");
    let config = roomy_config(&dir, &file);
    let app = run(config.clone()).await;
    (dir, config, app)
}

/// Sends feedback through every pooled connection and checks, from a
/// separate connection, that each one committed.
async fn writes_commit_for_real(app: &Running, config: &Config) {
    let client = browser();
    let ledger = Mutex::new(Ledger::default());
    let handles: Vec<_> = (0..16)
        .map(|_| post_feedback(&client, &app.address, &ledger))
        .collect();
    for status in futures_util::future::join_all(handles).await {
        assert_eq!(status, 201);
    }
    let mut other = SqliteConnection::connect(&config.database_url)
        .await
        .unwrap();
    let stored: HashSet<String> = sqlx::query_scalar("SELECT id FROM feedback")
        .fetch_all(&mut other)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let ledger = ledger.into_inner().unwrap();
    assert_eq!(ledger.feedback.len(), 16);
    assert!(
        ledger.feedback.is_subset(&stored),
        "a 201 whose row another connection cannot see"
    );
}

/// Posts `n` feedback items (in parallel, so several pooled connections
/// serve them) and returns the ledger of answers.
async fn feedback_burst(app: &Running, n: usize) -> Ledger {
    let client = browser();
    let ledger = Mutex::new(Ledger::default());
    let posts: Vec<_> = (0..n)
        .map(|_| post_feedback(&client, &app.address, &ledger))
        .collect();
    futures_util::future::join_all(posts).await;
    ledger.into_inner().unwrap()
}

/// The feedback ids stored in the file at `path` now.
async fn stored_feedback(path: &Path) -> HashSet<String> {
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query_scalar("SELECT id FROM feedback")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn remove_database_files(file: &Path) {
    for f in [
        file.to_path_buf(),
        file.with_extension("db-wal"),
        file.with_extension("db-shm"),
    ] {
        let _ = std::fs::remove_file(f);
    }
}

#[tokio::test]
async fn a_database_file_replaced_under_the_server_gets_every_later_write() {
    let (dir, _config, app) = small_app().await;
    let file = dir.path().join("data/app.db");
    // Warm the pool: several idle connections hold the original file open.
    assert_eq!(feedback_burst(&app, 8).await.feedback.len(), 8);
    // A restore as an operator does it: a consistent copy, the live files
    // removed, the copy moved into place.
    let copy = dir.path().join("data/restored.db");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "VACUUM INTO '{}'",
        copy.display()
    )))
    .execute(&app.db)
    .await
    .unwrap();
    remove_database_files(&file);
    std::fs::rename(&copy, &file).unwrap();

    let after = feedback_burst(&app, 16).await;
    assert!(after.other.is_empty(), "{}", after.summary_of_other());
    let stored = stored_feedback(&file).await;
    let lost: Vec<&String> = after.feedback.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "acknowledged into the replaced file, not the one at the path: {lost:?}"
    );
    assert!(!after.feedback.is_empty(), "writes reach the restored file");
    assert!(app.retired(&browser(), "file_moved").await >= 1);
    app.stop().await;
}

#[tokio::test]
async fn a_database_file_removed_under_the_server_acknowledges_no_write() {
    let (dir, _config, app) = small_app().await;
    let file = dir.path().join("data/app.db");
    assert_eq!(feedback_burst(&app, 8).await.feedback.len(), 8);
    remove_database_files(&file);

    let after = feedback_burst(&app, 16).await;
    assert!(
        after.feedback.is_empty(),
        "{} writes acknowledged into a removed file",
        after.feedback.len()
    );
    assert_eq!(after.failures, 16, "each write answered 5xx");
    assert_eq!(app.ready(&browser()).await.0, 503, "/ready sees it");
    app.stop().await;
}

#[tokio::test]
async fn a_connection_left_inside_a_transaction_is_retired_not_reused() {
    let (_dir, config, app) = small_app().await;
    let client = browser();
    {
        // As after a ROLLBACK that failed: SQLite still in a transaction that
        // sqlx does not know about, holding the write lock.
        let mut conn = app.db.acquire().await.unwrap();
        sqlx::raw_sql(
            "BEGIN IMMEDIATE; INSERT INTO write_probe (checked_at, pad) VALUES (-1, x'00')",
        )
        .execute(&mut *conn)
        .await
        .unwrap();
    }
    writes_commit_for_real(&app, &config).await;
    assert_eq!(app.retired(&client, "in_transaction").await, 1);
    let mut other = SqliteConnection::connect(&config.database_url)
        .await
        .unwrap();
    let abandoned: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM write_probe WHERE checked_at = -1")
            .fetch_one(&mut other)
            .await
            .unwrap();
    assert_eq!(abandoned, 0, "the abandoned transaction was rolled back");
    app.stop().await;
}

#[tokio::test]
async fn a_stale_transaction_depth_is_retired_so_a_begin_never_becomes_a_savepoint() {
    let (_dir, config, app) = small_app().await;
    let client = browser();
    {
        // SQLite ended the transaction behind sqlx's back (as an automatic
        // rollback on SQLITE_FULL does): the ROLLBACK queued by the drop then
        // fails and sqlx keeps depth 1, so its next BEGIN would be a SAVEPOINT
        // and its COMMIT a RELEASE.
        let mut tx = app.db.begin().await.unwrap();
        sqlx::raw_sql("ROLLBACK").execute(&mut *tx).await.unwrap();
    }
    writes_commit_for_real(&app, &config).await;
    assert_eq!(app.retired(&client, "stale_depth").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_failed_commit_is_an_error_and_the_next_writes_commit_for_real() {
    let (_dir, config, app) = small_app().await;
    // A deferred foreign key fails at COMMIT, and SQLite keeps the
    // transaction open after that failure.
    let mut other = SqliteConnection::connect(&config.database_url)
        .await
        .unwrap();
    sqlx::raw_sql(
        "CREATE TABLE fault_parent (id INTEGER PRIMARY KEY);
         CREATE TABLE fault_child (parent INTEGER REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED);",
    )
    .execute(&mut other)
    .await
    .unwrap();
    for _ in 0..3 {
        let mut tx = server::db::begin_write(&app.db).await.unwrap();
        sqlx::query("INSERT INTO fault_child (parent) VALUES (42)")
            .execute(&mut *tx)
            .await
            .unwrap();
        let err = tx.commit().await.expect_err("the COMMIT fails");
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    }
    writes_commit_for_real(&app, &config).await;
    let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fault_child")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(children, 0, "nothing of the failed transactions stored");
    app.stop().await;
}

// ---------------------------------------------------------------------------
// Writers that meet.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_mixed_load_of_events_feedback_and_triage_answers_no_500() {
    let (_dir, _config, app) = small_app().await;
    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let workers = start_load(&app.address, &ledger, &stop);
    // Triage: bulk status changes on what is stored, as the inbox does: two
    // admins (a token each), each a bulk change every 100 ms, which stays
    // inside the admin write limit (ratelimit::ADMIN_WRITES: 120, then 2 a
    // second) for the 8 s of load, so every answer but a 200 is a fault.
    let triaged = Arc::new(AtomicUsize::new(0));
    let mut triage = Vec::new();
    for admin in 0..2 {
        let token = server::admin_cmd::create_token(&app.db, &format!("faults-{admin}"))
            .await
            .unwrap();
        triage.push({
            let (base, stop, triaged, db) = (
                app.address.clone(),
                stop.clone(),
                triaged.clone(),
                app.db.clone(),
            );
            tokio::spawn(async move {
                let client = browser();
                let mut statuses = ["in_progress", "done", "new"].iter().cycle();
                let mut answers = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let ids: Vec<String> =
                        sqlx::query_scalar("SELECT id FROM feedback ORDER BY random() LIMIT 5")
                            .fetch_all(&db)
                            .await
                            .unwrap();
                    if ids.is_empty() {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                    let res = client
                        .post(format!("{base}/api/admin/feedback/bulk"))
                        .bearer_auth(&token)
                        .json(&json!({"ids": ids, "status": statuses.next().unwrap()}))
                        .send()
                        .await
                        .unwrap();
                    let status = res.status().as_u16();
                    if status != 200 {
                        answers.push((status, res.text().await.unwrap_or_default()));
                    }
                    triaged.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                answers
            })
        });
    }
    tokio::time::sleep(Duration::from_secs(8)).await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    let mut triage_errors = Vec::new();
    for t in triage {
        triage_errors.extend(t.await.unwrap());
    }
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert_eq!(
        ledger.failures, 0,
        "no write answered 5xx: {:?}",
        ledger.failure_answers
    );
    assert!(ledger.other.is_empty(), "{}", ledger.summary_of_other());
    assert!(
        triage_errors.is_empty(),
        "triage answered {} times other than 200, first {:?}",
        triage_errors.len(),
        triage_errors.first()
    );
    assert!(
        ledger.events.len() >= 200
            && ledger.feedback.len() >= 20
            && triaged.load(Ordering::Relaxed) >= 10,
        "the load ran: {} events, {} feedback, {} triage requests",
        ledger.events.len(),
        ledger.feedback.len(),
        triaged.load(Ordering::Relaxed)
    );
    app.stop().await;
}

// ---------------------------------------------------------------------------
// Read-only files: start-up and run time, through the real binary.

/// Whether this process runs as root (then the binary is run as `nobody`).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

const NOBODY: u32 = 65534;

/// The binary at a path `nobody` can reach: a hard link inside `dir` (the
/// target folder may be private to its owner), else the built one.
fn reachable_binary(dir: &Path) -> PathBuf {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_ats-scorer"));
    let link = dir.join("ats-scorer");
    if link.exists() || std::fs::hard_link(&built, &link).is_ok() {
        link
    } else {
        built
    }
}

/// `ats-scorer <args>` for `dir`'s database, as `nobody` when we are root (so
/// file permissions bind it), with roomy flood limits.
fn binary(dir: &Path, db_file: &Path, args: &[&str], unprivileged: bool) -> Command {
    let bin = reachable_binary(dir);
    let mut cmd = if unprivileged && is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "--",
        ]);
        c.arg(&bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .current_dir(dir)
        .env("DATABASE_URL", format!("sqlite://{}", db_file.display()))
        .env("LOG_LEVEL", "info")
        .env("FEEDBACK_BURST", "100000")
        .env("EVENTS_BURST", "100000");
    cmd
}

/// A folder `nobody` may use (the binary runs as nobody when we are root),
/// with `db/` for the database and `site/pkg` for the server.
fn shared_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/pkg")).unwrap();
    std::fs::create_dir_all(dir.path().join("db")).unwrap();
    if is_root() {
        for p in [
            dir.path().to_path_buf(),
            dir.path().join("site"),
            dir.path().join("site/pkg"),
            dir.path().join("db"),
        ] {
            chown(&p, Some(NOBODY), Some(NOBODY)).unwrap();
        }
    }
    dir
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Creates the database with `migrate` (as the unprivileged user).
fn migrate(dir: &Path, db_file: &Path) {
    let out = binary(dir, db_file, &["migrate"], true).output().unwrap();
    assert!(
        out.status.success(),
        "migrate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `serve` expecting it to refuse; returns its stderr.
fn refused(dir: &Path, db_file: &Path, extra: &[&str], unprivileged: bool) -> String {
    let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--site-root", "site"];
    args.extend_from_slice(extra);
    let mut child = binary(dir, db_file, &args, unprivileged)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "the server started on an unwritable database: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    assert!(!status.success(), "serve exits non-zero");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_names(message: &str, file: &Path, cause: &[&str]) {
    assert!(
        message.contains(&file.display().to_string()),
        "the message names the file: {message}"
    );
    assert!(
        cause.iter().any(|c| message.contains(c)),
        "the message names the cause ({cause:?}): {message}"
    );
}

#[test]
fn start_up_refuses_a_read_only_database_file_naming_it_and_the_cause() {
    let dir = shared_dir();
    let db_file = dir.path().join("db/app.db");
    migrate(dir.path(), &db_file);
    chmod(&db_file, 0o444);
    let message = refused(dir.path(), &db_file, &[], true);
    assert_names(&message, &db_file, &["readonly", "read-only"]);
    // `migrate` refuses the same way.
    let out = binary(dir.path(), &db_file, &["migrate"], true)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_names(
        &String::from_utf8_lossy(&out.stderr),
        &db_file,
        &["readonly", "read-only"],
    );
}

#[test]
fn start_up_refuses_a_database_in_a_read_only_folder() {
    let dir = shared_dir();
    let db_file = dir.path().join("db/app.db");
    migrate(dir.path(), &db_file);
    // The -wal and -shm files are gone after a clean stop; SQLite must create
    // them beside the database.
    chmod(&dir.path().join("db"), 0o555);
    let message = refused(dir.path(), &db_file, &[], true);
    chmod(&dir.path().join("db"), 0o755);
    assert_names(
        &message,
        &db_file,
        &[
            "readonly",
            "read-only",
            "unable to open",
            "cannot be opened",
        ],
    );
}

#[test]
fn start_up_refuses_a_database_on_a_read_only_file_system() {
    let Some(mount) = Tmpfs::mount("4m") else {
        eprintln!("cannot mount a tmpfs here (not root?): the chmod tests cover the kind");
        return;
    };
    let db_file = mount.path.join("app.db");
    migrate(&mount.path, &db_file);
    std::fs::create_dir_all(mount.path.join("site/pkg")).unwrap();
    mount.remount("ro");
    // As root: the kernel refuses the writes, permission bits play no part.
    let message = refused(&mount.path, &db_file, &[], false);
    mount.remount("rw");
    assert_names(&message, &db_file, &["readonly", "read-only"]);
}

#[test]
fn start_up_refuses_a_database_past_its_size_cap() {
    let dir = shared_dir();
    let db_file = dir.path().join("db/app.db");
    migrate(dir.path(), &db_file);
    let out = Command::new("sqlite3")
        .arg(&db_file)
        .arg("CREATE TABLE ballast (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO ballast SELECT randomblob(65536) FROM n; PRAGMA wal_checkpoint(TRUNCATE);")
        .output()
        .expect("sqlite3 is installed (scripts/setup.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if is_root() {
        for f in ["app.db", "app.db-wal", "app.db-shm"] {
            let _ = chown(dir.path().join("db").join(f), Some(NOBODY), Some(NOBODY));
        }
    }
    let message = refused(dir.path(), &db_file, &["--database-max-size-mb", "1"], true);
    assert_names(&message, &db_file, &["full"]);
}

/// A running binary (killed on drop).
struct Served {
    child: Child,
    address: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, db_file: &Path) -> Served {
    let mut child = binary(
        dir,
        db_file,
        &["serve", "--listen", "127.0.0.1:0", "--site-root", "site"],
        true,
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit())
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let v: Value = serde_json::from_str(&line).unwrap_or_default();
            if v["message"] == "listening" {
                let _ = tx.send(v["address"].as_str().unwrap_or_default().to_string());
            }
        }
    });
    let address = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server logs its address");
    Served {
        child,
        address: format!("http://{address}"),
    }
}

async fn ready_until(client: &reqwest::Client, base: &str, want: u16) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let res = client.get(format!("{base}/ready")).send().await.unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or_default();
        if status == want {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "/ready never answered {want}: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn read_only_files_at_run_time_make_ready_503_and_fixing_them_recovers_without_restart() {
    let dir = shared_dir();
    let db_file = dir.path().join("db/app.db");
    let server = serve(dir.path(), &db_file);
    let client = browser();
    ready_until(&client, &server.address, 200).await;
    let ledger = Mutex::new(Ledger::default());
    assert_eq!(post_feedback(&client, &server.address, &ledger).await, 201);

    // New connections can no longer write: the files and their folder are
    // read-only for the server's user.
    let db_dir = dir.path().join("db");
    let files = ["app.db", "app.db-wal", "app.db-shm"].map(|f| db_dir.join(f));
    for f in &files {
        chmod(f, 0o444);
    }
    chmod(&db_dir, 0o555);
    let body = ready_until(&client, &server.address, 503).await;
    let check = body["checks"]["database"].as_str().unwrap_or_default();
    assert!(check.starts_with("unwritable:"), "{body}");

    // Fixed: ready again and writes work, same process.
    chmod(&db_dir, 0o755);
    for f in &files {
        chmod(f, 0o644);
    }
    ready_until(&client, &server.address, 200).await;
    for _ in 0..10 {
        assert_eq!(post_feedback(&client, &server.address, &ledger).await, 201);
        assert_eq!(post_events(&client, &server.address, &ledger).await, 202);
    }
    drop(server);
}
