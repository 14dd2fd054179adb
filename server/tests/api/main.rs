//! Integration tests: the real server on port 0 with a fresh SQLite file per test.

mod admin;
mod admin_cli;
mod admin_export;
mod crash;
mod edge;
mod events;
mod faults;
mod feedback;
mod gbstats;
mod helpers;
mod input_output;
mod metrics;
mod ops;
mod pages;
mod probes;
mod prometheus;
mod score_cli;
mod shutdown;
