//! `/api/v1/projects/{id}/fields` and `/api/v1/fields/{id}`: a project's custom fields.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::{custom_fields, AppState};
use http::StatusCode;
use model::custom_field::{CreateCustomField, CustomFieldDto, UpdateCustomField};
use model::error::ErrorBody;

/// A project's custom fields, in form order.
#[utoipa::path(get, path = "/api/v1/projects/{id}/fields", tag = "fields", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [CustomFieldDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CustomFieldDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        custom_fields::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Define a custom field (owners and editors).
#[utoipa::path(post, path = "/api/v1/projects/{id}/fields", tag = "fields", params(("id" = String, Path, description = "Project id")),
    request_body = CreateCustomField,
    responses((status = 201, body = CustomFieldDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreateCustomField>,
) -> ApiResult<(StatusCode, Json<CustomFieldDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let created = custom_fields::create(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Rename a custom field, change its options or its place.
#[utoipa::path(patch, path = "/api/v1/fields/{id}", tag = "fields", params(("id" = String, Path, description = "Field id")),
    request_body = UpdateCustomField,
    responses((status = 200, body = CustomFieldDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateCustomField>,
) -> ApiResult<Json<CustomFieldDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        custom_fields::update(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?,
    ))
}

/// Remove a custom field and its values (refused while a smart collection filters by it).
#[utoipa::path(delete, path = "/api/v1/fields/{id}", tag = "fields", params(("id" = String, Path, description = "Field id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    custom_fields::delete(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
