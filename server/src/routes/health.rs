//! Liveness (`/health`) and readiness (`/ready`) probes.

use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};

use crate::{db, startup::AppState};

/// How long `/ready` waits for the database before calling it unavailable.
const READY_DB_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up and serving. Never touches the database, so a slow disk
/// does not get a healthy process restarted.
pub async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_seconds": state.started_at.elapsed().as_secs(),
    }))
}

/// The process can do its work: the database answers within two seconds.
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

/// Pings the database (at most two seconds) and records the answer in
/// `ats_scorer_ready`: `ok`, `error` or `timeout`.
pub async fn check(state: &AppState) -> &'static str {
    let ping = state.metrics.time_query("ready_ping", db::ping(&state.db));
    let database = match tokio::time::timeout(READY_DB_TIMEOUT, ping).await {
        Ok(Ok(())) => "ok",
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check: database error");
            "error"
        }
        Err(_) => {
            tracing::warn!("readiness check: database timed out");
            "timeout"
        }
    };
    state.metrics.ready.set(i64::from(database == "ok"));
    database
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
