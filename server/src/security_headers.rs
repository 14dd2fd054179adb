//! Headers every answer carries, whatever produced it (pages, API, static
//! files, errors, a caught panic):
//!
//! - `X-Content-Type-Options: nosniff`: a browser never guesses a type.
//! - `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: no framing
//!   (clickjacking).
//! - `Referrer-Policy: strict-origin-when-cross-origin`: other sites see the
//!   origin at most, never a path.
//! - `Content-Security-Policy`: the public pages' policy ([`public_csp`]) unless
//!   the handler set its own (the admin area's is stricter; a rendered page
//!   adds the nonce of its inline hydration script).
//!
//! Set only when absent, so an inner, more specific value wins.

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// The public pages' Content-Security-Policy. `nonce` is the one Leptos puts
/// on its inline hydration bootstrap (`<script type="module" nonce=…>`, a fresh
/// one per rendered page); without it no inline script runs at all.
///
/// - scripts: this origin, the bootstrap's nonce, and `'wasm-unsafe-eval'` to
///   compile the app's and the import worker's WebAssembly;
/// - `connect-src 'self'`: the page talks to this server only (`/api/…`,
///   the Wasm fetch); `worker-src 'self'`: the import worker;
/// - styles: the stylesheet from this origin; `style` attributes allowed (the
///   score bars' widths), `<style>` elements not;
/// - no plugins, no `<base>`, forms post here, never framed.
pub fn public_csp(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Middleware adding the headers above to every response that lacks them.
pub async fn add(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let mut set = |name: HeaderName, value: HeaderValue| {
        if !h.contains_key(&name) {
            h.insert(name, value);
        }
    };
    set(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    set(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&public_csp(None)).expect("a valid header value"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_policy_allows_the_wasm_and_only_the_nonced_inline_script() {
        let csp = public_csp(Some("abc123"));
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("connect-src 'self'"));
        let scripts = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        assert!(!public_csp(None).contains("nonce"));
    }
}
