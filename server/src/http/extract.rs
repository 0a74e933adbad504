//! Extractors that fail with our error shape.

use super::error::HttpError;
use app::ssr::RequestCaller;
use axum::extract::{FromRequest, FromRequestParts, Request};
use domain::auth::sessions::ClientInfo;
use domain::auth::Caller;
use http::request::Parts;
use model::ApiError;
use serde::de::DeserializeOwned;

/// The authenticated caller; `401 unauthenticated` otherwise.
pub struct Auth(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        parts
            .extensions
            .get::<RequestCaller>()
            .and_then(|c| c.0.clone())
            .map(Auth)
            .ok_or_else(|| HttpError(ApiError::unauthenticated()))
    }
}

/// The caller if signed in (routes open to anyone that act differently for members).
pub struct MaybeAuth(pub Option<Caller>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        Ok(MaybeAuth(
            parts.extensions.get::<RequestCaller>().and_then(|c| c.0.clone()),
        ))
    }
}

/// IP and user agent, recorded by the auth middleware.
pub struct Client(pub ClientInfo);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        Ok(Client(
            parts.extensions.get::<ClientInfo>().cloned().unwrap_or_default(),
        ))
    }
}

/// A JSON body; malformed JSON is `400 invalid_input` with the parser's explanation.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, HttpError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(HttpError(ApiError::invalid(rejection.body_text()))),
        }
    }
}

/// A JSON body that may be left out entirely (then `T::default()`); malformed JSON is
/// `400 invalid_input`.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, HttpError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| HttpError(ApiError::invalid(r.body_text())))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        serde_json::from_slice(&bytes)
            .map(OptionalJson)
            .map_err(|e| HttpError(ApiError::invalid(format!("invalid JSON: {e}"))))
    }
}
