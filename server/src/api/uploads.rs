//! The tus 1.0 server at `/api/v1/uploads`: core protocol plus the creation,
//! creation-with-upload, termination, expiration and checksum (sha1, sha256) extensions.
//! Protocol headers are parsed here; the work is `domain::uploads`.

use crate::http::error::HttpError;
use crate::http::extract::Auth;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::uploads::{self, Checksum, NewUpload, UploadInfo};
use domain::AppState;
use formats::tus;
use futures::TryStreamExt;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use model::error::ErrorBody;
use model::{ApiError, ErrorCode, UploadId};

/// The protocol version we speak.
pub const TUS_VERSION: &str = "1.0.0";
/// The extensions we implement.
pub const TUS_EXTENSIONS: &str = "creation,creation-with-upload,termination,expiration,checksum";
/// The checksum algorithms we accept.
pub const TUS_CHECKSUMS: &str = tus::CHECKSUMS;
const OFFSET_CONTENT_TYPE: &str = "application/offset+octet-stream";

static TUS_RESUMABLE: HeaderName = HeaderName::from_static("tus-resumable");
static UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");
static UPLOAD_LENGTH: HeaderName = HeaderName::from_static("upload-length");
static UPLOAD_METADATA: HeaderName = HeaderName::from_static("upload-metadata");
static UPLOAD_EXPIRES: HeaderName = HeaderName::from_static("upload-expires");
static UPLOAD_CHECKSUM: HeaderName = HeaderName::from_static("upload-checksum");
static UPLOAD_DEFER_LENGTH: HeaderName = HeaderName::from_static("upload-defer-length");
static ASSET_ID: HeaderName = HeaderName::from_static("dailies-asset-id");

/// A tus error: our JSON error body plus `Tus-Resumable`.
pub struct TusError(ApiError);

impl From<ApiError> for TusError {
    fn from(e: ApiError) -> Self {
        TusError(e)
    }
}

impl From<domain::DomainError> for TusError {
    fn from(e: domain::DomainError) -> Self {
        TusError(e.to_api())
    }
}

impl From<HttpError> for TusError {
    fn from(e: HttpError) -> Self {
        TusError(e.0)
    }
}

impl IntoResponse for TusError {
    fn into_response(self) -> Response {
        let mut headers = base_headers();
        if self.0.code == ErrorCode::PreconditionFailed {
            headers.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
        }
        (headers, HttpError(self.0)).into_response()
    }
}

type TusResult = Result<Response, TusError>;

fn base_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(TUS_RESUMABLE.clone(), HeaderValue::from_static(TUS_VERSION));
    h.insert(http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h
}

fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

fn require_version(headers: &HeaderMap) -> Result<(), TusError> {
    match header(headers, &TUS_RESUMABLE) {
        Some(TUS_VERSION) => Ok(()),
        Some(other) => Err(ApiError::new(
            ErrorCode::PreconditionFailed,
            format!("Tus-Resumable {other} is not supported; this server speaks {TUS_VERSION}"),
        )
        .into()),
        None => Err(ApiError::new(ErrorCode::PreconditionFailed, "the Tus-Resumable header is required").into()),
    }
}

fn parse_u64(headers: &HeaderMap, name: &HeaderName) -> Result<Option<u64>, TusError> {
    match header(headers, name) {
        None => Ok(None),
        Some(v) => tus::parse_length(v)
            .map(Some)
            .map_err(|e| ApiError::invalid(format!("{name} {e}")).into()),
    }
}

fn parse_checksum(headers: &HeaderMap) -> Result<Option<Checksum>, TusError> {
    let Some(raw) = header(headers, &UPLOAD_CHECKSUM) else {
        return Ok(None);
    };
    let (algorithm, digest) = tus::parse_checksum(raw).map_err(|e| ApiError::invalid(e.0))?;
    Ok(Some(match algorithm {
        tus::Algorithm::Sha1 => Checksum::Sha1(digest),
        tus::Algorithm::Sha256 => Checksum::Sha256(digest),
    }))
}

fn http_date(t: DateTime<Utc>) -> HeaderValue {
    HeaderValue::from_str(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn info_headers(info: &UploadInfo) -> HeaderMap {
    let mut h = base_headers();
    h.insert(UPLOAD_OFFSET.clone(), HeaderValue::from(info.offset));
    if let Some(exp) = info.expires_at {
        h.insert(UPLOAD_EXPIRES.clone(), http_date(exp));
    }
    if let Ok(v) = HeaderValue::from_str(&info.asset_id.to_string()) {
        h.insert(ASSET_ID.clone(), v);
    }
    h
}

fn is_offset_body(headers: &HeaderMap) -> bool {
    header(headers, &http::header::CONTENT_TYPE).is_some_and(|v| v.eq_ignore_ascii_case(OFFSET_CONTENT_TYPE))
}

fn body_stream(body: Body) -> impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send {
    body.into_data_stream().map_err(std::io::Error::other)
}

/// What the server supports (`OPTIONS`).
#[utoipa::path(options, path = "/api/v1/uploads", tag = "uploads",
    responses((status = 204, description = "Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm")))]
