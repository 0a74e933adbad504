//! In-app notifications: someone mentioned you, or replied to your comment.

use crate::assets::Asset;
use crate::error::DomainResult;
use crate::people;
use crate::schema::{assets, notifications};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::review::NotificationDto;
use model::{AssetId, CommentId, NotificationId, ProjectId, UserId};
use uuid::Uuid;

const EXCERPT: usize = 140;

fn excerpt(body: &str) -> String {
    let mut s: String = body.chars().take(EXCERPT).collect();
    if body.chars().count() > EXCERPT {
        s.push('…');
    }
    s
}

/// Notifies the members `@mentioned` in `body` and the authors replied to (the thread's
/// starter and the comment answered).
/// Runs inside the comment's transaction. Nobody is notified of their own comment, and a
/// mention of someone who is not a member notifies no one.
pub async fn for_comment(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    actor: UserId,
    asset: &Asset,
    comment: Uuid,
    body: &str,
    reply_to: &[UserId],
) -> DomainResult<Vec<UserId>> {
    let handles = model::markup::mentions(body);
    let members = people::project_people(conn, project).await?;
    let mut notified: Vec<(UserId, &str)> = Vec::new();
    for handle in &handles {
        if let Some(p) = members.iter().find(|p| p.handle.eq_ignore_ascii_case(handle)) {
            if p.id != actor && !notified.iter().any(|(u, _)| *u == p.id) {
                notified.push((p.id, "mention"));
            }
        }
    }
    for author in reply_to {
        if *author != actor && members.iter().any(|p| p.id == *author) && !notified.iter().any(|(u, _)| u == author) {
            notified.push((*author, "reply"));
        }
    }
    let text = excerpt(body);
    for (user, kind) in &notified {
        let id = Uuid::new_v4();
        diesel::insert_into(notifications::table)
            .values((
                notifications::id.eq(id),
                notifications::user_id.eq(user.0),
                notifications::kind.eq(*kind),
                notifications::actor_id.eq(actor.0),
                notifications::project_id.eq(project.0),
                notifications::asset_id.eq(asset.id),
                notifications::comment_id.eq(comment),
                notifications::excerpt.eq(&text),
            ))
            .execute(conn)
            .await?;
        crate::jobs::queue::enqueue(conn, &crate::mail::NotificationEmail { notification_id: id }).await?;
    }
    Ok(notified.into_iter().map(|(u, _)| u).collect())
}

type Row = (
    Uuid,
    String,
    Option<Uuid>,
    Uuid,
    Option<Uuid>,
    Option<String>,
    Option<Uuid>,
    String,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

/// The caller's notifications, newest first (at most 100).
pub async fn list(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<Vec<NotificationDto>> {
    let rows: Vec<Row> = notifications::table
        .left_join(assets::table.on(assets::id.nullable().eq(notifications::asset_id)))
        .filter(notifications::user_id.eq(user.0))
        .order(notifications::created_at.desc())
        .limit(100)
        .select((
            notifications::id,
            notifications::kind,
            notifications::actor_id,
            notifications::project_id,
            notifications::asset_id,
            assets::name.nullable(),
            notifications::comment_id,
            notifications::excerpt,
            notifications::read_at,
            notifications::created_at,
        ))
        .load(conn)
        .await?;
    let actors: Vec<Uuid> = rows.iter().filter_map(|r| r.2).collect();
    let people = people::by_ids(conn, &actors).await?;
    Ok(rows
        .into_iter()
        .map(|r| NotificationDto {
            id: NotificationId(r.0),
            kind: r.1,
            actor: r.2.and_then(|a| people.iter().find(|p| p.id.0 == a).cloned()),
            project_id: ProjectId(r.3),
            asset_id: r.4.map(AssetId),
            asset_name: r.5,
            comment_id: r.6.map(CommentId),
            excerpt: r.7,
            read: r.8.is_some(),
            created_at: r.9,
        })
        .collect())
}

/// How many unread notifications the caller has.
pub async fn unread(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user.0))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
        .await?)
}

/// Marks all the caller's notifications read.
pub async fn mark_all_read(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<usize> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user.0))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Utc::now()))
    .execute(conn)
    .await?)
}
