//! `/api/v1/admin/settings`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::{instance, AppState};
use model::dto::{InstanceSettingsDto, JobDto};
use model::error::ErrorBody;

/// Instance settings (admins only).
#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "admin",
    responses((status = 200, body = InstanceSettingsDto), (status = 403, body = ErrorBody)))]
pub async fn get_settings(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<InstanceSettingsDto>> {
    domain::authz::require_admin(&caller)?;
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
    domain::authz::require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(instance::set_signups_open(&mut conn, req.signups_open).await?))
}

/// Filter for the job list.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct JobFilter {
    /// Only jobs in this state (`queued`, `running`, `succeeded`, `failed`, `cancelled`).
    pub state: Option<String>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

/// Background jobs, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", params(JobFilter),
    responses((status = 200, body = [JobDto]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(filter): Query<JobFilter>,
) -> ApiResult<Json<Vec<JobDto>>> {
    domain::authz::require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    let jobs = domain::jobs::queue::list(&mut conn, filter.state.as_deref(), filter.limit.unwrap_or(100)).await?;
    Ok(Json(jobs))
}

/// Put a failed or cancelled job back in the queue (admins only).
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin", params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = JobDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn retry_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<JobDto>> {
    domain::authz::require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        domain::jobs::queue::retry(&mut conn, model::ids::parse_id(&id)?).await?,
    ))
}

/// Cancel a queued or running job (admins only).
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/cancel", tag = "admin", params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = JobDto), (status = 404, body = ErrorBody)))]
pub async fn cancel_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<JobDto>> {
    domain::authz::require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        domain::jobs::queue::cancel(&mut conn, model::ids::parse_id(&id)?).await?,
    ))
}

/// Filter for the outbox.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct OutboxFilter {
    /// Only messages to this address.
    pub to: Option<String>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

/// Every e-mail Dailies wrote, newest first: sent, queued, failed, or held because no SMTP
/// server is configured (admins only).
#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "admin", params(OutboxFilter),
    responses((status = 200, body = [model::dto::OutboxMailDto]), (status = 403, body = ErrorBody)))]
pub async fn outbox(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(filter): Query<OutboxFilter>,
) -> ApiResult<Json<Vec<model::dto::OutboxMailDto>>> {
    domain::authz::require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    let mail = domain::mail::recent(&mut conn, filter.to.as_deref(), filter.limit.unwrap_or(100)).await?;
    Ok(Json(mail.into_iter().map(|m| m.to_dto()).collect()))
}
