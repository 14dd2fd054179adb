//! The product team's area (issue 8, docs/admin.md): login and access, the
//! feedback inbox, the engagement overview and the experiment analysis.
//!
//! Every protected route is listed once, in [`protected_routes`]: the router is
//! built from that list with [`auth::require_admin`] on each, and the
//! authorization test walks the same list.

pub mod auth;
pub mod charts;
pub mod experiments;
pub mod html;
pub mod inbox;
pub mod login;
pub mod overview;
pub mod sentiment;
pub mod stats;
pub mod terms;

use axum::{
    Router,
    http::Method,
    middleware,
    routing::{MethodRouter, any, get, patch, post},
};

use crate::{error::ApiError, startup::AppState};

/// One protected route: its method, its path pattern, and the handler.
pub struct AdminRoute {
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> AdminRoute {
    AdminRoute {
        method,
        path,
        handler,
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// Every route that needs an admin session (pages) or a session or token (API).
pub fn protected_routes() -> Vec<AdminRoute> {
    vec![
        // Pages
        r(Method::GET, "/admin", get(overview::page)),
        r(Method::GET, "/admin/feedback", get(inbox::page)),
        r(Method::POST, "/admin/feedback/bulk", post(inbox::bulk_form)),
        r(Method::GET, "/admin/feedback/{id}", get(inbox::detail)),
        r(
            Method::POST,
            "/admin/feedback/{id}",
            post(inbox::triage_form),
        ),
        r(Method::GET, "/admin/experiments", get(experiments::index)),
        r(
            Method::GET,
            "/admin/experiments/{key}",
            get(experiments::page),
        ),
        r(Method::POST, "/admin/logout", post(login::logout)),
        r(Method::GET, "/admin/{*rest}", any(not_found)),
        // API
        r(Method::GET, "/api/admin/overview", get(overview::api)),
        r(Method::GET, "/api/admin/feedback", get(inbox::api_list)),
        r(
            Method::GET,
            "/api/admin/feedback/export",
            get(inbox::export),
        ),
        r(
            Method::POST,
            "/api/admin/feedback/bulk",
            post(inbox::api_bulk),
        ),
        r(Method::GET, "/api/admin/feedback/{id}", get(inbox::api_get)),
        r(
            Method::PATCH,
            "/api/admin/feedback/{id}",
            patch(inbox::api_triage),
        ),
        r(
            Method::GET,
            "/api/admin/experiments/{key}/results",
            get(experiments::api),
        ),
        r(Method::GET, "/api/admin/{*rest}", any(not_found)),
    ]
}

/// The admin router: the login page and stylesheet are public; everything
/// else passes `require_admin`.
pub fn router(state: AppState) -> Router<AppState> {
    let mut protected = Router::new();
    for route in protected_routes() {
        protected = protected.route(route.path, route.handler);
    }
    let protected =
        protected.route_layer(middleware::from_fn_with_state(state, auth::require_admin));
    Router::new()
        .route("/admin/login", get(login::show).post(login::submit))
        .route("/admin/admin.css", get(html::stylesheet))
        .merge(protected)
        .layer(middleware::from_fn(auth::admin_headers))
}
