//! Delivering one webhook event: POST the logged payload with `Dailies-Event`,
//! `Dailies-Delivery`, `Dailies-Timestamp` and `Dailies-Signature: v1=<hex HMAC-SHA256 of
//! "<timestamp>.<body>">`; a 2xx marks it delivered; anything else is logged and retried with
//! the queue's backoff, then marked failed.

use super::{open, Webhook};
use crate::jobs::{Job, JobContext};
use crate::schema::{webhook_deliveries, webhooks};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
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
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let sent = client
            .post(&hook.url)
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
        let new_state = match (&error, last) {
            (None, _) => "delivered",
            (Some(_), true) => "failed",
            (Some(_), false) => "pending",
        };
        diesel::update(webhook_deliveries::table.find(self.delivery_id))
            .set((
                webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                webhook_deliveries::response_status.eq(status),
                webhook_deliveries::error.eq(&error),
                webhook_deliveries::state.eq(new_state),
                webhook_deliveries::delivered_at.eq(error.is_none().then(Utc::now)),
            ))
            .execute(&mut conn)
            .await?;
        match error {
            None => Ok(()),
            Some(e) => Err(anyhow::anyhow!(e)),
        }
    }
}
