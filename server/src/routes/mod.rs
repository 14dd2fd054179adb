//! HTTP routes. Each module exposes the handlers of one concern; `startup::router`
//! wires them together in one place.

pub mod api;
pub mod dictionary;
pub mod events;
pub mod feedback;
pub mod health;
pub mod intake;
pub mod metrics;
