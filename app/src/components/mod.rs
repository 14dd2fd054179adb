//! Reusable UI pieces.

pub mod feedback_form;
pub mod rating;
pub mod report_view;
pub mod text_input;
