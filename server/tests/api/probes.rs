use serde_json::Value;

use crate::helpers::{fresh_config, spawn_app, spawn_app_with};

#[tokio::test]
async fn health_answers_ok_with_the_version_and_uptime() {
    let app = spawn_app().await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptime_seconds"].is_u64());
}

#[tokio::test]
async fn ready_reports_the_database_as_ok() {
    let app = spawn_app().await;
    let res = app.get("/ready").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "ok", "checks": {"database": "ok"}})
    );
}

#[tokio::test]
async fn ready_answers_503_naming_the_database_when_it_is_unavailable() {
    let app = spawn_app().await;
    app.db.close().await;
    let res = app.get("/ready").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["checks"]["database"], "error");
    // Liveness does not depend on the database.
    assert_eq!(app.get("/health").await.status(), 200);
}

#[tokio::test]
async fn first_start_creates_the_database_file_and_applies_every_migration() {
    let app = spawn_app().await;
    assert!(
        app.db_path.is_file(),
        "database file created at {:?}",
        app.db_path
    );
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count() as i64;
    assert_eq!(applied, on_disk);
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
}

#[tokio::test]
async fn a_restart_on_the_same_database_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let config = fresh_config(&dir);
    let db_url = config.database_url.clone();
    let mut first = spawn_app_with(dir, config.clone()).await;
    let id: String = sqlx::query_scalar("SELECT value FROM instance WHERE key = 'instance_id'")
        .fetch_one(&first.db)
        .await
        .unwrap();
    assert_eq!(id.len(), 32);
    first.stop().await;

    // Start again on the same file: migrations are not re-run, the id survives.
    let pool = server::db::connect(&db_url).await.unwrap();
    server::db::migrate(&pool).await.unwrap();
    let again: String = sqlx::query_scalar("SELECT value FROM instance WHERE key = 'instance_id'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(again, id);
}

#[tokio::test]
async fn unknown_api_paths_answer_a_json_404() {
    let app = spawn_app().await;
    let res = app.get("/api/does-not-exist").await;
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_wrong_method_answers_a_json_405() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/health", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}
