//! Webhooks: a project's HTTP endpoints told of events, signed with HMAC-SHA256.

use crate::ids::ProjectId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The events a webhook can ask for.
pub const EVENTS: [&str; 9] = [
    "asset.created",
    "asset.ready",
    "asset.failed",
    "version.created",
    "comment.created",
    "comment.resolved",
    "status.changed",
    "share.commented",
    "export.finished",
];

/// `POST /api/v1/projects/{id}/webhooks`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateWebhookRequest {
    /// Where to POST (`http://` or `https://`).
    pub url: String,
    /// Which events (see [`EVENTS`]); empty: all of them.
    #[serde(default)]
    pub events: Vec<String>,
}

/// A webhook, without its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookDto {
    /// Id.
    pub id: uuid::Uuid,
    /// Project.
    pub project_id: ProjectId,
    /// Endpoint.
    pub url: String,
    /// Events it gets.
    pub events: Vec<String>,
    /// Made when.
    pub created_at: DateTime<Utc>,
}

/// A new webhook and its signing secret, shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreatedWebhook {
    /// The webhook.
    pub webhook: WebhookDto,
    /// The HMAC-SHA256 key: `Dailies-Signature: v1=<hex of HMAC(secret, "<timestamp>.<body>")>`.
    pub secret: String,
}

/// One delivery in the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeliveryDto {
    /// Id (also sent as `Dailies-Delivery`).
    pub id: i64,
    /// Event.
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The endpoint's last HTTP status.
    pub response_status: Option<i32>,
    /// The last error.
    pub error: Option<String>,
    /// Queued when.
    pub created_at: DateTime<Utc>,
    /// Delivered when.
    pub delivered_at: Option<DateTime<Utc>>,
}
