//! The error type of every server function: the same `{code, message}` as the REST API.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use model::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An [`ApiError`] that server functions can return and the UI can show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError(pub ApiError);

impl AppError {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// The human message.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for AppError {}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        AppError(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let (code, message) = match value {
            ServerFnErrorErr::Request(m) => (ErrorCode::Unavailable, format!("could not reach the server: {m}")),
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) | ServerFnErrorErr::Deserialization(m) => {
                (ErrorCode::InvalidInput, format!("malformed request: {m}"))
            }
            other => (ErrorCode::Internal, other.to_string()),
        };
        AppError(ApiError::new(code, message))
    }
}

#[cfg(feature = "ssr")]
impl From<domain::DomainError> for AppError {
    fn from(e: domain::DomainError) -> Self {
        AppError(e.to_api())
    }
}
