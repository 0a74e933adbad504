//! Invitation server functions: owners invite, resend and withdraw; the person invited reads
//! the invitation and accepts it, signed in or with a new account.

use crate::error::AppError;
use leptos::prelude::*;
use model::invitation::{InvitationDto, InvitationInfo};
use serde::{Deserialize, Serialize};

/// Invites an address with a role; the link goes out by e-mail.
#[server]
pub async fn invite_member(project_id: String, email: String, role: String) -> Result<InvitationDto, AppError> {
    use crate::ssr::{caller, conn, state};
    let (caller, state) = (caller().await?, state()?);
    let req = model::invitation::InviteRequest {
        email,
        role: super::parse_role(&role)?,
    };
    Ok(domain::invitations::invite(
        &mut *conn().await?,
        &state.settings,
        caller.id(),
        model::ids::parse_id(&project_id)?,
        &req,
    )
    .await?)
}

/// A project's open invitations.
#[server]
pub async fn list_invitations(project_id: String) -> Result<Vec<InvitationDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::invitations::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project_id)?).await?)
}

/// Sends an invitation again with a new link.
#[server]
pub async fn resend_invitation(id: String) -> Result<InvitationDto, AppError> {
    use crate::ssr::{caller, conn, state};
    let (caller, state) = (caller().await?, state()?);
    let id = model::ids::parse_id::<uuid::Uuid>(&id)?;
    Ok(domain::invitations::resend(&mut *conn().await?, &state.settings, caller.id(), id).await?)
}

/// Withdraws an invitation.
#[server]
pub async fn revoke_invitation(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::invitations::revoke(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// The invitation page's data: the invitation, and who is signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    /// What is offered.
    pub info: InvitationInfo,
    /// The signed-in account's e-mail, if any.
    pub signed_in_as: Option<String>,
}

/// Reads an invitation by its link's token.
#[server]
pub async fn invitation(token: String) -> Result<InvitationView, AppError> {
    use crate::ssr::{conn, maybe_caller};
    let me = maybe_caller().await?;
    Ok(InvitationView {
        info: domain::invitations::info(&mut *conn().await?, &token).await?,
        signed_in_as: me.map(|c| c.user.email),
    })
}

/// Accepts an invitation: as the signed-in account, or creating one from `name` and
/// `password`; then opens the project.
#[server]
pub async fn accept_invitation(token: String, name: Option<String>, password: Option<String>) -> Result<(), AppError> {
    use crate::ssr::{client_info, conn, maybe_caller, set_session_cookie, state};
    let mut conn = conn().await?;
    let project = match maybe_caller().await? {
        Some(caller) => domain::invitations::accept(&mut conn, caller.id(), &token).await?,
        None => {
            let req = model::invitation::AcceptRequest { name, password };
            let (_, session, project) =
                domain::invitations::accept_new(&mut conn, &state()?.settings, &token, &req, &client_info().await)
                    .await?;
            set_session_cookie(&session);
            project
        }
    };
    leptos_axum::redirect(&format!("/projects/{project}"));
    Ok(())
}

/// The open invitations to the signed-in person's address.
#[server]
pub async fn my_invitations() -> Result<Vec<model::invitation::MyInvitation>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::invitations::mine::pending(&mut *conn().await?, caller.id()).await?)
}

/// Accepts one of them; returns the project joined.
#[server]
pub async fn accept_my_invitation(id: String) -> Result<String, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let project =
        domain::invitations::mine::accept(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(project.to_string())
}
