//! A project's analytics: activity over time, review turnaround, open comments, where on the
//! timeline comments gather, photo selection and share-link use.

use crate::ids::AssetId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// One day of activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Day {
    /// The day (UTC).
    pub date: NaiveDate,
    /// Versions uploaded (new assets and new versions).
    pub uploads: i64,
    /// Comments and replies written (members' and guests').
    pub comments: i64,
}

/// How long review takes, from each asset's first upload.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Turnaround {
    /// Assets uploaded in the period.
    pub uploaded: i64,
    /// Of those, how many have a comment.
    pub commented: i64,
    /// Median hours from upload to the first comment.
    pub median_hours_to_first_comment: Option<f64>,
    /// Of those, how many were approved (by a member or a guest).
    pub approved: i64,
    /// Median hours from upload to the first approval.
    pub median_hours_to_approval: Option<f64>,
}

/// An asset's comments, open and all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OpenComments {
    /// The asset.
    pub asset_id: AssetId,
    /// Its name.
    pub name: String,
    /// Unresolved threads.
    pub open: i64,
    /// All threads.
    pub total: i64,
}

/// Where on a video's timeline its comments sit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Density {
    /// The video.
    pub asset_id: AssetId,
    /// Its name.
    pub name: String,
    /// Its current version's length in frames.
    pub frames: i64,
    /// Comments per equal slice of the timeline, start to end.
    pub buckets: Vec<i64>,
}

/// How the photos are rated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Selection {
    /// Live photos.
    pub photos: i64,
    /// Photos per rating, from −1 (reject) through 0 (none) to 5.
    pub by_rating: Vec<i64>,
    /// Picked photos.
    pub picked: i64,
}

/// One share link's use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LinkUse {
    /// The link's name.
    pub name: String,
    /// Times opened.
    pub views: i64,
    /// Guests who signed in to it.
    pub guests: i64,
    /// Comments its guests wrote.
    pub comments: i64,
    /// Whether it still works.
    pub active: bool,
}

/// `GET /api/v1/projects/{id}/analytics`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AnalyticsDto {
    /// Days covered, oldest first (every day, zeros included).
    pub days: Vec<Day>,
    /// Review turnaround of assets first uploaded in the period.
    pub turnaround: Turnaround,
    /// Assets with the most open comments (at most 20).
    pub open_comments: Vec<OpenComments>,
    /// Comment density along the timelines of the most discussed videos (at most 12).
    pub density: Vec<Density>,
    /// Photo selection.
    pub selection: Selection,
    /// Share links, most viewed first (only for those who may make links).
    pub links: Option<Vec<LinkUse>>,
}
