//! Share links: `/api/v1/shares` for members, `/api/v1/s/{token}` for guests.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth, Client};
use axum::extract::{Path, State};
use axum::Json;
use domain::shares::{self, guest};
use domain::AppState;
use http::header::SET_COOKIE;
use http::{HeaderMap, StatusCode};
use model::error::ErrorBody;
use model::share::{CreateShareRequest, ShareDto, ShareInfo, SharePatch, SharedAssets, UnlockRequest};

/// Make a share link for some assets, a folder or a collection (owners and editors).
#[utoipa::path(post, path = "/api/v1/shares", tag = "shares", request_body = CreateShareRequest,
    responses((status = 201, body = ShareDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(req): ApiJson<CreateShareRequest>,
) -> ApiResult<(StatusCode, Json<ShareDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok((
        StatusCode::CREATED,
        Json(shares::create(&mut conn, caller.id(), &req).await?),
    ))
}

/// A project's share links, newest first, with views and last access (owners and editors).
#[utoipa::path(get, path = "/api/v1/projects/{id}/shares", tag = "shares", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [ShareDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ShareDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        shares::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Change a link's name, password (`null`: none), expiry (`null`: none) or permissions.
#[utoipa::path(patch, path = "/api/v1/shares/{id}", tag = "shares", params(("id" = String, Path, description = "Share link id")),
    request_body = SharePatch,
    responses((status = 200, body = ShareDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<SharePatch>,
) -> ApiResult<Json<ShareDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        shares::update(&mut conn, caller.id(), model::ids::parse_id(&id)?, &patch).await?,
    ))
}

/// Revoke a link: it, and every media URL obtained through it, stops working.
#[utoipa::path(delete, path = "/api/v1/shares/{id}", tag = "shares", params(("id" = String, Path, description = "Share link id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    shares::revoke(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a guest is told about a link before and after unlocking it (no account needed).
#[utoipa::path(get, path = "/api/v1/s/{token}", tag = "shares", security(()), params(("token" = String, Path, description = "The link's token")),
    responses((status = 200, body = ShareInfo), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody, description = "revoked or expired")))]
pub async fn info(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<ShareInfo>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let access = app::ssr::open_link(&mut conn, &token, &headers).await?;
    Ok(Json(access.info()))
}

