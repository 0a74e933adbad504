//! `POST /api/v1/assets/download.zip`: the chosen assets as one ZIP, streamed as it is
//! written (memory stays at one buffer however large the set).

use crate::http::error::ApiResult;
use crate::http::extract::Auth;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use domain::downloads::{self, ZipFiles};
use domain::AppState;
use http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use http::HeaderMap;
use model::error::ErrorBody;
use model::{ApiError, AssetId};

/// What to put in the archive: JSON `{"asset_ids": [...], "files": "original"|"proxy"}` or
/// the bulk bar's form (`ids` comma-separated, `files`).
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ZipRequest {
    /// The assets, in the order wanted.
    #[serde(default)]
    pub asset_ids: Vec<String>,
    /// The same, comma-separated (forms).
    #[serde(default)]
    pub ids: Option<String>,
    /// `original` (default), `proxy` (web proxies of videos, previews of photos) or `xmp`
    /// (an XMP sidecar per asset and `selects.txt`, for photo catalogues; built in memory).
    #[serde(default)]
    pub files: Option<String>,
}

/// Download assets as one ZIP (members who can view them; at most 1,000): stored entries
/// streamed with data descriptors and ZIP64 where needed.
#[utoipa::path(post, path = "/api/v1/assets/download.zip", tag = "assets", request_body = ZipRequest,
    responses((status = 200, content_type = "application/zip"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn zip(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let req: ZipRequest = if form {
        serde_urlencoded::from_bytes(&body).map_err(|e| ApiError::invalid(e.to_string()))?
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid(e.to_string()))?
    };
    let raw: Vec<String> = match req.ids {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        None => req.asset_ids,
    };
    let ids = raw
        .iter()
        .map(|s| model::ids::parse_id::<AssetId>(s))
        .collect::<Result<Vec<_>, _>>()?;
    let files = match req.files.as_deref() {
        None | Some("original") => ZipFiles::Original,
        Some("proxy") => ZipFiles::Proxy,
        Some("xmp") => {
            let mut conn = domain::db::conn(&state.db).await?;
            let file = domain::selects::sidecars_zip(&mut conn, caller.id(), &ids).await?;
            return Ok(super::exports::attachment(file));
        }
        Some(other) => {
            return Err(ApiError::invalid(format!("files must be original, proxy or xmp, not {other}")).into())
        }
    };
    let items = {
        let mut conn = domain::db::conn(&state.db).await?;
        downloads::items(&mut conn, caller.id(), &ids, files).await?
    };
    let (reader, writer) = tokio::io::duplex(256 * 1024);
    let storage = state.storage.clone();
    let count = items.len();
    tokio::spawn(async move {
        // A failure mid-way ends the body early: the client sees a truncated archive.
        if let Err(e) = downloads::write_zip(&storage, &items, writer).await {
            tracing::warn!(error = %e, "zip download stopped");
        }
    });
    let name = format!("dailies-{count}-files-{}.zip", chrono::Utc::now().format("%Y%m%d-%H%M"));
    Response::builder()
        .header(CONTENT_TYPE, "application/zip")
        .header(CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .body(Body::from_stream(tokio_util::io::ReaderStream::new(reader)))
        .map_err(|e| {
            tracing::error!(error = %e, "zip response");
            ApiError::internal().into()
        })
}
