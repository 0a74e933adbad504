//! Server functions: thin wrappers that extract the caller, call one domain function and
//! return DTOs. Authorization happens in `domain`.

pub mod admin;
pub mod auth;
pub mod members;
pub mod projects;
pub mod tokens;

/// Parses an id from a URL or form; a malformed id is simply not found.
#[cfg(feature = "ssr")]
pub(crate) fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, crate::error::AppError> {
    raw.trim()
        .parse()
        .map_err(|_| crate::error::AppError(model::ApiError::not_found()))
}
