//! The JSON error every endpoint answers with: `{"error": {"code", "message", "fields"?}}`
//! (`contract::ErrorBody`, the type the page decodes). Internal causes are
//! logged, never sent to the client.

use std::collections::BTreeMap;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use contract::{ErrorBody, ErrorDetail, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// The body is not the JSON the endpoint takes (syntax error, not an object).
    #[error("malformed request body: {0}")]
    Malformed(String),
    #[error("request body over {limit} bytes")]
    TooLarge { limit: usize },
    /// The body ended before its declared length (the client closed early).
    #[error("incomplete request body")]
    IncompleteBody,
    #[error("more than {limit} {what}")]
    TooManyItems { limit: usize, what: &'static str },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// The request body did not arrive within `--body-timeout-secs`.
    #[error("request body timed out")]
    RequestTimeout,
    #[error("not found")]
    NotFound,
    /// No admin session or API token (issue 8).
    #[error("authentication required")]
    Unauthorized,
    /// Authenticated, but the request lacks its CSRF token or comes from another origin.
    #[error("forbidden: {message}")]
    Forbidden {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// `Retry-After` of a `503 storage_unavailable` answer, in seconds: about a
/// `/ready` probe's cache, so a retry meets a fresh verdict.
pub const STORAGE_RETRY_AFTER_SECS: u64 = 5;

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation {
            message: errors.summary(),
            fields: errors.0,
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Malformed(_) | ApiError::IncompleteBody => StatusCode::BAD_REQUEST,
            ApiError::TooLarge { .. } | ApiError::TooManyItems { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::Database(e) if crate::db::is_transient(e) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Database(_) | ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable `code` of the error body; also the `reason` label of rejection metrics.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "validation",
            ApiError::Malformed(_) => "malformed_json",
            ApiError::IncompleteBody => "incomplete_body",
            ApiError::TooLarge { .. } | ApiError::TooManyItems { .. } => "too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::NotFound => "not_found",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::Database(e) if crate::db::is_transient(e) => "storage_unavailable",
            ApiError::Database(_) | ApiError::Unexpected(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code().to_string();
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Database(e) if crate::db::is_transient(e) => Some(STORAGE_RETRY_AFTER_SECS),
            _ => None,
        };
        let internal = "an internal error occurred; it has been logged".to_string();
        let (message, fields) = match self {
            ApiError::Validation { message, fields } => (message, fields),
            ApiError::Malformed(detail) => (
                format!("the body is not valid JSON for this endpoint: {detail}"),
                BTreeMap::new(),
            ),
            ApiError::IncompleteBody => (
                "the body ended before the length the request declared".to_string(),
                BTreeMap::new(),
            ),
            ApiError::TooLarge { limit } => (
                format!("the body is larger than the {limit} bytes this endpoint accepts"),
                BTreeMap::new(),
            ),
            ApiError::TooManyItems { limit, what } => (
                format!("a request may carry at most {limit} {what}"),
                BTreeMap::new(),
            ),
            ApiError::UnsupportedMediaType => (
                "send the body as JSON with Content-Type: application/json".to_string(),
                BTreeMap::new(),
            ),
            ApiError::RateLimited { retry_after_secs } => (
                format!(
                    "too many submissions; try again in {retry_after_secs} second{}",
                    if retry_after_secs == 1 { "" } else { "s" }
                ),
                BTreeMap::new(),
            ),
            ApiError::RequestTimeout => (
                "the request body did not arrive in time; send it again".to_string(),
                BTreeMap::new(),
            ),
            ApiError::NotFound => ("nothing at this address".to_string(), BTreeMap::new()),
            ApiError::Unauthorized => (
                "log in at /admin/login, or send Authorization: Bearer <token> (ats-scorer admin create-token)".to_string(),
                BTreeMap::new(),
            ),
            ApiError::Forbidden { field, message } => {
                (message.clone(), BTreeMap::from([(field.to_string(), message)]))
            }
            ApiError::Database(e) if crate::db::is_transient(&e) => {
                tracing::error!(error = %e, "database cannot take writes now");
                (
                    "the database cannot take this write right now (it is full, read-only or busy); \
                     nothing was stored: try again shortly"
                        .to_string(),
                    BTreeMap::new(),
                )
            }
            ApiError::Database(e) => {
                tracing::error!(error = %e, "database error");
                (internal, BTreeMap::new())
            }
            ApiError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error");
                (internal, BTreeMap::new())
            }
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code,
                    message,
                    fields,
                },
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ats-scorer admin\""),
            );
        }
        if let Some(secs) = retry_after {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&secs.to_string()).expect("digits are a valid header"),
            );
        }
        response
    }
}
