//! The JSON error every endpoint answers with: `{"error": {"code", "message", "fields"?}}`.
//! Internal causes are logged, never sent to the client.

use std::collections::BTreeMap;

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Serialize)]
struct Body<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a BTreeMap<String, String>>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Database(_) | ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (code, message, fields) = match &self {
            ApiError::Validation { message, fields } => {
                ("validation", message.as_str(), Some(fields))
            }
            ApiError::NotFound => ("not_found", "nothing at this address", None),
            ApiError::Database(e) => {
                tracing::error!(error = %e, "database error");
                (
                    "internal",
                    "an internal error occurred; it has been logged",
                    None,
                )
            }
            ApiError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error");
                (
                    "internal",
                    "an internal error occurred; it has been logged",
                    None,
                )
            }
        };
        (
            status,
            Json(Body {
                error: ErrorBody {
                    code,
                    message,
                    fields,
                },
            }),
        )
            .into_response()
    }
}
