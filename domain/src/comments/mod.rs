//! Comments on assets: time-coded (a frame or a range), pinned (a point or a rectangle),
//! drawn on (an annotation), threaded one level deep, resolvable, with emoji reactions and
//! `@mentions` that notify. Share-link guests write them too ([`guest`]).

mod guest;
mod write;
pub use guest::{create_as_guest, list_for_guest};
pub use write::create;
pub(crate) use write::{write, Writer};

use crate::assets::{self, Asset, Version};
use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::people;
use crate::schema::{comment_reactions, comments, share_guests, share_links};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::annotation::Annotation;
use model::live::kind;
use model::permission::{Action, Ownership};
use model::review::{CommentDto, CommentPatch, Person, ReactionDto, REACTIONS};
use model::timecode::{clip_start, Timecode};
use model::{ApiError, AssetId, CommentId, ProjectId, UserId};
use std::collections::HashMap;
use uuid::Uuid;

/// A row of `comments`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct Comment {
    /// Id.
    pub id: Uuid,
    /// Asset.
    pub asset_id: Uuid,
    /// Version written on.
    pub version: i32,
    /// Thread parent.
    pub parent_id: Option<Uuid>,
    /// Author.
    pub author_id: Option<Uuid>,
    /// Text.
    pub body: String,
    /// First frame.
    pub frame_in: Option<i64>,
    /// Last frame.
    pub frame_out: Option<i64>,
    /// Pin x.
    pub x: Option<f64>,
    /// Pin y.
    pub y: Option<f64>,
    /// Rectangle width.
    pub w: Option<f64>,
    /// Rectangle height.
    pub h: Option<f64>,
    /// Drawing.
    pub annotation: Option<serde_json::Value>,
    /// Team-only.
    pub private: bool,
    /// Resolved when.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Resolved by.
    pub resolved_by: Option<Uuid>,
    /// Edited when.
    pub edited_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// The share-link guest session that wrote it.
    pub guest_id: Option<Uuid>,
    /// The name that guest gave.
    pub guest_name: Option<String>,
}

const MAX_BODY: usize = 10_000;

fn clean_body(body: &str) -> DomainResult<String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ApiError::invalid("write something first").into());
    }
    if body.chars().count() > MAX_BODY {
        return Err(ApiError::invalid("a comment holds at most 10000 characters").into());
    }
    Ok(body.to_owned())
}

fn unit(name: &str, v: Option<f64>) -> DomainResult<Option<f64>> {
    match v {
        Some(v) if !(0.0..=1.0).contains(&v) || !v.is_finite() => {
            Err(ApiError::invalid(format!("{name} must be between 0 and 1 (a fraction of the picture)")).into())
        }
        v => Ok(v.map(model::annotation::quantise)),
    }
}

fn annotation(a: Option<Annotation>) -> DomainResult<Option<serde_json::Value>> {
    let Some(a) = a else { return Ok(None) };
    let a = a.validated().map_err(|e| ApiError::invalid(e.to_string()))?;
    if a.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        serde_json::to_value(a).map_err(|e| DomainError::Internal(e.to_string()))?,
    ))
}

