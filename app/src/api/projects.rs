//! Project server functions.

use crate::error::AppError;
use leptos::prelude::*;
use model::dto::ProjectDto;

/// The caller's projects.
#[server]
pub async fn list_projects() -> Result<Vec<ProjectDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::projects::list(&mut *conn().await?, caller.id()).await?)
}

/// One project.
#[server]
pub async fn get_project(id: String) -> Result<ProjectDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::projects::get(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// Creates a project and opens it.
#[server]
pub async fn create_project(name: String, description: String) -> Result<ProjectDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let project = domain::projects::create(&mut *conn().await?, caller.id(), &name, &description).await?;
    leptos_axum::redirect(&format!("/projects/{}", project.id));
    Ok(project)
}

/// Renames and describes a project.
#[server]
pub async fn edit_project(id: String, name: String, description: String) -> Result<ProjectDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let patch = model::dto::ProjectPatch {
        name: Some(name),
        description: Some(description),
        archived: None,
    };
    Ok(domain::projects::update(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, &patch).await?)
}

/// Archives or restores a project.
#[server]
pub async fn set_archived(id: String, archived: bool) -> Result<ProjectDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let patch = model::dto::ProjectPatch {
        archived: Some(archived),
        ..Default::default()
    };
    Ok(domain::projects::update(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, &patch).await?)
}

/// Deletes a project (owners only) and returns to the list.
#[server]
pub async fn delete_project(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    domain::projects::delete(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?;
    leptos_axum::redirect("/projects");
    Ok(())
}
