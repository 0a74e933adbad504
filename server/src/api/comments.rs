//! `/api/v1/assets/{id}/comments` and `/api/v1/comments/{id}`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth, OptionalJson};
use axum::extract::{Path, State};
use axum::Json;
use domain::{comments, AppState};
use http::StatusCode;
use model::error::ErrorBody;
use model::review::{CommentDto, CommentPatch, NewComment, ReactionRequest, ResolveRequest};

/// Every comment on an asset, ordered by frame then time; replies carry `parent_id`.
#[utoipa::path(get, path = "/api/v1/assets/{id}/comments", tag = "review", params(("id" = String, Path, description = "Asset id")),
    responses((status = 200, body = [CommentDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CommentDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        comments::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Comment on an asset: the whole asset, a frame (`frame_in`), a range (`frame_out`), a pin
/// (`x`, `y`) or rectangle (`w`, `h`), with an optional drawing; or reply (`parent_id`).
#[utoipa::path(post, path = "/api/v1/assets/{id}/comments", tag = "review", params(("id" = String, Path, description = "Asset id")),
    request_body = NewComment,
    responses((status = 201, body = CommentDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(new): ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let comment = comments::create(&mut conn, caller.id(), model::ids::parse_id(&id)?, new).await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// Edit a comment's text or drawing (its author; owners any).
#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "review", params(("id" = String, Path, description = "Comment id")),
    request_body = CommentPatch,
    responses((status = 200, body = CommentDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<CommentPatch>,
) -> ApiResult<Json<CommentDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        comments::update(&mut conn, caller.id(), model::ids::parse_id(&id)?, patch).await?,
    ))
}

/// Delete a comment and its replies (its author; owners any).
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "review", params(("id" = String, Path, description = "Comment id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    comments::delete(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Resolve (`{"resolved": true}`, the default) or reopen a comment.
#[utoipa::path(post, path = "/api/v1/comments/{id}/resolve", tag = "review", params(("id" = String, Path, description = "Comment id")),
    request_body = ResolveRequest,
    responses((status = 200, body = CommentDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<ResolveRequest>,
) -> ApiResult<Json<CommentDto>> {
    let resolved = req.resolved;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        comments::resolve(&mut conn, caller.id(), model::ids::parse_id(&id)?, resolved).await?,
    ))
}

/// Toggle the caller's emoji reaction on a comment.
#[utoipa::path(post, path = "/api/v1/comments/{id}/reactions", tag = "review", params(("id" = String, Path, description = "Comment id")),
    request_body = ReactionRequest,
    responses((status = 200, body = CommentDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn react(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReactionRequest>,
) -> ApiResult<Json<CommentDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        comments::react(&mut conn, caller.id(), model::ids::parse_id(&id)?, &req.emoji).await?,
    ))
}
