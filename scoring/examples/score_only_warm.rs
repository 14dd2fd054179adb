//! `cargo run --release -p scoring --example score_only_warm [v2|v3] [N]`: the
//! page's repeated cost, `score_only` with the job's analysis already cached,
//! N times (default 20) for the 440-word fixture resume and the backend job.
//! Meant for `valgrind --tool=callgrind` (instructions per call); see
//! `docs/benchmarks.md`; `--toggle-collect='*score_only_warm::measured*'`
//! counts the warm calls only.

fn main() {
    let mut args = std::env::args().skip(1);
    let variant = match args.next().as_deref() {
        Some("v2") => scoring::Variant::V2,
        Some("v1") => scoring::Variant::V1,
        _ => scoring::Variant::V3,
    };
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let resume = include_str!("../tests/fixtures/backend-resume.txt");
    // `shared/` beside the checkout, or beside a parent folder (a worktree).
    let job_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/jobs/backend-eng.txt"))
        .find(|p| p.is_file())
        .expect("shared job fixture beside the checkout");
    let job = std::fs::read_to_string(job_path).expect("shared job fixture readable");
    let options = scoring::Options {
        variant,
        today: Some(scoring::month_index(2026, 11)),
    };
    // Warm the one-entry job cache: what follows is the resume side only.
    let warm = scoring::score_only(resume, &job, options).expect("scorable");
    let total = measured(resume, &job, options, n);
    println!(
        "{variant:?}: {n} warm runs, score {} (mean {})",
        warm.score,
        total / n.max(1) as u64
    );
}

/// The warm calls, apart so a profiler can count them alone.
#[inline(never)]
fn measured(resume: &str, job: &str, options: scoring::Options, n: usize) -> u64 {
    let mut total = 0u64;
    for _ in 0..n {
        let r = scoring::score_only(std::hint::black_box(resume), job, options).expect("scorable");
        total += u64::from(r.score);
    }
    total
}
