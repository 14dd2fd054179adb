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
    let guard = &state.feedback;
    let mut wait = guard
        .per_visitor
        .check(&format!("v:{}", visitor.as_str()))
        .err();
    if let Some(addr) = intake::peer(&parts) {
        let key = guard.addresses.key(addr.ip());
        if let Err(w) = guard.per_address.check(&key) {
            wait = Some(wait.map_or(w, |v| v.max(w)));
        }
    }
    if let Some(wait) = wait {
        return Err(intake::rate_limited(wait));
    }
    let bytes = intake::read_body(body, MAX_BODY_BYTES).await?;
    let request = decode(&bytes)?;
    let feedback = request.validate()?;

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

/// JSON syntax errors and a body that is not an object are `400`; a field of
/// the wrong type (`"rating": "five"`) is a `422` naming the field.
fn decode(bytes: &[u8]) -> Result<FeedbackRequest, ApiError> {
    // serde reads a struct from an array too (`[id, kind, …]`); only objects are the contract.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::Malformed("the body must be a JSON object".into()));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, FeedbackRequest>(de) {
        Ok(request) => Ok(request),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.classify() == serde_json::error::Category::Data && path != "." {
                let problem = inner.to_string();
                let problem = problem
                    .split(" at line ")
                    .next()
                    .unwrap_or(&problem)
                    .to_string();
                Err(ApiError::Validation {
                    message: format!("{path} has the wrong type"),
                    fields: [(path, format!("has the wrong type: {problem}"))].into(),
                })
            } else {
                Err(ApiError::Malformed(inner.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_is_malformed() {
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
