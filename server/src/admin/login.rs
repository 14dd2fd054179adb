//! `/admin/login` and `/admin/logout`.

use axum::{
    body::Bytes,
    extract::{Query, Request, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::*;
use serde::Deserialize;

use super::{
    auth::{self, LOGIN_COOKIE, Principal, SESSION_COOKIE, SESSION_HOURS},
    html::{self, Section},
};
use crate::{client::ClientAddr, ratelimit::email_key, startup::AppState};

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
}

fn form(csrf: &str, next: &str, email: &str, error: Option<String>) -> AnyView {
    let has_error = error.is_some();
    view! {
        <section class="login">
            <h1>"Log in to the team area"</h1>
            <p class="muted">"Accounts are made on the server with "<code>"ats-scorer admin create-user"</code>"."</p>
            {error.map(|e| view! { <p class="error" role="alert" id="login-error">{e}</p> })}
            <form method="post" action="/admin/login">
                <input type="hidden" name="csrf" value=csrf.to_string() />
                <input type="hidden" name="next" value=next.to_string() />
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    value=email.to_string() aria-invalid=has_error.then_some("true")
                    aria-describedby=has_error.then_some("login-error") />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-invalid=has_error.then_some("true") />
                <button type="submit" class="primary">"Log in"</button>
            </form>
        </section>
    }
    .into_any()
}

/// A login page with a fresh double-submit token in its cookie and its form
/// (`secure`: the client uses HTTPS).
fn login_page(
    status: StatusCode,
    secure: bool,
    next: &str,
    email: &str,
    error: Option<String>,
) -> Response {
    let csrf = auth::random_token();
    let body = form(&csrf, next, email, error);
    let mut res = (status, html::page("Log in", Section::None, None, body)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(LOGIN_COOKIE, &csrf, "/admin/login", 3600, secure),
    );
    res
}

pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<LoginQuery>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Response {
    let next = auth::safe_next(q.next.as_deref());
    if let Ok(Some(_)) = auth::authenticate(&state, &headers, false).await {
        return Redirect::to(&next).into_response();
    }
    login_page(StatusCode::OK, client.https, &next, "", None)
}

pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let client = crate::routes::intake::client(&parts);
    let secure = client.https;
    let headers = parts.headers;
    let bytes: Bytes = match crate::routes::intake::read_body(body, 16 * 1024).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut email = String::new();
    let mut password = String::new();
    let mut csrf = String::new();
    let mut next = None;
    for (k, v) in auth::form_urlencoded_pairs(&bytes) {
        match k.as_str() {
            "email" => email = v,
            "password" => password = v,
            "csrf" => csrf = v,
            "next" => next = Some(v),
            _ => {}
        }
    }
    let next = auth::safe_next(next.as_deref());
    let email = email.trim().to_string();

    let count = |outcome: &str| {
        state
            .metrics
            .admin_logins_total
            .with_label_values(&[outcome])
            .inc()
    };
    let cookie = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if csrf.is_empty() || !auth::same_secret(&cookie, &csrf) {
        count("csrf");
        return login_page(
            StatusCode::FORBIDDEN,
            secure,
            &next,
            &email,
            Some("The form expired or came from elsewhere. Please log in again.".into()),
        );
    }
    if email.is_empty() || password.is_empty() {
        count("incomplete");
        return login_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            secure,
            &next,
            &email,
            Some("Enter your email and password.".into()),
        );
    }
    let limits = &state.limits;
    if let Err(refused) = limits.check(
        "login",
        &limits.login,
        client.key,
        &email_key(&email, client.key),
    ) {
        count("rate_limited");
        let wait = refused.wait;
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut res = login_page(
            StatusCode::TOO_MANY_REQUESTS,
            secure,
            &next,
            &email,
            Some(format!("Too many attempts. Try again in {secs} seconds.")),
        );
        res.headers_mut().insert(
            header::RETRY_AFTER,
            secs.to_string().parse().expect("digits"),
        );
        return res;
    }
    match auth::verify_login(&state.db, &email, &password).await {
        Ok(Some(user_id)) => match auth::start_session(&state, user_id).await {
            Ok(token) => {
                count("success");
                tracing::info!(admin = %user_id, "admin logged in");
                let mut res = Redirect::to(&next).into_response();
                let h = res.headers_mut();
                h.append(
                    header::SET_COOKIE,
                    auth::set_cookie(SESSION_COOKIE, &token, "/", SESSION_HOURS * 3600, secure),
                );
                h.append(
                    header::SET_COOKIE,
                    auth::set_cookie(LOGIN_COOKIE, "", "/admin/login", 0, secure),
                );
                res
            }
            Err(e) => e.into_response(),
        },
        Ok(None) => {
            count("wrong_credentials");
            tracing::warn!("admin login refused: wrong email or password");
            login_page(
                StatusCode::UNAUTHORIZED,
                secure,
                &next,
                &email,
                Some("That email and password do not match an account.".into()),
            )
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /admin/logout` (a protected route: it needs the session's CSRF token).
pub async fn logout(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    principal: axum::Extension<Principal>,
) -> Response {
    if let Err(e) = auth::end_session(&state, &headers).await {
        return e.into_response();
    }
    tracing::info!(admin = %principal.label(), "admin logged out");
    let mut res = Redirect::to("/admin/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(SESSION_COOKIE, "", "/", 0, client.https),
    );
    res
}
