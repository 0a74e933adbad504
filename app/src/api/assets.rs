//! Library server functions: assets, folders.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::asset::{AssetDto, AssetPage, FolderDto};

/// One page of a library view: a folder, type, search, collection or the trash.
#[server(input = Json)]
pub async fn list_assets(
    project: String,
    view: crate::components::library::Filters,
    offset: i64,
    limit: i64,
) -> Result<AssetPage, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let mut conn = conn().await?;
    let project = model::ids::parse_id(&project)?;
    if view.trash {
        return Ok(domain::bulk::trash_page(&mut conn, caller.id(), project, offset, limit).await?);
    }
    if !view.collection.is_empty() {
        let id = model::ids::parse_id(&view.collection)?;
        return Ok(domain::collections::assets(&mut conn, caller.id(), id, offset, limit, view.list).await?);
    }
    fn wire<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
    let query = model::asset::AssetQuery {
        media_type: model::asset::MediaType::parse(&view.media_type),
        folder_id: Some(view.folder).filter(|f| !f.is_empty()),
        q: Some(view.q).filter(|q| !q.trim().is_empty()),
        offset: Some(offset),
        limit: Some(limit),
        sort: wire(&view.sort),
        dir: wire(&view.dir),
        group_by: wire(&view.group),
        detail: Some(view.list),
        ..Default::default()
    };
    Ok(domain::assets::list(&mut conn, caller.id(), project, &query).await?)
}

/// One asset with its versions and metadata (the side panel).
#[server]
pub async fn get_asset(id: String) -> Result<AssetDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::assets::get(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// The project's folders (flat, by name).
#[server]
pub async fn list_folders(project: String) -> Result<Vec<FolderDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::folders::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?).await?)
}

/// Creates a folder (a path creates the missing folders along it) and opens it.
#[server]
pub async fn create_folder(project: String, parent: Option<String>, name: String) -> Result<FolderDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let parent = parent
        .filter(|p| !p.is_empty())
        .map(|p| model::ids::parse_id(&p))
        .transpose()?;
    let folder = domain::folders::ensure_path(
        &mut *conn().await?,
        caller.id(),
        model::ids::parse_id(&project)?,
        parent,
        &name,
    )
    .await?;
    leptos_axum::redirect(&format!("/projects/{project}?folder={}", folder.id));
    Ok(folder)
}
