//! Invitations seen from the invited side, for people who already have an account: the
//! inbox tells them when they are invited, lists what is open for their address, and they
//! accept with one click (no e-mailed link needed: they are signed in as that address).

use super::{name_of, Invitation};
use crate::error::{DomainError, DomainResult};
use crate::notifications::{notify, Notice};
use crate::schema::{invitations, projects};
use crate::users::User;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::invitation::MyInvitation;
use model::notification::NotificationKind;
use model::{ApiError, ErrorCode, ProjectId, UserId};
use uuid::Uuid;

/// Tells the invited address's account, if it has one, in its inbox.
pub(super) async fn tell(conn: &mut AsyncPgConnection, invitation: &Invitation, by: UserId) -> DomainResult<()> {
    let Some(account) = User::find_by_email(conn, &invitation.email).await? else {
        return Ok(());
    };
    let project: String = projects::table
        .find(invitation.project_id)
        .select(projects::name)
        .first(conn)
        .await?;
    let excerpt = format!("{project} — as {}", invitation.role);
    notify(
        conn,
        Notice {
            user: account.user_id(),
            kind: NotificationKind::Invitation,
            actor: Some(by),
            project: ProjectId(invitation.project_id),
            asset: None,
            comment: None,
            excerpt: &excerpt,
        },
    )
    .await?;
    Ok(())
}

/// The open (unused, unrevoked, unexpired) invitations to `user`'s address, newest first.
pub async fn pending(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<Vec<MyInvitation>> {
    let account = User::find(conn, user).await?.ok_or_else(ApiError::not_found)?;
    let rows: Vec<(Invitation, String)> = invitations::table
        .inner_join(projects::table)
        .filter(invitations::email.eq(&account.email))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(Utc::now()))
        .order(invitations::sent_at.desc())
        .select((Invitation::as_select(), projects::name))
        .load(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, project_name) in rows {
        out.push(MyInvitation {
            id: i.id,
            project_id: ProjectId(i.project_id),
            project_name,
            role: i.role()?,
            invited_by: name_of(conn, i.invited_by).await?,
            expires_at: i.expires_at,
        });
    }
    Ok(out)
}

/// Accepts invitation `id` as `user`, whose address it must be for.
pub async fn accept(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<ProjectId> {
    let account = User::find(conn, user).await?.ok_or_else(ApiError::not_found)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let invitation: Invitation = invitations::table
            .find(id)
            .select(Invitation::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?
            // Someone else's invitation is as good as none.
            .filter(|i| i.email.eq_ignore_ascii_case(&account.email))
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "there is no such invitation for you"))?;
        invitation.check_open()?;
        super::consume(conn, &invitation, user).await
    })
    .await
}
