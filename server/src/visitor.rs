//! The anonymous visitor id: 128 random bits in a first-party cookie.
//!
//! Made on the first request that has none (a page render or an API call), so
//! the id exists from the first paint. It names a browser, not a person: no
//! account, no fingerprint, no address behind it.

use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};

pub const COOKIE: &str = "ats_vid";
/// One year.
pub const MAX_AGE_SECS: u64 = 365 * 24 * 60 * 60;

/// The visitor of the current request, in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorId(pub String);

impl VisitorId {
    pub fn new_random() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string())
    }

    /// 32 lowercase hexadecimal digits, as made by `new_random`.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Self(s.to_string()))
    }

    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        cookie(headers, COOKIE).and_then(|value| Self::parse(value.trim()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Paths that never need a visitor: static files, probes, metrics.
fn is_anonymous_path(path: &str) -> bool {
    // Admins are not visitors: the product team's area sets no visitor cookie.
    path.starts_with("/pkg/")
        || path.starts_with("/worker/")
        || path.starts_with("/dictionary/")
        || path == "/admin"
        || path.starts_with("/admin/")
        || path.starts_with("/api/admin/")
        || matches!(
            path,
            "/health" | "/ready" | "/metrics" | "/favicon.svg" | "/favicon.ico"
        )
}

/// The value of the cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether the client used HTTPS (cookies then get `Secure`): the request's
/// `client::ClientAddr`, so `X-Forwarded-Proto` counts only from a trusted proxy.
pub use crate::client::is_https;

/// Middleware: reads the visitor cookie into the request's extensions, making
/// and setting a new one when it is missing or not one of ours.
pub async fn ensure_visitor(mut req: Request, next: Next) -> Response {
    if is_anonymous_path(req.uri().path()) {
        return next.run(req).await;
    }
    let (visitor, is_new) = match VisitorId::from_headers(req.headers()) {
        Some(v) => (v, false),
        None => (VisitorId::new_random(), true),
    };
    let secure = is_https(req.extensions());
    req.extensions_mut().insert(visitor.clone());
    let mut response = next.run(req).await;
    if is_new {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age={MAX_AGE_SECS}; SameSite=Lax; HttpOnly{}",
            visitor.0,
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_32_hex_digits_and_parse_back() {
        let v = VisitorId::new_random();
        assert_eq!(v.0.len(), 32);
        assert_eq!(VisitorId::parse(&v.0), Some(v.clone()));
        assert_ne!(v, VisitorId::new_random());
    }

    #[test]
    fn reads_the_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; ats_vid=0123456789abcdef0123456789abcdef; x=1"),
        );
        assert_eq!(
            VisitorId::from_headers(&headers).unwrap().0,
            "0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn ignores_a_cookie_that_is_not_ours() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("ats_vid=<script>"));
        assert_eq!(VisitorId::from_headers(&headers), None);
    }
}
