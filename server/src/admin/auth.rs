//! Who may use the product team's area, and how.
//!
//! - People log in at `/admin/login` with the email and password made by
//!   `ats-scorer admin create-user`. A session is a random 256-bit token in the
//!   `ats_admin` cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind HTTPS,
//!   12 hours); the database keeps its SHA-256 only.
//! - Each session has a CSRF token. Every state-changing request of a session
//!   (POST, PATCH, PUT, DELETE) must carry it, as the `csrf` form field or the
//!   `X-CSRF-Token` header, and must not come from another origin. The login
//!   form itself is protected by a double-submit cookie.
//! - Automation sends `Authorization: Bearer <token>` (`admin create-token`) to
//!   `/api/admin/…`; a bearer request carries no cookie, so it needs no CSRF token.
//! - Login attempts are limited per email-and-address and per address, never
//!   per email alone (a stranger's wrong guesses cannot lock the admin out);
//!   writes (POST, PATCH, PUT, DELETE) per admin or token and per address
//!   (`ratelimit::Limits`).
//! - [`require_admin`] guards every route of `admin::protected_routes`: without
//!   a session or token the API answers 401 JSON and pages redirect to the login.

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use crate::{
    admin_cmd::{hash_token, new_token},
    error::ApiError,
    events::now_ms,
    routes::intake,
    startup::AppState,
};

pub const SESSION_COOKIE: &str = "ats_admin";
/// Double-submit cookie of the login form (before there is a session).
pub const LOGIN_COOKIE: &str = "ats_admin_login";
pub const SESSION_HOURS: u64 = 12;
/// Largest form body read to find its CSRF field (bulk triage of many rows).
const FORM_LIMIT: usize = 256 * 1024;

/// The authenticated caller, in the request's extensions.
#[derive(Debug, Clone)]
pub enum Principal {
    User { email: String, csrf: String },
    Token { name: String },
}

impl Principal {
    /// Who did it, for the triage history and logs (never a secret).
    pub fn label(&self) -> String {
        match self {
            Principal::User { email, .. } => email.clone(),
            Principal::Token { name } => format!("token:{name}"),
        }
    }

    pub fn csrf(&self) -> &str {
        match self {
            Principal::User { csrf, .. } => csrf,
            Principal::Token { .. } => "",
        }
    }
}

pub use crate::visitor::{cookie, is_https};

/// A `Set-Cookie` value with the attributes every admin cookie has.
pub fn set_cookie(name: &str, value: &str, path: &str, max_age: u64, secure: bool) -> HeaderValue {
    let v = format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&v).expect("cookie values are ASCII tokens")
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A random token: 64 hex digits (256 bits).
pub fn random_token() -> String {
    new_token().trim_start_matches("ats_").to_string()
}

/// Checks an email and password. Unknown emails cost the same hashing time as
/// known ones, so a response time does not reveal which accounts exist.
pub async fn verify_login(
    db: &sqlx::SqlitePool,
    email: &str,
    password: &str,
) -> Result<Option<i64>, ApiError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM admin_users WHERE email = ? AND disabled_at IS NULL",
    )
    .bind(email.trim())
    .fetch_optional(db)
    .await?;
    // A hash of a password nobody has, checked when the email is unknown.
    const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$8Lq3eL5IFqFQYQK6bA9v7rzTqS9Xm0xJ0cU7lS8L9zE";
    let (id, hash) = row
        .map(|(id, h)| (Some(id), h))
        .unwrap_or((None, DECOY.to_string()));
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("password check: {e}")))?;
    Ok(if ok { id } else { None })
}

/// Makes a session for `user_id`; returns the cookie token (shown to nobody else).
pub async fn start_session(state: &AppState, user_id: i64) -> Result<String, ApiError> {
    let token = random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO admin_sessions (id_hash, user_id, csrf, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(random_token())
    .bind(now)
    .bind(now + (SESSION_HOURS * 3_600_000) as i64)
    .execute(&state.db)
    .await?;
    // Expired sessions go when someone logs in: the table stays small.
    sqlx::query("DELETE FROM admin_sessions WHERE expires_at < ?")
        .bind(now)
        .execute(&state.db)
        .await?;
    Ok(token)
}

pub async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        sqlx::query("DELETE FROM admin_sessions WHERE id_hash = ?")
            .bind(hash_token(&token))
            .execute(&state.db)
            .await?;
    }
    Ok(())
}

/// The session or token the request carries, if valid.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    api: bool,
) -> Result<Option<Principal>, ApiError> {
    if api && let Some(token) = crate::routes::intake::bearer_token(headers) {
        let name: Option<(String,)> = sqlx::query_as(
            "UPDATE admin_tokens SET last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE token_hash = ? AND revoked_at IS NULL RETURNING name",
        )
        .bind(hash_token(token.trim()))
        .fetch_optional(&state.db)
        .await?;
        // A wrong bearer token is a refusal, even with a session cookie.
        return Ok(name.map(|(name,)| Principal::Token { name }));
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT u.email, s.csrf FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id
         WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
    )
    .bind(hash_token(&token))
    .bind(now_ms())
    .fetch_optional(&state.db)
    .await?;
    Ok(row.map(|(email, csrf)| Principal::User { email, csrf }))
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/admin")
}

