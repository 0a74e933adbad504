//! `/api/v1/projects`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::{projects, AppState};
use http::StatusCode;
use model::dto::{CreateProjectRequest, ProjectDto, ProjectPatch};
use model::error::ErrorBody;

/// Create a project; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = CreateProjectRequest,
    responses((status = 201, body = ProjectDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(req): ApiJson<CreateProjectRequest>,
) -> ApiResult<(StatusCode, Json<ProjectDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let project = projects::create(&mut conn, caller.id(), &req.name, &req.description).await?;
    Ok((StatusCode::CREATED, Json(project)))
}

/// The projects the caller is a member of.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects",
    responses((status = 200, body = [ProjectDto]), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<Vec<ProjectDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(projects::list(&mut conn, caller.id()).await?))
}

/// One project (404 unless the caller is a member).
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = ProjectDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ProjectDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        projects::get(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Rename, describe (owner, editor), archive or restore (owner).
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = String, Path, description = "Project id")),
    request_body = ProjectPatch,
    responses((status = 200, body = ProjectDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<ProjectPatch>,
) -> ApiResult<Json<ProjectDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        projects::update(&mut conn, caller.id(), model::ids::parse_id(&id)?, &patch).await?,
    ))
}

/// Delete a project and everything in it (owner only).
#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = String, Path, description = "Project id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    projects::delete(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
