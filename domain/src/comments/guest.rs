//! Comments through a review link: a guest reads the comments the link shows (never
//! team-only ones; only their own thread when the link hides others' comments) and writes
//! comments and replies under the name they gave, on the current version.

use super::{one, write, Comment, Context, Writer};
use crate::error::DomainResult;
use crate::schema::comments;
use crate::shares::guest::{self, Access};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::review::{CommentDto, NewComment};
use model::{ApiError, AssetId, ErrorCode, UserId};
use uuid::Uuid;

/// Comment rows on `version` of `asset` that this link's guest may see.
async fn visible(
    conn: &mut AsyncPgConnection,
    access: &Access,
    asset: Uuid,
    version: i32,
) -> DomainResult<Vec<Comment>> {
    let mut query = comments::table
        .filter(comments::asset_id.eq(asset))
        .filter(comments::version.eq(version))
        .filter(comments::private.eq(false))
        .into_boxed();
    if !access.link.show_comments {
        // Their own comments and the replies to them.
        let me = access.guest.as_ref().map_or(Uuid::nil(), |g| g.id);
        let mine: Vec<Uuid> = comments::table
            .filter(comments::asset_id.eq(asset))
            .filter(comments::guest_id.eq(me))
            .select(comments::id)
            .load(conn)
            .await?;
        query = query.filter(comments::guest_id.eq(me).or(comments::parent_id.eq_any(mine)));
    }
    Ok(query
        .order(super::reading_order())
        .select(Comment::as_select())
        .load(conn)
        .await?)
}

/// What a guest is shown of a comment: never the link it came through (that is the team's).
fn for_guest(mut c: CommentDto) -> CommentDto {
    c.via_link = None;
    c
}

/// The comments a guest of the link sees on an asset it covers (its current version).
pub async fn list_for_guest(
    conn: &mut AsyncPgConnection,
    access: &Access,
    asset: AssetId,
) -> DomainResult<Vec<CommentDto>> {
    let (asset, version) = guest::asset(conn, access, asset).await?;
    let rows = visible(conn, access, asset.id, version.number).await?;
    let ctx = Context::load(conn, &asset, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|c| for_guest(ctx.dto(c, UserId(Uuid::nil()))))
        .collect())
}

/// A guest's comment or reply on an asset the link covers: `unauthenticated` before they
/// have given their name, `forbidden` on links that take no comments. Team-only is ignored
/// (guests' comments are for everyone) and the version is always the current one.
pub async fn create_as_guest(
    conn: &mut AsyncPgConnection,
    access: &Access,
    asset: AssetId,
    mut new: NewComment,
) -> DomainResult<CommentDto> {
    let Some(who) = access.guest.as_ref() else {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "give your name on the link's page before commenting",
        )
        .into());
    };
    if !access.link.comments {
        return Err(ApiError::forbidden("this review link does not take comments").into());
    }
    let (asset, version) = guest::asset(conn, access, asset).await?;
    if let Some(parent) = new.parent_id {
        let seen = visible(conn, access, asset.id, version.number).await?;
        if !seen.iter().any(|c| c.id == parent.0) {
            return Err(ApiError::invalid("the comment you reply to is gone").into());
        }
    }
    new.version = Some(version.number);
    new.private = false;
    let writer = Writer::Guest {
        link: &access.link,
        guest: who,
    };
    let id = write(conn, &asset, writer, new).await?;
    Ok(for_guest(one(conn, UserId(Uuid::nil()), &asset, id).await?))
}
