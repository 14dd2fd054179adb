//! The product team's area (issue 8, docs/admin.md): login and access, the
//! feedback inbox, the engagement overview and the experiment analysis.

pub mod stats;
