//! The ATS scoring engine: resume text and job description in, explained report out.
//!
//! Pure: no I/O, no Leptos, no clock, so the same code runs natively (CLI, tests,
//! benchmarks) and in the browser as WebAssembly, and the same input always gives
//! the same report. See `docs/scoring.md` for the design.

pub mod job;
pub mod normalize;
pub mod resume;
pub mod skills;
pub mod tokenize;
