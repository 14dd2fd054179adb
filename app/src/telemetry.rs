//! Anonymous usage events (`docs/events.md`): a queue in the page, sent in
//! batches of up to 50 every 5 seconds, and with `navigator.sendBeacon` when
//! the page is hidden or closed. Nothing is queued when the visitor asks not
//! to be tracked (`DNT`/`Sec-GPC`, as the server told the page).
//!
//! Events carry identifiers and numbers from a closed vocabulary only (see
//! `contract::events`), never text a person typed.

use std::collections::BTreeMap;

use contract::events::{Prop, RawEvent};

pub use contract::events::size_bucket;

/// Most events per request.
pub const BATCH: usize = 50;
/// How often the queue is sent.
pub const FLUSH_EVERY_MS: u32 = 5_000;
/// Most events kept while the server cannot be reached (oldest dropped first).
pub const MAX_QUEUED: usize = 500;
pub const ENDPOINT: &str = "/api/events";

/// Builds the property map of an event.
pub fn props<const N: usize>(pairs: [(&str, Prop); N]) -> BTreeMap<String, Prop> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The JSON body for a batch: `{"events": [ … ]}`.
pub fn batch_body(events: &[RawEvent]) -> String {
    let mut out = String::from("{\"events\":[");
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(e).expect("events serialise"));
    }
    out.push_str("]}");
    out
}

/// The `localStorage` key of the experiments already reported as exposed:
/// `experiment=variant` tags separated by `;`.
pub const EXPOSED_KEY: &str = "ats-exposed";

