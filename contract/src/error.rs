//! The error body every endpoint answers with:
//! `{"error": {"code": "validation", "message": "…", "fields": {"rating": "must be between 1 and 5"}}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `validation`, `malformed_json`,
    /// `incomplete_body`, `too_large`,
    /// `rate_limited`, `unsupported_media_type`, `not_found`, `internal`.
    pub code: String,
    /// One sentence for a person.
    pub message: String,
    /// For `validation`: the problem with each field, keyed by its JSON path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// Problems found in a request, keyed by the field's JSON path (`rating`,
/// `context.score`), each a short phrase that completes "<field> …".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| problem.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// One sentence naming every invalid field, for the error's `message`.
    pub fn summary(&self) -> String {
        let names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        match names.as_slice() {
            [] => "the request is valid".to_string(),
            [one] => format!("{one} {}", self.0[*one]),
            _ => format!("{} fields are invalid: {}", names.len(), names.join(", ")),
        }
    }
}
