//! Webhooks (owners): `/api/v1/projects/{id}/webhooks`, `/api/v1/webhooks/{id}` and its
//! delivery log.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::{Path, State};
use axum::Json;
use domain::{webhooks, AppState};
use http::StatusCode;
use model::error::ErrorBody;
use model::webhook::{CreateWebhookRequest, CreatedWebhook, DeliveryDto, WebhookDto};
use model::ApiError;

fn webhook_id(raw: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(raw).map_err(|_| ApiError::invalid("not a webhook id"))
}

/// Add a webhook: an `http(s)://` URL and the events it wants (all when empty). The signing
/// secret is in the answer, once; deliveries carry `Dailies-Signature: v1=<hex>` =
/// HMAC-SHA256(secret, `<Dailies-Timestamp>.<body>`).
#[utoipa::path(post, path = "/api/v1/projects/{id}/webhooks", tag = "webhooks", params(("id" = String, Path, description = "Project id")),
    request_body = CreateWebhookRequest,
    responses((status = 201, body = CreatedWebhook), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreateWebhookRequest>,
) -> ApiResult<(StatusCode, Json<CreatedWebhook>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let made = webhooks::create(
        &mut conn,
        &state.settings,
        caller.id(),
        model::ids::parse_id(&id)?,
        &req,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// A project's webhooks, without secrets.
#[utoipa::path(get, path = "/api/v1/projects/{id}/webhooks", tag = "webhooks", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [WebhookDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<WebhookDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        webhooks::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Remove a webhook and its log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, description = "Webhook id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    webhooks::delete(&mut conn, caller.id(), webhook_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The latest 100 deliveries of a webhook: event, state, attempts, the endpoint's answer.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = String, Path, description = "Webhook id")),
    responses((status = 200, body = [DeliveryDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DeliveryDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        webhooks::deliveries(&mut conn, caller.id(), webhook_id(&id)?).await?,
    ))
}
