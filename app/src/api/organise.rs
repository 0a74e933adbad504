//! Organising server functions: collections, bulk edits and the trash. Thin over `domain`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::bulk::BulkResult;
use model::collection::CollectionDto;

#[cfg(feature = "ssr")]
fn ids(raw: &[String]) -> Result<Vec<model::AssetId>, AppError> {
    raw.iter()
        .map(|r| model::ids::parse_id(r).map_err(AppError::from))
        .collect()
}

/// A project's collections with live counts.
#[server]
pub async fn list_collections(project: String) -> Result<Vec<CollectionDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::collections::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?).await?)
}

/// Creates a collection: manual without a filter, smart with one (the filter's JSON form).
#[server(input = Json)]
pub async fn create_collection(
    project: String,
    name: String,
    filter: Option<serde_json::Value>,
) -> Result<CollectionDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let kind = if filter.is_some() {
        model::collection::CollectionKind::Smart
    } else {
        model::collection::CollectionKind::Manual
    };
    let req = model::collection::CreateCollectionRequest {
        name,
        kind,
        filter,
        sort: None,
    };
    Ok(domain::collections::create(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?, req).await?)
}

/// Deletes a collection.
#[server(input = Json)]
pub async fn delete_collection(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::collections::delete(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// Adds assets to a manual collection.
#[server(input = Json)]
pub async fn add_to_collection(id: String, assets: Vec<String>) -> Result<CollectionDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let req = model::collection::CollectionItems {
        asset_ids: ids(&assets)?,
        before: None,
    };
    Ok(domain::collections::add_items(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, req).await?)
}

/// Moves an asset of a manual collection to just before `before` (the end when empty).
#[server(input = Json)]
pub async fn reorder_collection(id: String, asset: String, before: String) -> Result<CollectionDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let before = Some(before)
        .filter(|b| !b.is_empty())
        .map(|b| model::ids::parse_id(&b))
        .transpose()?;
    let req = model::collection::CollectionItems {
        asset_ids: ids(&[asset])?,
        before,
    };
    Ok(domain::collections::add_items(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, req).await?)
}

/// Takes assets out of a manual collection.
#[server(input = Json)]
pub async fn remove_from_collection(id: String, assets: Vec<String>) -> Result<CollectionDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let req = model::collection::CollectionItems {
        asset_ids: ids(&assets)?,
        before: None,
    };
    Ok(domain::collections::remove_items(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, req).await?)
}

/// Every asset id of a library view (for "select all"), up to the bulk limit.
#[server(input = Json)]
pub async fn view_ids(project: String, view: crate::components::library::Filters) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    loop {
        let page = crate::api::assets::list_assets(project.clone(), view.clone(), out.len() as i64, 500).await?;
        if page.total > model::bulk::MAX_BULK as i64 {
            return Err(model::ApiError::invalid(format!(
                "{} items: select at most {} at once",
                page.total,
                model::bulk::MAX_BULK
            ))
            .into());
        }
        let got = page.items.len();
        out.extend(page.items.iter().map(|a| a.id.to_string()));
        if got == 0 || out.len() as i64 >= page.total {
            return Ok(out);
        }
    }
}

/// One bulk edit, by name, on the selected assets.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum BulkChange {
    /// Stars (−1 rejects, 0 clears).
    Rating {
        /// Stars.
        rating: i16,
    },
    /// Review status.
    Status {
        /// Status.
        status: model::review::ReviewStatus,
    },
    /// Colour label.
    Label {
        /// Label or none.
        label: Option<model::review::ColorLabel>,
    },
    /// Add and remove tags.
    Tags {
        /// Added.
        add: Vec<String>,
        /// Removed.
        remove: Vec<String>,
    },
    /// Set one field (`title`, `custom.budget`, …; `null` clears).
    Field {
        /// Field name, as in `PATCH /assets/{id}/metadata`.
        name: String,
        /// New value.
        value: serde_json::Value,
    },
    /// Move into a folder (empty: the root).
    Move {
        /// Folder id or empty.
        folder: String,
    },
    /// To the trash.
    Delete,
    /// Back from the trash.
    Restore,
    /// Delete for good.
    Purge,
}

/// Applies a bulk edit to the selected assets in one transaction.
#[server(input = Json)]
pub async fn bulk_edit(assets: Vec<String>, edit: BulkChange) -> Result<BulkResult, AppError> {
    use crate::ssr::{caller, conn};
    use domain::bulk;
    use model::bulk::*;
    let caller = caller().await?;
    let mut conn = conn().await?;
    let asset_ids = ids(&assets)?;
    let user = caller.id();
    let result = match edit {
        BulkChange::Rating { rating } => {
            bulk::rating(
                &mut conn,
                user,
                BulkRating {
                    asset_ids,
                    rating: Some(rating),
                    picked: None,
                },
            )
            .await?
        }
        BulkChange::Status { status } => bulk::status(&mut conn, user, BulkStatus { asset_ids, status }).await?,
        BulkChange::Label { label } => bulk::label(&mut conn, user, BulkLabel { asset_ids, label }).await?,
        BulkChange::Tags { add, remove } => {
            let req = BulkMetadata {
                asset_ids,
                tags_add: add,
                tags_remove: remove,
                ..BulkMetadata::default()
            };
            bulk::metadata(&mut conn, user, req).await?
        }
        BulkChange::Field { name, value } => {
            let req = BulkMetadata {
                asset_ids,
                set: serde_json::Map::from_iter([(name, value)]),
                ..BulkMetadata::default()
            };
            bulk::metadata(&mut conn, user, req).await?
        }
        BulkChange::Move { folder } => {
            let folder_id = Some(folder)
                .filter(|f| !f.is_empty())
                .map(|f| model::ids::parse_id(&f))
                .transpose()?;
            bulk::move_to(&mut conn, user, BulkMove { asset_ids, folder_id }).await?
        }
        BulkChange::Delete => bulk::trash(&mut conn, user, BulkIds { asset_ids }).await?,
        BulkChange::Restore => bulk::restore(&mut conn, user, BulkIds { asset_ids }).await?,
        BulkChange::Purge => bulk::purge(&mut conn, user, BulkIds { asset_ids }).await?,
    };
    Ok(result)
}

/// Makes a version current (an older one: a roll back).
#[server(input = Json)]
pub async fn set_current_version(asset: String, version: i32) -> Result<model::asset::AssetDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::versions::set_current(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, version).await?)
}

/// Deletes a version that is not current.
#[server(input = Json)]
pub async fn delete_version(asset: String, version: i32) -> Result<model::asset::AssetDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::versions::delete(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, version).await?)
}

/// Edits an asset's metadata fields (`null` or empty clears one).
#[server(input = Json)]
pub async fn update_metadata(
    asset: String,
    set: serde_json::Map<String, serde_json::Value>,
) -> Result<model::asset::AssetDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::bulk::update_fields(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, set).await?)
}
