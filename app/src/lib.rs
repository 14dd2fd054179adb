//! The Leptos UI of Resume ATS Scorer.
//!
//! Rendered on the server with the `ssr` feature and hydrated in the browser with
//! the `hydrate` feature (the Wasm bundle built by cargo-leptos). Business logic
//! lives in plain functions (`text_stats`, and later the `scoring` crate) so the
//! components stay thin and the logic is tested with ordinary Rust tests.

pub mod components;
pub mod dictionary;
pub mod experiments;
pub mod feedback;
pub mod import;
pub mod pages;
pub mod scoring_run;
pub mod shell;
pub mod telemetry;
pub mod text_stats;
pub mod timing;

pub use shell::{App, shell};

/// The Wasm entry point: attaches the reactive system to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
