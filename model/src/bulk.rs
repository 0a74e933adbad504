//! Bulk edits of many assets: one request, one transaction, one audit row per asset.

use crate::ids::{AssetId, FolderId};
use crate::review::{ColorLabel, ReviewStatus};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most assets in one bulk request.
pub const MAX_BULK: usize = 1000;

/// `PUT /api/v1/assets/bulk/rating`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkRating {
    /// The assets.
    pub asset_ids: Vec<AssetId>,
    /// −1 rejects, 0 clears, 1–5 stars.
    #[serde(default)]
    pub rating: Option<i16>,
    /// The pick flag.
    #[serde(default)]
    pub picked: Option<bool>,
}

/// `PUT /api/v1/assets/bulk/status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkStatus {
    /// The assets.
    pub asset_ids: Vec<AssetId>,
    /// The new status.
    pub status: ReviewStatus,
}

/// `PUT /api/v1/assets/bulk/label`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkLabel {
    /// The assets.
    pub asset_ids: Vec<AssetId>,
    /// The label, or `null` to clear.
    pub label: Option<ColorLabel>,
}

/// `PUT /api/v1/assets/bulk/metadata`: set fields, add and remove tags.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkMetadata {
    /// The assets.
    pub asset_ids: Vec<AssetId>,
    /// Fields to set, by name (see `model::fields`); `null` clears one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub set: serde_json::Map<String, serde_json::Value>,
    /// Tags to add.
    #[serde(default)]
    pub tags_add: Vec<String>,
    /// Tags to remove.
    #[serde(default)]
    pub tags_remove: Vec<String>,
}

/// `PUT /api/v1/assets/bulk/move`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkMove {
    /// The assets.
    pub asset_ids: Vec<AssetId>,
    /// The folder, or `null` for the project's root.
    pub folder_id: Option<FolderId>,
}

/// `POST /api/v1/assets/bulk/delete|restore|purge`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkIds {
    /// The assets.
    pub asset_ids: Vec<AssetId>,
}

/// What a bulk edit did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkResult {
    /// How many assets changed.
    pub updated: i64,
}
