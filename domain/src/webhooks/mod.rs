//! Webhooks: owners point a project at an HTTP endpoint for some events; each event the
//! project publishes becomes a delivery (logged in `webhook_deliveries`, queued as a
//! [`DeliverWebhook`] job in the change's own transaction) POSTed with an HMAC-SHA256
//! signature over the timestamp and body. Signing secrets are sealed at rest with
//! AES-256-GCM under the server's key.

mod deliver;
mod hosts;

pub use deliver::{signature, DeliverWebhook};
pub use hosts::{Refused, WebhookHosts};

use crate::audit;
use crate::auth::secret;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::NewEvent;
use crate::jobs::queue;
use crate::schema::{webhook_deliveries, webhooks};
use crate::settings::{SecretKey, Settings};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::live::kind;
use model::permission::{Action, Ownership};
use model::webhook::{CreateWebhookRequest, CreatedWebhook, DeliveryDto, WebhookDto, EVENTS};
use model::{ApiError, ErrorCode, ProjectId, UserId};
use uuid::Uuid;

/// Webhooks one project may have.
const MAX_PER_PROJECT: i64 = 20;

/// A row of `webhooks`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
struct Webhook {
    id: Uuid,
    project_id: Uuid,
    url: String,
    events: Vec<String>,
    secret_nonce: Vec<u8>,
    secret_sealed: Vec<u8>,
    created_at: DateTime<Utc>,
}

impl Webhook {
    fn dto(&self) -> WebhookDto {
        WebhookDto {
            id: self.id,
            project_id: ProjectId(self.project_id),
            url: self.url.clone(),
            events: self.events.clone(),
            created_at: self.created_at,
        }
    }
}

fn internal(e: impl std::fmt::Display) -> DomainError {
    DomainError::Internal(e.to_string())
}

/// `secret` sealed under `key`: (nonce, ciphertext with its tag).
fn seal(key: &SecretKey, secret: &str) -> DomainResult<(Vec<u8>, Vec<u8>)> {
    let cipher = Aes256Gcm::new_from_slice(&key.0).map_err(internal)?;
    let nonce: [u8; 12] = rand::random();
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), secret.as_bytes())
        .map_err(internal)?;
    Ok((nonce.to_vec(), sealed))
}

/// The secret sealed by [`seal`]; fails if the key or the bytes are not the ones it used.
fn open(key: &SecretKey, nonce: &[u8], sealed: &[u8]) -> DomainResult<String> {
    let cipher = Aes256Gcm::new_from_slice(&key.0).map_err(internal)?;
    if nonce.len() != 12 {
        return Err(internal("a sealed secret with a bad nonce"));
    }
    let plain = cipher
        .decrypt(Nonce::from_slice(nonce), sealed)
        .map_err(|_| internal("a webhook secret could not be opened: was the server's key changed?"))?;
    String::from_utf8(plain).map_err(internal)
}

fn checked(req: &CreateWebhookRequest) -> DomainResult<(String, Vec<String>)> {
    let url = req.url.trim();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid("a webhook needs an http:// or https:// URL of at most 2000 characters").into());
    }
    let mut events: Vec<String> = Vec::new();
    for e in &req.events {
        if !EVENTS.contains(&e.as_str()) {
            return Err(ApiError::invalid(format!("unknown event {e:?}; known: {}", EVENTS.join(", "))).into());
        }
        if !events.contains(e) {
            events.push(e.clone());
        }
    }
    if events.is_empty() {
        events = EVENTS.iter().map(|e| (*e).to_owned()).collect();
    }
    Ok((url.to_owned(), events))
}

/// Adds a webhook to `project` (owners); the secret is in the answer, once. A URL whose host
/// is, or resolves to, an address the server may not call is refused; a name that does not
/// resolve yet is accepted (each delivery resolves it again).
pub async fn create(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: UserId,
    project: ProjectId,
    req: &CreateWebhookRequest,
) -> DomainResult<CreatedWebhook> {
    authorize(conn, user, project, Action::ManageMembers, Ownership::NotMine).await?;
    let (url, events) = checked(req)?;
    let parsed = reqwest::Url::parse(&url).map_err(|e| ApiError::invalid(format!("the URL does not parse: {e}")))?;
    match settings.webhook_hosts.resolve(&parsed).await {
        Ok(_) | Err(Refused::Unresolved { .. }) => {}
        Err(refused) => return Err(ApiError::invalid(refused.to_string()).into()),
    }
    let count: i64 = webhooks::table
        .filter(webhooks::project_id.eq(project.0))
        .count()
        .get_result(conn)
        .await?;
    if count >= MAX_PER_PROJECT {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("a project has at most {MAX_PER_PROJECT} webhooks"),
        )
        .into());
    }
    let secret = format!("whsec_{}", secret::random_token(32));
    let (nonce, sealed) = seal(&settings.secret_key, &secret)?;
    let row: Webhook = diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(Uuid::new_v4()),
            webhooks::project_id.eq(project.0),
            webhooks::url.eq(&url),
            webhooks::events.eq(&events),
            webhooks::secret_nonce.eq(&nonce),
            webhooks::secret_sealed.eq(&sealed),
            webhooks::created_by.eq(user.0),
        ))
        .returning(Webhook::as_returning())
        .get_result(conn)
        .await?;
    let detail = serde_json::json!({ "url": url, "events": events });
    audit::record(conn, project, user, "webhook.create", row.id, detail).await?;
    Ok(CreatedWebhook {
        webhook: row.dto(),
        secret,
    })
}

