//! HTTP plumbing shared by every route: errors, extractors, middleware.

pub mod auth;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod headers;
pub mod metrics;
pub mod object;
