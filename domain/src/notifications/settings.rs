//! Each person's choice, per kind of notification, of how it reaches them; kinds they never
//! chose for use [`NotificationKind::default_delivery`].

use crate::error::DomainResult;
use crate::schema::notification_settings;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::notification::{Delivery, NotificationKind, NotificationSetting};
use model::UserId;

/// How `kind` reaches `user`.
pub async fn delivery(conn: &mut AsyncPgConnection, user: UserId, kind: NotificationKind) -> DomainResult<Delivery> {
    let chosen: Option<String> = notification_settings::table
        .find((user.0, kind.as_str()))
        .select(notification_settings::delivery)
        .first(conn)
        .await
        .optional()?;
    Ok(chosen
        .as_deref()
        .and_then(Delivery::parse)
        .unwrap_or(kind.default_delivery()))
}

/// Every kind's delivery for `user`, in [`NotificationKind::ALL`] order.
pub async fn all(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<Vec<NotificationSetting>> {
    let chosen: Vec<(String, String)> = notification_settings::table
        .filter(notification_settings::user_id.eq(user.0))
        .select((notification_settings::kind, notification_settings::delivery))
        .load(conn)
        .await?;
    Ok(NotificationKind::ALL
        .into_iter()
        .map(|kind| NotificationSetting {
            kind,
            delivery: chosen
                .iter()
                .find(|(k, _)| k == kind.as_str())
                .and_then(|(_, d)| Delivery::parse(d))
                .unwrap_or(kind.default_delivery()),
        })
        .collect())
}

/// Stores `user`'s choices (the kinds not named keep theirs) and returns them all.
pub async fn set(
    conn: &mut AsyncPgConnection,
    user: UserId,
    choices: &[NotificationSetting],
) -> DomainResult<Vec<NotificationSetting>> {
    for c in choices {
        diesel::insert_into(notification_settings::table)
            .values((
                notification_settings::user_id.eq(user.0),
                notification_settings::kind.eq(c.kind.as_str()),
                notification_settings::delivery.eq(c.delivery.as_str()),
            ))
            .on_conflict((notification_settings::user_id, notification_settings::kind))
            .do_update()
            .set(notification_settings::delivery.eq(excluded(notification_settings::delivery)))
            .execute(conn)
            .await?;
    }
    all(conn, user).await
}
