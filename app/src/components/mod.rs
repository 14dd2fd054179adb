//! Reusable UI pieces.

pub mod report_view;
pub mod text_input;
