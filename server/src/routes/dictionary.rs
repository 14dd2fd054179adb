//! The engine's skill dictionary for the browser (`GET /dictionary/skills.<hash>.txt`).
//!
//! The page's Wasm leaves the dictionary's text out to load faster and
//! fetches it from here (`app::dictionary`). The name carries the hash of the
//! text (`scoring::skills::DICTIONARY_HASH`), so the answer is cached for a
//! year; any other name is a 404, never another version's text.

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{error::ApiError, site};

/// `200 text/plain` with the dictionary (compressed like every answer when
/// the client asks), or `404 not_found` for a name that is not this build's.
pub async fn skills(Path(file): Path<String>) -> Response {
    if file != scoring::skills::dictionary_file_name() {
        return ApiError::NotFound.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(site::IMMUTABLE),
            ),
        ],
        scoring::skills::DICTIONARY_SOURCE,
    )
        .into_response()
}
