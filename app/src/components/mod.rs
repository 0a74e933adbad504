//! Reusable components.

pub mod errors;
pub mod nav;
pub mod project_card;
pub mod session;
