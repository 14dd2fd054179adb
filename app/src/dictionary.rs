//! The skill dictionary in the browser. The engine's dictionary text (26 KB,
//! 11 KB gzip) is not in the first-load Wasm: the page fetches it from
//! `/dictionary/skills.<hash>.txt` (the hash of the text this engine was built
//! with, so it is cached for good and never mixed with another build's) and
//! installs it before the first score. The file is preloaded from the page's
//! `<head>` (`shell`), so it downloads alongside the Wasm.
//!
//! On the server (`ssr`) and in native tests the dictionary is compiled in,
//! and it is ready at once.

use leptos::prelude::*;

/// The dictionary's path on this site.
pub fn url() -> String {
    format!("/dictionary/{}", scoring::skills::dictionary_file_name())
}

/// Where the dictionary is in its loading, as two flags (plain `bool`
/// signals: the page already uses them, so they add no code to the Wasm).
#[derive(Debug, Clone, Copy)]
pub struct Dictionary {
    /// Installed: scoring can run.
    pub ready: RwSignal<bool>,
    /// A download failed and is being retried (the page says so).
    pub failing: RwSignal<bool>,
}

/// The wait before each retry of a failed download (milliseconds); the last
/// one repeats until the dictionary arrives, so a visitor back online waits
/// at most 10 seconds.
#[cfg(feature = "hydrate")]
const RETRY_DELAYS_MS: [u64; 4] = [1_000, 2_000, 5_000, 10_000];

/// A download that has not finished by then is abandoned and retried.
#[cfg(feature = "hydrate")]
const TIMEOUT_MS: u64 = 30_000;

#[cfg(feature = "hydrate")]
thread_local! {
    /// The states of the pages waiting for the dictionary (one per mounted
    /// home page; a page left meanwhile is dropped when its signals are gone).
    static WAITING: std::cell::RefCell<Vec<Dictionary>> = const { std::cell::RefCell::new(Vec::new()) };
    /// One download (and its retries) at a time for the whole tab.
    static LOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The dictionary's state for this page, starting its download if it is not
/// installed yet. A failed or stalled download is retried for as long as the
/// tab is open: after 1, 2, 5, then every 10 seconds.
pub fn use_dictionary() -> Dictionary {
    let installed = scoring::skills::dictionary_is_installed();
    let state = Dictionary {
        ready: RwSignal::new(installed),
        failing: RwSignal::new(false),
    };
    if !installed {
        // Effects run in the browser only: the server never fetches.
        Effect::new(move |_| wait_for(state));
    }
    state
}

#[cfg(feature = "hydrate")]
fn wait_for(state: Dictionary) {
    if scoring::skills::dictionary_is_installed() {
        state.ready.set(true);
        return;
    }
    WAITING.with_borrow_mut(|waiting| waiting.push(state));
    if !LOADING.replace(true) {
        load(0);
    }
}

#[cfg(feature = "hydrate")]
fn load(attempt: usize) {
    leptos::task::spawn_local(async move {
        // A retry bypasses the HTTP cache: a bad answer cached as immutable
        // (a proxy's, a cut body) would otherwise come back forever.
        let ok = fetch(attempt > 0).await.is_some();
        if !ok {
            leptos::logging::warn!("the skill dictionary could not be loaded; retrying");
        }
        WAITING.with_borrow_mut(|waiting| {
            // `try_set` gives the value back when the page is gone.
            waiting.retain(|s| s.ready.try_set(ok).is_none() && s.failing.try_set(!ok).is_none());
            if ok {
                waiting.clear();
            }
        });
        if ok {
            LOADING.set(false);
        } else {
            let ms = RETRY_DELAYS_MS[attempt.min(RETRY_DELAYS_MS.len() - 1)];
            set_timeout(
                move || load(attempt + 1),
                std::time::Duration::from_millis(ms),
            );
        }
    });
}

#[cfg(feature = "hydrate")]
/// `None` when the download or the text failed (the reason matters not: the
/// answer is the same, try again).
async fn fetch(bypass_cache: bool) -> Option<()> {
    let abort = web_sys::AbortController::new().ok()?;
    let request = gloo_net::http::Request::get(&url())
        .abort_signal(Some(&abort.signal()))
        .cache(if bypass_cache {
            web_sys::RequestCache::Reload
        } else {
            web_sys::RequestCache::Default
        });
    set_timeout(
        move || abort.abort(),
        std::time::Duration::from_millis(TIMEOUT_MS),
    );
    let response = request.send().await.ok().filter(|r| r.ok())?;
    let text = response.text().await.ok()?;
    scoring::skills::install_dictionary(&text).ok()
}

#[cfg(not(feature = "hydrate"))]
fn wait_for(state: Dictionary) {
    // Native builds have the dictionary compiled in.
    state.ready.set(scoring::skills::dictionary_is_installed());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_version_of_the_text_it_serves() {
        let url = url();
        let hash = url
            .strip_prefix("/dictionary/skills.")
            .and_then(|rest| rest.strip_suffix(".txt"))
            .unwrap();
        assert_eq!(hash.len(), 16);
        assert_eq!(
            u64::from_str_radix(hash, 16).unwrap(),
            scoring::skills::DICTIONARY_HASH
        );
    }
}
