//! One module per routed page.

pub mod contact;
pub mod home;
pub mod not_found;
