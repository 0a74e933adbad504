//! `/api/v1/projects/{id}/members`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::{members, AppState};
use http::StatusCode;
use model::dto::{AddMemberRequest, MemberDto, MemberPatch};
use model::error::ErrorBody;

/// The project's members.
#[utoipa::path(get, path = "/api/v1/projects/{id}/members", tag = "members", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [MemberDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<MemberDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        members::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Add an existing account by e-mail (owner only).
#[utoipa::path(post, path = "/api/v1/projects/{id}/members", tag = "members", params(("id" = String, Path, description = "Project id")),
    request_body = AddMemberRequest,
    responses((status = 201, body = MemberDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "already_member")))]
pub async fn add(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AddMemberRequest>,
) -> ApiResult<(StatusCode, Json<MemberDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let member = members::add(&mut conn, caller.id(), model::ids::parse_id(&id)?, &req.email, req.role).await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Change a member's role (owner only; never the last owner).
#[utoipa::path(patch, path = "/api/v1/projects/{id}/members/{user_id}", tag = "members",
    params(("id" = String, Path, description = "Project id"), ("user_id" = String, Path, description = "Member's user id")),
    request_body = MemberPatch,
    responses((status = 200, body = MemberDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "last_owner")))]
pub async fn change_role(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((id, user_id)): Path<(String, String)>,
    ApiJson(patch): ApiJson<MemberPatch>,
) -> ApiResult<Json<MemberDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        members::change_role(
            &mut conn,
            caller.id(),
            model::ids::parse_id(&id)?,
            model::ids::parse_id(&user_id)?,
            patch.role,
        )
        .await?,
    ))
}

/// Remove a member (owner), or leave (any member removing themself). Never the last owner.
#[utoipa::path(delete, path = "/api/v1/projects/{id}/members/{user_id}", tag = "members",
    params(("id" = String, Path, description = "Project id"), ("user_id" = String, Path, description = "Member's user id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    members::remove(
        &mut conn,
        caller.id(),
        model::ids::parse_id(&id)?,
        model::ids::parse_id(&user_id)?,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who takes a project over.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct TransferRequest {
    /// A member's user id.
    pub user_id: String,
}

/// Hand the project to another member (owners): they become owner, the caller an editor, in
/// one step. Returns the members as they are now.
#[utoipa::path(post, path = "/api/v1/projects/{id}/transfer", tag = "members", params(("id" = String, Path, description = "Project id")),
    request_body = TransferRequest,
    responses((status = 200, body = [MemberDto]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<TransferRequest>,
) -> ApiResult<Json<Vec<MemberDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let project = model::ids::parse_id(&id)?;
    Ok(Json(
        members::transfer_ownership(&mut conn, caller.id(), project, model::ids::parse_id(&req.user_id)?).await?,
    ))
}
