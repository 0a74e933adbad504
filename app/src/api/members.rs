//! Membership server functions.

use crate::error::AppError;
use leptos::prelude::*;
use model::dto::MemberDto;

/// The members of a project.
#[server]
pub async fn list_members(project_id: String) -> Result<Vec<MemberDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::members::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project_id)?).await?)
}

/// Adds an existing account by e-mail.
#[server]
pub async fn add_member(project_id: String, email: String, role: String) -> Result<MemberDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let role = super::parse_role(&role)?;
    Ok(domain::members::add(
        &mut *conn().await?,
        caller.id(),
        model::ids::parse_id(&project_id)?,
        &email,
        role,
    )
    .await?)
}

/// Changes a member's role.
#[server]
pub async fn change_role(project_id: String, user_id: String, role: String) -> Result<MemberDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let role = super::parse_role(&role)?;
    Ok(domain::members::change_role(
        &mut *conn().await?,
        caller.id(),
        model::ids::parse_id(&project_id)?,
        model::ids::parse_id(&user_id)?,
        role,
    )
    .await?)
}

/// Removes a member (or leaves, when it is the caller).
#[server]
pub async fn remove_member(project_id: String, user_id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let me = caller.id();
    let target: model::UserId = model::ids::parse_id(&user_id)?;
    domain::members::remove(&mut *conn().await?, me, model::ids::parse_id(&project_id)?, target).await?;
    if target == me {
        leptos_axum::redirect("/projects");
    }
    Ok(())
}

/// Hands the project to another member (they become owner, the caller an editor), then
/// opens the project page (the caller's role there has changed).
#[server]
pub async fn transfer_ownership(project_id: String, user_id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let project: model::ProjectId = model::ids::parse_id(&project_id)?;
    domain::members::transfer_ownership(
        &mut *conn().await?,
        caller.id(),
        project,
        model::ids::parse_id(&user_id)?,
    )
    .await?;
    leptos_axum::redirect(&format!("/projects/{project}"));
    Ok(())
}
