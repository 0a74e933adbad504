//! `/api/v1/assets/{id}/rating|label|status|approvals|review` and `/api/v1/notifications`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth, OptionalJson};
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::{notifications, review, AppState};
use model::error::ErrorBody;
use model::review::{ApprovalRequest, LabelRequest, NotificationDto, RatingRequest, ReviewDto, StatusRequest};

/// Which version's review state.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct VersionQuery {
    /// Version number (default: the current one).
    pub version: Option<i32>,
}

/// An asset's rating, label, status and approvals (of `?version=N`, default the current one:
/// stars and status belong to a version).
#[utoipa::path(get, path = "/api/v1/assets/{id}/review", tag = "review", params(("id" = String, Path, description = "Asset id"), VersionQuery),
    responses((status = 200, body = ReviewDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
) -> ApiResult<Json<ReviewDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let id = model::ids::parse_id(&id)?;
    Ok(Json(match q.version {
        Some(n) => review::get_at(&mut conn, caller.id(), id, n).await?,
        None => review::get(&mut conn, caller.id(), id).await?,
    }))
}

/// Set the star rating (1–5, 0 clears, −1 rejects) and/or the pick flag.
#[utoipa::path(put, path = "/api/v1/assets/{id}/rating", tag = "review", params(("id" = String, Path, description = "Asset id")),
    request_body = RatingRequest,
    responses((status = 200, body = ReviewDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rating(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RatingRequest>,
) -> ApiResult<Json<ReviewDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        review::set_rating(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?,
    ))
}

/// Set or clear (`null`) the colour label.
#[utoipa::path(put, path = "/api/v1/assets/{id}/label", tag = "review", params(("id" = String, Path, description = "Asset id")),
    request_body = LabelRequest,
    responses((status = 200, body = ReviewDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn label(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<LabelRequest>,
) -> ApiResult<Json<ReviewDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        review::set_label(&mut conn, caller.id(), model::ids::parse_id(&id)?, req.label).await?,
    ))
}

/// Set the review status.
#[utoipa::path(put, path = "/api/v1/assets/{id}/status", tag = "review", params(("id" = String, Path, description = "Asset id")),
    request_body = StatusRequest,
    responses((status = 200, body = ReviewDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> ApiResult<Json<ReviewDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        review::set_status(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?,
    ))
}

/// Approve a version (`{"approved": false}` withdraws the caller's approval).
#[utoipa::path(post, path = "/api/v1/assets/{id}/approvals", tag = "review", params(("id" = String, Path, description = "Asset id")),
    request_body = ApprovalRequest,
    responses((status = 200, body = ReviewDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<ApprovalRequest>,
) -> ApiResult<Json<ReviewDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        review::approve(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?,
    ))
}

/// The caller's notifications (mentions, replies, comments and guests' comments on their
/// uploads, status changes, approvals, new versions), newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "review",
    responses((status = 200, body = [NotificationDto])))]
pub async fn notifications(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<Vec<NotificationDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(notifications::list(&mut conn, caller.id()).await?))
}

/// Mark every notification read; returns how many were unread.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "review",
    responses((status = 200, body = usize)))]
pub async fn read_all(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<usize>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(notifications::mark_all_read(&mut conn, caller.id()).await?))
}

/// How each kind of notification reaches the caller (in the app, e-mail at once, an hourly
/// digest, or off).
#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "review",
    responses((status = 200, body = [model::notification::NotificationSetting])))]
pub async fn notification_settings(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> ApiResult<Json<Vec<model::notification::NotificationSetting>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(notifications::settings::all(&mut conn, caller.id()).await?))
}

/// Change how some kinds of notification reach the caller; the kinds not named keep theirs.
#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "review",
    request_body = [model::notification::NotificationSetting],
    responses((status = 200, body = [model::notification::NotificationSetting]), (status = 400, body = ErrorBody)))]
pub async fn set_notification_settings(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(choices): ApiJson<Vec<model::notification::NotificationSetting>>,
) -> ApiResult<Json<Vec<model::notification::NotificationSetting>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        notifications::settings::set(&mut conn, caller.id(), &choices).await?,
    ))
}
