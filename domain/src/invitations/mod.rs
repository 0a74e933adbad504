//! Invitations by e-mail: an owner invites an address with a role; the person gets a 7-day,
//! single-use link (only its SHA-256 is stored) by e-mail; accepting it signs them in — with
//! a new account if they have none — and makes them a member. Pending invitations are listed,
//! resent (a new link) and revoked; used, revoked and expired links are refused with a reason.

use crate::audit;
use crate::auth::sessions::{self, ClientInfo, NewSession};
use crate::auth::{password, secret};
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::mail::{self, Outgoing};
use crate::schema::{invitations, projects, users};
use crate::settings::Settings;
use crate::users::{NewUser, User};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::invitation::{AcceptRequest, InvitationDto, InvitationInfo, InviteRequest, INVITATION_DAYS};
use model::permission::{Action, Ownership};
use model::validate::{self, Email};
use model::{ApiError, ErrorCode, ProjectId, Role, UserId};
use uuid::Uuid;

pub mod mine;

/// A row of `invitations`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = invitations)]
struct Invitation {
    id: Uuid,
    project_id: Uuid,
    email: String,
    role: String,
    invited_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    sent_at: DateTime<Utc>,
    sent_count: i32,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl Invitation {
    fn role(&self) -> DomainResult<Role> {
        self.role
            .parse::<Role>()
            .map_err(|e| DomainError::Internal(e.to_string()))
    }

    /// Refuses a link that was used, revoked or has expired, saying which.
    fn check_open(&self) -> DomainResult<()> {
        let reason = if self.accepted_at.is_some() {
            "this invitation was already used; sign in to open the project"
        } else if self.revoked_at.is_some() {
            "this invitation was withdrawn; ask the project's owner for a new one"
        } else if self.expires_at <= Utc::now() {
            "this invitation has expired; ask the project's owner to send it again"
        } else {
            return Ok(());
        };
        Err(ApiError::new(ErrorCode::Gone, reason).into())
    }
}

async fn name_of(conn: &mut AsyncPgConnection, user: Option<Uuid>) -> DomainResult<Option<String>> {
    let Some(user) = user else { return Ok(None) };
    Ok(users::table
        .find(user)
        .select(users::name)
        .first(conn)
        .await
        .optional()?)
}

async fn dto(conn: &mut AsyncPgConnection, i: Invitation) -> DomainResult<InvitationDto> {
    Ok(InvitationDto {
        id: i.id,
        role: i.role()?,
        invited_by: name_of(conn, i.invited_by).await?,
        expired: i.expires_at <= Utc::now(),
        email: i.email,
        created_at: i.created_at,
        sent_at: i.sent_at,
        sent_count: i.sent_count,
        expires_at: i.expires_at,
    })
}

/// Writes the invitation e-mail carrying `token` (in the caller's transaction).
async fn send(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    invitation: &Invitation,
    inviter: UserId,
    token: &str,
) -> DomainResult<()> {
    let project: String = projects::table
        .find(invitation.project_id)
        .select(projects::name)
        .first(conn)
        .await?;
    let who = name_of(conn, Some(inviter.0))
        .await?
        .unwrap_or_else(|| "Someone".into());
    let role = invitation.role()?;
    let link = format!("{}/invite/{token}", settings.public_url.trim_end_matches('/'));
    let body = format!(
        "{who} invited you to review \"{project}\" on Dailies as {} ({}).\n\n\
         Accept the invitation: {link}\n\n\
         The link works once, until {}.\n\n— Dailies\n",
        role.label().to_lowercase(),
        match role {
            Role::Owner => "full control",
            Role::Editor => "upload, organise and share",
            Role::Commenter => "comment, draw and rate",
            Role::Viewer => "view only",
        },
        invitation.expires_at.format("%Y-%m-%d %H:%M UTC"),
    );
    mail::queue(
        conn,
        Outgoing {
            source: format!("invitation:{}:{}", invitation.id, invitation.sent_count),
            kind: "invitation",
            to_email: &invitation.email,
            to_name: None,
            subject: format!("{who} invited you to \"{project}\" on Dailies"),
            body,
        },
    )
    .await
}

/// Invites `req.email` to `project` as `req.role` (owners only) and e-mails the link. Inviting
/// an address that already has an open invitation sends it again with the new role.
pub async fn invite(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    caller: UserId,
    project: ProjectId,
    req: &InviteRequest,
) -> DomainResult<InvitationDto> {
    authorize(conn, caller, project, Action::ManageMembers, Ownership::NotMine).await?;
    let email = Email::try_from(req.email.as_str())?;
    let member: i64 = crate::schema::project_members::table
        .inner_join(users::table)
        .filter(crate::schema::project_members::project_id.eq(project.0))
        .filter(users::email.eq(email.as_str()))
        .count()
        .get_result(conn)
        .await?;
    if member > 0 {
        return Err(DomainError::api(
            ErrorCode::AlreadyMember,
            "that person is already a member",
        ));
    }
    let token = secret::random_token(32);
    let expires = Utc::now() + Duration::days(INVITATION_DAYS);
    let invitation = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let open: Option<Uuid> = invitations::table
                .filter(invitations::project_id.eq(project.0))
                .filter(invitations::email.eq(email.as_str()))
                .filter(invitations::accepted_at.is_null())
                .filter(invitations::revoked_at.is_null())
                .select(invitations::id)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let invitation: Invitation = match open {
                Some(id) => {
                    diesel::update(invitations::table.find(id))
                        .set((
                            invitations::role.eq(req.role.as_str()),
                            invitations::token_hash.eq(secret::hash(&token)),
                            invitations::invited_by.eq(caller.0),
                            invitations::sent_at.eq(Utc::now()),
                            invitations::sent_count.eq(invitations::sent_count + 1),
                            invitations::expires_at.eq(expires),
                        ))
                        .returning(Invitation::as_returning())
                        .get_result(conn)
                        .await?
                }
                None => {
                    diesel::insert_into(invitations::table)
                        .values((
                            invitations::id.eq(Uuid::new_v4()),
                            invitations::project_id.eq(project.0),
                            invitations::email.eq(email.as_str()),
                            invitations::role.eq(req.role.as_str()),
                            invitations::token_hash.eq(secret::hash(&token)),
                            invitations::invited_by.eq(caller.0),
                            invitations::expires_at.eq(expires),
                        ))
                        .returning(Invitation::as_returning())
                        .get_result(conn)
                        .await?
                }
            };
            let detail = serde_json::json!({ "email": invitation.email, "role": invitation.role, "sent": invitation.sent_count });
            audit::record(conn, project, caller, "invitation.create", invitation.id, detail).await?;
            send(conn, settings, &invitation, caller, &token).await?;
            mine::tell(conn, &invitation, caller).await?;
            Ok(invitation)
        })
        .await?;
    tracing::info!(project.id = %project, invitation.id = %invitation.id, "invitation sent");
    dto(conn, invitation).await
}

