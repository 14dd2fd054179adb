//! Sending ratings and messages to `POST /api/feedback`, with nothing lost.
//!
//! Every submission is written to an outbox in `localStorage` *before* it is
//! sent and removed only when the server has answered for it (stored: `201` or
//! `200`; refused for good: another `4xx`). A network failure, a `5xx` or a
//! `429` leaves it in the outbox, retried with backoff while the page is open,
//! when the browser comes back online, and on the next visit. The server keys
//! on the submission's UUID, so a retry that crosses a lost answer is stored
//! once.
//!
//! A rating keeps one UUID: a change of stars or a comment is the whole rating
//! sent again with the next `revision`, which replaces the earlier one in the
//! outbox (only the newest version of a rating waits there) and on the server.

use contract::{
    FieldErrors,
    feedback::{Context, FeedbackRequest},
};

/// The endpoint, relative to the page's origin.
pub const ENDPOINT: &str = "/api/feedback";
/// The `localStorage` key of the outbox.
pub const OUTBOX_KEY: &str = "ats-feedback-outbox";
/// First retry delay; doubled per attempt up to `MAX_DELAY_MS`.
pub const FIRST_DELAY_MS: u64 = 2_000;
pub const MAX_DELAY_MS: u64 = 5 * 60_000;
/// Submissions older than this are dropped from the outbox (a week).
pub const MAX_AGE_MS: u64 = 7 * 24 * 3_600_000;

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

/// The context attached to every submission: never resume or job text. The
/// variants are the visitor's counted ones they have been exposed to (a forced
/// `?exp.` variant is never counted; see `telemetry::exposed_only`), so the
/// experiment analysis can read the feedback per variant.
pub fn context(score: Option<&ScoreContext>) -> Context {
    Context {
        variants: crate::telemetry::exposed_variants(),
        algorithm: score.map(|s| s.algorithm.clone()),
        score: score.map(|s| i64::from(s.score)),
        page: current_path(),
    }
}

/// A pending submission as kept in the outbox: the request body exactly as it
/// will be sent (so a retry is byte-for-byte the first attempt) and when to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: String,
    /// The JSON request body.
    pub body: String,
    pub attempts: u32,
    /// Milliseconds since the epoch: not before this.
    pub next_at: u64,
    pub queued_at: u64,
}

