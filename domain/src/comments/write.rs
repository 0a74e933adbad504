//! Writing a comment or reply: positions checked against the media (frames only on videos
//! and inside the clip, pins inside the picture, drawings well formed), then the row, its
//! audit row, notifications and live event in one transaction — for members and guests alike.

use super::{annotation, announce, clean_body, one, unit};
use crate::assets::{self, Asset, Version};
use crate::audit;
use crate::error::{DomainError, DomainResult};
use crate::notifications;
use crate::schema::comments;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::MediaType;
use model::live::kind;
use model::notification::NotificationKind;
use model::permission::Action;
use model::review::{CommentDto, NewComment};
use model::{ApiError, AssetId, ProjectId, UserId};
use uuid::Uuid;

/// Who writes a comment: a member, or a share-link guest (no account).
#[derive(Clone, Copy)]
pub(crate) enum Writer<'a> {
    /// A project member.
    Member(UserId),
    /// A guest of `link` under the name they gave.
    Guest {
        /// The link.
        link: &'a crate::shares::Link,
        /// Their guest session.
        guest: &'a crate::shares::guest::Guest,
    },
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
    let id = write(conn, &asset, Writer::Member(user), new).await?;
    one(conn, user, &asset, id).await
}

/// Checks and stores a new comment by `writer` on `asset` in one transaction with its audit
/// row, notifications (members' comments) and live event; returns its id.
pub(crate) async fn write(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    writer: Writer<'_>,
    new: NewComment,
) -> DomainResult<Uuid> {
    let body = clean_body(&new.body)?;
    let version = assets::version(conn, asset, new.version).await?;
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
    let (author, guest_id, guest_name, private) = match writer {
        Writer::Member(user) => (Some(user.0), None, None, new.private),
        // Guests cannot write team-only comments.
        Writer::Guest { guest, .. } => (None, Some(guest.id), Some(guest.name.as_str()), false),
    };
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::insert_into(comments::table)
            .values((
                comments::id.eq(id),
                comments::asset_id.eq(asset.id),
                comments::version.eq(version.number),
                comments::parent_id.eq(parent.as_ref().map(|p| p.0)),
                comments::author_id.eq(author),
                comments::guest_id.eq(guest_id),
                comments::guest_name.eq(guest_name),
                comments::body.eq(&body),
                comments::frame_in.eq(frame_in),
                comments::frame_out.eq(frame_out),
                comments::x.eq(x),
                comments::y.eq(y),
                comments::w.eq(w),
                comments::h.eq(h),
                comments::annotation.eq(&annotation),
                comments::private.eq(private),
            ))
            .execute(conn)
            .await?;
        let detail = serde_json::json!({ "asset": asset.id, "frame_in": frame_in, "frame_out": frame_out });
        match writer {
            Writer::Member(user) => {
                audit::record(conn, project, user, "comment.create", id, detail).await?;
                let reply_to = parent.as_ref().map(|p| p.1.as_slice()).unwrap_or_default();
                let notified =
                    notifications::for_comment(conn, project, user, asset, version.number, id, &body, reply_to).await?;
                announce(conn, asset, user, kind::COMMENT_CREATED, id, &notified).await
            }
            Writer::Guest { link, guest } => {
                audit::record_guest(conn, project, link.id, &guest.name, "comment.create", id, detail).await?;
                let text = notifications::excerpt(&format!("{}: {body}", guest.name));
                let notified = notifications::from_guest(
                    conn,
                    asset,
                    version.number,
                    link.created_by,
                    NotificationKind::ShareComment,
                    Some(id),
                    &text,
                )
                .await?;
                announce(conn, asset, None, kind::COMMENT_CREATED, id, &notified).await
            }
        }
    })
    .await?;
    tracing::info!(comment.id = %id, asset.id = %asset.id, "comment created");
    Ok(id)
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
