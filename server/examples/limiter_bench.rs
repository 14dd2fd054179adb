//! The rate limiter with 1,000,000 distinct keys (issue 14's benchmark):
//! checks per second for new keys and for known ones, on one thread and on
//! all cores, the resident memory the keys take, and the time a sweep takes.
//!
//! `cargo run --release -p server --example limiter_bench -- --keys 1000000`

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use server::ratelimit::{Limiter, Rate};

mod common;
use common::arg;

/// Resident memory of this process in bytes (Linux `/proc/self/status`).
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn per_sec(n: u64, elapsed: Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64()
}

fn main() {
    let keys: u64 = arg("--keys", "1000000").parse().unwrap();
    let threads: u64 = arg("--threads", "0")
        .parse::<u64>()
        .ok()
        .filter(|t| *t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() as u64));
    // The events endpoint's visitor limiter with the default flags.
    let rate = Rate {
        burst: 60,
        per_minute: 120,
    };

    let before = rss();
    let limiter: Limiter<u128> = Limiter::new(rate);
    let started = Instant::now();
    for k in 0..keys {
        assert!(limiter.check(&u128::from(k)).is_ok());
    }
    let new_keys = started.elapsed();
    let held = rss();
    assert_eq!(limiter.len() as u64, keys);

    let started = Instant::now();
    for k in 0..keys {
        let _ = limiter.check(&u128::from(k));
    }
    let known_keys = started.elapsed();

    // All cores on the same map: new keys (a flood of invented visitors).
    let shared: Arc<Limiter<u128>> = Arc::new(Limiter::new(rate));
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let shared = shared.clone();
            std::thread::spawn(move || {
                for k in 0..keys / threads {
                    let _ = shared.check(&(u128::from(t) << 64 | u128::from(k)));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let parallel = started.elapsed();
    drop(shared);

    // One refill interval later every key is back to a full burst: the sweep
    // drops them all.
    std::thread::sleep(rate.refill_interval() + Duration::from_millis(50));
    let started = Instant::now();
    limiter.sweep();
    let sweep = started.elapsed();
    let after_sweep = rss();

    println!("keyed limiter (governor, dashmap), {keys} distinct keys, rate {rate:?}");
    println!(
        "  new keys, 1 thread:        {:>12.0} checks/s",
        per_sec(keys, new_keys)
    );
    println!(
        "  known keys, 1 thread:      {:>12.0} checks/s",
        per_sec(keys, known_keys)
    );
    println!(
        "  new keys, {threads} threads:       {:>12.0} checks/s",
        per_sec(keys / threads * threads, parallel)
    );
    println!(
        "  memory held by the keys:   {:>9.1} MiB ({:.0} bytes/key)",
        mib(held.saturating_sub(before)),
        held.saturating_sub(before) as f64 / keys as f64
    );
    println!(
        "  sweep of {keys} idle keys: {:>9.1} ms, {} keys left, resident memory {:.1} MiB -> {:.1} MiB",
        sweep.as_secs_f64() * 1000.0,
        limiter.len(),
        mib(held),
        mib(after_sweep)
    );
}
