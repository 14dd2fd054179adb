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
/// cargo-leptos writes `hash.txt` (the content hashes in the bundle's file
/// names) next to the server binary, and the page names its bundle from it.
/// A binary deployed without that file still serves a working page: the
/// hashes are then read from the bundle's own file names in `site_root/pkg`
/// ([`bundle_hashes`]) into a file of this process. A site with plain names
/// (a test binary's) is served with plain names; a site with no bundle at
/// all is logged as an error, since the page would never become interactive.
pub fn leptos_options(site_root: &Path) -> LeptosOptions {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| p.is_file());
    let builder = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg");
    if beside_binary {
        return builder.hash_files(true).build();
    }
    let pkg = site_root.join("pkg");
    let names: Vec<(String, std::time::SystemTime)> = std::fs::read_dir(&pkg)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| {
                    let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                    Some((e.file_name().to_string_lossy().into_owned(), modified))
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(hashes) = bundle_hashes(&names) {
        let file = std::env::temp_dir().join(format!("ats-scorer-hash-{}.txt", std::process::id()));
        match std::fs::write(&file, &hashes) {
            Ok(()) => {
                tracing::info!(
                    pkg = %pkg.display(),
                    "hash.txt is not beside the binary: the bundle's names are read from the site"
                );
                // An absolute `hash_file` is used as is (Leptos joins it to the binary's folder).
                return builder
                    .hash_files(true)
                    .hash_file(file.to_string_lossy().into_owned().into())
                    .build();
            }
            Err(e) => tracing::error!(
                error = %e,
                file = %file.display(),
                "cannot write the bundle's hashes: the page will not load its script"
            ),
        }
    } else if !names.iter().any(|(n, _)| n == &format!("{OUTPUT_NAME}.js")) {
        tracing::error!(
            pkg = %pkg.display(),
            "no page bundle ({OUTPUT_NAME}.js) in the site: pages render but never become \
             interactive; build it with `cargo leptos build --release` and pass --site-root"
        );
    }
    builder.hash_files(false).build()
}

/// The `hash.txt` content (`js: …`, `wasm: …`, `css: …` lines) for the
/// hashed bundle files among `files` (name, modification time), taking the
/// newest of each kind: `ats-scorer.<hash>.js`, `.wasm`, `.css`. `None` when
/// the JS or the Wasm file is missing.
pub fn bundle_hashes(files: &[(String, std::time::SystemTime)]) -> Option<String> {
    let newest = |ext: &str| {
        files
            .iter()
            .filter_map(|(name, modified)| {
                let hash = name
                    .strip_prefix(OUTPUT_NAME)?
                    .strip_prefix('.')?
                    .strip_suffix(ext)?
                    .strip_suffix('.')?;
                (is_hashed_file_name(name) && !hash.contains('.')).then_some((hash, modified))
            })
            .max_by_key(|(_, modified)| *modified)
            .map(|(hash, _)| hash.to_string())
    };
    let (js, wasm) = (newest("js")?, newest("wasm")?);
    let mut out = format!("js: {js}\nwasm: {wasm}\n");
    if let Some(css) = newest("css") {
        out.push_str(&format!("css: {css}\n"));
    }
    Some(out)
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
    fn the_bundle_hashes_are_read_from_the_newest_hashed_files() {
        let t = |secs| std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let files = vec![
            ("ats-scorer.0bsNu10uV9cImcbCE6YtXg.js".to_string(), t(10)),
            ("ats-scorer.oldoldoldoldold.js".to_string(), t(5)),
            ("ats-scorer.a7lVECj1gzeE5SDE46z0Xw.wasm".to_string(), t(10)),
            ("ats-scorer.71-wSs71QoM02ongWPv0cg.css".to_string(), t(10)),
            ("ats-scorer.d.rIgMqU-0_FZGEwY2b5TFRw.ts".to_string(), t(10)),
            ("favicon.svg".to_string(), t(10)),
        ];
        assert_eq!(
            bundle_hashes(&files).as_deref(),
            Some(
                "js: 0bsNu10uV9cImcbCE6YtXg\nwasm: a7lVECj1gzeE5SDE46z0Xw\ncss: 71-wSs71QoM02ongWPv0cg\n"
            )
        );
    }

    #[test]
    fn plain_bundle_names_have_no_hashes() {
        let now = std::time::SystemTime::now();
        let files = vec![
            ("ats-scorer.js".to_string(), now),
            ("ats-scorer_bg.wasm".to_string(), now),
        ];
        assert_eq!(bundle_hashes(&files), None);
    }

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
