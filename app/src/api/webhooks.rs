//! Webhook server functions (owners): list, add, remove, and each one's delivery log.

use crate::error::AppError;
use leptos::prelude::*;
use model::webhook::{CreatedWebhook, DeliveryDto, WebhookDto};

/// A project's webhooks.
#[server]
pub async fn list_webhooks(project: String) -> Result<Vec<WebhookDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::webhooks::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?).await?)
}

/// Adds a webhook for `events` (comma-separated; empty: all); the secret is in the answer, once.
#[server]
pub async fn add_webhook(project: String, url: String, events: Option<String>) -> Result<CreatedWebhook, AppError> {
    use crate::ssr::{caller, conn, state};
    let (caller, state) = (caller().await?, state()?);
    let req = model::webhook::CreateWebhookRequest {
        url,
        events: events
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let project = model::ids::parse_id(&project)?;
    Ok(domain::webhooks::create(&mut *conn().await?, &state.settings, caller.id(), project, &req).await?)
}

/// Removes a webhook.
#[server]
pub async fn remove_webhook(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError(model::ApiError::invalid("not a webhook id")))?;
    Ok(domain::webhooks::delete(&mut *conn().await?, caller.id(), id).await?)
}

/// A webhook's latest deliveries.
#[server]
pub async fn webhook_deliveries(id: String) -> Result<Vec<DeliveryDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError(model::ApiError::invalid("not a webhook id")))?;
    Ok(domain::webhooks::deliveries(&mut *conn().await?, caller.id(), id).await?)
}
