//! `/api/v1/admin/settings`.

use crate::http::error::{ApiResult, HttpError};
use crate::http::extract::{ApiJson, Auth};
use axum::extract::State;
use axum::Json;
use domain::{instance, AppState};
use model::dto::InstanceSettingsDto;
use model::error::ErrorBody;
use model::ApiError;

/// Instance settings (admins only).
#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "admin",
    responses((status = 200, body = InstanceSettingsDto), (status = 403, body = ErrorBody)))]
pub async fn get_settings(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<InstanceSettingsDto>> {
    require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(instance::settings(&mut conn).await?))
}

/// Change instance settings, e.g. close sign-up (admins only).
#[utoipa::path(put, path = "/api/v1/admin/settings", tag = "admin", request_body = InstanceSettingsDto,
    responses((status = 200, body = InstanceSettingsDto), (status = 403, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(req): ApiJson<InstanceSettingsDto>,
) -> ApiResult<Json<InstanceSettingsDto>> {
    require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(instance::set_signups_open(&mut conn, req.signups_open).await?))
}

fn require_admin(caller: &domain::auth::Caller) -> Result<(), HttpError> {
    if caller.user.is_admin {
        Ok(())
    } else {
        Err(HttpError(ApiError::forbidden("only an instance admin can do this")))
    }
}
