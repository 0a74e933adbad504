//! The boundary error: any [`ApiError`] as `{"error": {...}}` with its status.

use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use model::error::ErrorBody;
use model::ApiError;

/// An error response.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

/// The result of a REST handler.
pub type ApiResult<T> = Result<T, HttpError>;

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ErrorBody { error: self.0 })).into_response()
    }
}

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        HttpError(e)
    }
}

impl From<domain::DomainError> for HttpError {
    fn from(e: domain::DomainError) -> Self {
        HttpError(e.to_api())
    }
}