/// The outbox as text: one line per submission, `id attempts next_at queued_at
/// body` separated by tabs. JSON escapes tabs and line breaks inside strings, so
/// the body never contains either. (A line format rather than JSON keeps a JSON
/// parser, and the float formatting serde's errors bring, out of the page.)
pub fn encode_outbox(outbox: &[Pending]) -> String {
    outbox
        .iter()
        .map(|p| {
            format!(
                "{}\t{}\t{}\t{}\t{}",
                p.id, p.attempts, p.next_at, p.queued_at, p.body
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads what `encode_outbox` wrote; a damaged line is skipped, not fatal.
pub fn decode_outbox(text: &str) -> Vec<Pending> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(5, '\t');
            let id = parts.next()?.to_string();
            let attempts = parts.next()?.parse().ok()?;
            let next_at = parts.next()?.parse().ok()?;
            let queued_at = parts.next()?.parse().ok()?;
            let body = parts.next()?.to_string();
            (!id.is_empty() && body.starts_with('{')).then_some(Pending {
                id,
                body,
                attempts,
                next_at,
                queued_at,
            })
        })
        .collect()
}

/// The wait before attempt `attempts + 1`: 2 s, 4 s, 8 s … capped at 5 minutes,
/// or what the server asked for in `Retry-After`, whichever is longer.
pub fn backoff_ms(attempts: u32, retry_after_secs: Option<u32>) -> u64 {
    let exp = FIRST_DELAY_MS.saturating_mul(1 << attempts.min(16));
    let asked = retry_after_secs.map_or(0, |s| u64::from(s) * 1_000);
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

impl Pending {
    /// A submission about to be sent for the first time: its body serialised
    /// once, for the outbox and for the request alike.
    pub fn new(request: &FeedbackRequest, now: u64) -> Self {
        Pending {
            id: request.id.clone(),
            body: serde_json::to_string(request).expect("a request serialises"),
            attempts: 0,
            next_at: now,
            queued_at: now,
        }
    }
}

/// Adds `pending` to `outbox`. The same id with the same body is already
/// there (kept as is); the same id with another body is a newer revision of a
/// rating, which replaces the older one (the server would ignore the older one
/// once the newer is stored) and is due now.
pub fn enqueue(outbox: &mut Vec<Pending>, pending: Pending) {
    match outbox.iter_mut().find(|p| p.id == pending.id) {
        None => outbox.push(pending),
        Some(p) if p.body == pending.body => {}
        Some(p) => *p = pending,
    }
}

/// Removes the entry that was answered: the `id` with the `body` that was
/// sent. A newer revision enqueued while the older one was on its way stays.
pub fn settle(outbox: &mut Vec<Pending>, id: &str, body: &str) {
    outbox.retain(|p| !(p.id == id && p.body == body));
}

/// Turns a refusal into the form's messages: the server's `ErrorBody` message
/// and field errors when it sent them.
pub fn refusal(message: Option<String>, fields: FieldErrors, status: u16) -> Outcome {
    Outcome::Refused {
        message: message
            .unwrap_or_else(|| format!("the server refused the submission (HTTP {status})")),
        fields,
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
    use leptos::wasm_bindgen::JsValue;
    use leptos::{ev, task::spawn_local};

    use super::*;

    thread_local! {
        static FLUSHING: Cell<bool> = const { Cell::new(false) };
        static WAKE_AT: Cell<u64> = const { Cell::new(u64::MAX) };
    }

    fn now() -> u64 {
        js_sys::Date::now() as u64
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
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(HEX[usize::from(x >> 4)] as char);
            out.push(HEX[usize::from(x & 0x0f)] as char);
        }
        out
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    fn load() -> Vec<Pending> {
        storage()
            .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten())
            .map(|text| decode_outbox(&text))
            .unwrap_or_default()
    }

    fn save(outbox: &[Pending]) {
        if let Some(s) = storage() {
            let result = if outbox.is_empty() {
                s.remove_item(OUTBOX_KEY)
            } else {
                s.set_item(OUTBOX_KEY, &encode_outbox(outbox))
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

    /// The `message` and `fields` of an `ErrorBody`, read with the browser's
    /// own JSON parser.
    fn read_error(text: &str) -> (Option<String>, FieldErrors) {
        let get = |v: &JsValue, key: &str| js_sys::Reflect::get(v, &JsValue::from_str(key)).ok();
        let Some(error) = js_sys::JSON::parse(text)
            .ok()
            .and_then(|v| get(&v, "error"))
        else {
            return (None, FieldErrors::default());
        };
        let message = get(&error, "message").and_then(|m| m.as_string());
        let mut fields = FieldErrors::default();
        if let Some(obj) = get(&error, "fields").filter(|f| f.is_object()) {
            for entry in js_sys::Object::entries(&obj.into()).iter() {
                let pair = js_sys::Array::from(&entry);
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    fields.add(k, v);
                }
            }
        }
        (message, fields)
    }

    /// One attempt: the verdict and, for a refusal, what the server said.
    async fn send(body: &str) -> (Verdict, Option<String>, FieldErrors, u16) {
        let built = Request::post(ENDPOINT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(body.to_string());
        let Ok(req) = built else {
            return (Verdict::Refused, None, FieldErrors::default(), 0);
        };
        match req.send().await {
            Ok(res) => {
                let status = res.status();
                let v = verdict(status, res.headers().get("retry-after").as_deref());
                if v == Verdict::Refused {
                    let (message, fields) = read_error(&res.text().await.unwrap_or_default());
                    (v, message, fields, status)
                } else {
                    (v, None, FieldErrors::default(), status)
                }
            }
            Err(_) => (
                Verdict::Retry { after_secs: None },
                None,
                FieldErrors::default(),
                0,
            ),
        }
    }

    /// Sends `request`, keeping it in the outbox until the server has answered.
    pub async fn submit(request: FeedbackRequest) -> Outcome {
        let pending = Pending::new(&request, now());
        let (id, body) = (pending.id.clone(), pending.body.clone());
        update(|o| enqueue(o, pending));
        let (v, message, fields, status) = send(&body).await;
        match v {
            Verdict::Delivered => {
                update(|o| settle(o, &id, &body));
                Outcome::Sent
            }
            Verdict::Refused => {
                update(|o| settle(o, &id, &body));
                refusal(message, fields, status)
            }
            Verdict::Retry { after_secs } => {
                update(|o| {
                    if let Some(p) = o.iter_mut().find(|p| p.id == id && p.body == body) {
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
                outbox.retain(|p| t.saturating_sub(p.queued_at) < MAX_AGE_MS);
                save(&outbox);
                let Some(due) = outbox.into_iter().find(|p| p.next_at <= t) else {
                    break;
                };
                let (v, _, _, _) = send(&due.body).await;
                match v {
                    Verdict::Delivered | Verdict::Refused => {
                        update(|o| settle(o, &due.id, &due.body));
                    }
                    Verdict::Retry { after_secs } => {
                        update(|o| {
                            if let Some(p) =
                                o.iter_mut().find(|p| p.id == due.id && p.body == due.body)
                            {
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
        let Some(next) = load().iter().map(|p| p.next_at).min() else {
            return;
        };
        // A wake-up already set for no later than `next` will do.
        if WAKE_AT.with(|w| w.get()) <= next {
            return;
        }
        WAKE_AT.with(|w| w.set(next));
        set_timeout(
            move || {
                WAKE_AT.with(|w| w.set(u64::MAX));
                flush();
            },
            std::time::Duration::from_millis(next.saturating_sub(now())),
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
        assert_eq!(backoff_ms(0, None), 2_000);
        assert_eq!(backoff_ms(1, None), 4_000);
        assert_eq!(backoff_ms(3, None), 16_000);
        assert_eq!(backoff_ms(30, None), MAX_DELAY_MS);
    }

    #[test]
    fn waits_at_least_as_long_as_the_server_asks() {
        assert_eq!(backoff_ms(0, Some(30)), 30_000);
        assert_eq!(backoff_ms(5, Some(1)), 64_000);
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
        enqueue(&mut outbox, Pending::new(&req("a"), 1));
        enqueue(&mut outbox, Pending::new(&req("a"), 2));
        enqueue(&mut outbox, Pending::new(&req("b"), 3));
        assert_eq!(outbox.len(), 2);
        assert_eq!(outbox[0].queued_at, 1);
    }

    #[test]
    fn a_newer_revision_of_a_rating_replaces_the_waiting_one() {
        let mut first = req("a");
        first.rating = Some(4);
        first.revision = Some(1);
        let mut second = first.clone();
        second.comment = Some("Spot on".into());
        second.revision = Some(2);
        let mut outbox = Vec::new();
        enqueue(&mut outbox, Pending::new(&first, 1));
        outbox[0].attempts = 3;
        outbox[0].next_at = 99;
        enqueue(&mut outbox, Pending::new(&second, 5));
        assert_eq!(outbox.len(), 1);
        assert!(outbox[0].body.contains("Spot on"));
        assert_eq!((outbox[0].attempts, outbox[0].next_at), (0, 5));
    }

    #[test]
    fn an_answer_for_an_older_revision_keeps_the_newer_one() {
        let mut first = req("a");
        first.revision = Some(1);
        let mut second = first.clone();
        second.revision = Some(2);
        let sent = Pending::new(&first, 1);
        let mut outbox = Vec::new();
        enqueue(&mut outbox, sent.clone());
        enqueue(&mut outbox, Pending::new(&second, 2));
        // The answer for revision 1 arrives after revision 2 was queued.
        settle(&mut outbox, &sent.id, &sent.body);
        assert_eq!(outbox.len(), 1);
        assert!(outbox[0].body.contains("\"revision\":2"));
        let newer = outbox[0].clone();
        settle(&mut outbox, &newer.id, &newer.body);
        assert!(outbox.is_empty());
    }

    #[test]
    fn the_outbox_survives_a_round_trip_through_text_with_awkward_messages() {
        let mut outbox = Vec::new();
        let mut r = req("a");
        r.message = Some("tabs\there,\nnew lines, \"quotes\", émoji 🎯".into());
        enqueue(&mut outbox, Pending::new(&r, 1_700_000_000_000));
        enqueue(&mut outbox, Pending::new(&req("b"), 5));
        outbox[1].attempts = 3;
        let text = encode_outbox(&outbox);
        assert_eq!(text.lines().count(), 2);
        assert_eq!(decode_outbox(&text), outbox);
        let body: serde_json::Value = serde_json::from_str(&outbox[0].body).unwrap();
        assert_eq!(
            body["message"],
            "tabs\there,\nnew lines, \"quotes\", émoji 🎯"
        );
    }

    #[test]
    fn a_damaged_outbox_line_is_skipped() {
        let text = "x\t1\t2\n\nid\t0\t5\t5\t{}\ngarbage";
        assert_eq!(
            decode_outbox(text),
            vec![Pending {
                id: "id".into(),
                body: "{}".into(),
                attempts: 0,
                next_at: 5,
                queued_at: 5
            }]
        );
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
