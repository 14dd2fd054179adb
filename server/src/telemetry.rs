//! Logging: JSON lines on stdout for machines, readable text on a terminal.

use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber. `filter` is a level or tracing directive; an
/// invalid one falls back to `info` with a warning rather than refusing to start.
pub fn init(filter: &str) {
    let (env_filter, invalid) = match EnvFilter::try_new(filter) {
        Ok(f) => (f, None),
        Err(e) => (EnvFilter::new("info"), Some(e.to_string())),
    };
    let registry = tracing_subscriber::registry().with(env_filter);
    let result = if std::io::stdout().is_terminal() {
        registry.with(fmt::layer().with_target(false)).try_init()
    } else {
        registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init()
    };
    if result.is_ok()
        && let Some(e) = invalid
    {
        tracing::warn!(filter, error = %e, "invalid log filter; using info");
    }
}
