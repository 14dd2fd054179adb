use std::{path::PathBuf, time::Duration};

use server::{cli::Config, ratelimit::Rate, startup::Application};
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
    shutdown: Option<oneshot::Sender<()>>,
    pub handle: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: TempDir,
}

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
        experiments: concat!(env!("CARGO_MANIFEST_DIR"), "/../experiments.toml").into(),
        experiments_default: false,
        metrics_token: None,
        metrics_addr: None,
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
    let app = Application::build(config).await.expect("the app builds");
    let address = format!("http://{}", app.local_addr());
    let db = app.db().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    }));
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        db_path,
        site_root,
        db,
        shutdown: Some(tx),
        handle: Some(handle),
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
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
