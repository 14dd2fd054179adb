//! What the JSON intake endpoints (`/api/feedback`, `/api/events`) check the
//! same way before they look at the body: media type, declared size, the
//! visitor, and turning a limiter's wait into a `429`.

use std::{net::SocketAddr, time::Duration};

use axum::{
    body::{Body, Bytes, to_bytes},
    extract::ConnectInfo,
    http::{HeaderMap, header, request::Parts},
};

use crate::{client::ClientAddr, error::ApiError, ratelimit::Refused, visitor::VisitorId};

/// Refuses a media type not in `accepted` (415) and a declared length over
/// `limit` (413), before anything is read.
pub fn check_headers(headers: &HeaderMap, accepted: &[&str], limit: usize) -> Result<(), ApiError> {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    if !mime.is_some_and(|m| accepted.contains(&m.as_str())) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::TooLarge { limit });
    }
    Ok(())
}

/// The request's visitor (set by `visitor::ensure_visitor`; a fresh one if absent).
pub fn visitor(parts: &Parts) -> VisitorId {
    parts
        .extensions
        .get::<VisitorId>()
        .cloned()
        .unwrap_or_else(VisitorId::new_random)
}

/// The request's client (set by `client::identify`; the TCP peer if absent).
pub fn client(parts: &Parts) -> ClientAddr {
    ClientAddr::of(&parts.extensions).unwrap_or_else(|| ClientAddr::fallback(&parts.extensions))
}

/// The TCP peer address (a proxy's when behind one: limits use [`client`]).
pub fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// A `429` asking the client to wait `wait`, rounded up to whole seconds.
pub fn rate_limited(wait: Duration) -> ApiError {
    ApiError::RateLimited {
        retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    }
}

/// A `429` for a limiter's refusal.
pub fn refused(refused: Refused) -> ApiError {
    rate_limited(refused.wait)
}

/// Reads the body, at most `limit` bytes: the declared length can be absent
/// (chunked) or wrong. More than `limit` is `413`; a body that ends before its
/// declared length or breaks off (the client closed the connection) is
/// `400 incomplete_body`, not "too large".
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    to_bytes(body, limit).await.map_err(|e| {
        let inner = e.into_inner();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&*inner);
        while let Some(c) = cause {
            if c.is::<http_body_util::LengthLimitError>() {
                return ApiError::TooLarge { limit };
            }
            cause = c.source();
        }
        tracing::info!(error = %inner, "request body incomplete");
        ApiError::IncompleteBody
    })
}

/// The token of an `Authorization: Bearer <token>` header. The scheme is
/// matched without regard to case (RFC 9110 §11.1: `bearer` is `Bearer`) and
/// spaces around the token are dropped; `None` without one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_bearer_token_is_read_whatever_the_scheme_case() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(v));
            h
        };
        for v in ["Bearer abc", "bearer abc", "BEARER  abc ", " Bearer abc"] {
            assert_eq!(bearer_token(&with(v)), Some("abc"), "{v:?}");
        }
        for v in ["Basic abc", "Bearer", "Bearer   ", "Bearerabc"] {
            assert_eq!(bearer_token(&with(v)), None, "{v:?}");
        }
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }

    fn headers(ct: &'static str, len: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from_static(len));
        h
    }

    #[test]
    fn accepts_listed_media_types_with_parameters() {
        assert!(
            check_headers(
                &headers("Application/JSON; charset=utf-8", "10"),
                &["application/json"],
                100
            )
            .is_ok()
        );
        assert!(matches!(
            check_headers(&headers("text/plain", "10"), &["application/json"], 100),
            Err(ApiError::UnsupportedMediaType)
        ));
        assert!(matches!(
            check_headers(
                &headers("application/json", "101"),
                &["application/json"],
                100
            ),
            Err(ApiError::TooLarge { limit: 100 })
        ));
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_too_large_and_a_broken_one_incomplete() {
        let big = Body::from(vec![b'x'; 101]);
        assert!(matches!(
            read_body(big, 100).await,
            Err(ApiError::TooLarge { limit: 100 })
        ));
        let broken = Body::from_stream(futures_util::stream::iter([
            Ok::<_, std::io::Error>(Bytes::from_static(b"{\"id\":")),
            Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed",
            )),
        ]));
        assert!(matches!(
            read_body(broken, 100).await,
            Err(ApiError::IncompleteBody)
        ));
    }

    #[test]
    fn rounds_waits_up_to_whole_seconds() {
        let secs = |d| match rate_limited(d) {
            ApiError::RateLimited { retry_after_secs } => retry_after_secs,
            _ => unreachable!(),
        };
        assert_eq!(secs(Duration::from_millis(1)), 1);
        assert_eq!(secs(Duration::from_secs(15)), 15);
    }
}
