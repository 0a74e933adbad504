//! What a guest writes through a review link: comments
//! (`/api/v1/s/{token}/assets/{asset_id}/comments`) and verdicts (`…/verdict`), for the
//! link's guest (the guest cookie), never a member's session.

use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use axum::extract::{Path, State};
use axum::Json;
use domain::AppState;
use http::{HeaderMap, StatusCode};
use model::error::ErrorBody;
use model::review::{CommentDto, NewComment, ReviewDto};
use model::share::VerdictRequest;

/// The comments a link's guest sees on an asset it covers: its current version's, never
/// team-only ones, and only the guest's own thread when the link hides others' comments.
#[utoipa::path(get, path = "/api/v1/s/{token}/assets/{asset_id}/comments", tag = "shares", security(()),
    params(("token" = String, Path, description = "The link's token"), ("asset_id" = String, Path, description = "Asset id")),
    responses((status = 200, body = [CommentDto]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Path((token, asset_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<CommentDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let access = app::ssr::open_link(&mut conn, &token, &headers).await?;
    Ok(Json(
        domain::comments::list_for_guest(&mut conn, &access, model::ids::parse_id(&asset_id)?).await?,
    ))
}

/// A guest's comment or reply, the same shape as members' (frames, ranges, pins, drawings),
/// attributed to the name they gave when unlocking; `private` is ignored. Links without
/// comments answer `403 forbidden`; before unlocking, `401 unauthenticated`.
#[utoipa::path(post, path = "/api/v1/s/{token}/assets/{asset_id}/comments", tag = "shares", security(()),
    params(("token" = String, Path, description = "The link's token"), ("asset_id" = String, Path, description = "Asset id")),
    request_body = NewComment,
    responses((status = 201, body = CommentDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Path((token, asset_id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let access = app::ssr::open_link(&mut conn, &token, &headers).await?;
    let comment = domain::comments::create_as_guest(&mut conn, &access, model::ids::parse_id(&asset_id)?, new).await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// A guest's verdict on the current version of an asset the link covers: `approved`,
/// `changes_requested`, or `null` to withdraw it. Sets the asset's status like a member's
/// approval; links without approvals answer `403 forbidden`.
#[utoipa::path(put, path = "/api/v1/s/{token}/assets/{asset_id}/verdict", tag = "shares", security(()),
    params(("token" = String, Path, description = "The link's token"), ("asset_id" = String, Path, description = "Asset id")),
    request_body = VerdictRequest,
    responses((status = 200, body = ReviewDto, description = "The review state as the guest sees it"), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn verdict(
    State(state): State<AppState>,
    Path((token, asset_id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<VerdictRequest>,
) -> ApiResult<Json<ReviewDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let access = app::ssr::open_link(&mut conn, &token, &headers).await?;
    Ok(Json(
        domain::shares::verdicts::set(&mut conn, &access, model::ids::parse_id(&asset_id)?, request).await?,
    ))
}
