//! Load generator for `POST /api/events` (issue 6's benchmark).
//!
//! 1. The ceiling: the same multi-row INSERT the writer uses, straight into a
//!    fresh SQLite file with the server's settings (WAL, synchronous=FULL),
//!    one transaction per batch of 50.
//! 2. The server: the release binary on a fresh database, `--concurrency`
//!    clients posting batches of 50 for `--seconds`; events per second and
//!    p50/p99 latency of the 202s.
//!
//! `cargo run --release -p server --example loadgen -- --seconds 10 --concurrency 16`
//! (build the binary first: `cargo leptos build --release`).

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

mod common;
use common::{arg, start_server_with};
use sqlx::{QueryBuilder, Sqlite};

const BATCH: usize = 50;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn batch() -> Vec<Value> {
    (0..BATCH)
        .map(|_| {
            json!({"id": uuid::Uuid::new_v4().to_string(), "kind": "score_computed",
                   "ts": server::events::now_ms(), "session": "5e551011-0000-4000-8000-000000000001",
                   "page": "/", "variants": {"scoring-algorithm": "v2", "result-layout": "summary-first"},
                   "props": {"variant": "v2", "algorithm": "v2.0", "score": 71, "duration_ms": 2, "source": "paste"}})
        })
        .collect()
}

/// Raw inserts: `batches` multi-row INSERTs of 50, `per_tx` batches per transaction.
async fn ceiling(batches: usize, per_tx: usize) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let pool = server::db::connect(&format!("sqlite://{}", dir.path().join("c.db").display()))
        .await
        .unwrap();
    server::db::migrate(&pool).await.unwrap();
    let variants = r#"{"result-layout":"summary-first","scoring-algorithm":"v2"}"#;
    let props =
        r#"{"algorithm":"v2.0","duration_ms":2,"score":71,"source":"paste","variant":"v2"}"#;
    let start = Instant::now();
    let mut done = 0;
    while done < batches {
        let mut tx = pool.begin().await.unwrap();
        for _ in 0..per_tx.min(batches - done) {
            let ids: Vec<String> = (0..BATCH)
                .map(|_| uuid::Uuid::new_v4().to_string())
                .collect();
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO events (id, kind, visitor_id, session_id, page, ts, received_at, variants, props) ",
            );
            q.push_values(&ids, |mut row, id| {
                row.push_bind(id)
                    .push_bind("score_computed")
                    .push_bind("00112233445566778899aabbccddeeff")
                    .push_bind("5e551011-0000-4000-8000-000000000001")
                    .push_bind("/")
                    .push_bind(0i64)
                    .push_bind(0i64)
                    .push_bind(variants)
                    .push_bind(props);
            });
            q.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
            let _: Vec<String> = q.build_query_scalar().fetch_all(&mut *tx).await.unwrap();
            done += 1;
        }
        tx.commit().await.unwrap();
    }
    (batches * BATCH) as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let seconds: u64 = arg("--seconds", "10").parse().unwrap();
    let concurrency: usize = arg("--concurrency", "16").parse().unwrap();
    let binary = arg("--binary", "target/release/ats-scorer");

    let per_batch_tx = ceiling(400, 1).await;
    let grouped_tx = ceiling(400, 64).await;

    let dir = tempfile::tempdir().unwrap();
    // One address sends everything: its flood limit (five visitors' worth of
    // batches) out of the way, to measure the writer.
    let (mut child, address) = start_server_with(
        &binary,
        dir.path(),
        "load.db",
        &[
            ("EVENTS_BURST", "1000000"),
            ("EVENTS_PER_MINUTE", "100000000"),
        ],
    );
    let url = format!("http://{address}/api/events");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    let accepted: Arc<Mutex<u64>> = Arc::default();
    let errors: Arc<Mutex<u64>> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let (client, url) = (client.clone(), url.clone());
        let (latencies, accepted, errors) = (latencies.clone(), accepted.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                let body = json!({ "events": batch() });
                n += 1;
                let t = Instant::now();
                let res = client
                    .post(&url)
                    .header("cookie", format!("ats_vid={:016x}{:016x}", w, n))
                    .json(&body)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 202 => {
                        let v: Value = r.json().await.unwrap();
                        latencies
                            .lock()
                            .unwrap()
                            .push(t.elapsed().as_secs_f64() * 1000.0);
                        *accepted.lock().unwrap() += v["accepted"].as_u64().unwrap_or(0);
                    }
                    _ => *errors.lock().unwrap() += 1,
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    child.kill().ok();
    child.wait().ok();

    let mut lat = latencies.lock().unwrap().clone();
    lat.sort_by(f64::total_cmp);
    let accepted = *accepted.lock().unwrap();
    let rate = accepted as f64 / elapsed;
    println!("ceiling, raw SQLite, one transaction per batch of 50: {per_batch_tx:.0} events/s");
    println!("ceiling, raw SQLite, 64 batches per transaction:      {grouped_tx:.0} events/s");
    println!(
        "server: {concurrency} clients x {seconds} s, batch 50: {rate:.0} events/s, {} requests, p50 {:.1} ms, p99 {:.1} ms, {} errors",
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        errors.lock().unwrap()
    );
    println!(
        "server / ceiling (one transaction per batch): {:.0}%",
        100.0 * rate / per_batch_tx
    );
}
