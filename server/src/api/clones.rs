//! Deep clones: `POST /api/v1/projects/{id}/clone` copies folders, assets and collections of
//! the project into another (or the same) project as a job; `/api/v1/clones/{id}` follows it.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::clones;
use domain::AppState;
use http::StatusCode;
use model::clone::{CloneDto, CloneRequest};
use model::error::ErrorBody;
use model::ApiError;

/// Copy folders (with everything inside), assets (with every version) and collections of
/// this project into a project where the caller may upload, with new ids; comments,
/// drawings, ratings and metadata come along if asked. Planned at once (a copy of a folder
/// into itself, or anything still processing, is refused), carried out by a job (`202`).
#[utoipa::path(post, path = "/api/v1/projects/{id}/clone", tag = "clones", params(("id" = String, Path, description = "Source project id")),
    request_body = CloneRequest,
    responses((status = 202, body = CloneDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "clone_cycle or not_ready"),
              (status = 413, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CloneRequest>,
) -> ApiResult<(StatusCode, Json<CloneDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let made = clones::create(&mut conn, caller.id(), model::ids::parse_id(&id)?, &req).await?;
    Ok((StatusCode::ACCEPTED, Json(made)))
}

/// Clones into or out of a project, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/clones", tag = "clones", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [CloneDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CloneDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        clones::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// One clone, with its state, progress and what it makes.
#[utoipa::path(get, path = "/api/v1/clones/{id}", tag = "clones", params(("id" = String, Path, description = "Clone id")),
    responses((status = 200, body = CloneDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CloneDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::invalid("not a clone id"))?;
    Ok(Json(clones::get(&mut conn, caller.id(), id).await?))
}
