//! The hourly e-mail digest: everyone with notifications they chose to get as a digest, not
//! yet sent, gets one e-mail listing them (run by the hourly housekeeping job).

use crate::error::{DomainError, DomainResult};
use crate::mail::{self, Outgoing};
use crate::schema::{assets, notifications, users};
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::notification::NotificationKind;
use uuid::Uuid;

/// The most notifications one digest lists (the rest go in the next one).
const MAX_ITEMS: i64 = 50;

type Item = (
    Uuid,
    String,
    Option<String>,
    Option<Uuid>,
    Option<String>,
    String,
    DateTime<Utc>,
);

/// Writes one digest e-mail per person with undigested notifications; returns how many.
pub async fn send(conn: &mut AsyncPgConnection, settings: &Settings) -> DomainResult<usize> {
    let people: Vec<Uuid> = notifications::table
        .filter(notifications::delivery.eq("digest"))
        .filter(notifications::digested_at.is_null())
        .select(notifications::user_id)
        .distinct()
        .load(conn)
        .await?;
    let mut sent = 0;
    for user in people {
        conn.transaction::<_, DomainError, _>(async |conn| {
            let (email, name): (String, String) = users::table
                .find(user)
                .select((users::email, users::name))
                .first(conn)
                .await?;
            let actor = diesel::alias!(users as actor);
            let items: Vec<Item> = notifications::table
                .left_join(assets::table.on(assets::id.nullable().eq(notifications::asset_id)))
                .left_join(actor.on(actor.field(users::id).nullable().eq(notifications::actor_id)))
                .filter(notifications::user_id.eq(user))
                .filter(notifications::delivery.eq("digest"))
                .filter(notifications::digested_at.is_null())
                .order(notifications::created_at.asc())
                .limit(MAX_ITEMS)
                .select((
                    notifications::id,
                    notifications::kind,
                    actor.field(users::name).nullable(),
                    notifications::asset_id,
                    assets::name.nullable(),
                    notifications::excerpt,
                    notifications::created_at,
                ))
                .load(conn)
                .await?;
            let Some(last) = items.last() else { return Ok(()) };
            let base = settings.public_url.trim_end_matches('/');
            let mut body = format!("Hello {name},\n\nWhat happened in Dailies since the last digest:\n\n");
            for (_, kind, who, asset, asset_name, text, at) in &items {
                let phrase = NotificationKind::parse(kind).map_or("acted on", NotificationKind::phrase);
                let who = who.as_deref().unwrap_or("A reviewer");
                let what = asset_name.as_deref().unwrap_or("an asset");
                body.push_str(&format!(
                    "• {} — {who} {phrase} {what}:\n  {text}\n",
                    at.format("%H:%M")
                ));
                if let Some(a) = asset {
                    body.push_str(&format!("  {base}/assets/{a}\n"));
                }
                body.push('\n');
            }
            body.push_str(&format!(
                "Choose what reaches you, and how: {base}/notifications\n\n— Dailies\n"
            ));
            let count = items.len();
            mail::queue(
                conn,
                Outgoing {
                    source: format!("digest:{user}:{}", last.0),
                    kind: "digest",
                    to_email: &email,
                    to_name: Some(&name),
                    subject: format!("Dailies: {count} update{}", if count == 1 { "" } else { "s" }),
                    body,
                },
            )
            .await?;
            let ids: Vec<Uuid> = items.iter().map(|i| i.0).collect();
            diesel::update(notifications::table.filter(notifications::id.eq_any(ids)))
                .set(notifications::digested_at.eq(Utc::now()))
                .execute(conn)
                .await?;
            sent += 1;
            Ok(())
        })
        .await?;
    }
    if sent > 0 {
        tracing::info!(digests = sent, "notification digests written");
    }
    Ok(sent)
}