async fn find(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<Webhook> {
    let row: Webhook = webhooks::table
        .find(id)
        .select(Webhook::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    authorize(
        conn,
        user,
        ProjectId(row.project_id),
        Action::ManageMembers,
        Ownership::NotMine,
    )
    .await?;
    Ok(row)
}

/// A project's webhooks (owners).
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<WebhookDto>> {
    authorize(conn, user, project, Action::ManageMembers, Ownership::NotMine).await?;
    let rows: Vec<Webhook> = webhooks::table
        .filter(webhooks::project_id.eq(project.0))
        .order(webhooks::created_at.asc())
        .select(Webhook::as_select())
        .load(conn)
        .await?;
    Ok(rows.iter().map(Webhook::dto).collect())
}

/// Removes a webhook and its log (owners).
pub async fn delete(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<()> {
    let row = find(conn, user, id).await?;
    diesel::delete(webhooks::table.find(row.id)).execute(conn).await?;
    let detail = serde_json::json!({ "url": row.url });
    audit::record(conn, ProjectId(row.project_id), user, "webhook.delete", row.id, detail).await
}

/// A webhook's latest 100 deliveries, newest first (owners).
pub async fn deliveries(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<Vec<DeliveryDto>> {
    let row = find(conn, user, id).await?;
    type Row = (
        i64,
        String,
        String,
        i32,
        Option<i32>,
        Option<String>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(row.id))
        .order(webhook_deliveries::id.desc())
        .limit(100)
        .select((
            webhook_deliveries::id,
            webhook_deliveries::event,
            webhook_deliveries::state,
            webhook_deliveries::attempts,
            webhook_deliveries::response_status,
            webhook_deliveries::error,
            webhook_deliveries::created_at,
            webhook_deliveries::delivered_at,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, event, state, attempts, response_status, error, created_at, delivered_at)| DeliveryDto {
                id,
                event,
                state,
                attempts,
                response_status,
                error,
                created_at,
                delivered_at,
            },
        )
        .collect())
}

/// The webhook events a published event is (none for most kinds).
fn names(event: &NewEvent) -> Vec<&'static str> {
    let comment = &event.payload["comment"];
    match event.kind {
        kind::COMMENT_CREATED if comment["guest"] == true => vec!["comment.created", "share.commented"],
        kind::COMMENT_CREATED => vec!["comment.created"],
        kind::COMMENT_RESOLVED if comment["resolved"] == true => vec!["comment.resolved"],
        kind::STATUS_CHANGED => vec!["status.changed"],
        kind::ASSET_CREATED => vec!["asset.created"],
        kind::VERSION_CREATED => vec!["version.created"],
        kind::ASSET_READY => vec!["asset.ready"],
        kind::ASSET_FAILED => vec!["asset.failed"],
        kind::EXPORT_FINISHED => vec!["export.finished"],
        _ => Vec::new(),
    }
}

/// Queues a delivery to every webhook of the event's project that wants it (called by
/// `events::publish`, inside the change's transaction).
pub(crate) async fn fan_out(conn: &mut AsyncPgConnection, event: &NewEvent, event_id: i64) -> DomainResult<()> {
    let wanted = names(event);
    if wanted.is_empty() {
        return Ok(());
    }
    let hooks: Vec<(Uuid, Vec<String>)> = webhooks::table
        .filter(webhooks::project_id.eq(event.project.0))
        .filter(webhooks::active.eq(true))
        .select((webhooks::id, webhooks::events))
        .load(conn)
        .await?;
    for (hook, events) in hooks {
        for name in wanted.iter().filter(|n| events.iter().any(|e| e == *n)) {
            let payload = serde_json::json!({
                "event": name,
                "event_id": event_id,
                "project_id": event.project,
                "asset_id": event.asset,
                "actor_id": event.actor,
                "created_at": Utc::now(),
                "data": event.payload,
            });
            let id: i64 = diesel::insert_into(webhook_deliveries::table)
                .values((
                    webhook_deliveries::webhook_id.eq(hook),
                    webhook_deliveries::event.eq(*name),
                    webhook_deliveries::payload.eq(&payload),
                ))
                .returning(webhook_deliveries::id)
                .get_result(conn)
                .await?;
            queue::enqueue(conn, &DeliverWebhook { delivery_id: id }).await?;
        }
    }
    Ok(())
}
