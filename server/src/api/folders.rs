//! `/api/v1/projects/{id}/folders` and `/api/v1/folders/{id}`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::{folders, AppState};
use http::StatusCode;
use model::asset::{CreateFolderRequest, FolderDto, FolderPatch};
use model::error::ErrorBody;

/// Every live folder of a project (flat; `parent_id` gives the tree).
#[utoipa::path(get, path = "/api/v1/projects/{id}/folders", tag = "folders", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [FolderDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FolderDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        folders::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Create a folder; a `name` with slashes is a path whose missing folders are created
/// (an existing folder at that path is returned as is).
#[utoipa::path(post, path = "/api/v1/projects/{id}/folders", tag = "folders", params(("id" = String, Path, description = "Project id")),
    request_body = CreateFolderRequest,
    responses((status = 201, body = FolderDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreateFolderRequest>,
) -> ApiResult<(StatusCode, Json<FolderDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let folder = folders::ensure_path(
        &mut conn,
        caller.id(),
        model::ids::parse_id(&id)?,
        req.parent_id,
        &req.name,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(folder)))
}

/// Rename and/or move a folder (`parent_id`: a folder id or `"root"`).
#[utoipa::path(patch, path = "/api/v1/folders/{id}", tag = "folders", params(("id" = String, Path, description = "Folder id")),
    request_body = FolderPatch,
    responses((status = 200, body = FolderDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<FolderPatch>,
) -> ApiResult<Json<FolderDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        folders::update(&mut conn, caller.id(), model::ids::parse_id(&id)?, patch).await?,
    ))
}

/// Move a folder, its sub-folders and their assets to the trash.
#[utoipa::path(delete, path = "/api/v1/folders/{id}", tag = "folders", params(("id" = String, Path, description = "Folder id")),
    responses((status = 204, description = "Trashed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn trash(State(state): State<AppState>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    folders::trash(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
