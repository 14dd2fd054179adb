//! `POST /api/feedback`: ratings, the feedback form and the contact form.
//!
//! Cheap refusals first (media type, declared size, rate), then the body is read
//! with a hard cap, decoded, validated with the same code the page runs, and
//! stored. `201` only after the row is committed; a repeated id answers `200`
//! with no second row (a rating's higher `revision` replaces the stored one).

use axum::{
    Json,
    extract::{Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use contract::feedback::{FeedbackRequest, MAX_BODY_BYTES, browser_class};
use serde_json::json;

use crate::{
    error::ApiError,
    feedback::{self, Stored},
    ratelimit::visitor_key,
    routes::intake,
    startup::AppState,
};

pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    match accept(&state, req).await {
        Ok((id, stored)) => {
            let status = match stored {
                Stored::Created => StatusCode::CREATED,
                Stored::Updated | Stored::Duplicate => StatusCode::OK,
            };
            (status, Json(json!({ "id": id }))).into_response()
        }
        Err(e) => {
            state
                .metrics
                .feedback_rejected_total
                .with_label_values(&[e.code()])
                .inc();
            if let ApiError::Validation { fields, .. } = &e {
                // Field names only: the values may be personal.
                tracing::info!(fields = ?fields.keys().collect::<Vec<_>>(), "feedback rejected");
            }
            e.into_response()
        }
    }
}

async fn accept(state: &AppState, req: Request) -> Result<(String, Stored), ApiError> {
    let (parts, body) = req.into_parts();
    intake::check_headers(&parts.headers, &["application/json"], MAX_BODY_BYTES)?;
    let visitor = intake::visitor(&parts);
    let limits = &state.limits;
    limits
        .check(
            "feedback",
            &limits.feedback,
            intake::client(&parts).key,
            &visitor_key(visitor.as_str()),
        )
        .map_err(intake::refused)?;
    let bytes = intake::read_body(body, MAX_BODY_BYTES).await?;
    let request: FeedbackRequest = crate::json::decode(&bytes)?;
    let mut feedback = request.validate()?;
    // A page with a stale experiments configuration keeps its rating; the
    // experiments that no longer exist (or never did) are not stored.
    let dropped = feedback.keep_known_variants(&*state.catalog);
    if !dropped.is_empty() {
        tracing::info!(
            experiments = dropped.len(),
            "feedback variants of unknown experiments dropped"
        );
    }

    let ua = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let stored = state
        .metrics
        .time_query(
            "feedback_insert",
            feedback::store(&state.db, &feedback, &visitor, &browser_class(ua)),
        )
        .await?;
    if stored == Stored::Created {
        state.metrics.record_feedback(&feedback);
    }
    Ok((feedback.id, stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<FeedbackRequest, ApiError> {
        crate::json::decode(bytes)
    }

    #[test]
    fn a_syntax_error_is_malformed_through_the_shared_decoder() {
        assert!(matches!(decode(b"{\"id\": "), Err(ApiError::Malformed(_))));
        assert!(matches!(decode(b"[1, 2]"), Err(ApiError::Malformed(_))));
    }

    #[test]
    fn a_field_of_the_wrong_type_names_the_field() {
        let Err(ApiError::Validation { fields, .. }) =
            decode(br#"{"id": "x", "kind": "rating", "rating": "five"}"#)
        else {
            panic!("expected a validation error");
        };
        assert!(
            fields["rating"].starts_with("has the wrong type"),
            "{fields:?}"
        );
    }

    #[test]
    fn a_nested_field_of_the_wrong_type_names_its_path() {
        let Err(ApiError::Validation { fields, .. }) =
            decode(br#"{"kind": "rating", "context": {"score": "high"}}"#)
        else {
            panic!("expected a validation error");
        };
        assert!(fields.contains_key("context.score"), "{fields:?}");
    }
}
