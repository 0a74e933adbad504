//! `/api/v1/tokens`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::auth::tokens;
use domain::AppState;
use http::StatusCode;
use model::dto::{CreateTokenRequest, CreatedToken, TokenDto};
use model::error::ErrorBody;

/// Create a personal API token. The secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateTokenRequest,
    responses((status = 201, body = CreatedToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok((
        StatusCode::CREATED,
        Json(tokens::create(&mut conn, caller.id(), &req).await?),
    ))
}

/// The caller's tokens (without secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = [TokenDto]), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<Vec<TokenDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(tokens::list(&mut conn, caller.id()).await?))
}

/// Revoke one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    tokens::revoke(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
