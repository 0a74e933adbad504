//! Exports: clips (one, or several joined in the order given) rendered in one or several
//! presets, or assets packaged (ZIPs, contact sheets), each a job ([`super::render`]) with
//! progress, cancellable; the files are kept for the configured retention and then deleted
//! by the hourly housekeeping. Limited per person and project per hour.

use crate::assets;
use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::jobs::queue;
use crate::schema::exports;
use crate::settings::Settings;
use crate::storage::{ObjectKey, Storage};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::{MediaType, VersionState};
use model::export::{CreateExportRequest, ExportDto, Preset};
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, ErrorCode, ProjectId, UserId};
use uuid::Uuid;

/// Clips one export may join.
pub const MAX_CLIPS: usize = 20;

/// A row of `exports`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = exports)]
pub struct ExportRow {
    pub(super) id: Uuid,
    pub(super) project_id: Uuid,
    pub(super) created_by: Option<Uuid>,
    pub(super) preset: String,
    pub(super) asset_ids: Vec<Uuid>,
    pub(super) title: String,
    pub(super) state: String,
    pub(super) progress: i16,
    error: Option<String>,
    file_name: Option<String>,
    size: Option<i64>,
    job_id: Option<i64>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
}

impl ExportRow {
    pub(super) fn preset(&self) -> Preset {
        Preset::parse(&self.preset).unwrap_or(Preset::Mp4Good)
    }

    pub(super) fn dto(&self) -> ExportDto {
        ExportDto {
            id: self.id,
            project_id: ProjectId(self.project_id),
            preset: self.preset(),
            asset_ids: self.asset_ids.iter().copied().map(AssetId).collect(),
            title: self.title.clone(),
            state: self.state.clone(),
            progress: self.progress,
            error: self.error.clone(),
            file_name: self.file_name.clone(),
            size: self.size,
            created_at: self.created_at,
            finished_at: self.finished_at,
            expires_at: self.expires_at,
        }
    }

    /// Id.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// `queued`, `running`, `done`, `failed`, `cancelled` or `expired`.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// Where the finished file is.
    pub fn key(&self) -> Option<ObjectKey> {
        self.file_name.as_ref().map(|name| ObjectKey::Export {
            export: self.id,
            name: name.clone(),
        })
    }

    /// The finished file's name and MIME type.
    pub fn file(&self) -> Option<(String, &'static str)> {
        self.file_name.clone().map(|n| (n, self.preset().mime()))
    }
}

