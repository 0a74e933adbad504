//! Comments on assets: time-coded (a frame or a range), pinned (a point or a rectangle),
//! drawn on (an annotation), threaded one level deep, resolvable, with emoji reactions and
//! `@mentions` that notify.

use crate::assets::{self, Asset, Version};
use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::notifications;
use crate::people;
use crate::schema::{comment_reactions, comments};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::annotation::Annotation;
use model::asset::MediaType;
use model::live::kind;
use model::permission::{Action, Ownership};
use model::review::{CommentDto, CommentPatch, NewComment, Person, ReactionDto, REACTIONS};
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
        Ok(Context {
            people,
            reactions: by_comment,
            versions: assets::versions(conn, asset.id).await?,
            handles,
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
        CommentDto {
            id: CommentId(c.id),
            asset_id: AssetId(c.asset_id),
            version: c.version,
            parent_id: c.parent_id.map(CommentId),
            author: self.person(c.author_id),
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

/// Every comment on an asset (all versions), ordered by frame (whole-asset comments first),
/// then time; replies follow in the same order and carry `parent_id`.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, asset: AssetId) -> DomainResult<Vec<CommentDto>> {
    let asset = assets::authorized(conn, user, asset, Action::View).await?;
    let rows: Vec<Comment> = comments::table
        .filter(comments::asset_id.eq(asset.id))
        .order((
            comments::frame_in.asc().nulls_first(),
            comments::created_at.asc(),
            comments::id.asc(),
        ))
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
    actor: UserId,
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
        Some(actor),
        kind,
        payload,
    )?;
    events::publish(conn, event.private(private)).await?;
    Ok(())
}

/// Writes a comment (or a reply). Checks the position against the media: frames only on
/// videos and within the clip, pins inside the picture, drawings well formed.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    new: NewComment,
) -> DomainResult<CommentDto> {
    let asset = assets::authorized(conn, user, asset, Action::Comment).await?;
    let body = clean_body(&new.body)?;
    let version = assets::version(conn, &asset, new.version).await?;
    let media = MediaType::parse(&asset.media_type).unwrap_or(MediaType::Image);
    let (frame_in, frame_out) = frames(media, &version, new.frame_in, new.frame_out)?;
    let (x, y, w, h) = (
        unit("x", new.x)?,
        unit("y", new.y)?,
        unit("w", new.w)?,
        unit("h", new.h)?,
    );
    if x.is_some() != y.is_some() || w.is_some() != h.is_some() || (w.is_some() && x.is_none()) {
        return Err(ApiError::invalid("a pin needs x and y; a rectangle needs x, y, w and h").into());
    }
    let annotation = annotation(new.annotation)?;
    let parent = match new.parent_id {
        None => None,
        Some(p) => {
            let parent: Option<(Uuid, Option<Uuid>, Option<Uuid>)> = comments::table
                .find(p.0)
                .filter(comments::asset_id.eq(asset.id))
                .select((comments::id, comments::parent_id, comments::author_id))
                .first(conn)
                .await
                .optional()?;
            let (id, grandparent, author) =
                parent.ok_or_else(|| ApiError::invalid("the comment you reply to is gone"))?;
            // Replies to replies join the same thread; its starter hears of them too.
            let starter = match grandparent {
                Some(g) => {
                    comments::table
                        .find(g)
                        .select(comments::author_id)
                        .first::<Option<Uuid>>(conn)
                        .await?
                }
                None => author,
            };
            let told: Vec<UserId> = [starter, author].into_iter().flatten().map(UserId).collect();
            Some((grandparent.unwrap_or(id), told))
        }
    };
    let id = Uuid::new_v4();
    let project = ProjectId(asset.project_id);
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::insert_into(comments::table)
            .values((
                comments::id.eq(id),
                comments::asset_id.eq(asset.id),
                comments::version.eq(version.number),
                comments::parent_id.eq(parent.as_ref().map(|p| p.0)),
                comments::author_id.eq(user.0),
                comments::body.eq(&body),
                comments::frame_in.eq(frame_in),
                comments::frame_out.eq(frame_out),
                comments::x.eq(x),
                comments::y.eq(y),
                comments::w.eq(w),
                comments::h.eq(h),
                comments::annotation.eq(&annotation),
                comments::private.eq(new.private),
            ))
            .execute(conn)
            .await?;
        audit::record(
            conn,
            project,
            user,
            "comment.create",
            id,
            serde_json::json!({ "asset": asset.id, "frame_in": frame_in, "frame_out": frame_out }),
        )
        .await?;
        let reply_to = parent.as_ref().map(|p| p.1.as_slice()).unwrap_or_default();
        let notified = notifications::for_comment(conn, project, user, &asset, id, &body, reply_to).await?;
        announce(conn, &asset, user, kind::COMMENT_CREATED, id, &notified).await
    })
    .await?;
    tracing::info!(comment.id = %id, asset.id = %asset.id, "comment created");
    one(conn, user, &asset, id).await
}

fn frames(
    media: MediaType,
    version: &Version,
    frame_in: Option<i64>,
    frame_out: Option<i64>,
) -> DomainResult<(Option<i64>, Option<i64>)> {
    match (frame_in, frame_out) {
        (None, None) => Ok((None, None)),
        (None, Some(_)) => Err(ApiError::invalid("a range needs frame_in as well as frame_out").into()),
        (Some(_), _) if media == MediaType::Image => {
            Err(ApiError::invalid("photos have no frames; pin the comment with x and y instead").into())
        }
        (Some(i), out) => {
            let count = version.metadata().frame_count.map(|c| c as i64);
            let last = count.map(|c| c - 1);
            let inside = |f: i64| f >= 0 && last.is_none_or(|l| f <= l);
            if !inside(i) || out.is_some_and(|o| !inside(o)) {
                return Err(ApiError::invalid(match last {
                    Some(l) => format!("frames run from 0 to {l}"),
                    None => "frames start at 0".into(),
                })
                .into());
            }
            match out {
                Some(o) if o < i => Err(ApiError::invalid("frame_out must not be before frame_in").into()),
                Some(o) if o == i => Ok((Some(i), None)),
                out => Ok((Some(i), out)),
            }
        }
    }
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
