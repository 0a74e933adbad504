//! Delivering one webhook event: POST the logged payload with `Dailies-Event`,
//! `Dailies-Delivery`, `Dailies-Timestamp` and `Dailies-Signature: v1=<hex HMAC-SHA256 of
//! "<timestamp>.<body>">`; a 2xx marks it delivered; anything else is logged and retried with
//! the queue's backoff, then marked failed.

use super::{open, Refused, Webhook};
use crate::jobs::{Job, JobContext, Permanent};
use crate::schema::{webhook_deliveries, webhooks};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::time::Duration;

/// How long an endpoint has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The signature of `body` sent at `timestamp` under `secret`, as sent in `Dailies-Signature`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        // HMAC takes keys of any length.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!("v1={}", crate::storage::hex(&bytes))
}

/// Deliver one logged event.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeliverWebhook {
    /// The `webhook_deliveries` row.
    pub delivery_id: i64,
}

impl Job for DeliverWebhook {
    const KIND: &'static str = "deliver_webhook";
    const MAX_ATTEMPTS: i32 = 6;

    fn dedupe_key(&self) -> Option<String> {
        Some(self.delivery_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let mut conn = crate::db::conn(&state.db).await?;
        let found: Option<(Webhook, serde_json::Value, String, String)> = webhook_deliveries::table
            .inner_join(webhooks::table)
            .filter(webhook_deliveries::id.eq(self.delivery_id))
            .select((
                Webhook::as_select(),
                webhook_deliveries::payload,
                webhook_deliveries::event,
                webhook_deliveries::state,
            ))
            .first(&mut conn)
            .await
            .optional()?;
        // Deleted with its webhook, or done already: nothing to send.
        let Some((hook, payload, event, state_now)) = found else {
            return Ok(());
        };
        if state_now != "pending" {
            return Ok(());
        }
        let secret = open(&state.settings.secret_key, &hook.secret_nonce, &hook.secret_sealed)?;
        let body = serde_json::to_vec(&payload)?;
        let timestamp = Utc::now().timestamp();
        let url = reqwest::Url::parse(&hook.url)?;
        let (host, addrs) = match state.settings.webhook_hosts.resolve(&url).await {
            Ok(found) => found,
            Err(refused) => return refuse(&mut conn, self.delivery_id, ctx.attempt, refused).await,
        };
        // Pinned to the addresses just checked: the name is not looked up again.
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .resolve_to_addrs(&host, &addrs)
            .build()?;
        let sent = client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "Dailies-Webhooks/1")
            .header("dailies-event", &event)
            .header("dailies-delivery", self.delivery_id.to_string())
            .header("dailies-timestamp", timestamp.to_string())
            .header("dailies-signature", signature(&secret, timestamp, &body))
            .body(body)
            .send()
            .await;
        let (status, error) = match &sent {
            Ok(r) if r.status().is_success() => (Some(i32::from(r.status().as_u16())), None),
            Ok(r) => (
                Some(i32::from(r.status().as_u16())),
                Some(format!("the endpoint answered {}", r.status())),
            ),
            Err(e) => (None, Some(format!("could not reach the endpoint: {e}"))),
        };
        let last = ctx.attempt >= Self::MAX_ATTEMPTS;
        set_outcome(&mut conn, self.delivery_id, status, error.as_deref(), last).await?;
        match error {
            None => Ok(()),
            Some(e) => Err(anyhow::anyhow!(e)),
        }
    }
}

/// Logs a delivery that may not be sent: a refused address fails it at once; a name that did
/// not resolve is retried like an unreachable endpoint.
async fn refuse(conn: &mut AsyncPgConnection, delivery: i64, attempt: i32, refused: Refused) -> anyhow::Result<()> {
    let permanent = !matches!(refused, Refused::Unresolved { .. });
    let message = if permanent {
        format!("refused: {refused}")
    } else {
        refused.to_string()
    };
    let last = permanent || attempt >= DeliverWebhook::MAX_ATTEMPTS;
    set_outcome(conn, delivery, None, Some(&message), last).await?;
    if permanent {
        return Err(Permanent(message).into());
    }
    Err(anyhow::anyhow!(message))
}

/// Records one attempt: delivered without an error; else pending, or failed on the last try.
async fn set_outcome(
    conn: &mut AsyncPgConnection,
    delivery: i64,
    status: Option<i32>,
    error: Option<&str>,
    last: bool,
) -> anyhow::Result<()> {
    let new_state = match (error, last) {
        (None, _) => "delivered",
        (Some(_), true) => "failed",
        (Some(_), false) => "pending",
    };
    diesel::update(webhook_deliveries::table.find(delivery))
        .set((
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::response_status.eq(status),
            webhook_deliveries::error.eq(error),
            webhook_deliveries::state.eq(new_state),
            webhook_deliveries::delivered_at.eq(error.is_none().then(Utc::now)),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
