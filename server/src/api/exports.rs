//! Comments out and markers in: `GET /api/v1/assets/{id}/comments/export` (PDF report, CSV,
//! Resolve EDL, Premiere XML, FCPXML, Avid locators) and `POST /api/v1/assets/{id}/comments/import`
//! (Resolve EDL, Avid locators).

use crate::http::error::ApiResult;
use crate::http::extract::Auth;
use crate::http::object::content_disposition;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::exports::comments::{CommentFilter, CommentFormat};
use domain::exports::import::MarkerFormat;
use domain::exports::ExportFile;
use domain::AppState;
use http::header::{HeaderValue, CONTENT_DISPOSITION, CONTENT_TYPE};
use http::StatusCode;
use model::error::ErrorBody;
use model::review::CommentDto;
use model::ApiError;

/// The largest marker file accepted.
const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// What to export.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportParams {
    /// `pdf` (report with frame grabs), `csv`, `edl` (Resolve), `xmeml` (Premiere / FCP7 XML),
    /// `fcpxml` (Final Cut Pro) or `avid`.
    pub format: String,
    /// Version (default: the current one).
    pub version: Option<i32>,
    /// Only resolved (`true`) or open (`false`) threads.
    pub resolved: Option<bool>,
    /// Only threads by this author (display name).
    pub author: Option<String>,
}

/// An asset's comments as a file to download (members who may view it). Markers formats
/// need a video; replies travel under their thread.
#[utoipa::path(get, path = "/api/v1/assets/{id}/comments/export", tag = "review",
    params(("id" = String, Path, description = "Asset id"), ExportParams),
    responses((status = 200, description = "The file, as an attachment"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<ExportParams>,
) -> ApiResult<Response> {
    let filter = CommentFilter {
        version: q.version,
        resolved: q.resolved,
        author: q.author.filter(|a| !a.trim().is_empty()),
    };
    let asset = model::ids::parse_id(&id)?;
    let mut conn = domain::db::conn(&state.db).await?;
    let file = if q.format == "pdf" {
        domain::exports::report::pdf(&mut conn, &state, caller.id(), asset, &filter).await?
    } else {
        let format = CommentFormat::parse(&q.format)
            .ok_or_else(|| ApiError::invalid("format must be pdf, csv, edl, xmeml, fcpxml or avid"))?;
        domain::exports::comments::export(&mut conn, caller.id(), asset, format, &filter).await?
    };
    Ok(attachment(file))
}

/// A made file as a download.
pub(crate) fn attachment(file: ExportFile) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(file.content_type)),
            (CONTENT_DISPOSITION, content_disposition(&file.name)),
        ],
        file.body,
    )
        .into_response()
}

/// One asset's XMP sidecar (`<basename>.xmp`: rating, reject, label, keywords, caption) for
/// photo catalogues (members who may view it).
#[utoipa::path(get, path = "/api/v1/assets/{id}/sidecar.xmp", tag = "assets", params(("id" = String, Path, description = "Asset id")),
    responses((status = 200, content_type = "application/rdf+xml"), (status = 404, body = ErrorBody)))]
pub async fn sidecar(State(state): State<AppState>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    let mut conn = domain::db::conn(&state.db).await?;
    let file = domain::selects::sidecar(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(attachment(file))
}

/// Which marker file is posted.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// `edl` (Resolve marker EDL) or `avid` (Avid locators).
    pub format: String,
    /// Version (default: the current one).
    pub version: Option<i32>,
}

/// Markers from an editing timeline as comments by the caller (commenters and up), one per
/// marker; all or nothing, a bad line named in the error. The body is the file (UTF-8, at
/// most 2 MiB).
#[utoipa::path(post, path = "/api/v1/assets/{id}/comments/import", tag = "review",
    params(("id" = String, Path, description = "Asset id"), ImportParams),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 201, body = [CommentDto]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<ImportParams>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Vec<CommentDto>>)> {
    let format = MarkerFormat::parse(&q.format).ok_or_else(|| ApiError::invalid("format must be edl or avid"))?;
    if body.len() > MAX_IMPORT_BYTES {
        return Err(ApiError::new(model::ErrorCode::TooLarge, "a marker file is at most 2 MiB").into());
    }
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("the file is not UTF-8 text"))?;
    let mut conn = domain::db::conn(&state.db).await?;
    let made = domain::exports::import::import(
        &mut conn,
        caller.id(),
        model::ids::parse_id(&id)?,
        q.version,
        format,
        text,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(made)))
}
