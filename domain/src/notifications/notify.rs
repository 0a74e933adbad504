//! Who is told of what. Every function runs inside the change's transaction; nobody is told
//! of their own action; only current members of the project are told; each person gets at
//! most one notification per change (a mention wins over a reply, a reply over a comment).

use super::{excerpt, settings};
use crate::assets::Asset;
use crate::error::DomainResult;
use crate::people;
use crate::schema::{asset_versions, comments, notifications};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::notification::{Delivery, NotificationKind};
use model::review::Person;
use model::{ProjectId, UserId};
use uuid::Uuid;

/// One notification to write.
pub struct Notice<'a> {
    /// Who is told.
    pub user: UserId,
    /// Of what.
    pub kind: NotificationKind,
    /// By whom (none for guests and the system).
    pub actor: Option<UserId>,
    /// Where.
    pub project: ProjectId,
    /// About which asset.
    pub asset: Option<Uuid>,
    /// About which comment.
    pub comment: Option<Uuid>,
    /// A short text.
    pub excerpt: &'a str,
}

/// Writes `n` as its recipient chose for its kind (and enqueues its e-mail when they want it
/// at once); false when they turned the kind off.
pub async fn notify(conn: &mut AsyncPgConnection, n: Notice<'_>) -> DomainResult<bool> {
    let delivery = settings::delivery(conn, n.user, n.kind).await?;
    if delivery == Delivery::Off {
        return Ok(false);
    }
    let id = Uuid::new_v4();
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(id),
            notifications::user_id.eq(n.user.0),
            notifications::kind.eq(n.kind.as_str()),
            notifications::actor_id.eq(n.actor.map(|a| a.0)),
            notifications::project_id.eq(n.project.0),
            notifications::asset_id.eq(n.asset),
            notifications::comment_id.eq(n.comment),
            notifications::excerpt.eq(n.excerpt),
            notifications::delivery.eq(delivery.as_str()),
        ))
        .execute(conn)
        .await?;
    if delivery == Delivery::Email {
        crate::jobs::queue::enqueue(conn, &crate::mail::NotificationEmail { notification_id: id }).await?;
    }
    Ok(true)
}

/// Tells each of `people` who is among `members` (not the actor, each once) of `kind`;
/// returns who was told.
async fn tell(
    conn: &mut AsyncPgConnection,
    members: &[Person],
    people: &[(UserId, NotificationKind)],
    actor: Option<UserId>,
    asset: &Asset,
    comment: Option<Uuid>,
    text: &str,
) -> DomainResult<Vec<UserId>> {
    let project = ProjectId(asset.project_id);
    let mut told: Vec<UserId> = Vec::new();
    for (user, kind) in people {
        if Some(*user) == actor || told.contains(user) || !members.iter().any(|m| m.id == *user) {
            continue;
        }
        let notice = Notice {
            user: *user,
            kind: *kind,
            actor,
            project,
            asset: Some(asset.id),
            comment,
            excerpt: text,
        };
        if notify(conn, notice).await? {
            told.push(*user);
        }
    }
    Ok(told)
}

/// Who uploaded `version` of `asset`.
async fn uploader(conn: &mut AsyncPgConnection, asset: Uuid, version: i32) -> DomainResult<Option<UserId>> {
    Ok(asset_versions::table
        .filter(asset_versions::asset_id.eq(asset))
        .filter(asset_versions::number.eq(version))
        .select(asset_versions::uploaded_by)
        .first::<Option<Uuid>>(conn)
        .await
        .optional()?
        .flatten()
        .map(UserId))
}

/// A member's comment: the members `@mentioned` in `body`, the authors replied to (the
/// thread's starter and the comment answered), and the uploader of the version commented on.
/// Returns who was told.
#[expect(clippy::too_many_arguments, reason = "one comment's facts, all needed")]
pub async fn for_comment(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    actor: UserId,
    asset: &Asset,
    version: i32,
    comment: Uuid,
    body: &str,
    reply_to: &[UserId],
) -> DomainResult<Vec<UserId>> {
    let members = people::project_people(conn, project).await?;
    let mut people: Vec<(UserId, NotificationKind)> = model::markup::mentions(body)
        .iter()
        .filter_map(|h| members.iter().find(|p| p.handle.eq_ignore_ascii_case(h)))
        .map(|p| (p.id, NotificationKind::Mention))
        .collect();
    people.extend(reply_to.iter().map(|u| (*u, NotificationKind::Reply)));
    if let Some(u) = uploader(conn, asset.id, version).await? {
        people.push((u, NotificationKind::Comment));
    }
    tell(
        conn,
        &members,
        &people,
        Some(actor),
        asset,
        Some(comment),
        &excerpt(body),
    )
    .await
}

/// A guest's `kind` of act (a comment, a verdict) through link `link_owner`'s review
/// link: its maker and the uploader are told.
pub async fn from_guest(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    version: i32,
    link_owner: Option<Uuid>,
    kind: NotificationKind,
    comment: Option<Uuid>,
    text: &str,
) -> DomainResult<Vec<UserId>> {
    let mut people: Vec<(UserId, NotificationKind)> = link_owner.map(|u| (UserId(u), kind)).into_iter().collect();
    if let Some(u) = uploader(conn, asset.id, version).await? {
        people.push((u, kind));
    }
    let members = people::project_people(conn, ProjectId(asset.project_id)).await?;
    tell(conn, &members, &people, None, asset, comment, text).await
}

/// A change to an upload (`Status`, `Approval`): its uploader is told.
pub async fn about_upload(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    version: i32,
    actor: UserId,
    kind: NotificationKind,
    text: &str,
) -> DomainResult<Vec<UserId>> {
    let Some(u) = uploader(conn, asset.id, version).await? else {
        return Ok(Vec::new());
    };
    let members = people::project_people(conn, ProjectId(asset.project_id)).await?;
    tell(conn, &members, &[(u, kind)], Some(actor), asset, None, text).await
}

/// A new version of `asset`: the uploaders of its earlier versions and the people who
/// commented on it are told.
pub async fn for_new_version(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    number: i32,
    actor: UserId,
) -> DomainResult<Vec<UserId>> {
    let mut people: Vec<Uuid> = asset_versions::table
        .filter(asset_versions::asset_id.eq(asset.id))
        .filter(asset_versions::number.lt(number))
        .select(asset_versions::uploaded_by)
        .load::<Option<Uuid>>(conn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    people.extend(
        comments::table
            .filter(comments::asset_id.eq(asset.id))
            .select(comments::author_id)
            .distinct()
            .load::<Option<Uuid>>(conn)
            .await?
            .into_iter()
            .flatten(),
    );
    let people: Vec<(UserId, NotificationKind)> = people
        .into_iter()
        .map(|u| (UserId(u), NotificationKind::Version))
        .collect();
    let text = format!("{} — version {number}", asset.name);
    let members = people::project_people(conn, ProjectId(asset.project_id)).await?;
    tell(conn, &members, &people, Some(actor), asset, None, &text).await
}
