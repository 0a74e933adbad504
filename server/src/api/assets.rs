//! `/api/v1/assets/{id}` and its files, and `/api/v1/projects/{id}/assets`.

use crate::http::error::{ApiResult, HttpError};
use crate::http::extract::{ApiJson, Auth};
use crate::http::object::{self, Serve};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use domain::assets::{self, Version};
use domain::storage::ObjectKey;
use domain::AppState;
use http::HeaderMap;
use model::asset::{AssetDto, AssetPage, AssetQuery, CurrentVersionRequest, VersionState};
use model::error::ErrorBody;
use model::permission::Action;
use model::{ApiError, AssetId, ErrorCode};
use serde::Deserialize;

/// One asset with its versions and metadata.
#[utoipa::path(get, path = "/api/v1/assets/{id}", tag = "assets", params(("id" = String, Path, description = "Asset id")),
    responses((status = 200, body = AssetDto), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<AssetDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        assets::get(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// A project's assets, newest first; filter by media type, status and folder.
#[utoipa::path(get, path = "/api/v1/projects/{id}/assets", tag = "assets",
    params(("id" = String, Path, description = "Project id"), AssetQuery),
    responses((status = 200, body = AssetPage), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(query): Query<AssetQuery>,
) -> ApiResult<Json<AssetPage>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        assets::list(&mut conn, caller.id(), model::ids::parse_id(&id)?, &query).await?,
    ))
}

/// Search a project's assets by name, description, tags, metadata, camera and comment text
/// (word prefixes, and typo-tolerant); `filter` (JSON) narrows it. Results carry `matches`
/// with the matched words marked, best first unless `sort` says otherwise.
#[utoipa::path(get, path = "/api/v1/projects/{id}/search", tag = "assets",
    params(("id" = String, Path, description = "Project id"), AssetQuery),
    responses((status = 200, body = AssetPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(query): Query<AssetQuery>,
) -> ApiResult<Json<AssetPage>> {
    if query
        .q
        .as_deref()
        .is_none_or(|q| model::filter::search_words(q).is_empty())
    {
        return Err(model::ApiError::invalid("send `q` with at least one word").into());
    }
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        assets::list(&mut conn, caller.id(), model::ids::parse_id(&id)?, &query).await?,
    ))
}

/// Paging of the trash.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct TrashParams {
    /// Skip this many (default 0).
    pub offset: Option<i64>,
    /// Page size (default 100, at most 500).
    pub limit: Option<i64>,
}

/// A project's trash, most recently deleted first (purged for good after 30 days).
#[utoipa::path(get, path = "/api/v1/projects/{id}/trash", tag = "assets",
    params(("id" = String, Path, description = "Project id"), TrashParams),
    responses((status = 200, body = AssetPage), (status = 404, body = ErrorBody)))]
pub async fn trash(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(p): Query<TrashParams>,
) -> ApiResult<Json<AssetPage>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let page = domain::bulk::trash_page(
        &mut conn,
        caller.id(),
        model::ids::parse_id(&id)?,
        p.offset.unwrap_or(0),
        p.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(page))
}

/// Edit an asset's metadata: `{"title": "…", "tags": [...], "due_date": "2026-12-31", …}`;
/// `null` clears a field.
#[utoipa::path(patch, path = "/api/v1/assets/{id}/metadata", tag = "assets", params(("id" = String, Path, description = "Asset id")),
    request_body = Object,
    responses((status = 200, body = AssetDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_metadata(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(set): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<AssetDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        domain::bulk::update_fields(&mut conn, caller.id(), model::ids::parse_id(&id)?, set).await?,
    ))
}

/// Make a version current (choosing an older one rolls back).
#[utoipa::path(put, path = "/api/v1/assets/{id}/current_version", tag = "assets", params(("id" = String, Path, description = "Asset id")),
    request_body = CurrentVersionRequest,
    responses((status = 200, body = AssetDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_current_version(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CurrentVersionRequest>,
) -> ApiResult<Json<AssetDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        domain::versions::set_current(&mut conn, caller.id(), model::ids::parse_id(&id)?, req.version).await?,
    ))
}

/// Delete a version that is not the current one (with its comments and approvals).
#[utoipa::path(delete, path = "/api/v1/assets/{id}/versions/{number}", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), ("number" = i32, Path, description = "Version number")),
    responses((status = 200, body = AssetDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_version(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((id, number)): Path<(String, i32)>,
) -> ApiResult<Json<AssetDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        domain::versions::delete(&mut conn, caller.id(), model::ids::parse_id(&id)?, number).await?,
    ))
}

/// Which version to serve.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct VersionParam {
    /// Version number; the current version when absent.
    pub version: Option<i32>,
}

/// Thumbnail size.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ThumbParams {
    /// Long edge: 256, 512 or 1024 (default 256).
    pub size: Option<u32>,
    /// Version number; the current version when absent.
    pub version: Option<i32>,
}

async fn file(
    state: &AppState,
    caller: &domain::auth::Caller,
    id: &str,
    version: Option<i32>,
    name: &str,
    content_type: &str,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let (asset, v) = {
        let mut conn = domain::db::conn(&state.db).await?;
        let asset = assets::authorized(
            &mut conn,
            caller.id(),
            model::ids::parse_id::<AssetId>(id)?,
            Action::View,
        )
        .await?;
        let v = assets::version(&mut conn, &asset, version).await?;
        (asset, v)
    };
    derivative(state, headers, &asset, &v, name, content_type, None).await
}

