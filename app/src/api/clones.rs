//! Deep clone server functions: start a copy into another project, follow it.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::clone::{CloneDto, CloneRequest};

/// Copies what `req` chooses from `project` (see `domain::clones::create`).
#[server(input = Json)]
pub async fn start_clone(project: String, req: CloneRequest) -> Result<CloneDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let project = model::ids::parse_id(&project)?;
    Ok(domain::clones::create(&mut *conn().await?, caller.id(), project, &req).await?)
}

/// One clone's state and progress.
#[server]
pub async fn get_clone(id: String) -> Result<CloneDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError(model::ApiError::invalid("not a clone id")))?;
    Ok(domain::clones::get(&mut *conn().await?, caller.id(), id).await?)
}