pub async fn options(State(state): State<AppState>) -> Response {
    let mut h = base_headers();
    h.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    h.insert("tus-extension", HeaderValue::from_static(TUS_EXTENSIONS));
    h.insert("tus-checksum-algorithm", HeaderValue::from_static(TUS_CHECKSUMS));
    h.insert("tus-max-size", HeaderValue::from(state.settings.upload_max_size));
    (StatusCode::NO_CONTENT, h).into_response()
}

/// Create an upload (tus `creation`; with a body, `creation-with-upload`). `Upload-Metadata`
/// keys: `filename`, `project_id`, optional `folder_id`, optional `asset_id` (a new version).
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads",
    responses((status = 201, description = "Created; Location and Upload-Offset headers"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn create(State(state): State<AppState>, Auth(caller): Auth, headers: HeaderMap, body: Body) -> TusResult {
    require_version(&headers)?;
    if headers.contains_key(&UPLOAD_DEFER_LENGTH) {
        return Err(ApiError::invalid("Upload-Defer-Length is not supported; send Upload-Length").into());
    }
    let length = parse_u64(&headers, &UPLOAD_LENGTH)?.ok_or_else(|| ApiError::invalid("Upload-Length is required"))?;
    let raw_meta = header(&headers, &UPLOAD_METADATA).unwrap_or_default().to_owned();
    let meta = tus::parse_metadata(&raw_meta).map_err(|e| ApiError::invalid(e.0))?;
    let id_of = |key: &str| -> Result<Option<uuid::Uuid>, ApiError> {
        match meta.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(raw) => uuid::Uuid::parse_str(raw)
                .map(Some)
                .map_err(|_| ApiError::invalid(format!("Upload-Metadata {key} is not a valid id"))),
        }
    };
    let new = NewUpload {
        length,
        filename: meta
            .get("filename")
            .or_else(|| meta.get("name"))
            .cloned()
            .unwrap_or_default(),
        project: id_of("project_id")?.map(Into::into),
        folder: id_of("folder_id")?.map(Into::into),
        asset: id_of("asset_id")?.map(Into::into),
        metadata_header: raw_meta,
    };
    let info = {
        let mut conn = domain::db::conn(&state.db).await?;
        uploads::create(&mut conn, &state.storage, &state.settings, caller.id(), new).await?
    };
    let info = if is_offset_body(&headers) && info.offset < info.length {
        let checksum = parse_checksum(&headers)?;
        uploads::append(
            &state.db,
            &state.storage,
            &state.settings,
            caller.id(),
            info.id,
            0,
            checksum,
            body_stream(body),
        )
        .await?
    } else {
        info
    };
    let mut h = info_headers(&info);
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/uploads/{}", info.id)) {
        h.insert(http::header::LOCATION, v);
    }
    Ok((StatusCode::CREATED, h).into_response())
}

/// How much of the upload the server has (`HEAD`).
#[utoipa::path(head, path = "/api/v1/uploads/{id}", tag = "uploads", params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "Upload-Offset, Upload-Length, Upload-Metadata"), (status = 404), (status = 410)))]
pub async fn head(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> TusResult {
    require_version(&headers)?;
    let id: UploadId = model::ids::parse_id(&id)?;
    let mut conn = domain::db::conn(&state.db).await?;
    let info = uploads::info(&mut conn, caller.id(), id).await?;
    let mut h = info_headers(&info);
    h.insert(UPLOAD_LENGTH.clone(), HeaderValue::from(info.length));
    if !info.metadata_header.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&info.metadata_header) {
            h.insert(UPLOAD_METADATA.clone(), v);
        }
    }
    Ok((StatusCode::OK, h).into_response())
}

/// Append bytes at `Upload-Offset` (`PATCH`, body `application/offset+octet-stream`).
#[utoipa::path(patch, path = "/api/v1/uploads/{id}", tag = "uploads", params(("id" = String, Path, description = "Upload id")),
    responses((status = 204, description = "Stored; the new Upload-Offset"), (status = 409, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 423, body = ErrorBody), (status = 460, body = ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> TusResult {
    require_version(&headers)?;
    let id: UploadId = model::ids::parse_id(&id)?;
    if !is_offset_body(&headers) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("PATCH bodies must be {OFFSET_CONTENT_TYPE}"),
        )
        .into());
    }
    let offset = parse_u64(&headers, &UPLOAD_OFFSET)?.ok_or_else(|| ApiError::invalid("Upload-Offset is required"))?;
    let checksum = parse_checksum(&headers)?;
    let info = uploads::append(
        &state.db,
        &state.storage,
        &state.settings,
        caller.id(),
        id,
        offset,
        checksum,
        body_stream(body),
    )
    .await?;
    Ok((StatusCode::NO_CONTENT, info_headers(&info)).into_response())
}

/// Terminate an unfinished upload (`DELETE`): its bytes and its version are removed.
#[utoipa::path(delete, path = "/api/v1/uploads/{id}", tag = "uploads", params(("id" = String, Path, description = "Upload id")),
    responses((status = 204, description = "Terminated"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn terminate(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> TusResult {
    require_version(&headers)?;
    let id: UploadId = model::ids::parse_id(&id)?;
    let mut conn = domain::db::conn(&state.db).await?;
    uploads::terminate(&mut conn, &state.storage, caller.id(), id).await?;
    Ok((StatusCode::NO_CONTENT, base_headers()).into_response())
}