/// The comment and its asset, checked against `action` (with ownership for edits and deletes).
async fn authorized(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CommentId,
    action: Action,
) -> DomainResult<(Comment, Asset)> {
    let comment: Comment = comments::table
        .find(id.0)
        .select(Comment::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    let asset = assets::find(conn, AssetId(comment.asset_id)).await?;
    let ownership = if comment.author_id == Some(user.0) {
        Ownership::Mine
    } else {
        Ownership::NotMine
    };
    authorize(conn, user, ProjectId(asset.project_id), action, ownership).await?;
    Ok((comment, asset))
}

/// Everything needed to turn rows into DTOs: people, reactions, timecode bases, handles.
struct Context {
    people: HashMap<Uuid, Person>,
    reactions: HashMap<Uuid, Vec<(String, Uuid)>>,
    versions: Vec<Version>,
    handles: Vec<String>,
    /// The link each guest comment came through, by guest session.
    links: HashMap<Uuid, String>,
}

impl Context {
    async fn load(conn: &mut AsyncPgConnection, asset: &Asset, rows: &[Comment]) -> DomainResult<Context> {
        let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
        let reactions: Vec<(Uuid, String, Uuid)> = comment_reactions::table
            .filter(comment_reactions::comment_id.eq_any(&ids))
            .order(comment_reactions::created_at.asc())
            .select((
                comment_reactions::comment_id,
                comment_reactions::emoji,
                comment_reactions::user_id,
            ))
            .load(conn)
            .await?;
        let mut by_comment: HashMap<Uuid, Vec<(String, Uuid)>> = HashMap::new();
        for (c, e, u) in reactions {
            by_comment.entry(c).or_default().push((e, u));
        }
        let people = people::project_people(conn, ProjectId(asset.project_id)).await?;
        let mut people: HashMap<Uuid, Person> = people.into_iter().map(|p| (p.id.0, p)).collect();
        let missing: Vec<Uuid> = rows
            .iter()
            .flat_map(|c| [c.author_id, c.resolved_by])
            .flatten()
            .filter(|id| !people.contains_key(id))
            .collect();
        for p in people::by_ids(conn, &missing).await? {
            people.insert(p.id.0, p);
        }
        let handles = people.values().map(|p| p.handle.to_lowercase()).collect();
        let guests: Vec<Uuid> = rows.iter().filter_map(|c| c.guest_id).collect();
        let links = if guests.is_empty() {
            HashMap::new()
        } else {
            share_guests::table
                .inner_join(share_links::table)
                .filter(share_guests::id.eq_any(&guests))
                .select((share_guests::id, share_links::name))
                .load::<(Uuid, String)>(conn)
                .await?
                .into_iter()
                .collect()
        };
        Ok(Context {
            people,
            reactions: by_comment,
            versions: assets::versions(conn, asset.id).await?,
            handles,
            links,
        })
    }

    fn person(&self, id: Option<Uuid>) -> Person {
        id.and_then(|id| self.people.get(&id).cloned())
            .unwrap_or_else(|| Person {
                id: UserId(Uuid::nil()),
                name: "Deleted user".into(),
                handle: String::new(),
            })
    }

    fn dto(&self, c: Comment, caller: UserId) -> CommentDto {
        let meta = self
            .versions
            .iter()
            .find(|v| v.number == c.version)
            .map(Version::metadata)
            .unwrap_or_default();
        let label = |frame: Option<i64>| {
            let rate = meta.frame_rate?;
            let (start, drop) = clip_start(meta.start_timecode.as_deref(), rate);
            frame.map(|f| Timecode::new(f, rate).smpte(start, drop))
        };
        let mut reactions: Vec<ReactionDto> = Vec::new();
        for (emoji, user) in self.reactions.get(&c.id).into_iter().flatten() {
            match reactions.iter_mut().find(|r| &r.emoji == emoji) {
                Some(r) => {
                    r.count += 1;
                    r.mine |= *user == caller.0;
                    r.users.push(UserId(*user));
                }
                None => reactions.push(ReactionDto {
                    emoji: emoji.clone(),
                    count: 1,
                    mine: *user == caller.0,
                    users: vec![UserId(*user)],
                }),
            }
        }
        let handles = &self.handles;
        let guest = c.guest_name.is_some();
        let author = match &c.guest_name {
            Some(name) => Person {
                id: UserId(Uuid::nil()),
                name: name.clone(),
                handle: String::new(),
            },
            None => self.person(c.author_id),
        };
        CommentDto {
            guest,
            via_link: c.guest_id.and_then(|g| self.links.get(&g).cloned()),
            id: CommentId(c.id),
            asset_id: AssetId(c.asset_id),
            version: c.version,
            parent_id: c.parent_id.map(CommentId),
            author,
            body_html: model::markup::render(&c.body, &|h| handles.contains(&h.to_lowercase())),
            body: c.body,
            timecode_in: label(c.frame_in),
            timecode_out: label(c.frame_out),
            frame_in: c.frame_in,
            frame_out: c.frame_out,
            x: c.x,
            y: c.y,
            w: c.w,
            h: c.h,
            annotation: c.annotation.and_then(|a| serde_json::from_value(a).ok()),
            private: c.private,
            resolved: c.resolved_at.is_some(),
            resolved_by: c.resolved_by.map(|id| self.person(Some(id))),
            reactions,
            created_at: c.created_at,
            edited_at: c.edited_at,
        }
    }
}

/// Comments as a list shows them: by frame (whole-asset comments first), then time.
#[diesel::dsl::auto_type]
fn reading_order() -> _ {
    (
        comments::frame_in.asc().nulls_first(),
        comments::created_at.asc(),
        comments::id.asc(),
    )
}

/// Every comment on an asset (all versions), ordered by frame (whole-asset comments first),
/// then time; replies follow in the same order and carry `parent_id`.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, asset: AssetId) -> DomainResult<Vec<CommentDto>> {
    let asset = assets::authorized(conn, user, asset, Action::View).await?;
    let rows: Vec<Comment> = comments::table
        .filter(comments::asset_id.eq(asset.id))
        .order(reading_order())
        .select(Comment::as_select())
        .load(conn)
        .await?;
    let ctx = Context::load(conn, &asset, &rows).await?;
    Ok(rows.into_iter().map(|c| ctx.dto(c, user)).collect())
}

async fn one(conn: &mut AsyncPgConnection, user: UserId, asset: &Asset, id: Uuid) -> DomainResult<CommentDto> {
    let row: Comment = comments::table
        .find(id)
        .select(Comment::as_select())
        .first(conn)
        .await?;
    let ctx = Context::load(conn, asset, std::slice::from_ref(&row)).await?;
    Ok(ctx.dto(row, user))
}

