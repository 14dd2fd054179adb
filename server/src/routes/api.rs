//! JSON answers for API paths no route matched and for wrong methods, so API
//! clients always get the documented error shape instead of an HTML page.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::error::ApiError;

pub async fn not_found() -> Response {
    ApiError::NotFound.into_response()
}

pub async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"error": {"code": "method_not_allowed", "message": "this method is not allowed on this path"}})),
    )
        .into_response()
}
