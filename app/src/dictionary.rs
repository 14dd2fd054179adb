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
/// one repeats until the dictionary arrives.
#[cfg(feature = "hydrate")]
const RETRY_DELAYS_MS: [u64; 4] = [1_000, 3_000, 10_000, 30_000];

/// The dictionary's state for this page, starting its download if it is not
/// installed yet. A failed download is retried for as long as the page is
/// open, first after a second, then at most every 30 seconds.
pub fn use_dictionary() -> Dictionary {
    let installed = scoring::skills::dictionary_is_installed();
    let state = Dictionary {
        ready: RwSignal::new(installed),
        failing: RwSignal::new(false),
    };
    if !installed {
        // Effects run in the browser only: the server never fetches.
        Effect::new(move |_| load(state, 0));
    }
    state
}

#[cfg(feature = "hydrate")]
fn load(state: Dictionary, attempt: usize) {
    leptos::task::spawn_local(async move {
        match fetch().await {
            Ok(()) => {
                state.failing.set(false);
                state.ready.set(true);
            }
            Err(error) => {
                leptos::logging::warn!("skill dictionary, attempt {}: {error}", attempt + 1);
                state.failing.set(true);
                let ms = RETRY_DELAYS_MS[attempt.min(RETRY_DELAYS_MS.len() - 1)];
                set_timeout(
                    move || load(state, attempt + 1),
                    std::time::Duration::from_millis(ms),
                );
            }
        }
    });
}

#[cfg(feature = "hydrate")]
async fn fetch() -> Result<(), String> {
    let response = gloo_net::http::Request::get(&url())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    scoring::skills::install_dictionary(&text)
}

#[cfg(not(feature = "hydrate"))]
fn load(state: Dictionary, _attempt: usize) {
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
