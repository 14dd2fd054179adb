//! User Timing marks and measures (`performance.mark`/`measure`): each measure
//! `name` spans the marks `{name}-start` and `{name}-end`, so tests and users
//! can read durations with `performance.getEntriesByName(name)`. Without a
//! browser (server rendering, native tests) these do nothing.

/// Marks the start of `measure`.
pub fn start(measure: &str) {
    mark(&format!("{measure}-start"));
}

/// Marks the end of `measure` and records it.
pub fn end(measure: &str) {
    let start = format!("{measure}-start");
    let end = format!("{measure}-end");
    mark(&end);
    record(measure, &start, &end);
}

/// Runs `f` inside `measure`.
pub fn timed<T>(measure: &str, f: impl FnOnce() -> T) -> T {
    start(measure);
    let out = f();
    end(measure);
    out
}

/// Milliseconds since the page started (`performance.now()`; 0 without a browser).
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        performance().map_or(0.0, |p| p.now())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

#[cfg(feature = "hydrate")]
fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

#[cfg(feature = "hydrate")]
fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

#[cfg(feature = "hydrate")]
fn record(name: &str, start: &str, end: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark_and_end_mark(name, start, end);
    }
}

#[cfg(not(feature = "hydrate"))]
fn mark(_: &str) {}

#[cfg(not(feature = "hydrate"))]
fn record(_: &str, _: &str, _: &str) {}