/// Unlock a link with its password (if it has one) and the reviewer's name; sets the guest
/// cookie. Wrong passwords are throttled per link and per address (`429 rate_limited`).
#[utoipa::path(post, path = "/api/v1/s/{token}/unlock", tag = "shares", security(()), params(("token" = String, Path, description = "The link's token")),
    request_body = UnlockRequest,
    responses((status = 200, body = ShareInfo, description = "Unlocked; the guest cookie is set"), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody, description = "invalid_credentials"), (status = 404, body = ErrorBody),
              (status = 410, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn unlock(
    State(state): State<AppState>,
    Client(client): Client,
    Path(token): Path<String>,
    ApiJson(req): ApiJson<UnlockRequest>,
) -> ApiResult<([(http::HeaderName, String); 1], Json<ShareInfo>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let unlocked = guest::unlock(&mut conn, &token, &req, &client).await?;
    let cookie = app::ssr::guest_cookie(
        &guest::cookie_name(unlocked.access.link.id),
        &unlocked.secret,
        state.settings.secure_cookies,
    );
    Ok(([(SET_COOKIE, cookie)], Json(unlocked.access.info())))
}

/// The assets a link covers now (a folder's or collection's as they are today).
#[utoipa::path(get, path = "/api/v1/s/{token}/assets", tag = "shares", security(()), params(("token" = String, Path, description = "The link's token")),
    responses((status = 200, body = SharedAssets), (status = 401, body = ErrorBody, description = "the link needs its password"),
              (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn assets(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<SharedAssets>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let access = app::ssr::open_link(&mut conn, &token, &headers).await?;
    Ok(Json(guest::assets(&mut conn, &access).await?))
}

/// Options of a guest's media request.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct MediaParams {
    /// Thumbnail long edge: 256, 512 or 1024 (default 256).
    pub size: Option<u32>,
    /// `true` to download the proxy or preview as an attachment (links allowing downloads).
    pub download: Option<bool>,
}

/// A file of an asset the link covers (its current version): `thumbnail`, `preview`,
/// `poster`, `proxy`, `filmstrip`, `filmstrip-index`, `waveform`, or `original` — the original
/// only on links that allow downloading originals, attachments only on links that allow
/// downloads. On a watermarked link, pictures and the proxy are the marked copies
/// (`409 not_ready` while one is being made; no filmstrip). Stops working the moment the
/// link is revoked or expires.
#[utoipa::path(get, path = "/api/v1/s/{token}/assets/{asset_id}/{file}", tag = "shares", security(()),
    params(("token" = String, Path, description = "The link's token"), ("asset_id" = String, Path, description = "Asset id"),
           ("file" = String, Path, description = "thumbnail, preview, poster, proxy, filmstrip, filmstrip-index, waveform or original"), MediaParams),
    responses((status = 200), (status = 206), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "the link does not allow this download"),
              (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn media(
    State(state): State<AppState>,
    Path((token, asset_id, file)): Path<(String, String, String)>,
    axum::extract::Query(q): axum::extract::Query<MediaParams>,
    headers: HeaderMap,
) -> Result<axum::response::Response, crate::http::error::HttpError> {
    use crate::http::error::HttpError;
    use model::share::ShareDownload;
    use model::ApiError;
    let (access, asset, v) = {
        let mut conn = domain::db::conn(&state.db).await?;
        let access = app::ssr::open_link(&mut conn, &token, &headers).await?;
        let (asset, v) = guest::asset(&mut conn, &access, model::ids::parse_id(&asset_id)?).await?;
        (access, asset, v)
    };
    let allowed = access.link.download();
    let refused = |what: &str| {
        HttpError(ApiError::forbidden(format!(
            "this link does not allow downloading {what}"
        )))
    };
    let size = q.size.unwrap_or(256);
    let thumb = format!("thumb-{size}.jpg");
    let (name, content_type) = match file.as_str() {
        "original" if allowed == ShareDownload::Original => {
            return super::assets::original_file(&state, &headers, &asset, &v).await;
        }
        "original" => return Err(refused("originals")),
        "thumbnail" if [256, 512, 1024].contains(&size) => (thumb.as_str(), "image/jpeg"),
        "thumbnail" => return Err(HttpError(ApiError::invalid("size must be 256, 512 or 1024"))),
        "preview" => ("preview.jpg", "image/jpeg"),
        "poster" => ("poster.jpg", "image/jpeg"),
        "proxy" => ("proxy.mp4", "video/mp4"),
        "filmstrip" => ("filmstrip.jpg", "image/jpeg"),
        "filmstrip-index" => ("filmstrip.json", "application/json"),
        "waveform" => ("waveform.json", "application/json"),
        _ => return Err(HttpError(ApiError::not_found())),
    };
    let attachment = if q.download.unwrap_or(false) {
        if allowed == ShareDownload::None || !matches!(file.as_str(), "proxy" | "preview") {
            return Err(refused("files"));
        }
        let stem = v
            .original_name
            .rsplit_once('.')
            .map_or(v.original_name.as_str(), |(s, _)| s);
        Some(format!("{stem}-{name}"))
    } else {
        None
    };
    let marked = {
        let mut conn = domain::db::conn(&state.db).await?;
        domain::shares::watermark::route(&mut conn, &state.storage, &access.link, &v, name).await?
    };
    match marked {
        Some(key) => {
            let etag = key.path().to_string();
            let serve = crate::http::object::Serve {
                key,
                content_type,
                etag,
                download_name: attachment.as_deref(),
            };
            crate::http::object::serve(&state.storage, &headers, serve).await
        }
        None => {
            super::assets::derivative(&state, &headers, &asset, &v, name, content_type, attachment.as_deref()).await
        }
    }
}
