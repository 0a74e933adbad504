//! Server functions: thin wrappers that extract the caller, call one domain function and
//! return DTOs. Authorization happens in `domain`.

pub mod admin;
pub mod analytics;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod clones;
pub mod compare;
pub mod exports;
pub mod fields;
pub mod invitations;
pub mod members;
pub mod organise;
pub mod projects;
pub mod renditions;
pub mod review;
pub mod shares;
pub mod tokens;
pub mod webhooks;

/// A role named in a form, or `invalid_input`.
#[cfg(feature = "ssr")]
pub(crate) fn parse_role(raw: &str) -> Result<model::Role, crate::error::AppError> {
    raw.parse::<model::Role>()
        .map_err(|e| crate::error::AppError(model::ApiError::invalid(e.to_string())))
}
