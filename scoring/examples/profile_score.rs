//! `cargo run --release -p scoring --example profile_score [N]`: scores the
//! two-page bench resume N times, for profilers (`perf record`).

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let resume = include_str!("../tests/fixtures/backend-resume.txt");
    let job = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/jobs/backend-eng.txt"
    ))
    .expect("shared job fixture");
    let mut total = 0u64;
    for _ in 0..n {
        let r = scoring::score(resume, &job, scoring::Variant::V2).expect("scorable");
        total += u64::from(r.score);
    }
    println!("{n} runs, mean score {}", total / n as u64);
}
