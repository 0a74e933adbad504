//! Export rendition server functions: start, list, cancel (downloads are REST).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::export::{ExportDto, Preset};

/// Starts exports of `asset_ids` (joined in order) in each of `presets`.
#[server(input = Json)]
pub async fn start_export(
    project: String,
    asset_ids: Vec<String>,
    presets: Vec<Preset>,
    title: Option<String>,
) -> Result<Vec<ExportDto>, AppError> {
    use crate::ssr::{caller, conn, state};
    let (caller, state) = (caller().await?, state()?);
    let req = model::export::CreateExportRequest {
        asset_ids,
        presets,
        title,
    };
    let project = model::ids::parse_id(&project)?;
    Ok(domain::exports::renditions::create(&mut *conn().await?, &state.settings, caller.id(), project, &req).await?)
}

/// A project's exports, newest first.
#[server]
pub async fn list_exports(project: String) -> Result<Vec<ExportDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::exports::renditions::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?).await?)
}

/// Cancels a queued or running export.
#[server]
pub async fn cancel_export(id: String) -> Result<ExportDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError(model::ApiError::invalid("not an export id")))?;
    Ok(domain::exports::renditions::cancel(&mut *conn().await?, caller.id(), id).await?)
}
