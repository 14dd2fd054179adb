//! How long a `/metrics` scrape takes with a large database (issue 7: target
//! under 5 ms with 10 million stored events). The scrape reads in-memory
//! metrics only, so the figure should not move with the data; this measures it.
//!
//! `cargo run --release -p server --example scrape_bench -- --events 10000000`
//! (build the binary first: `cargo leptos build --release`).

use std::time::Instant;

mod common;
use common::{arg, start_server};

async fn scrape(address: &str, n: usize) -> (f64, f64, usize) {
    let client = reqwest::Client::new();
    let url = format!("http://{address}/metrics");
    let mut times = Vec::with_capacity(n);
    let mut bytes = 0;
    for i in 0..n + 20 {
        let t = Instant::now();
        let body = client.get(&url).send().await.unwrap().text().await.unwrap();
        // The first 20 warm the connection and caches.
        if i >= 20 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        bytes = body.len();
    }
    times.sort_by(f64::total_cmp);
    (times[n / 2], times[n * 99 / 100], bytes)
}

#[tokio::main]
async fn main() {
    let events: u64 = arg("--events", "10000000").parse().unwrap();
    let binary = arg("--binary", "target/release/ats-scorer");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("big.db").display());

    let pool = server::db::connect(&url).await.unwrap();
    server::db::migrate(&pool).await.unwrap();
    let (mut child, address) = start_server(&binary, dir.path(), "big.db");
    let (p50, p99, size) = scrape(&address, 500).await;
    println!("empty database: /metrics p50 {p50:.2} ms, p99 {p99:.2} ms, {size} bytes");
    child.kill().ok();
    child.wait().ok();

    let started = Instant::now();
    sqlx::query("PRAGMA synchronous = OFF")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
         INSERT INTO events (id, kind, visitor_id, session_id, page, ts, received_at, variants, props)
         SELECT printf('%08x-0000-4000-8000-%012x', i / 65536, i), 'page_view',
                printf('%032x', i % 100000), 'seed', '/', 1795392000000 + i, 1795392000000 + i, '{}', '{}'
         FROM n",
    )
    .bind(events as i64)
    .execute(&pool)
    .await
    .unwrap();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    let file = std::fs::metadata(dir.path().join("big.db"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "seeded {count} events in {:.0} s ({:.1} GB file)",
        started.elapsed().as_secs_f64(),
        file as f64 / 1e9
    );

    let (mut child, address) = start_server(&binary, dir.path(), "big.db");
    let (p50, p99, size) = scrape(&address, 500).await;
    println!("{count} events: /metrics p50 {p50:.2} ms, p99 {p99:.2} ms, {size} bytes");
    child.kill().ok();
    child.wait().ok();
}