fn unsafe_method(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `Origin` (or `Referer`) naming another site than the `Host` the request came to.
fn cross_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => {
            let rest = origin.split_once("://").map(|(_, r)| r).unwrap_or(origin);
            let origin_host = rest.split('/').next().unwrap_or("");
            origin == "null" || !origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// Finds `csrf=` in an URL-encoded form body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Decodes `application/x-www-form-urlencoded` pairs (form bodies and query
/// strings; repeated keys kept, as the bulk form's `id`s need).
pub fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// Middleware on every protected admin route (see the module documentation).
pub async fn require_admin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let principal = match authenticate(&state, req.headers(), api).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let Some(principal) = principal else {
        if api {
            return ApiError::Unauthorized.into_response();
        }
        let next_path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/admin");
        let target = format!("/admin/login?next={}", encode_component(next_path));
        return Redirect::to(&target).into_response();
    };

    if unsafe_method(req.method()) {
        let limits = &state.limits;
        let client = crate::client::ClientAddr::of(req.extensions())
            .unwrap_or_else(|| crate::client::ClientAddr::fallback(req.extensions()));
        if let Err(refused) = limits.check(
            "admin_write",
            &limits.admin_writes,
            client.key,
            &principal.label(),
        ) {
            return intake::refused(refused).into_response();
        }
    }

    let mut req = req;
    if let Principal::User { csrf, .. } = &principal
        && unsafe_method(req.method())
    {
        if cross_origin(req.headers()) {
            return forbidden("origin", "the request comes from another site");
        }
        let header_token = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (token, rebuilt) = match header_token {
            Some(t) => (Some(t), req),
            None if is_form(req.headers()) => {
                let (parts, body) = req.into_parts();
                let bytes = match intake::read_body(body, FORM_LIMIT).await {
                    Ok(b) => b,
                    Err(e) => return e.into_response(),
                };
                let token = form_field(&bytes, "csrf");
                (token, Request::from_parts(parts, Body::from(bytes)))
            }
            None => (None, req),
        };
        req = rebuilt;
        if !token.is_some_and(|t| same_secret(&t, csrf)) {
            return forbidden(
                "csrf",
                "the CSRF token is missing or wrong: reload the page and try again",
            );
        }
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn forbidden(field: &'static str, message: &str) -> Response {
    ApiError::Forbidden {
        field,
        message: message.to_string(),
    }
    .into_response()
}

/// Percent-encodes a query component.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where to go after login: only a path inside the admin area (not the login
/// page itself), else `/admin`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n, "/admin") && !n.starts_with("/admin/login") => n.to_string(),
        _ => "/admin".to_string(),
    }
}

/// A redirect target taken from a form or query (`next`, `return_to`) is used
/// only if it is a path on this site under `prefix` that can go into a
/// `Location` header as it is: no scheme or `//host`, no backslash, no
/// control characters (CR/LF would split the header), no whitespace.
pub fn is_local_path(target: &str, prefix: &str) -> bool {
    target.starts_with(prefix)
        && !target.contains("//")
        && !target.contains('\\')
        && !target.chars().any(|c| c.is_control() || c.is_whitespace())
        && HeaderValue::from_str(target).is_ok()
}

/// Headers every admin response carries: never cached, never framed.
pub async fn admin_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

pub fn status_page(status: StatusCode, html: String) -> Response {
    (status, axum::response::Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_fields() {
        let body = b"status=in_progress&note=hello+world%21&csrf=abc%2Bdef";
        let pairs: Vec<_> = form_urlencoded_pairs(body).collect();
        assert_eq!(pairs[1], ("note".to_string(), "hello world!".to_string()));
        assert_eq!(form_field(body, "csrf").as_deref(), Some("abc+def"));
        let odd: Vec<_> = form_urlencoded_pairs(b"a=100%&b=%zz").collect();
        assert_eq!(odd[0].1, "100%");
        assert_eq!(odd[1].1, "%zz");
    }

    #[test]
    fn only_admin_paths_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/admin/feedback?kind=form")),
            "/admin/feedback?kind=form"
        );
        assert_eq!(safe_next(Some("https://evil.example/")), "/admin");
        assert_eq!(safe_next(Some("/admin//evil.example")), "/admin");
        assert_eq!(safe_next(Some("/admin/login")), "/admin");
        assert_eq!(safe_next(None), "/admin");
        for bad in [
            "/admin\r\nSet-Cookie: x=1",
            "/admin/feedback\n",
            "/admin\u{0}",
            "/admin\u{85}x",
            "/admin\tx",
            "/admin x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/admin", "{bad:?}");
        }
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn another_origin_is_recognised() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000"),
        );
        assert!(!cross_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(cross_origin(&h));
    }
}
