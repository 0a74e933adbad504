//! Notification e-mail: a job per notification, enqueued in the comment's transaction (so a
//! rolled-back comment sends nothing), that writes the message to the outbox.

use super::Outgoing;
use crate::jobs::{Job, JobContext};
use crate::schema::{assets, notifications, users};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Writes the e-mail for one notification.
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
        .unwrap_or_else(|| "A reviewer".into());
        let invitation = kind == model::notification::NotificationKind::Invitation.as_str();
        let what = match (asset_name, invitation) {
            (_, true) => excerpt.clone(),
            (Some(name), false) => name,
            (None, false) => "an asset".into(),
        };
        let phrase = model::notification::NotificationKind::parse(&kind)
            .map_or("commented on", model::notification::NotificationKind::phrase);
        let subject = format!("{actor_name} {phrase} {what}");
        let link = match asset {
            Some(a) => format!("{}/assets/{a}", state.settings.public_url),
            None if invitation => format!("{}/notifications#invitations", state.settings.public_url),
            None => state.settings.public_url.clone(),
        };
        let body = format!("{subject}:\n\n  {excerpt}\n\nOpen it: {link}\n\n— Dailies\n");
        super::queue(
            &mut conn,
            Outgoing {
                source: format!("notification:{}", self.notification_id),
                kind: "notification",
                to_email: &to,
                to_name: Some(&to_name),
                subject,
                body,
            },
        )
        .await?;
        Ok(())
    }
}