/// The project's open invitations (expired ones included: they can be resent), newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    caller: UserId,
    project: ProjectId,
) -> DomainResult<Vec<InvitationDto>> {
    authorize(conn, caller, project, Action::ManageMembers, Ownership::NotMine).await?;
    let rows: Vec<Invitation> = invitations::table
        .filter(invitations::project_id.eq(project.0))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .order(invitations::created_at.desc())
        .select(Invitation::as_select())
        .load(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(dto(conn, r).await?);
    }
    Ok(out)
}

/// An open invitation of a project the caller manages, locked for the change.
async fn managed(conn: &mut AsyncPgConnection, caller: UserId, id: Uuid) -> DomainResult<Invitation> {
    let invitation: Invitation = invitations::table
        .find(id)
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .select(Invitation::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    authorize(
        conn,
        caller,
        ProjectId(invitation.project_id),
        Action::ManageMembers,
        Ownership::NotMine,
    )
    .await?;
    Ok(invitation)
}

/// Sends an open invitation again with a new link (the old one stops working) and a new
/// 7-day expiry.
pub async fn resend(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    caller: UserId,
    id: Uuid,
) -> DomainResult<InvitationDto> {
    let token = secret::random_token(32);
    let invitation = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let old = managed(conn, caller, id).await?;
            let invitation: Invitation = diesel::update(invitations::table.find(old.id))
                .set((
                    invitations::token_hash.eq(secret::hash(&token)),
                    invitations::sent_at.eq(Utc::now()),
                    invitations::sent_count.eq(invitations::sent_count + 1),
                    invitations::expires_at.eq(Utc::now() + Duration::days(INVITATION_DAYS)),
                ))
                .returning(Invitation::as_returning())
                .get_result(conn)
                .await?;
            let detail = serde_json::json!({ "email": invitation.email, "sent": invitation.sent_count });
            audit::record(
                conn,
                ProjectId(invitation.project_id),
                caller,
                "invitation.resend",
                id,
                detail,
            )
            .await?;
            send(conn, settings, &invitation, caller, &token).await?;
            mine::tell(conn, &invitation, caller).await?;
            Ok(invitation)
        })
        .await?;
    dto(conn, invitation).await
}

