//! `POST /api/events`: batches of anonymous usage events.
//!
//! The whole request is refused only for an unusable envelope (415, 413, 400,
//! or 422 naming the field: `events` not an array, a key named twice; see
//! `crate::json`) or a flood (429); otherwise each event is judged on its own and the answer
//! says what happened to each: `202 {"accepted", "duplicates", "rejected"}`.
//! `202` is sent after the accepted events are committed.

use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use contract::events::{BatchResult, MAX_BODY_BYTES, MAX_EVENTS, RawEvent, Rejection};
use serde::Deserialize;

use crate::{
    error::ApiError, events::now_ms, ratelimit::visitor_key, routes::intake, startup::AppState,
};

#[derive(Deserialize)]
struct Envelope {
    events: Vec<serde_json::Value>,
}

pub async fn ingest(State(state): State<AppState>, req: Request) -> Response {
    match accept(&state, req).await {
        Ok(result) => (StatusCode::ACCEPTED, Json(result)).into_response(),
        Err(e) => {
            state
                .metrics
                .events_rejected_total
                .with_label_values(&[e.code()])
                .inc();
            e.into_response()
        }
    }
}

/// `DNT: 1` or `Sec-GPC: 1`: the browser asks not to be tracked.
pub fn tracking_refused(headers: &HeaderMap) -> bool {
    ["dnt", "sec-gpc"].iter().any(|h| {
        headers
            .get(*h)
            .is_some_and(|v| v.as_bytes().trim_ascii() == b"1")
    })
}

async fn accept(state: &AppState, req: Request) -> Result<BatchResult, ApiError> {
    let (parts, body) = req.into_parts();
    // sendBeacon sends text/plain unless the page builds a typed Blob; both carry JSON.
    intake::check_headers(
        &parts.headers,
        &["application/json", "text/plain"],
        MAX_BODY_BYTES,
    )?;
    let visitor = intake::visitor(&parts);
    let limits = &state.limits;
    limits
        .check(
            "events",
            &limits.events,
            intake::client(&parts).key,
            &visitor_key(visitor.as_str()),
        )
        .map_err(intake::refused)?;
    let bytes = intake::read_body(body, MAX_BODY_BYTES).await?;
    let envelope: Envelope = crate::json::decode(&bytes).map_err(|e| match e {
        ApiError::Malformed(e) => {
            ApiError::Malformed(format!("expected {{\"events\": [ … ]}}: {e}"))
        }
        other => other,
    })?;
    if envelope.events.len() > MAX_EVENTS {
        return Err(ApiError::TooManyItems {
            limit: MAX_EVENTS,
            what: "events",
        });
    }
    if tracking_refused(&parts.headers) {
        return Ok(BatchResult {
            ignored: envelope.events.len(),
            ..BatchResult::default()
        });
    }

    let received = now_ms();
    let mut rejected = Vec::new();
    let mut valid = Vec::new();
    for (index, value) in envelope.events.into_iter().enumerate() {
        let checked = serde_json::from_value::<RawEvent>(value)
            .map_err(|e| format!("not an event: {e}"))
            .and_then(|raw| raw.validate(received, &*state.catalog));
        match checked {
            Ok(event) => valid.push(event),
            Err(reason) => rejected.push(Rejection { index, reason }),
        }
    }
    if !rejected.is_empty() {
        state
            .metrics
            .events_rejected_total
            .with_label_values(&["invalid_event"])
            .inc_by(rejected.len() as u64);
    }

    let written = if valid.is_empty() {
        Default::default()
    } else {
        state
            .events
            .write(visitor.as_str(), received, valid.clone())
            .await
            .map_err(|e| ApiError::Unexpected(anyhow::anyhow!(e)))?
    };
    state
        .metrics
        .record_events(&state.catalog, &valid, &written.inserted);
    let accepted = written.inserted.iter().filter(|n| **n).count();
    Ok(BatchResult {
        accepted,
        duplicates: valid.len() - accepted,
        rejected,
        ignored: 0,
    })
}
