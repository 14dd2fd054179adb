//! The Leptos site: its options, the static assets cargo-leptos builds (Wasm, JS,
//! CSS under `pkg/`) and the cache headers that go with them.

use std::path::Path;

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::config::LeptosOptions;

/// Name cargo-leptos gives the bundle (`[[workspace.metadata.leptos]] name`).
pub const OUTPUT_NAME: &str = "ats-scorer";

/// Hashed files never change under the same name: cache them for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed static files (favicon): a day, then revalidate.
pub const SHORT: &str = "public, max-age=86400";
/// HTML is rendered per request and names the current hashed bundle: always revalidate.
pub const NO_CACHE: &str = "no-cache";

/// Leptos options for serving the site from `site_root`.
///
/// cargo-leptos writes `hash.txt` (the content hashes in the bundle's file names)
/// next to the server binary. Hashed names are used when that file is there; a
/// binary without it (a test binary, say) falls back to plain names instead of
/// failing to render.
pub fn leptos_options(site_root: &Path) -> LeptosOptions {
    let hash_file_present = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| p.is_file());
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .hash_files(hash_file_present)
        .build()
}

/// True for a file name carrying a content hash as cargo-leptos writes it:
/// `ats-scorer.3f9a1c0e2b.js`, i.e. a dotted segment of at least 8 hex-or-base64url characters.
pub fn is_hashed_file_name(name: &str) -> bool {
    let mut parts = name.split('.');
    let _stem = parts.next();
    let segments: Vec<&str> = parts.collect();
    segments.len() >= 2
        && segments[..segments.len() - 1].iter().any(|s| {
            s.len() >= 8
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// Cache policy for a static file path under `/pkg/`.
pub fn pkg_cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if is_hashed_file_name(name) {
        IMMUTABLE
    } else {
        NO_CACHE
    }
}

/// Middleware for `/pkg/…`: long cache for hashed files on success.
pub async fn pkg_cache_headers(req: Request, next: Next) -> Response {
    let policy = pkg_cache_control(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// Middleware for everything: HTML must revalidate, other responses without a
/// policy of their own get a short one if they are static files.
pub async fn default_cache_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let is_file = res.headers().contains_key(header::LAST_MODIFIED);
    let policy = if is_html {
        NO_CACHE
    } else if is_file && res.status().is_success() {
        SHORT
    } else {
        NO_CACHE
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_hashed_names_cargo_leptos_writes() {
        assert!(is_hashed_file_name("ats-scorer.Xk3lP0q9aZ7mBq2w.wasm"));
        assert!(is_hashed_file_name("ats-scorer.3f9a1c0e2b.js"));
    }

    #[test]
    fn plain_names_are_not_hashed() {
        assert!(!is_hashed_file_name("ats-scorer.js"));
        assert!(!is_hashed_file_name("ats-scorer_bg.wasm"));
        assert!(!is_hashed_file_name("favicon.svg"));
        assert!(!is_hashed_file_name("README"));
    }

    #[test]
    fn hashed_bundle_files_are_cached_for_a_year() {
        assert_eq!(
            pkg_cache_control("/pkg/ats-scorer.a1b2c3d4e5f6.css"),
            IMMUTABLE
        );
        assert_eq!(pkg_cache_control("/pkg/ats-scorer.css"), NO_CACHE);
    }
}
