//! Notification e-mail: a job per notification, sent through SMTP when one is configured.
//! Enqueued in the comment's transaction, so a rolled-back comment sends nothing; retried with
//! backoff when the server is down.

use crate::jobs::{Job, JobContext, Permanent};
use crate::schema::{assets, notifications, users};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Sends the e-mail for one notification.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NotificationEmail {
    /// The notification.
    pub notification_id: Uuid,
}

impl Job for NotificationEmail {
    const KIND: &'static str = "notification_email";
    const MAX_ATTEMPTS: i32 = 6;

    fn dedupe_key(&self) -> Option<String> {
        Some(self.notification_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let Some(url) = state.settings.smtp_url.clone() else {
            return Ok(()); // e-mail is off: the in-app notification is all there is
        };
        let mut conn = crate::db::conn(&state.db).await?;
        type Row = (
            String,
            String,
            Option<Uuid>,
            Option<Uuid>,
            String,
            Option<String>,
            String,
        );
        let row: Option<Row> = notifications::table
            .inner_join(users::table.on(users::id.eq(notifications::user_id)))
            .left_join(assets::table.on(assets::id.nullable().eq(notifications::asset_id)))
            .filter(notifications::id.eq(self.notification_id))
            .select((
                users::email,
                users::name,
                notifications::actor_id,
                notifications::asset_id,
                notifications::kind,
                assets::name.nullable(),
                notifications::excerpt,
            ))
            .first(&mut conn)
            .await
            .optional()?;
        // Deleted with its comment meanwhile: nothing to tell.
        let Some((to, to_name, actor, asset, kind, asset_name, excerpt)) = row else {
            return Ok(());
        };
        let actor_name = match actor {
            Some(a) => users::table
                .find(a)
                .select(users::name)
                .first::<String>(&mut conn)
                .await
                .ok(),
            None => None,
        }
        .unwrap_or_else(|| "Someone".into());
        let what = asset_name.unwrap_or_else(|| "an asset".into());
        let subject = match kind.as_str() {
            "mention" => format!("{actor_name} mentioned you on {what}"),
            _ => format!("{actor_name} replied on {what}"),
        };
        let link = asset.map_or_else(
            || state.settings.public_url.clone(),
            |a| format!("{}/assets/{a}", state.settings.public_url),
        );
        let body = format!("{subject}:\n\n  {excerpt}\n\nOpen it: {link}\n\n— Dailies\n");
        let message = Message::builder()
            .from(
                state
                    .settings
                    .mail_from
                    .parse::<Mailbox>()
                    .map_err(|e| Permanent(format!("bad DAILIES_MAIL_FROM: {e}")))?,
            )
            .to(Mailbox::new(
                Some(to_name),
                to.parse().map_err(|e| Permanent(format!("bad address {to}: {e}")))?,
            ))
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| Permanent(e.to_string()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| Permanent(format!("bad DAILIES_SMTP_URL: {e}")))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        transport.send(message).await?;
        tracing::info!(notification.id = %self.notification_id, "notification e-mail sent");
        Ok(())
    }
}
