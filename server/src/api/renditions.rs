//! Export renditions: `/api/v1/projects/{id}/exports` to start and list, `/api/v1/exports/{id}`
//! to follow, cancel and download (with ranges).

use crate::http::error::{ApiResult, HttpError};
use crate::http::extract::{ApiJson, Auth};
use crate::http::object::{self, Serve};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use domain::exports::renditions;
use domain::AppState;
use http::{HeaderMap, StatusCode};
use model::error::ErrorBody;
use model::export::{CreateExportRequest, ExportDto};
use model::{ApiError, ErrorCode};

fn export_id(raw: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(raw).map_err(|_| ApiError::invalid("not an export id"))
}

/// Start exports (editors and owners): the clips joined in the order given, one file per
/// preset, each a job (`202`). At most 5 an hour per person and project (`429`).
#[utoipa::path(post, path = "/api/v1/projects/{id}/exports", tag = "exports", params(("id" = String, Path, description = "Project id")),
    request_body = CreateExportRequest,
    responses((status = 202, body = [ExportDto]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "not_ready"), (status = 429, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreateExportRequest>,
) -> ApiResult<(StatusCode, Json<Vec<ExportDto>>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let made = renditions::create(
        &mut conn,
        &state.settings,
        caller.id(),
        model::ids::parse_id(&id)?,
        &req,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(made)))
}

/// A project's exports, newest first, with their state and progress.
#[utoipa::path(get, path = "/api/v1/projects/{id}/exports", tag = "exports", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [ExportDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ExportDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        renditions::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// One export.
#[utoipa::path(get, path = "/api/v1/exports/{id}", tag = "exports", params(("id" = String, Path, description = "Export id")),
    responses((status = 200, body = ExportDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ExportDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(renditions::get(&mut conn, caller.id(), export_id(&id)?).await?))
}

/// Cancel a queued or running export.
#[utoipa::path(delete, path = "/api/v1/exports/{id}", tag = "exports", params(("id" = String, Path, description = "Export id")),
    responses((status = 200, body = ExportDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ExportDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(renditions::cancel(&mut conn, caller.id(), export_id(&id)?).await?))
}

/// The finished file (ranges supported); `409 not_ready` before, `410 gone` after its
/// retention.
#[utoipa::path(get, path = "/api/v1/exports/{id}/download", tag = "exports", params(("id" = String, Path, description = "Export id")),
    responses((status = 200), (status = 206), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let row = {
        let mut conn = domain::db::conn(&state.db).await?;
        renditions::find(&mut conn, caller.id(), export_id(&id)?).await?
    };
    let dto_state = row.state();
    let (Some(key), Some((name, mime))) = (row.key(), row.file()) else {
        return Err(HttpError(match dto_state {
            "expired" => ApiError::new(ErrorCode::Gone, "this export was deleted after its retention"),
            "failed" | "cancelled" => ApiError::new(ErrorCode::NotFound, format!("this export {dto_state}")),
            _ => ApiError::new(ErrorCode::NotReady, "this export is not finished yet"),
        }));
    };
    if dto_state == "expired" {
        return Err(HttpError(ApiError::new(
            ErrorCode::Gone,
            "this export was deleted after its retention",
        )));
    }
    let etag = format!("export-{}", row.id());
    object::serve(
        &state.storage,
        &headers,
        Serve {
            key,
            content_type: mime,
            etag,
            download_name: Some(&name),
        },
    )
    .await
}
