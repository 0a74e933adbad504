//! How a list of assets is ordered and grouped.

use serde::{Deserialize, Serialize};

/// What a list of assets is ordered by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    /// Upload time.
    #[default]
    CreatedAt,
    /// Name, A to Z.
    Name,
    /// Star rating.
    Rating,
    /// When the picture was taken.
    CapturedAt,
    /// Due date.
    DueDate,
    /// Duration.
    Duration,
    /// File size.
    Size,
    /// Review status, in workflow order.
    Status,
    /// A manual collection's own order.
    Position,
    /// Search relevance (searches only).
    Relevance,
}

/// Ascending or descending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Largest (newest) first.
    #[default]
    Desc,
}

/// How to group a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// By star rating.
    Rating,
    /// By review status.
    Status,
    /// By colour label.
    Label,
    /// By media type.
    MediaType,
    /// By assignee.
    Assignee,
}

/// Order (and grouping) of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sort {
    /// Sort key.
    #[serde(default)]
    pub field: SortField,
    /// Direction.
    #[serde(default)]
    pub dir: Direction,
    /// Group by this first (the UI draws a header per group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<GroupBy>,
}
