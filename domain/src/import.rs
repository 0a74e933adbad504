//! Bulk import from a directory on the server (`dailies import`): each file goes through the
//! same upload pipeline as the browser and tus clients (an upload, streamed appends, the same
//! completion and processing job).

use crate::error::{DomainError, DomainResult};
use crate::schema::{asset_versions, assets, project_members, projects};
use crate::uploads::{self, NewUpload};
use crate::AppState;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::{ApiError, AssetId, FolderId, ProjectId, UserId};
use std::path::Path;
use uuid::Uuid;

/// Finds a project by id or exact name, and who imports into it: the given e-mail, else the
/// project's first owner.
pub async fn resolve(
    conn: &mut AsyncPgConnection,
    project: &str,
    as_email: Option<&str>,
) -> DomainResult<(ProjectId, UserId)> {
    let by_id = Uuid::parse_str(project.trim()).ok();
    let found: Vec<Uuid> = match by_id {
        Some(id) => {
            projects::table
                .filter(projects::id.eq(id))
                .select(projects::id)
                .load(conn)
                .await?
        }
        None => {
            projects::table
                .filter(projects::name.eq(project.trim()))
                .select(projects::id)
                .load(conn)
                .await?
        }
    };
    let project_id = match found.as_slice() {
        [one] => ProjectId(*one),
        [] => return Err(ApiError::invalid(format!("no project {project:?}")).into()),
        _ => return Err(ApiError::invalid(format!("several projects are called {project:?}; use its id")).into()),
    };
    let user = match as_email {
        Some(email) => crate::users::User::find_by_email(conn, email)
            .await?
            .map(|u| u.user_id())
            .ok_or_else(|| DomainError::from(ApiError::invalid(format!("no account {email}"))))?,
        None => project_members::table
            .filter(project_members::project_id.eq(project_id.0))
            .filter(project_members::role.eq("owner"))
            .order(project_members::added_at.asc())
            .select(project_members::user_id)
            .first::<Uuid>(conn)
            .await
            .map(UserId)?,
    };
    Ok((project_id, user))
}

/// Whether a live asset with this name and current size is already in the folder.
pub async fn already_there(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    folder: Option<FolderId>,
    name: &str,
    size: u64,
) -> DomainResult<bool> {
    let mut q = crate::assets::with_current_version()
        .filter(assets::project_id.eq(project.0))
        .filter(assets::trashed_at.is_null())
        .filter(assets::name.eq(name))
        .filter(asset_versions::size.eq(size as i64))
        .filter(asset_versions::state.ne("uploading"))
        .into_boxed();
    q = match folder {
        Some(f) => q.filter(assets::folder_id.eq(f.0)),
        None => q.filter(assets::folder_id.is_null()),
    };
    Ok(q.count().get_result::<i64>(conn).await? > 0)
}

/// Uploads one file (streamed) into `folder`; returns the new asset.
pub async fn import_file(
    state: &AppState,
    user: UserId,
    project: ProjectId,
    folder: Option<FolderId>,
    path: &Path,
) -> DomainResult<AssetId> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| ApiError::invalid(format!("{}: {e}", path.display())))?;
    let filename = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = {
        let mut conn = crate::db::conn(&state.db).await?;
        uploads::create(
            &mut conn,
            &state.storage,
            &state.settings,
            user,
            NewUpload {
                length: meta.len(),
                filename,
                project: Some(project),
                folder,
                asset: None,
                metadata_header: String::new(),
            },
        )
        .await?
    };
    if info.offset < info.length {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| ApiError::invalid(format!("{}: {e}", path.display())))?;
        let stream = tokio_util::io::ReaderStream::with_capacity(file, 1024 * 1024);
        let done = uploads::append(
            &state.db,
            &state.storage,
            &state.settings,
            user,
            info.id,
            0,
            None,
            stream,
        )
        .await?;
        if done.offset != done.length {
            return Err(DomainError::Internal(format!(
                "{} changed while it was read ({} of {} bytes)",
                path.display(),
                done.offset,
                done.length
            )));
        }
    }
    Ok(info.asset_id)
}

/// The states of the current versions of these assets.
pub async fn states(
    conn: &mut AsyncPgConnection,
    ids: &[AssetId],
) -> DomainResult<Vec<(String, String, Option<String>)>> {
    let ids: Vec<Uuid> = ids.iter().map(|a| a.0).collect();
    Ok(crate::assets::with_current_version()
        .filter(assets::id.eq_any(ids))
        .select((assets::name, asset_versions::state, asset_versions::error))
        .load(conn)
        .await?)
}
