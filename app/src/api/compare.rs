//! The comparison view's data: 2–4 assets, or versions of one asset, with their review state.

use crate::error::AppError;
use leptos::prelude::*;
use model::asset::AssetDto;
use model::review::ReviewDto;
use serde::{Deserialize, Serialize};

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareSide {
    /// The asset at the compared version (`current_version` is that version).
    pub asset: AssetDto,
    /// Its rating, label, status.
    pub review: ReviewDto,
    /// `v2` for versions of one asset, the name otherwise.
    pub label: String,
}

/// Loads the sides: `assets` (comma-separated ids, their current versions) or `asset` with
/// `versions` (comma-separated numbers). 2–4 sides, all of one media type.
#[server]
pub async fn load_compare(assets: String, asset: String, versions: String) -> Result<Vec<CompareSide>, AppError> {
    use crate::ssr::{caller, conn};
    use model::ApiError;
    let caller = caller().await?;
    let mut conn = conn().await?;
    let mut sides = Vec::new();
    if !asset.is_empty() {
        let id = model::ids::parse_id(&asset)?;
        for n in versions.split(',').filter(|s| !s.is_empty()) {
            let n: i32 = n
                .trim()
                .parse()
                .map_err(|_| ApiError::invalid("versions are numbers, like 1,2"))?;
            let a = domain::assets::get_at(&mut conn, caller.id(), id, n).await?;
            let review = domain::review::get_at(&mut conn, caller.id(), id, n).await?;
            sides.push(CompareSide {
                label: format!("v{n}"),
                asset: a,
                review,
            });
        }
    } else {
        for raw in assets.split(',').filter(|s| !s.is_empty()) {
            let id = model::ids::parse_id(raw)?;
            let a = domain::assets::get(&mut conn, caller.id(), id).await?;
            let review = domain::review::get(&mut conn, caller.id(), id).await?;
            sides.push(CompareSide {
                label: a.name.clone(),
                asset: a,
                review,
            });
        }
    }
    if !(2..=4).contains(&sides.len()) {
        return Err(ApiError::invalid("compare 2 to 4 assets or versions").into());
    }
    if sides.iter().any(|s| s.asset.media_type != sides[0].asset.media_type) {
        return Err(ApiError::invalid("compare assets of one kind: all photos or all videos").into());
    }
    Ok(sides)
}
