//! Collections: manual (an ordered list of assets) and smart (a saved filter).

use crate::filter::{Filter, Sort};
use crate::ids::{AssetId, CollectionId, ProjectId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Manual or smart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CollectionKind {
    /// Assets added by hand, in a chosen order; an asset can be in many.
    Manual,
    /// Every asset matching a saved filter, kept up to date by the server.
    Smart,
}

impl CollectionKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CollectionKind::Manual => "manual",
            CollectionKind::Smart => "smart",
        }
    }

    /// From the wire name.
    pub fn parse(s: &str) -> Option<CollectionKind> {
        match s {
            "manual" => Some(CollectionKind::Manual),
            "smart" => Some(CollectionKind::Smart),
            _ => None,
        }
    }
}

/// A collection with its live asset count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CollectionDto {
    /// Id.
    pub id: CollectionId,
    /// Project.
    pub project_id: ProjectId,
    /// Name.
    pub name: String,
    /// Manual or smart.
    pub kind: CollectionKind,
    /// The saved filter (smart collections).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub filter: Option<Filter>,
    /// Order of its assets.
    pub sort: Sort,
    /// Live (not trashed) assets in it now.
    pub asset_count: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/projects/{id}/collections`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateCollectionRequest {
    /// Name, 1–200 characters.
    pub name: String,
    /// Manual or smart.
    pub kind: CollectionKind,
    /// Required for smart collections, refused for manual ones: a `model::filter::Filter` in
    /// its JSON form (checked by the server: `400 invalid_filter` names what is wrong).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub filter: Option<serde_json::Value>,
    /// Order (default: newest first; manual collections default to their own order).
    #[serde(default)]
    pub sort: Option<Sort>,
}

/// `PATCH /api/v1/collections/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CollectionPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New filter (smart collections), as in `CreateCollectionRequest`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub filter: Option<serde_json::Value>,
    /// New order.
    #[serde(default)]
    pub sort: Option<Sort>,
}

/// `POST|DELETE /api/v1/collections/{id}/items`, and reordering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CollectionItems {
    /// The assets (1–1000), in the order to add them.
    pub asset_ids: Vec<AssetId>,
    /// Add (or with `PUT …/items/order`, move) them before this member; at the end when absent.
    #[serde(default)]
    pub before: Option<AssetId>,
}