/// Serves derivative `name` of version `v` (whose caller has been checked), or says why it
/// is not there.
pub(crate) async fn derivative(
    state: &AppState,
    headers: &HeaderMap,
    asset: &domain::assets::Asset,
    v: &Version,
    name: &str,
    content_type: &str,
    download_name: Option<&str>,
) -> Result<Response, HttpError> {
    if !v.has(name) {
        return Err(unavailable(v, name));
    }
    object::serve(
        &state.storage,
        headers,
        Serve {
            key: ObjectKey::Derivative {
                asset: asset.id,
                version: v.number,
                name: name.to_owned(),
            },
            content_type,
            etag: format!("{}-{}-{name}", asset.id, v.number),
            download_name,
        },
    )
    .await
}

/// Serves the original of version `v` (whose caller has been checked) as a download.
pub(crate) async fn original_file(
    state: &AppState,
    headers: &HeaderMap,
    asset: &domain::assets::Asset,
    v: &Version,
) -> Result<Response, HttpError> {
    if v.state() == VersionState::Uploading {
        return Err(unavailable(v, "the original"));
    }
    let mime = v.mime.clone().unwrap_or_else(|| "application/octet-stream".into());
    object::serve(
        &state.storage,
        headers,
        Serve {
            key: ObjectKey::Original {
                asset: asset.id,
                version: v.number,
            },
            content_type: &mime,
            etag: v.sha256.clone().unwrap_or_else(|| format!("{}-{}", asset.id, v.number)),
            download_name: Some(&v.original_name),
        },
    )
    .await
}

fn unavailable(v: &Version, what: &str) -> HttpError {
    match v.state() {
        VersionState::Uploading | VersionState::Processing => HttpError(ApiError::new(
            ErrorCode::NotReady,
            format!("{what} is not ready yet; the version is {}", v.state().as_str()),
        )),
        VersionState::Failed => HttpError(ApiError::new(
            ErrorCode::NotFound,
            format!("processing failed: {}", v.error.as_deref().unwrap_or("unknown reason")),
        )),
        VersionState::Ready => HttpError(ApiError::new(ErrorCode::NotFound, format!("this asset has no {what}"))),
    }
}

/// A JPEG thumbnail (long edge 256, 512 or 1024 px). Videos: from the poster frame.
#[utoipa::path(get, path = "/api/v1/assets/{id}/thumbnail", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), ThumbParams),
    responses((status = 200, content_type = "image/jpeg"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn thumbnail(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<ThumbParams>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let size = q.size.unwrap_or(256);
    if ![256, 512, 1024].contains(&size) {
        return Err(HttpError(ApiError::invalid("size must be 256, 512 or 1024")));
    }
    file(
        &state,
        &caller,
        &id,
        q.version,
        &format!("thumb-{size}.jpg"),
        "image/jpeg",
        &headers,
    )
    .await
}

/// The 2048 px JPEG preview.
#[utoipa::path(get, path = "/api/v1/assets/{id}/preview", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    file(&state, &caller, &id, q.version, "preview.jpg", "image/jpeg", &headers).await
}

/// The full-resolution poster frame of a video.
#[utoipa::path(get, path = "/api/v1/assets/{id}/poster", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn poster(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    file(&state, &caller, &id, q.version, "poster.jpg", "image/jpeg", &headers).await
}

/// The H.264 MP4 web proxy (Range requests supported).
#[utoipa::path(get, path = "/api/v1/assets/{id}/proxy", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, content_type = "video/mp4"), (status = 206, content_type = "video/mp4"), (status = 404, body = ErrorBody), (status = 416, body = ErrorBody)))]
pub async fn proxy(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    file(&state, &caller, &id, q.version, "proxy.mp4", "video/mp4", &headers).await
}

/// The filmstrip sprite sheet (JPEG); its index is at `/filmstrip/index`.
#[utoipa::path(get, path = "/api/v1/assets/{id}/filmstrip", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ErrorBody)))]
pub async fn filmstrip(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    file(&state, &caller, &id, q.version, "filmstrip.jpg", "image/jpeg", &headers).await
}

/// Where each filmstrip tile is and which second it shows.
#[utoipa::path(get, path = "/api/v1/assets/{id}/filmstrip/index", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, body = model::asset::FilmstripIndex), (status = 404, body = ErrorBody)))]
pub async fn filmstrip_index(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    file(
        &state,
        &caller,
        &id,
        q.version,
        "filmstrip.json",
        "application/json",
        &headers,
    )
    .await
}

/// Audio peaks in the BBC audiowaveform JSON format.
#[utoipa::path(get, path = "/api/v1/assets/{id}/waveform", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, content_type = "application/json"), (status = 404, body = ErrorBody)))]
pub async fn waveform(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    file(
        &state,
        &caller,
        &id,
        q.version,
        "waveform.json",
        "application/json",
        &headers,
    )
    .await
}

/// The original file as uploaded, as a download (Range requests supported).
#[utoipa::path(get, path = "/api/v1/assets/{id}/original", tag = "assets",
    params(("id" = String, Path, description = "Asset id"), VersionParam),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn original(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let (asset, v) = {
        let mut conn = domain::db::conn(&state.db).await?;
        let asset = assets::authorized(
            &mut conn,
            caller.id(),
            model::ids::parse_id::<AssetId>(&id)?,
            Action::View,
        )
        .await?;
        let v = assets::version(&mut conn, &asset, q.version).await?;
        (asset, v)
    };
    original_file(&state, &headers, &asset, &v).await
}