/// Withdraws an open invitation: its link stops working.
pub async fn revoke(conn: &mut AsyncPgConnection, caller: UserId, id: Uuid) -> DomainResult<()> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let invitation = managed(conn, caller, id).await?;
        diesel::update(invitations::table.find(id))
            .set(invitations::revoked_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        let detail = serde_json::json!({ "email": invitation.email });
        audit::record(
            conn,
            ProjectId(invitation.project_id),
            caller,
            "invitation.revoke",
            id,
            detail,
        )
        .await
    })
    .await
}

/// The invitation behind `token`, locked when `lock`: `not_found` for no such link.
async fn by_token(conn: &mut AsyncPgConnection, token: &str, lock: bool) -> DomainResult<Invitation> {
    let q = invitations::table
        .filter(invitations::token_hash.eq(secret::hash(token)))
        .select(Invitation::as_select());
    let row = if lock {
        q.for_update().first(conn).await.optional()?
    } else {
        q.first(conn).await.optional()?
    };
    row.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "there is no such invitation; check the link").into())
}

/// What the invitation's page shows: `not_found`, or `gone` with the reason for used,
/// withdrawn and expired links.
pub async fn info(conn: &mut AsyncPgConnection, token: &str) -> DomainResult<InvitationInfo> {
    let invitation = by_token(conn, token, false).await?;
    invitation.check_open()?;
    let project_name: String = projects::table
        .find(invitation.project_id)
        .select(projects::name)
        .first(conn)
        .await?;
    Ok(InvitationInfo {
        project_name,
        role: invitation.role()?,
        invited_by: name_of(conn, invitation.invited_by).await?,
        has_account: User::find_by_email(conn, &invitation.email).await?.is_some(),
        expires_at: invitation.expires_at,
        email: invitation.email,
    })
}

/// Uses the invitation in one transaction: marks it accepted (so it works once, even when two
/// tabs race) and makes `user` a member.
async fn consume(conn: &mut AsyncPgConnection, invitation: &Invitation, user: UserId) -> DomainResult<ProjectId> {
    let project = ProjectId(invitation.project_id);
    diesel::update(invitations::table.find(invitation.id))
        .set((
            invitations::accepted_at.eq(Utc::now()),
            invitations::accepted_by.eq(user.0),
        ))
        .execute(conn)
        .await?;
    let detail = serde_json::json!({ "email": invitation.email, "role": invitation.role });
    audit::record(conn, project, user, "invitation.accept", invitation.id, detail).await?;
    // Someone who became a member meanwhile keeps the role they have.
    let inviter = invitation.invited_by.map_or(user, UserId);
    crate::members::join(conn, project, inviter, user, invitation.role()?).await?;
    Ok(project)
}

/// Accepts the invitation as the signed-in `user`, whose account must be the invited
/// address's (a forwarded link does not let someone else in).
pub async fn accept(conn: &mut AsyncPgConnection, user: UserId, token: &str) -> DomainResult<ProjectId> {
    let account = User::find(conn, user).await?.ok_or_else(ApiError::not_found)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let invitation = by_token(conn, token, true).await?;
        invitation.check_open()?;
        if !invitation.email.eq_ignore_ascii_case(&account.email) {
            return Err(ApiError::forbidden(format!(
                "this invitation is for {}; sign in with that address to accept it",
                invitation.email
            ))
            .into());
        }
        consume(conn, &invitation, user).await
    })
    .await
}

/// Accepts the invitation for someone without an account: creates it (with the invited
/// address, even when sign-up is closed — the invitation is the permission), signs it in and
/// makes it a member.
pub async fn accept_new(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    token: &str,
    req: &AcceptRequest,
    client: &ClientInfo,
) -> DomainResult<(User, NewSession, ProjectId)> {
    let name = validate::display_name(req.name.as_deref().unwrap_or(""))?;
    let hash = password::hash(validate::new_password(req.password.as_deref().unwrap_or(""))?).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let invitation = by_token(conn, token, true).await?;
        invitation.check_open()?;
        if User::find_by_email(conn, &invitation.email).await?.is_some() {
            return Err(DomainError::api(
                ErrorCode::EmailTaken,
                "an account with this address exists: sign in to accept the invitation",
            ));
        }
        let user: User = diesel::insert_into(users::table)
            .values(NewUser {
                id: Uuid::new_v4(),
                email: &invitation.email,
                name: &name,
                password_hash: &hash,
                is_admin: false,
            })
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        let session = sessions::create(conn, user.id, settings.session_ttl, client).await?;
        let project = consume(conn, &invitation, user.user_id()).await?;
        tracing::info!(user.id = %user.id, project.id = %project, "account created from an invitation");
        Ok((user, session, project))
    })
    .await
}
