//! Liveness (`/health`) and readiness (`/ready`) probes.

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};

use crate::startup::AppState;

/// The process is up and serving. Never touches the database, so a slow disk
/// does not get a healthy process restarted.
pub async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_seconds": state.started_at.elapsed().as_secs(),
    }))
}

/// The process can do its work: the database accepts a write (a probe
/// transaction commits on a fresh connection, within two seconds, with pages
/// left under the size cap). 503 names the failing check, e.g.
/// `{"status":"unavailable","checks":{"database":"unwritable: database or disk is full"}}`.
/// Answers are shared for a second (`db::PROBE_CACHE`), so floods cost one probe.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = check(&state).await;
    let ok = database == "ok";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if ok { "ok" } else { "unavailable" },
            "checks": { "database": database },
        })),
    )
}

/// Runs (or reuses) the write probe and records the answer in
/// `ats_scorer_ready`: `ok`, `timeout` or `unwritable: <SQLite's message>`.
pub async fn check(state: &AppState) -> String {
    state.storage.check().await.label()
}

/// Re-checks readiness every 10 seconds so `ats_scorer_ready` is current for
/// scrapes and alerts even when nobody calls `/ready`.
pub fn spawn_readiness(state: AppState) {
    tokio::spawn(async move {
        loop {
            check(&state).await;
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        }
    });
}
