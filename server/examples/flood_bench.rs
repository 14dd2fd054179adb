//! `/health` latency while one client floods `POST /api/events` without a
//! cookie, against the same without the flood (issue 14's benchmark).
//!
//! The release binary with default flags on a fresh database, loopback only.
//! Phase 1: one prober sends `GET /health` back to back for `--seconds`.
//! Phase 2: the same prober while `--flooders` connections post event batches
//! with no cookie (a new visitor each time) as fast as they can. Prints p50,
//! p99 and max of `/health`, and what the flood got (202s, 429s).
//!
//! `cargo run --release -p server --example flood_bench -- --seconds 10 --flooders 8`
//! (build the binary first: `cargo build --release -p server --bin ats-scorer`).

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::json;

mod common;
use common::{arg, start_server};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .gzip(true)
        .brotli(true)
        .build()
        .unwrap()
}

/// `/health` back to back until `until`; latencies in milliseconds, sorted.
async fn probe(base: &str, until: Instant) -> Vec<f64> {
    let client = client();
    let url = format!("{base}/health");
    let mut lat = Vec::new();
    while Instant::now() < until {
        let t = Instant::now();
        let res = client.get(&url).send().await.expect("/health answers");
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(f64::total_cmp);
    lat
}

fn report(name: &str, lat: &[f64]) {
    println!(
        "{name:<28} {:>7} requests  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms",
        lat.len(),
        percentile(lat, 0.5),
        percentile(lat, 0.99),
        lat.last().copied().unwrap_or(0.0)
    );
}

#[tokio::main]
async fn main() {
    let seconds: u64 = arg("--seconds", "10").parse().unwrap();
    let flooders: usize = arg("--flooders", "8").parse().unwrap();
    let binary = arg("--binary", "target/release/ats-scorer");

    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_server(&binary, dir.path(), "flood.db");
    let base = format!("http://{address}");
    // Warm up (first connections, the first page of SQLite).
    probe(&base, Instant::now() + Duration::from_millis(500)).await;

    let quiet = probe(&base, Instant::now() + Duration::from_secs(seconds)).await;

    let stop = Arc::new(AtomicBool::new(false));
    let accepted = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let other = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..flooders {
        let (stop, accepted, refused, other) = (
            stop.clone(),
            accepted.clone(),
            refused.clone(),
            other.clone(),
        );
        let url = format!("{base}/api/events");
        tasks.push(tokio::spawn(async move {
            // No cookie jar: every request is a new visitor.
            let client = client();
            while !stop.load(Ordering::Relaxed) {
                let events: Vec<_> = (0..50)
                    .map(|_| {
                        json!({"id": uuid::Uuid::new_v4().to_string(), "kind": "page_view",
                               "ts": server::events::now_ms(),
                               "session": "5e551011-0000-4000-8000-000000000001", "page": "/"})
                    })
                    .collect();
                match client
                    .post(&url)
                    .json(&json!({ "events": events }))
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 202 => accepted.fetch_add(1, Ordering::Relaxed),
                    Ok(r) if r.status() == 429 => refused.fetch_add(1, Ordering::Relaxed),
                    _ => other.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let flooded = probe(&base, Instant::now() + Duration::from_secs(seconds)).await;
    let flood_secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    child.kill().ok();
    child.wait().ok();

    report("/health, no flood", &quiet);
    report(&format!("/health, {flooders} flooders"), &flooded);
    let (a, r, o) = (
        accepted.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
        other.load(Ordering::Relaxed),
    );
    println!(
        "flood: {:.0} requests/s, {a} batches stored (202, {} events), {r} refused (429), {o} other",
        (a + r + o) as f64 / flood_secs,
        a * 50
    );
}
