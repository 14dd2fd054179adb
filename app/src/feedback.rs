//! Sending ratings and messages to `POST /api/feedback`, with nothing lost.
//!
//! Every submission is written to an outbox in `localStorage` *before* it is
//! sent and removed only when the server has answered for it (stored: `201` or
//! `200`; refused for good: another `4xx`). A network failure, a `5xx` or a
//! `429` leaves it in the outbox, retried with backoff while the page is open,
//! when the browser comes back online, and on the next visit. The server keys
//! on the submission's UUID, so a retry that crosses a lost answer is stored
//! once.

use std::collections::BTreeMap;

use contract::{
    ErrorBody, FieldErrors,
    feedback::{Context, FeedbackRequest},
};
use serde::{Deserialize, Serialize};

/// The endpoint, relative to the page's origin.
pub const ENDPOINT: &str = "/api/feedback";
/// The `localStorage` key of the outbox.
pub const OUTBOX_KEY: &str = "ats-feedback-outbox";
/// First retry delay; doubled per attempt up to `MAX_DELAY_MS`.
pub const FIRST_DELAY_MS: f64 = 2_000.0;
pub const MAX_DELAY_MS: f64 = 5.0 * 60_000.0;
/// Submissions older than this are dropped from the outbox (a week).
pub const MAX_AGE_MS: f64 = 7.0 * 24.0 * 3_600_000.0;

/// What happened to a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server stored it (or had already).
    Sent,
    /// Kept on this device; it will be sent when the server can be reached.
    Queued,
    /// The server refused it; resending would not help.
    Refused {
        message: String,
        fields: FieldErrors,
    },
}

/// The score on screen when feedback is given: numbers and identifiers only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScoreContext {
    pub algorithm: String,
    pub score: u32,
}

/// The context attached to every submission: never resume or job text.
pub fn context(score: Option<&ScoreContext>) -> Context {
    Context {
        variants: BTreeMap::new(),
        algorithm: score.map(|s| s.algorithm.clone()),
        score: score.map(|s| i64::from(s.score)),
        page: current_path(),
    }
}

/// A pending submission as kept in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Pending {
    pub request: FeedbackRequest,
    pub attempts: u32,
    /// Milliseconds since the epoch: not before this.
    pub next_at: f64,
    pub queued_at: f64,
}

/// The wait before attempt `attempts + 1`: 2 s, 4 s, 8 s … capped at 5 minutes,
/// or what the server asked for in `Retry-After`, whichever is longer.
pub fn backoff_ms(attempts: u32, retry_after_secs: Option<u32>) -> f64 {
    let exp = FIRST_DELAY_MS * 2f64.powi(attempts.min(16) as i32);
    let asked = retry_after_secs.map_or(0.0, |s| f64::from(s) * 1_000.0);
    exp.min(MAX_DELAY_MS).max(asked)
}

/// How a response is handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    Refused,
    Retry { after_secs: Option<u32> },
}

/// `2xx` delivered; `429`, `408` and `5xx` retried; other `4xx` refused.
pub fn verdict(status: u16, retry_after: Option<&str>) -> Verdict {
    match status {
        200..=299 => Verdict::Delivered,
        408 | 429 | 500..=599 => Verdict::Retry {
            after_secs: retry_after.and_then(|v| v.trim().parse().ok()),
        },
        _ => Verdict::Refused,
    }
}

/// Adds `request` to `outbox` unless a submission with its id is there.
pub fn enqueue(outbox: &mut Vec<Pending>, request: FeedbackRequest, now: f64) {
    if outbox.iter().all(|p| p.request.id != request.id) {
        outbox.push(Pending {
            request,
            attempts: 0,
            next_at: now,
            queued_at: now,
        });
    }
}

/// Turns a refusal body into the form's messages.
pub fn refusal(body: Option<ErrorBody>, status: u16) -> Outcome {
    match body {
        Some(b) => Outcome::Refused {
            message: b.error.message,
            fields: FieldErrors(b.error.fields),
        },
        None => Outcome::Refused {
            message: format!("the server refused the submission (HTTP {status})"),
            fields: FieldErrors::default(),
        },
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{new_id, start, submit};

#[cfg(not(feature = "hydrate"))]
pub use server_side::{new_id, start, submit};

#[cfg(not(feature = "hydrate"))]
fn current_path() -> String {
    "/".to_string()
}

#[cfg(feature = "hydrate")]
fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_string())
}

