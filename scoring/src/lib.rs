//! The ATS scoring engine.
