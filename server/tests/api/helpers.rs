use std::{path::PathBuf, sync::Arc, time::Duration};

use server::{cli::Config, metrics::Metrics, ratelimit::Rate, startup::Application};
use sqlx::SqlitePool;
use tempfile::TempDir;
use tokio::{sync::oneshot, task::JoinHandle};

/// A running app with its own database file and site folder, stopped on drop.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    pub site_root: PathBuf,
    pub db: SqlitePool,
    served: Option<Served>,
    _dir: TempDir,
}

/// An app built from a config and served in this process on a task: its
/// address (`http://…`), pool and metrics. Stopped by [`Served::stop`] or on
/// drop, which also fails the test if a request handler panicked.
pub struct Served {
    pub address: String,
    pub db: SqlitePool,
    pub metrics: Arc<Metrics>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

/// Builds the app for `config` (database, migrations, listener) and serves it.
pub async fn serve(config: Config) -> Served {
    let app = Application::build(config).await.expect("the app builds");
    let (tx, rx) = oneshot::channel::<()>();
    let mut served = Served {
        address: format!("http://{}", app.local_addr()),
        db: app.db().clone(),
        metrics: app.metrics(),
        shutdown: Some(tx),
        handle: None,
    };
    served.handle = Some(tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    })));
    served
}

impl Served {
    /// Asks the server to stop and waits until it has (connections drained,
    /// pool closed); panics if serving failed.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        assert_no_handler_panicked(&self.metrics);
    }
}

/// The HTTP client of every integration test, configured as a browser
/// behaves: it asks for `Accept-Encoding: gzip, br` and decodes the answer,
/// keeps the cookies the server sets (the visitor cookie, sessions) and sends
/// them back, and does not follow redirects (tests look at them). A test that
/// needs a second visitor makes a second client; one that must see the bytes
/// on the wire starts from [`browser_client_builder`].
pub fn browser_client() -> reqwest::Client {
    browser_client_builder()
        .build()
        .expect("the test client builds")
}

/// [`browser_client`]'s settings, for the few tests that change one.
pub fn browser_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .gzip(true)
        .brotli(true)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
}

/// The experiments every test server runs (a fixed copy, see its header).
pub const TEST_EXPERIMENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/experiments.toml"
);

pub fn fresh_config(dir: &TempDir) -> Config {
    let site_root = dir.path().join("site");
    std::fs::create_dir_all(site_root.join("pkg")).unwrap();
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("data/test.db").display()),
        site_root,
        shutdown_timeout: Duration::from_secs(5),
        feedback_rate: Rate {
            burst: 20,
            per_minute: 6,
        },
        events_rate: Rate {
            burst: 60,
            per_minute: 120,
        },
        event_retention_days: 180,
        experiments: TEST_EXPERIMENTS.into(),
        experiments_default: false,
        metrics_token: None,
        metrics_addr: None,
        net: Default::default(),
        database_max_size_mb: None,
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let config = fresh_config(&dir);
    spawn_app_with(dir, config).await
}

pub async fn spawn_app_with(dir: TempDir, config: Config) -> TestApp {
    let site_root = config.site_root.clone();
    let db_path = dir.path().join("data/test.db");
    let served = serve(config).await;
    TestApp {
        address: served.address.clone(),
        client: browser_client(),
        db_path,
        site_root,
        db: served.db.clone(),
        served: Some(served),
        _dir: dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn metrics_text(&self) -> String {
        self.get("/metrics").await.text().await.unwrap()
    }

    /// Asks the server to stop and waits for it.
    pub async fn stop(&mut self) {
        if let Some(served) = self.served.take() {
            served.stop().await;
        }
    }
}

/// Fails the test when one of the app's request handlers panicked (each is
/// answered with a JSON 500, logged as "handler panicked" and counted in
/// `ats_scorer_panics_total`): `make test`'s server logs carry no panic. Not
/// checked while the test itself is already failing.
pub fn assert_no_handler_panicked(metrics: &Metrics) {
    if !std::thread::panicking() {
        assert_eq!(
            metrics.panics_total.get(),
            0,
            "a request handler panicked: see \"handler panicked\" in the log"
        );
    }
}

/// The real `ats-scorer` binary serving a folder's database (`db/app.db`) on a
/// free port, with its stdout log lines collected (and its stderr, where Rust
/// prints a panic that nothing caught; also passed on to the test's stderr).
pub struct Binary {
    pub child: std::process::Child,
    /// `host:port` it logged in its "listening" line.
    pub address: String,
    pub lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    pub stderr: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Binary {
    /// Fails the test if the server's output shows a panic: one printed on
    /// stderr ("thread '…' panicked at …": in a body stream or a background
    /// task) or a handler panic caught and logged ("handler panicked").
    pub fn assert_no_panics(&self) {
        let out = self.lines.lock().unwrap();
        let err = self.stderr.lock().unwrap();
        let panics: Vec<&String> = out
            .iter()
            .chain(err.iter())
            .filter(|l| l.contains("panicked"))
            .collect();
        assert!(panics.is_empty(), "the server panicked: {panics:#?}");
    }
}

/// Starts `ats-scorer serve` for `dir` with extra environment variables and
/// waits for its "listening" log line.
pub fn start_binary_with(dir: &std::path::Path, envs: &[(&str, &str)]) -> Binary {
    use std::io::{BufRead, BufReader};
    std::fs::create_dir_all(dir.join("site/pkg")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ats-scorer"))
        .args(["serve", "--listen", "127.0.0.1:0", "--site-root"])
        .arg(dir.join("site"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("db/app.db").display()),
        )
        .env("LOG_LEVEL", "info")
        .env("EXPERIMENTS_FILE", TEST_EXPERIMENTS)
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the ats-scorer binary starts");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let lines: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let sink = lines.clone();
    let stdout = child.stdout.take().unwrap();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
            if v["message"] == "listening" {
                let _ = tx.send(v["address"].as_str().unwrap_or_default().to_string());
            }
            sink.lock().unwrap().push(line);
        }
    });
    let stderr_lines: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let err_sink = stderr_lines.clone();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            err_sink.lock().unwrap().push(line);
        }
    });
    let address = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server logs its address");
    Binary {
        child,
        address,
        lines,
        stderr: stderr_lines,
    }
}