/// Rendering on the server never submits anything: event handlers run in the
/// browser only. These keep the component code free of `cfg`s.
#[cfg(not(feature = "hydrate"))]
mod server_side {
    use super::{FeedbackRequest, Outcome};

    pub fn new_id() -> String {
        String::new()
    }

    pub async fn submit(_request: FeedbackRequest) -> Outcome {
        Outcome::Queued
    }

    pub fn start() {}
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;

    use gloo_net::http::Request;
    use leptos::prelude::{set_timeout, window_event_listener};
    use leptos::{ev, task::spawn_local};

    use super::*;

    thread_local! {
        static FLUSHING: Cell<bool> = const { Cell::new(false) };
        static WAKE_AT: Cell<f64> = const { Cell::new(f64::INFINITY) };
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    /// A random (version 4) UUID from `crypto.getRandomValues`, which, unlike
    /// `crypto.randomUUID`, also works on plain-HTTP origins.
    pub fn new_id() -> String {
        let mut b = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .and_then(|c| c.get_random_values_with_u8_array(&mut b).ok())
            .is_some();
        if !filled {
            // No Web Crypto: Math.random is enough for an idempotency key.
            for byte in b.iter_mut() {
                *byte = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    fn load() -> Vec<Pending> {
        storage()
            .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    fn save(outbox: &[Pending]) {
        if let Some(s) = storage() {
            let result = if outbox.is_empty() {
                s.remove_item(OUTBOX_KEY)
            } else {
                s.set_item(
                    OUTBOX_KEY,
                    &serde_json::to_string(outbox).expect("serialisable"),
                )
            };
            if result.is_err() {
                leptos::logging::warn!("feedback outbox: localStorage is not writable");
            }
        }
    }

    fn update(f: impl FnOnce(&mut Vec<Pending>)) {
        let mut outbox = load();
        f(&mut outbox);
        save(&outbox);
    }

    /// One attempt: the verdict and, for a refusal, the server's error body.
    async fn send(request: &FeedbackRequest) -> (Verdict, Option<ErrorBody>, u16) {
        let built = Request::post(ENDPOINT)
            .header("Accept", "application/json")
            .json(request);
        let Ok(req) = built else {
            return (Verdict::Refused, None, 0);
        };
        match req.send().await {
            Ok(res) => {
                let status = res.status();
                let v = verdict(status, res.headers().get("retry-after").as_deref());
                let body = if v == Verdict::Refused {
                    res.json::<ErrorBody>().await.ok()
                } else {
                    None
                };
                (v, body, status)
            }
            Err(_) => (Verdict::Retry { after_secs: None }, None, 0),
        }
    }

    /// Sends `request`, keeping it in the outbox until the server has answered.
    pub async fn submit(request: FeedbackRequest) -> Outcome {
        let id = request.id.clone();
        update(|o| enqueue(o, request.clone(), now()));
        let (v, body, status) = send(&request).await;
        match v {
            Verdict::Delivered => {
                update(|o| o.retain(|p| p.request.id != id));
                Outcome::Sent
            }
            Verdict::Refused => {
                update(|o| o.retain(|p| p.request.id != id));
                refusal(body, status)
            }
            Verdict::Retry { after_secs } => {
                update(|o| {
                    if let Some(p) = o.iter_mut().find(|p| p.request.id == id) {
                        p.attempts = 1;
                        p.next_at = now() + backoff_ms(0, after_secs);
                    }
                });
                schedule();
                Outcome::Queued
            }
        }
    }

    /// Sends what is due in the outbox, one at a time, then sleeps until the next
    /// entry is due.
    fn flush() {
        if FLUSHING.with(|f| f.replace(true)) {
            return;
        }
        spawn_local(async {
            loop {
                let t = now();
                let mut outbox = load();
                outbox.retain(|p| t - p.queued_at < MAX_AGE_MS);
                save(&outbox);
                let Some(due) = outbox.into_iter().find(|p| p.next_at <= t) else {
                    break;
                };
                let id = due.request.id.clone();
                let (v, _, _) = send(&due.request).await;
                match v {
                    Verdict::Delivered | Verdict::Refused => {
                        update(|o| o.retain(|p| p.request.id != id));
                    }
                    Verdict::Retry { after_secs } => {
                        update(|o| {
                            if let Some(p) = o.iter_mut().find(|p| p.request.id == id) {
                                p.next_at = now() + backoff_ms(p.attempts, after_secs);
                                p.attempts += 1;
                            }
                        });
                    }
                }
            }
            FLUSHING.with(|f| f.set(false));
            schedule();
        });
    }

    /// Wakes `flush` when the earliest pending submission is due.
    fn schedule() {
        let Some(next) = load()
            .iter()
            .map(|p| p.next_at)
            .min_by(|a, b| a.total_cmp(b))
        else {
            return;
        };
        // A wake-up already set for no later than `next` will do.
        if WAKE_AT.with(|w| w.get()) <= next {
            return;
        }
        WAKE_AT.with(|w| w.set(next));
        let delay = (next - now()).max(0.0);
        set_timeout(
            move || {
                WAKE_AT.with(|w| w.set(f64::INFINITY));
                flush();
            },
            std::time::Duration::from_millis(delay as u64),
        );
    }

    /// Everything pending becomes due now: a new visit or a restored connection
    /// is a fresh chance, whatever the backoff said.
    fn retry_all_now() {
        let t = now();
        update(|o| o.iter_mut().for_each(|p| p.next_at = p.next_at.min(t)));
        flush();
    }

    /// On page start: send what an earlier visit left, and again whenever the
    /// browser reports it is back online.
    pub fn start() {
        retry_all_now();
        let handle = window_event_listener(ev::online, |_| retry_all_now());
        // The listener lives as long as the page.
        std::mem::forget(handle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str) -> FeedbackRequest {
        FeedbackRequest {
            id: id.into(),
            kind: "rating".into(),
            ..FeedbackRequest::default()
        }
    }

    #[test]
    fn backs_off_exponentially_up_to_five_minutes() {
        assert_eq!(backoff_ms(0, None), 2_000.0);
        assert_eq!(backoff_ms(1, None), 4_000.0);
        assert_eq!(backoff_ms(3, None), 16_000.0);
        assert_eq!(backoff_ms(30, None), MAX_DELAY_MS);
    }

    #[test]
    fn waits_at_least_as_long_as_the_server_asks() {
        assert_eq!(backoff_ms(0, Some(30)), 30_000.0);
        assert_eq!(backoff_ms(5, Some(1)), 64_000.0);
    }

    #[test]
    fn retries_network_trouble_and_refuses_bad_input() {
        assert_eq!(verdict(201, None), Verdict::Delivered);
        assert_eq!(verdict(200, None), Verdict::Delivered);
        assert_eq!(verdict(503, None), Verdict::Retry { after_secs: None });
        assert_eq!(
            verdict(429, Some("12")),
            Verdict::Retry {
                after_secs: Some(12)
            }
        );
        assert_eq!(verdict(422, None), Verdict::Refused);
        assert_eq!(verdict(413, None), Verdict::Refused);
    }

    #[test]
    fn the_outbox_keeps_one_entry_per_submission() {
        let mut outbox = Vec::new();
        enqueue(&mut outbox, req("a"), 1.0);
        enqueue(&mut outbox, req("a"), 2.0);
        enqueue(&mut outbox, req("b"), 3.0);
        assert_eq!(outbox.len(), 2);
        assert_eq!(outbox[0].queued_at, 1.0);
    }

    #[test]
    fn the_context_carries_numbers_and_identifiers_only() {
        let c = context(Some(&ScoreContext {
            algorithm: "v2.0".into(),
            score: 71,
        }));
        assert_eq!(c.algorithm.as_deref(), Some("v2.0"));
        assert_eq!(c.score, Some(71));
        assert_eq!(c.page, "/");
    }
}
