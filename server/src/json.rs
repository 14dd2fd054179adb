//! The one way a JSON request body is decoded (`/api/feedback`, `/api/events`,
//! the admin JSON API). Strict where serde is lenient:
//!
//! - the body is one JSON **object** and nothing after it but whitespace
//!   (`{…}xyz` and `{…}{…}` are `400 malformed_json`);
//! - no object, at any depth, names a key twice (`{"rating": 1, "rating": 5}`
//!   is `422 validation` naming the key's path, e.g. `context.variants.x`):
//!   which of the two values counts would be the parser's choice, not the
//!   sender's;
//! - a value of the wrong type is `422` naming the field's path.

use std::{cell::RefCell, collections::HashSet, fmt};

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::ApiError;

/// Decodes `bytes` as `T` by the rules above.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from an array too (`[id, kind, …]`); only objects are the contract.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::Malformed("the body must be a JSON object".into()));
    }
    // Pass 1: syntax, trailing data, duplicate keys.
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let checked = Unique {
        path: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(path) = duplicate.into_inner() {
        return Err(ApiError::Validation {
            message: format!("{path} appears more than once"),
            fields: [(path, "appears more than once in the same object".into())].into(),
        });
    }
    checked.map_err(|e| ApiError::Malformed(e.to_string()))?;

    // Pass 2: the typed value, errors naming the field's path.
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, T>(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.classify() == serde_json::error::Category::Data && path != "." {
            let problem = inner.to_string();
            let problem = problem
                .split(" at line ")
                .next()
                .unwrap_or(&problem)
                .to_string();
            ApiError::Validation {
                message: format!("{path} has the wrong type"),
                fields: [(path, format!("has the wrong type: {problem}"))].into(),
            }
        } else {
            ApiError::Malformed(inner.to_string())
        }
    })
}

/// Walks any JSON value, recording the path of the first key an object
/// repeats (then stopping with an error).
struct Unique<'a> {
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl Unique<'_> {
    fn child(&self, segment: fmt::Arguments) -> Self {
        Unique {
            path: format!("{}{segment}", self.path),
            duplicate: self.duplicate,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        while seq
            .next_element_seed(self.child(format_args!("[{i}]")))?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = if self.path.is_empty() {
                self.child(format_args!("{key}"))
            } else {
                self.child(format_args!(".{key}"))
            };
            if !seen.insert(key) {
                *self.duplicate.borrow_mut() = Some(child.path);
                return Err(de::Error::custom("duplicate key"));
            }
            map.next_value_seed(child)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct T {
        #[allow(dead_code)]
        a: Option<i64>,
        #[allow(dead_code)]
        #[serde(default)]
        inner: serde_json::Value,
    }

    fn field_of(e: ApiError) -> String {
        match e {
            ApiError::Validation { fields, .. } => fields.into_keys().next().unwrap(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn refuses_trailing_data_after_the_object() {
        for body in [
            &br#"{"a": 1}xyz"#[..],
            br#"{"a": 1}{"a": 2}"#,
            br#"{"a": 1},"#,
            br#"{"a": 1} 5"#,
        ] {
            assert!(
                matches!(decode::<T>(body), Err(ApiError::Malformed(_))),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert!(decode::<T>(b"  {\"a\": 1} \n").is_ok());
    }

    #[test]
    fn refuses_a_key_named_twice_at_any_depth_naming_it() {
        assert_eq!(
            field_of(decode::<T>(br#"{"a": 1, "a": 2}"#).unwrap_err()),
            "a"
        );
        assert_eq!(
            field_of(decode::<T>(br#"{"inner": {"x": {"k": 1, "k": 2}}}"#).unwrap_err()),
            "inner.x.k"
        );
        assert_eq!(
            field_of(decode::<T>(br#"{"inner": [{}, {"k": 1, "\u006b": 2}]}"#).unwrap_err()),
            "inner[1].k"
        );
        assert!(decode::<T>(br#"{"inner": [{"k": 1}, {"k": 2}]}"#).is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        for body in [&b"[1]"[..], b"\"x\"", b"", b"nul"] {
            assert!(matches!(decode::<T>(body), Err(ApiError::Malformed(_))));
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_field() {
        assert_eq!(field_of(decode::<T>(br#"{"a": "one"}"#).unwrap_err()), "a");
    }
}
