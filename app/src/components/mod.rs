//! Reusable components.

pub mod errors;
pub mod nav;
pub mod session;
