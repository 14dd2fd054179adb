//! `cargo bench -p extract`: native extraction time on fixture PDFs of one,
//! two and five pages (the browser figure comes from the `resume-extract`
//! User Timing measure once the worker lands).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../shared/fixtures/resumes-pdf/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn bench(c: &mut Criterion) {
    for (label, path) in [
        ("1 page, LaTeX", "latex/multi-degree-coursework.pdf"),
        (
            "2 pages, two columns (Chromium)",
            "unknown/chromium-two-column-sidebar.pdf",
        ),
        (
            "2 pages, Google Docs",
            "google-docs/google-docs-skia-proxy-multiline-bullets-coursework.pdf",
        ),
        ("5 pages, LaTeX awesome-cv", "latex/awesome-cv-cv.pdf"),
    ] {
        let bytes = fixture(path);
        c.bench_function(&format!("extract {label}"), |b| {
            b.iter(|| extract::extract(black_box(&bytes), "resume.pdf").expect("text"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
