//! Marker import from the review screen (exports are plain REST downloads).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::review::CommentDto;

/// Imports a Resolve marker EDL (`edl`) or Avid locator file (`avid`) as comments on `version`.
#[server(input = Json)]
pub async fn import_markers(
    asset: String,
    version: i32,
    format: String,
    text: String,
) -> Result<Vec<CommentDto>, AppError> {
    use crate::ssr::{caller, conn};
    use domain::exports::import::{import, MarkerFormat};
    let caller = caller().await?;
    let format =
        MarkerFormat::parse(&format).ok_or_else(|| AppError(model::ApiError::invalid("format must be edl or avid")))?;
    Ok(import(
        &mut *conn().await?,
        caller.id(),
        model::ids::parse_id(&asset)?,
        Some(version),
        format,
        &text,
    )
    .await?)
}
