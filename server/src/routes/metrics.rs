//! `GET /metrics`: the app's registry in the Prometheus text format.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

use crate::startup::AppState;

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)],
        state.metrics.render(),
    )
        .into_response()
}