/// Starts exports of `req.asset_ids` (videos of `project`, joined in order) in each preset.
pub async fn create(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: UserId,
    project: ProjectId,
    req: &CreateExportRequest,
) -> DomainResult<Vec<ExportDto>> {
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let mut presets: Vec<Preset> = Vec::new();
    for p in &req.presets {
        if !presets.contains(p) {
            presets.push(*p);
        }
    }
    if presets.is_empty() {
        return Err(ApiError::invalid("choose at least one preset").into());
    }
    let most = if presets.iter().any(|p| p.is_video()) {
        MAX_CLIPS
    } else {
        super::packages::MAX_FILES
    };
    if req.asset_ids.is_empty() || req.asset_ids.len() > most {
        return Err(ApiError::invalid(format!("choose 1 to {most} assets")).into());
    }
    let mut ids = Vec::with_capacity(req.asset_ids.len());
    let mut first_name = String::new();
    for raw in &req.asset_ids {
        let id: AssetId = model::ids::parse_id(raw)?;
        let asset = assets::authorized(conn, user, id, Action::View).await?;
        let version = assets::version(conn, &asset, None).await?;
        if asset.project_id != project.0 {
            return Err(ApiError::invalid(format!("{} is not in this project", asset.name)).into());
        }
        let media = MediaType::parse(&asset.media_type).unwrap_or(MediaType::Video);
        if let Some(p) = presets.iter().find(|p| !p.accepts(media)) {
            return Err(ApiError::invalid(format!("{} cannot go into “{}”", asset.name, p.label())).into());
        }
        if version.state() != VersionState::Ready {
            return Err(ApiError::new(ErrorCode::NotReady, format!("{} is still processing", asset.name)).into());
        }
        if first_name.is_empty() {
            first_name = asset
                .name
                .rsplit_once('.')
                .map_or(asset.name.as_str(), |(s, _)| s)
                .to_owned();
        }
        ids.push(id.0);
    }
    let title = req
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(&first_name)
        .to_owned();
    if title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(ApiError::invalid("a title has at most 200 characters on one line").into());
    }
    let since = Utc::now() - chrono::Duration::hours(1);
    let recent: i64 = exports::table
        .filter(exports::created_by.eq(user.0))
        .filter(exports::project_id.eq(project.0))
        .filter(exports::created_at.gt(since))
        .count()
        .get_result(conn)
        .await?;
    if recent + presets.len() as i64 > settings.exports_per_hour {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            format!(
                "at most {} exports an hour per project; try again later",
                settings.exports_per_hour
            ),
        )
        .into());
    }
    let rows = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let mut rows = Vec::with_capacity(presets.len());
            for preset in &presets {
                let id = Uuid::new_v4();
                diesel::insert_into(exports::table)
                    .values((
                        exports::id.eq(id),
                        exports::project_id.eq(project.0),
                        exports::created_by.eq(user.0),
                        exports::preset.eq(preset.as_str()),
                        exports::asset_ids.eq(&ids),
                        exports::title.eq(&title),
                    ))
                    .execute(conn)
                    .await?;
                let job = queue::enqueue(conn, &super::render::RenderExport { export_id: id }).await?;
                let row: ExportRow = diesel::update(exports::table.find(id))
                    .set(exports::job_id.eq(job))
                    .returning(ExportRow::as_returning())
                    .get_result(conn)
                    .await?;
                let detail = serde_json::json!({ "preset": preset.as_str(), "assets": ids, "title": title });
                audit::record(conn, project, user, "export.create", id, detail).await?;
                rows.push(row);
            }
            Ok(rows)
        })
        .await?;
    Ok(rows.iter().map(ExportRow::dto).collect())
}

/// The export `id` if `user` may see it (a member of its project who may export).
pub async fn find(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<ExportRow> {
    let row: ExportRow = exports::table
        .find(id)
        .select(ExportRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    authorize(
        conn,
        user,
        ProjectId(row.project_id),
        Action::Upload,
        Ownership::NotMine,
    )
    .await?;
    Ok(row)
}

/// One export.
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<ExportDto> {
    Ok(find(conn, user, id).await?.dto())
}

/// A project's exports, newest first (at most 100).
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<ExportDto>> {
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let rows: Vec<ExportRow> = exports::table
        .filter(exports::project_id.eq(project.0))
        .order(exports::created_at.desc())
        .limit(100)
        .select(ExportRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.iter().map(ExportRow::dto).collect())
}

/// Cancels a queued or running export (its job stops at its next heartbeat).
pub async fn cancel(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<ExportDto> {
    let row = find(conn, user, id).await?;
    if !matches!(row.state.as_str(), "queued" | "running") {
        return Err(ApiError::new(ErrorCode::Conflict, format!("this export is {} already", row.state)).into());
    }
    if let Some(job) = row.job_id {
        queue::cancel(conn, job).await?;
    }
    let row: ExportRow = diesel::update(exports::table.find(id))
        .set((exports::state.eq("cancelled"), exports::finished_at.eq(Utc::now())))
        .returning(ExportRow::as_returning())
        .get_result(conn)
        .await?;
    audit::record(
        conn,
        ProjectId(row.project_id),
        user,
        "export.cancel",
        id,
        serde_json::json!({}),
    )
    .await?;
    Ok(row.dto())
}

/// Deletes the files of exports past their retention (the hourly housekeeping).
pub async fn purge_expired(conn: &mut AsyncPgConnection, storage: &Storage) -> DomainResult<usize> {
    let rows: Vec<ExportRow> = exports::table
        .filter(exports::state.eq("done"))
        .filter(exports::expires_at.lt(Utc::now()))
        .limit(500)
        .select(ExportRow::as_select())
        .load(conn)
        .await?;
    for row in &rows {
        if let Some(key) = row.key() {
            storage
                .delete(&key)
                .await
                .map_err(|e| DomainError::Internal(e.to_string()))?;
        }
        diesel::update(exports::table.find(row.id))
            .set(exports::state.eq("expired"))
            .execute(conn)
            .await?;
    }
    Ok(rows.len())
}
