//! A request id for every request: the client's `x-request-id` when it is a
//! sensible token, otherwise a new one; returned in the response and carried by
//! every log line written while the request is handled (a `request` span,
//! which also names the client by its daily-salted address hash, `client`: one
//! flooding client can be told apart without any address in the log).

use std::time::Instant;

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use tracing::Instrument;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// 1–64 characters of letters, digits, `-`, `_`, `.`: what proxies and clients
/// send (UUIDs, trace ids). Anything else is replaced, so logs never carry
/// arbitrary client text.
pub fn is_valid(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Paths whose requests are logged at debug level only (probes, scrapes, assets).
fn is_quiet(path: &str) -> bool {
    matches!(path, "/health" | "/ready" | "/metrics" | "/favicon.svg")
        || path.starts_with("/pkg/")
        || path.starts_with("/worker/")
}

pub async fn propagate(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_valid(v))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    // The client as the limiters see it: a salted hash that changes daily,
    // never the address (`client::ClientAddr`); empty without `client::identify`.
    let client = crate::client::ClientAddr::of(req.extensions())
        .map(|c| c.key.to_string())
        .unwrap_or_default();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        path = %path,
        client = %client
    );
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if is_quiet(&path) && status < 500 {
            tracing::debug!(status, duration_ms = ms, "request");
        } else {
            tracing::info!(status, duration_ms = ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_uuids_and_trace_ids_and_refuses_other_text() {
        assert!(is_valid("3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b"));
        assert!(is_valid("req_01HF.abc"));
        assert!(!is_valid(""));
        assert!(!is_valid("has space"));
        assert!(!is_valid("<script>"));
        assert!(!is_valid(&"a".repeat(65)));
    }
}
