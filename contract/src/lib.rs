//! The JSON contract between the browser and the server.
//!
//! The page and the server both compile this crate: the page validates a
//! submission before sending it (inline errors, no round trip) and the server
//! validates it again with the very same code before storing it, so the two can
//! never disagree about what is valid.

pub mod error;
pub mod events;
pub mod experiments;
pub mod feedback;
pub mod text;

pub use error::{ErrorBody, ErrorDetail, FieldErrors};