/// The counted variants the visitor has been exposed to: the entries of
/// `counted` whose `experiment=variant` tag is in `seen` (what
/// [`EXPOSED_KEY`] holds). Feedback carries these, so every rating the
/// analysis reads under a variant comes from a visitor with an exposure in it.
pub fn exposed_only(counted: &BTreeMap<String, String>, seen: &str) -> BTreeMap<String, String> {
    counted
        .iter()
        .filter(|(experiment, variant)| {
            seen.split(';')
                .any(|tag| tag.split_once('=') == Some((experiment.as_str(), variant.as_str())))
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The file type label of a file name.
pub fn file_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "pdf",
        "docx" => "docx",
        "txt" | "text" | "md" => "txt",
        _ => "other",
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{expose_once, exposed_variants, page_changed, set_variants, start, track};

#[cfg(not(feature = "hydrate"))]
mod server_side {
    use super::*;
    pub fn track(_kind: &str, _props: BTreeMap<String, Prop>) {}
    pub fn exposed_variants() -> BTreeMap<String, String> {
        BTreeMap::new()
    }
    pub fn set_variants(_variants: BTreeMap<String, String>, _tracking: bool) {}
    pub fn expose_once(_counted: &BTreeMap<String, String>) {}
    pub fn page_changed(_path: &str) {}
    pub fn start() {}
}

#[cfg(not(feature = "hydrate"))]
pub use server_side::{expose_once, exposed_variants, page_changed, set_variants, start, track};

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;

    use gloo_net::http::Request;
    use leptos::{ev, prelude::*, task::spawn_local};

    use super::*;

    struct State {
        queue: Vec<RawEvent>,
        variants: BTreeMap<String, String>,
        tracking: bool,
        session: String,
        page: String,
        /// performance.now() when the page last became visible (None: hidden).
        visible_since: Option<f64>,
        visible_ms: f64,
        since: f64,
        sending: bool,
        /// Ticks to skip after a failed send (backoff).
        skip: u32,
        failures: u32,
    }

    thread_local! {
        static STATE: RefCell<State> = const { RefCell::new(State {
            queue: Vec::new(),
            variants: BTreeMap::new(),
            tracking: false,
            session: String::new(),
            page: String::new(),
            visible_since: None,
            visible_ms: 0.0,
            since: 0.0,
            sending: false,
            skip: 0,
            failures: 0,
        }) };
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }

    fn hidden() -> bool {
        document().hidden()
    }

    /// The tab's session id, kept in `sessionStorage` across reloads of the tab.
    fn session_id() -> String {
        const KEY: &str = "ats-session";
        let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
        if let Some(id) = storage
            .as_ref()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            && contract::text::is_uuid(&id)
        {
            return id;
        }
        let id = crate::feedback::new_id();
        if let Some(s) = storage {
            let _ = s.set_item(KEY, &id);
        }
        id
    }

    /// Queues an event of `kind` (ignored when tracking is off).
    pub fn track(kind: &str, props: BTreeMap<String, Prop>) {
        let full = STATE.with(|s| {
            let mut s = s.borrow_mut();
            if !s.tracking {
                return false;
            }
            let event = RawEvent {
                id: crate::feedback::new_id(),
                kind: kind.to_string(),
                ts: js_sys::Date::now() as i64,
                session: s.session.clone(),
                page: s.page.clone(),
                variants: s.variants.clone(),
                props,
            };
            s.queue.push(event);
            if s.queue.len() > MAX_QUEUED {
                s.queue.remove(0);
            }
            s.queue.len() >= BATCH
        });
        if full {
            flush();
        }
    }

    /// Sets what every event carries: the counted variants and whether to track.
    pub fn set_variants(variants: BTreeMap<String, String>, tracking: bool) {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.variants = variants;
            s.tracking = tracking;
        });
    }

    fn local_storage() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    /// The counted variants (as set by `set_variants`) this visitor has been
    /// exposed to (`exposed_only`): what feedback carries.
    pub fn exposed_variants() -> BTreeMap<String, String> {
        let seen = local_storage()
            .and_then(|s| s.get_item(EXPOSED_KEY).ok().flatten())
            .unwrap_or_default();
        STATE.with(|s| exposed_only(&s.borrow().variants, &seen))
    }

    /// Sends an `exposure` for each counted experiment not yet reported for
    /// this visitor (remembered in `localStorage`).
    pub fn expose_once(counted: &BTreeMap<String, String>) {
        let storage = local_storage();
        let seen = storage
            .as_ref()
            .and_then(|s| s.get_item(EXPOSED_KEY).ok().flatten())
            .unwrap_or_default();
        let mut seen_list: Vec<String> = seen
            .split(';')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect();
        let mut changed = false;
        for (experiment, variant) in counted {
            let tag = format!("{experiment}={variant}");
            if seen_list.contains(&tag) {
                continue;
            }
            track(
                "exposure",
                props([
                    ("experiment", experiment.as_str().into()),
                    ("variant", variant.as_str().into()),
                ]),
            );
            seen_list.push(tag);
            changed = true;
        }
        if changed && let Some(s) = storage {
            let _ = s.set_item(EXPOSED_KEY, &seen_list.join(";"));
        }
    }

    /// Reports the time spent on the page so far (since the last report).
    fn report_page_time() {
        let (visible, total) = STATE.with(|s| {
            let mut s = s.borrow_mut();
            let t = now();
            if let Some(since) = s.visible_since {
                s.visible_ms += t - since;
                s.visible_since = if hidden() { None } else { Some(t) };
            }
            let out = (s.visible_ms, t - s.since);
            s.visible_ms = 0.0;
            s.since = t;
            out
        });
        if total >= 1.0 {
            let clamp = |ms: f64| (ms.max(0.0) as i64).min(contract::events::MAX_DURATION_MS);
            track(
                "page_time",
                props([
                    ("visible_ms", clamp(visible).into()),
                    ("total_ms", clamp(total).into()),
                ]),
            );
        }
    }

    /// A new page in this tab (first load or client-side navigation): the
    /// previous page's time, then a `page_view`.
    pub fn page_changed(path: &str) {
        let had_page = STATE.with(|s| !s.borrow().page.is_empty());
        if had_page {
            report_page_time();
        }
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.page = path.to_string();
            let t = now();
            s.since = t;
            s.visible_ms = 0.0;
            s.visible_since = (!hidden()).then_some(t);
        });
        track("page_view", BTreeMap::new());
    }

    /// Sends up to `BATCH` queued events with `fetch`; on failure they go back
    /// to the front of the queue and the next ticks are skipped (backoff).
    fn flush() {
        let batch = STATE.with(|s| {
            let mut s = s.borrow_mut();
            if s.sending || s.queue.is_empty() {
                return None;
            }
            s.sending = true;
            let n = s.queue.len().min(BATCH);
            Some(s.queue.drain(..n).collect::<Vec<_>>())
        });
        let Some(batch) = batch else { return };
        spawn_local(async move {
            let body = batch_body(&batch);
            let sent = match Request::post(ENDPOINT)
                .header("Content-Type", "application/json")
                .body(body)
            {
                Ok(req) => match req.send().await {
                    // Retry on 408/429/5xx; anything else was answered for good.
                    Ok(res) => !matches!(res.status(), 408 | 429 | 500..=599),
                    Err(_) => false,
                },
                Err(_) => true,
            };
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.sending = false;
                if sent {
                    s.failures = 0;
                } else {
                    s.failures = (s.failures + 1).min(6);
                    s.skip = 1 << s.failures.saturating_sub(1);
                    let mut rest = std::mem::take(&mut s.queue);
                    s.queue = batch;
                    s.queue.append(&mut rest);
                }
            });
        });
    }

    /// The page is going away or out of sight: everything queued goes with
    /// `sendBeacon`, which the browser delivers even after the page is gone.
    fn beacon_all() {
        let batches: Vec<Vec<RawEvent>> = STATE.with(|s| {
            let mut s = s.borrow_mut();
            let all = std::mem::take(&mut s.queue);
            all.chunks(BATCH).map(<[RawEvent]>::to_vec).collect()
        });
        let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
            return;
        };
        for batch in batches {
            let body = batch_body(&batch);
            let queued = navigator
                .send_beacon_with_opt_str(ENDPOINT, Some(&body))
                .unwrap_or(false);
            if !queued {
                // The browser refused (quota): keep them for the next tick.
                STATE.with(|s| s.borrow_mut().queue.extend(batch));
            }
        }
    }

    fn on_hidden() {
        report_page_time();
        beacon_all();
    }

    /// Starts the timer and the page lifecycle listeners (once per page load).
    pub fn start() {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.session = session_id();
        });
        let tick = set_interval_with_handle(
            || {
                let skip = STATE.with(|s| {
                    let mut s = s.borrow_mut();
                    if s.skip > 0 {
                        s.skip -= 1;
                        true
                    } else {
                        false
                    }
                });
                if !skip {
                    flush();
                }
            },
            std::time::Duration::from_millis(u64::from(FLUSH_EVERY_MS)),
        );
        std::mem::forget(tick);
        // `visibilitychange` is fired at the document.
        let on_visibility = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
            if hidden() {
                on_hidden();
            } else {
                STATE.with(|s| s.borrow_mut().visible_since = Some(now()));
            }
        });
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            wasm_bindgen::JsCast::unchecked_ref(on_visibility.as_ref()),
        );
        on_visibility.forget();
        let pagehide = window_event_listener(ev::pagehide, |_| {
            if !hidden() {
                on_hidden();
            }
        });
        std::mem::forget(pagehide);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_body_is_the_events_envelope() {
        let e = RawEvent {
            id: "i".into(),
            kind: "page_view".into(),
            ts: 5,
            session: "s".into(),
            page: "/".into(),
            ..RawEvent::default()
        };
        let body = batch_body(&[e.clone(), e]);
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["events"].as_array().unwrap().len(), 2);
        assert_eq!(parsed["events"][0]["kind"], "page_view");
    }

    #[test]
    fn feedback_carries_only_the_variants_the_visitor_was_exposed_to() {
        let counted: BTreeMap<String, String> = [
            ("result-layout", "keywords-first"),
            ("scoring-algorithm", "v1"),
            ("recommendation-style", "plain"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        // Exposed to two; a stale tag for another variant of the third does not count.
        let seen = "scoring-algorithm=v1;result-layout=keywords-first;recommendation-style=ranked";
        let got = exposed_only(&counted, seen);
        assert_eq!(got.len(), 2);
        assert_eq!(got["scoring-algorithm"], "v1");
        assert_eq!(got["result-layout"], "keywords-first");
        // Nothing seen yet (a first visit to /contact): no variants.
        assert!(exposed_only(&counted, "").is_empty());
        // A forced variant is never counted, so it is never carried either.
        assert!(exposed_only(&BTreeMap::new(), seen).is_empty());
    }

    #[test]
    fn file_types_come_from_the_extension() {
        assert_eq!(file_type("CV.PDF"), "pdf");
        assert_eq!(file_type("cv.docx"), "docx");
        assert_eq!(file_type("notes.md"), "txt");
        assert_eq!(file_type("photo.jpg"), "other");
    }
}
