//! A panicking request handler answers like every other failure: a JSON `500`
//! (`{"error": {"code": "internal", …}}`), logged with the panic's message,
//! counted in `ats_scorer_panics_total` (alert `HandlerPanicked`,
//! `ops/alerts.yml`) and, because the layer sits inside the metrics and the
//! request log, recorded there as the `500` the client received.

use std::{any::Any, sync::Arc};

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contract::{ErrorBody, ErrorDetail};
use tower_http::catch_panic::{CatchPanicLayer, ResponseForPanic};

use crate::metrics::Metrics;

/// Turns a caught panic into the JSON `500`.
#[derive(Clone)]
pub struct PanicResponse {
    metrics: Arc<Metrics>,
}

impl ResponseForPanic for PanicResponse {
    type ResponseBody = axum::body::Body;

    fn response_for_panic(
        &mut self,
        err: Box<dyn Any + Send + 'static>,
    ) -> axum::http::Response<Self::ResponseBody> {
        self.metrics.panics_total.inc();
        let detail = err
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| err.downcast_ref::<&str>().copied())
            .unwrap_or("(a panic without a message)");
        tracing::error!(panic = %detail, "handler panicked");
        internal_error()
    }
}

/// The body every internal error answers with (the same as `ApiError`'s).
fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(ErrorBody {
            error: ErrorDetail {
                code: "internal".into(),
                message: "an internal error occurred; it has been logged".into(),
                fields: Default::default(),
            },
        }),
    )
        .into_response()
}

/// The layer: place it inside the metrics and request-log middleware.
pub fn layer(metrics: Arc<Metrics>) -> CatchPanicLayer<PanicResponse> {
    CatchPanicLayer::custom(PanicResponse { metrics })
}
