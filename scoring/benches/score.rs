//! `cargo bench -p scoring`: the engine on a two-page resume and a one-page job
//! description, whole (`score`, recommendations included) and by stage.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use scoring::{Options, Variant, job::analyze_job, month_index, normalize::normalize};

const RESUME: &str = include_str!("../tests/fixtures/backend-resume.txt");

fn job() -> String {
    // `shared/` beside the checkout, or beside a parent folder (a worktree).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/jobs/backend-eng.txt"))
        .find(|p| p.is_file())
        .expect("shared job fixture beside the checkout");
    std::fs::read_to_string(path).expect("shared job fixture readable")
}

/// Two pages: the one-and-a-half-page fixture plus a second employer's worth of bullets.
fn two_page_resume() -> String {
    format!(
        "{RESUME}\nEARLIER EXPERIENCE\nJunior Developer, Copperleaf Media — Jan 2014 – Aug 2016\n{}",
        "• Maintained PHP and MySQL publishing tools for 40 editors, cutting page build time by 30%\n".repeat(12)
    )
}

fn bench(c: &mut Criterion) {
    let resume = two_page_resume();
    let job = job();
    let options = |variant| Options {
        variant,
        today: Some(month_index(2026, 11)),
    };
    println!(
        "resume: {} words; job: {} words",
        resume.split_whitespace().count(),
        job.split_whitespace().count()
    );
    c.bench_function("score v2 (two-page resume, one-page job)", |b| {
        b.iter(|| scoring::score_with(black_box(&resume), black_box(&job), options(Variant::V2)))
    });
    c.bench_function("score v3 (two-page resume, one-page job)", |b| {
        b.iter(|| scoring::score_with(black_box(&resume), black_box(&job), options(Variant::V3)))
    });
    c.bench_function("score v1 (two-page resume, one-page job)", |b| {
        b.iter(|| scoring::score_with(black_box(&resume), black_box(&job), options(Variant::V1)))
    });
    // What the page repeats on each edit: the 440-word fixture resume, the
    // job's analysis already cached (`examples/score_only_warm.rs` counts
    // its instructions).
    for (name, variant) in [("v2", Variant::V2), ("v3", Variant::V3)] {
        scoring::score_only(RESUME, &job, options(variant)).expect("scorable");
        c.bench_function(
            &format!("score_only {name} (fixture resume, job cached)"),
            |b| {
                b.iter(|| scoring::score_only(black_box(RESUME), black_box(&job), options(variant)))
            },
        );
    }
    let analysed = analyze_job(&job);
    let normalized = normalize(&resume);
    c.bench_function("evaluate once, no recommendations", |b| {
        b.iter(|| scoring::score::evaluate(black_box(&normalized), &analysed, Variant::V2, None))
    });
    c.bench_function("evaluate once v3, no recommendations", |b| {
        b.iter(|| scoring::score::evaluate(black_box(&normalized), &analysed, Variant::V3, None))
    });
    c.bench_function("analyze job", |b| b.iter(|| analyze_job(black_box(&job))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
