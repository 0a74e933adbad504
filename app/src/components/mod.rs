//! Reusable components.

pub mod audit;
pub mod compare;
pub mod errors;
pub mod library;
pub mod live;
pub mod nav;
pub mod project_card;
pub mod review;
pub mod session;
