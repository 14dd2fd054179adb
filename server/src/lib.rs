//! The `ats-scorer` server: HTTP (axum), storage (SQLite through sqlx), metrics
//! (prometheus) and the command line. `main.rs` only parses arguments and calls in.

pub mod admin;
pub mod admin_cmd;
pub mod cli;
pub mod client;
pub mod db;
pub mod error;
pub mod events;
pub mod experiments;
pub mod feedback;
pub mod json;
pub mod metrics;
pub mod net;
pub mod panics;
pub mod ratelimit;
pub mod request_id;
pub mod routes;
pub mod score_cmd;
pub mod security_headers;
pub mod site;
pub mod startup;
pub mod telemetry;
pub mod visitor;
