//! The admin pages' frame: server-rendered with Leptos' `view!` (every text and
//! attribute value is escaped by the renderer, except the children of
//! `<textarea>`, which go through [`textarea_text`]; nothing here sets inner HTML),
//! no JavaScript, one stylesheet (`style/admin.css`, served at `/admin/admin.css`).

use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;

use super::auth::Principal;

pub const STYLESHEET: &str = include_str!("../../../style/admin.css");

pub async fn stylesheet() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Which section of the navigation is current.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Feedback,
    Experiments,
    None,
}

/// Renders a whole admin page around `body`.
pub fn page(title: &str, section: Section, who: Option<&Principal>, body: AnyView) -> Html<String> {
    let title = format!("{title} · ATS Scorer admin");
    let nav = who.map(|p| {
        let link = move |href: &'static str, label: &'static str, s: Section| {
            view! {
                <a href=href aria-current=(section == s).then_some("page")>{label}</a>
            }
        };
        let csrf = p.csrf().to_string();
        let email = p.label();
        view! {
            <header class="admin-header">
                <a class="brand" href="/admin">"ATS Scorer · team"</a>
                <nav aria-label="Admin">
                    {link("/admin", "Overview", Section::Overview)}
                    {link("/admin/feedback", "Feedback", Section::Feedback)}
                    {link("/admin/experiments", "Experiments", Section::Experiments)}
                </nav>
                <form class="logout" method="post" action="/admin/logout">
                    <span class="who">{email}</span>
                    <input type="hidden" name="csrf" value=csrf />
                    <button type="submit">"Log out"</button>
                </form>
            </header>
        }
    });
    let html = Owner::new().with(|| {
        view! {
            <html lang="en">
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="robots" content="noindex" />
                    <title>{title}</title>
                    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                    <link rel="stylesheet" href="/admin/admin.css" />
                </head>
                <body class="admin">
                    {nav}
                    <main id="main">{body}</main>
                </body>
            </html>
        }
        .to_html()
    });
    Html(format!("<!DOCTYPE html>{html}"))
}

/// The content of a `<textarea>`, escaped. Leptos' renderer escapes every
/// text child and attribute value except the children of the elements it
/// treats as raw text (`textarea`, `script`, `style`, `noscript`): a stored
/// `</textarea><meta http-equiv=refresh …>` would otherwise end the element
/// and inject markup. Every `<textarea>` child goes through this (the browser
/// decodes the entities back to the stored text).
pub fn textarea_text(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// Thousands separators for counts.
pub fn count(n: i64) -> String {
    let s = contract::text::grouped(n.unsigned_abs() as usize);
    if n < 0 { format!("−{s}") } else { s }
}

/// Percent with one decimal.
pub fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", x * 100.0)
    } else {
        "–".to_string()
    }
}

/// Signed percent with one decimal (lift).
pub fn signed_pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1}%", x * 100.0)
    } else {
        "–".to_string()
    }
}
