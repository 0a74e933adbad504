//! Deep clones: folders, assets with every version, collections and (if asked) comments,
//! drawings, ratings and metadata copied into a project, with new ids.

use crate::ids::ProjectId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What comes along with the assets beyond their files and names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CloneInclude {
    /// Comments and their replies and reactions.
    #[serde(default)]
    pub comments: bool,
    /// The drawings on those comments (only with `comments`).
    #[serde(default)]
    pub drawings: bool,
    /// Stars, picks, colour labels.
    #[serde(default)]
    pub ratings: bool,
    /// Description, tags, platforms, custom fields, assignee, due date, review status.
    #[serde(default)]
    pub metadata: bool,
}

/// `POST /api/v1/projects/{id}/clone`: what to copy from the project, and where to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CloneRequest {
    /// The project the copies go into (the same project is allowed).
    pub target_project_id: String,
    /// A folder of the target project to put them in (its root when absent).
    #[serde(default)]
    pub target_folder_id: Option<String>,
    /// Folders to copy with everything inside them.
    #[serde(default)]
    pub folder_ids: Vec<String>,
    /// Assets to copy with all their versions.
    #[serde(default)]
    pub asset_ids: Vec<String>,
    /// Collections to copy; a manual one brings its assets along.
    #[serde(default)]
    pub collection_ids: Vec<String>,
    /// What comes along.
    #[serde(default)]
    pub include: CloneInclude,
}

/// How many objects of each kind a clone makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CloneCounts {
    /// Folders.
    pub folders: i64,
    /// Assets.
    pub assets: i64,
    /// Versions.
    pub versions: i64,
    /// Comments and replies.
    pub comments: i64,
    /// Collections.
    pub collections: i64,
}

/// A clone and how far it has come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CloneDto {
    /// Id.
    pub id: uuid::Uuid,
    /// Copied from.
    pub source_project_id: ProjectId,
    /// Copied into.
    pub target_project_id: ProjectId,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// 0–100.
    pub progress: i16,
    /// Why it failed.
    pub error: Option<String>,
    /// What it makes.
    pub counts: CloneCounts,
    /// What came along.
    pub include: CloneInclude,
    /// Asked for.
    pub created_at: DateTime<Utc>,
    /// Finished or failed.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Where a cloned object came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClonedFrom {
    /// The project it was copied from.
    pub project_id: ProjectId,
    /// That project's name (told only to its members).
    pub project_name: Option<String>,
    /// The object it was copied from.
    pub source_id: uuid::Uuid,
    /// When.
    pub cloned_at: DateTime<Utc>,
    /// Who copied it.
    pub cloned_by: Option<String>,
    /// 1 for a clone, 2 for a clone of a clone, …
    pub depth: i32,
}
