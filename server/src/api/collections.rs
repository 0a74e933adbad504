//! `/api/v1/projects/{id}/collections` and `/api/v1/collections/{id}[/assets|/items]`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::{collections, AppState};
use http::StatusCode;
use model::asset::AssetPage;
use model::collection::{CollectionDto, CollectionItems, CollectionPatch, CreateCollectionRequest};
use model::error::ErrorBody;
use serde::Deserialize;

/// Paging of a collection's assets.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// Skip this many (default 0).
    pub offset: Option<i64>,
    /// Page size (default 100, at most 500).
    pub limit: Option<i64>,
    /// Also send each item's metadata and fields (`detail`).
    pub detail: Option<bool>,
}

/// A project's collections with their live counts.
#[utoipa::path(get, path = "/api/v1/projects/{id}/collections", tag = "collections", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [CollectionDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CollectionDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        collections::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Create a manual collection, or a smart one from a filter.
#[utoipa::path(post, path = "/api/v1/projects/{id}/collections", tag = "collections", params(("id" = String, Path, description = "Project id")),
    request_body = CreateCollectionRequest,
    responses((status = 201, body = CollectionDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreateCollectionRequest>,
) -> ApiResult<(StatusCode, Json<CollectionDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let created = collections::create(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One collection.
#[utoipa::path(get, path = "/api/v1/collections/{id}", tag = "collections", params(("id" = String, Path, description = "Collection id")),
    responses((status = 200, body = CollectionDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CollectionDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        collections::get(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Rename a collection, or change its filter or order.
#[utoipa::path(patch, path = "/api/v1/collections/{id}", tag = "collections", params(("id" = String, Path, description = "Collection id")),
    request_body = CollectionPatch,
    responses((status = 200, body = CollectionDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<CollectionPatch>,
) -> ApiResult<Json<CollectionDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        collections::update(&mut conn, caller.id(), model::ids::parse_id(&id)?, patch).await?,
    ))
}

/// Delete a collection (its assets stay).
#[utoipa::path(delete, path = "/api/v1/collections/{id}", tag = "collections", params(("id" = String, Path, description = "Collection id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    collections::delete(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A page of the collection's assets, in its order.
#[utoipa::path(get, path = "/api/v1/collections/{id}/assets", tag = "collections", params(("id" = String, Path, description = "Collection id"), Paging),
    responses((status = 200, body = AssetPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn assets(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<AssetPage>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let id = model::ids::parse_id(&id)?;
    let page = collections::assets(
        &mut conn,
        caller.id(),
        id,
        paging.offset.unwrap_or(0),
        paging.limit.unwrap_or(100),
        paging.detail.unwrap_or(false),
    )
    .await?;
    Ok(Json(page))
}

/// Add assets to a manual collection (at the end, or before `before`); adding a member again
/// moves it.
#[utoipa::path(post, path = "/api/v1/collections/{id}/items", tag = "collections", params(("id" = String, Path, description = "Collection id")),
    request_body = CollectionItems,
    responses((status = 200, body = CollectionDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_items(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CollectionItems>,
) -> ApiResult<Json<CollectionDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        collections::add_items(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?,
    ))
}

/// Take assets out of a manual collection.
#[utoipa::path(delete, path = "/api/v1/collections/{id}/items", tag = "collections", params(("id" = String, Path, description = "Collection id")),
    request_body = CollectionItems,
    responses((status = 200, body = CollectionDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_items(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CollectionItems>,
) -> ApiResult<Json<CollectionDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        collections::remove_items(&mut conn, caller.id(), model::ids::parse_id(&id)?, req).await?,
    ))
}