/// Publishes `kind` about comment `id` (read inside the change's transaction) as a neutral
/// viewer sees it: `reactions[].mine` is false, `reactions[].users` says who.
async fn announce(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    actor: impl Into<Option<UserId>>,
    kind: &'static str,
    id: Uuid,
    notified: &[UserId],
) -> DomainResult<()> {
    let comment = one(conn, UserId(Uuid::nil()), asset, id).await?;
    let private = comment.private;
    let mut payload = serde_json::json!({ "comment": comment });
    if !notified.is_empty() {
        payload["notified"] = serde_json::json!(notified);
    }
    let event = NewEvent::about(
        ProjectId(asset.project_id),
        Some(AssetId(asset.id)),
        actor.into(),
        kind,
        payload,
    )?;
    events::publish(conn, event.private(private)).await?;
    Ok(())
}

/// Edits a comment's text or drawing (the author; owners any comment).
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CommentId,
    patch: CommentPatch,
) -> DomainResult<CommentDto> {
    let (comment, asset) = authorized(conn, user, id, Action::EditComment).await?;
    let body = patch.body.as_deref().map(clean_body).transpose()?;
    let new_annotation = if patch.clear_annotation {
        Some(None)
    } else {
        patch.annotation.map(|a| annotation(Some(a))).transpose()?
    };
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::update(comments::table.find(comment.id))
            .set((
                comments::body.eq(body.as_deref().unwrap_or(&comment.body)),
                comments::annotation.eq(new_annotation.clone().unwrap_or(comment.annotation.clone())),
                comments::edited_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            ProjectId(asset.project_id),
            user,
            "comment.update",
            comment.id,
            serde_json::json!({ "before": comment.body, "after": body }),
        )
        .await?;
        announce(conn, &asset, user, kind::COMMENT_UPDATED, comment.id, &[]).await
    })
    .await?;
    one(conn, user, &asset, comment.id).await
}

/// Deletes a comment and its replies (the author; owners any comment).
pub async fn delete(conn: &mut AsyncPgConnection, user: UserId, id: CommentId) -> DomainResult<()> {
    let (comment, asset) = authorized(conn, user, id, Action::DeleteComment).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::delete(comments::table.find(comment.id)).execute(conn).await?;
        audit::record(
            conn,
            ProjectId(asset.project_id),
            user,
            "comment.delete",
            comment.id,
            serde_json::json!({ "asset": asset.id, "author": comment.author_id, "body": comment.body }),
        )
        .await?;
        let event = NewEvent::about(
            ProjectId(asset.project_id),
            Some(AssetId(asset.id)),
            Some(user),
            kind::COMMENT_DELETED,
            serde_json::json!({ "comment_id": comment.id, "parent_id": comment.parent_id }),
        )?;
        events::publish(conn, event.private(comment.private)).await?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Resolves or reopens a thread (anyone who may comment).
pub async fn resolve(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CommentId,
    resolved: bool,
) -> DomainResult<CommentDto> {
    let (comment, asset) = authorized(conn, user, id, Action::Comment).await?;
    let (at, by) = if resolved {
        (Some(Utc::now()), Some(user.0))
    } else {
        (None, None)
    };
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::update(comments::table.find(comment.id))
            .set((comments::resolved_at.eq(at), comments::resolved_by.eq(by)))
            .execute(conn)
            .await?;
        let action = if resolved { "comment.resolve" } else { "comment.reopen" };
        audit::record(
            conn,
            ProjectId(asset.project_id),
            user,
            action,
            comment.id,
            serde_json::json!({}),
        )
        .await?;
        announce(conn, &asset, user, kind::COMMENT_RESOLVED, comment.id, &[]).await
    })
    .await?;
    one(conn, user, &asset, comment.id).await
}

/// Toggles the caller's reaction `emoji` on a comment.
pub async fn react(conn: &mut AsyncPgConnection, user: UserId, id: CommentId, emoji: &str) -> DomainResult<CommentDto> {
    let (comment, asset) = authorized(conn, user, id, Action::Comment).await?;
    if !REACTIONS.contains(&emoji) {
        return Err(ApiError::invalid(format!("react with one of {}", REACTIONS.join(" "))).into());
    }
    conn.transaction::<_, DomainError, _>(async |conn| {
        let removed = diesel::delete(comment_reactions::table.find((comment.id, user.0, emoji)))
            .execute(conn)
            .await?;
        if removed == 0 {
            diesel::insert_into(comment_reactions::table)
                .values((
                    comment_reactions::comment_id.eq(comment.id),
                    comment_reactions::user_id.eq(user.0),
                    comment_reactions::emoji.eq(emoji),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
        }
        announce(conn, &asset, user, kind::REACTION_CHANGED, comment.id, &[]).await
    })
    .await?;
    one(conn, user, &asset, comment.id).await
}
