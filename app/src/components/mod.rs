//! Reusable UI pieces.

pub mod text_input;
