//! Export renditions: clips (one, or several joined in the order given) rendered in one or
//! several presets, each a job with progress, cancellable; the files are kept for the
//! configured retention and then deleted by the hourly housekeeping. Limited per person and
//! project per hour.

use crate::assets::{self, Version};
use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::ingest::local_copy;
use crate::jobs::{queue, Job, JobContext, Permanent};
use crate::schema::exports;
use crate::settings::Settings;
use crate::storage::{ObjectKey, Storage};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use media::render::{render, Frame, Part, Tags};
use model::asset::{MediaType, VersionState};
use model::export::{CreateExportRequest, ExportDto, Preset};
use model::live::kind;
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, ErrorCode, ProjectId, Rational, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Clips one export may join.
pub const MAX_CLIPS: usize = 20;

/// A row of `exports`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = exports)]
pub struct ExportRow {
    id: Uuid,
    project_id: Uuid,
    created_by: Option<Uuid>,
    preset: String,
    asset_ids: Vec<Uuid>,
    title: String,
    state: String,
    progress: i16,
    error: Option<String>,
    file_name: Option<String>,
    size: Option<i64>,
    job_id: Option<i64>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
}

impl ExportRow {
    fn preset(&self) -> Preset {
        Preset::parse(&self.preset).unwrap_or(Preset::Mp4Good)
    }

    fn dto(&self) -> ExportDto {
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
    if req.asset_ids.is_empty() || req.asset_ids.len() > MAX_CLIPS {
        return Err(ApiError::invalid(format!("choose 1 to {MAX_CLIPS} clips")).into());
    }
    let mut presets: Vec<Preset> = Vec::new();
    for p in &req.presets {
        if !presets.contains(p) {
            presets.push(*p);
        }
    }
    if presets.is_empty() {
        return Err(ApiError::invalid("choose at least one preset").into());
    }
    let mut ids = Vec::with_capacity(req.asset_ids.len());
    let mut first_name = String::new();
    for raw in &req.asset_ids {
        let id: AssetId = model::ids::parse_id(raw)?;
        let asset = assets::authorized(conn, user, id, Action::View).await?;
        let version = assets::version(conn, &asset, None).await?;
        if asset.project_id != project.0 || asset.media_type != MediaType::Video.as_str() {
            return Err(ApiError::invalid(format!("{} is not a video of this project", asset.name)).into());
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
                let job = queue::enqueue(conn, &RenderExport { export_id: id }).await?;
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

/// Render one export.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RenderExport {
    /// The export.
    pub export_id: Uuid,
}

async fn set(conn: &mut AsyncPgConnection, id: Uuid, progress: i16) -> DomainResult<()> {
    diesel::update(exports::table.find(id).filter(exports::state.eq("running")))
        .set(exports::progress.eq(progress))
        .execute(conn)
        .await?;
    Ok(())
}

impl Job for RenderExport {
    const KIND: &'static str = "render_export";
    const MAX_ATTEMPTS: i32 = 2;

    fn dedupe_key(&self) -> Option<String> {
        Some(self.export_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let mut conn = crate::db::conn(&state.db).await?;
        let started: Option<ExportRow> = diesel::update(
            exports::table
                .find(self.export_id)
                .filter(exports::state.eq_any(["queued", "running"])),
        )
        .set((exports::state.eq("running"), exports::progress.eq(0)))
        .returning(ExportRow::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?;
        // Cancelled (or gone) meanwhile.
        let Some(row) = started else { return Ok(()) };
        let result = make(&ctx, &state, &mut conn, &row).await;
        if let Err(e) = &result {
            let last = e.downcast_ref::<Permanent>().is_some() || ctx.attempt >= Self::MAX_ATTEMPTS;
            if last {
                diesel::update(exports::table.find(row.id).filter(exports::state.eq("running")))
                    .set((
                        exports::state.eq("failed"),
                        exports::error.eq(e.to_string()),
                        exports::finished_at.eq(Utc::now()),
                    ))
                    .execute(&mut conn)
                    .await?;
            }
        }
        result
    }
}

async fn make(
    ctx: &JobContext,
    state: &crate::AppState,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
) -> anyhow::Result<()> {
    let work = tempfile::Builder::new().prefix("dailies-export-").tempdir()?;
    let mut parts = Vec::with_capacity(row.asset_ids.len());
    let mut first: Option<Version> = None;
    for (i, id) in row.asset_ids.iter().enumerate() {
        let asset = assets::find(conn, AssetId(*id)).await?;
        let version = assets::version(conn, &asset, None).await?;
        let key = ObjectKey::Original {
            asset: asset.id,
            version: version.number,
        };
        let path = local_copy(&state.storage, &key, work.path(), &format!("part-{i}")).await?;
        let meta = version.metadata();
        parts.push(Part {
            path,
            seconds: meta.duration_seconds.unwrap_or(0.0),
            has_audio: meta.audio_codec.is_some(),
        });
        first.get_or_insert(version);
    }
    let meta = first.map(|v| v.metadata()).unwrap_or_default();
    let rate = meta.frame_rate.unwrap_or(Rational::FALLBACK_RATE);
    let preset = row.preset();
    let frame = Frame::for_preset(preset, meta.width.unwrap_or(1920), meta.height.unwrap_or(1080), rate);
    let safe: String = row
        .title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let file_name = format!("{} {}.{}", safe.trim(), preset.as_str(), preset.extension());
    let out = work.path().join(format!("out.{}", preset.extension()));
    let tags = Tags {
        title: row.title.clone(),
        date: Utc::now().format("%Y-%m-%d").to_string(),
    };
    let (tx, mut rx) = tokio::sync::watch::channel(0u8);
    let encode = async {
        let mut report = |p: u8| {
            let _ = tx.send(p);
        };
        render(&state.tools, &parts, frame, preset, &tags, &out, &mut report).await
    };
    tokio::pin!(encode);
    let mut shown = 0u8;
    loop {
        tokio::select! {
            r = &mut encode => {
                r.map_err(|e| anyhow::Error::new(Permanent(format!("rendering failed: {e}"))))?;
                break;
            }
            changed = rx.changed() => {
                if changed.is_ok() {
                    let p = *rx.borrow_and_update();
                    if p >= shown.saturating_add(2) {
                        shown = p;
                        let _ = ctx.progress(p, "rendering").await;
                        set(conn, row.id, i16::from(p)).await?;
                    }
                }
            }
        }
    }
    let file = tokio::fs::File::open(&out).await?;
    let size = file.metadata().await?.len() as i64;
    let key = ObjectKey::Export {
        export: row.id,
        name: file_name.clone(),
    };
    let stream = tokio_util::io::ReaderStream::with_capacity(file, 1024 * 1024);
    state.storage.put_stream(&key, stream).await?;
    let now = Utc::now();
    let keep = chrono::Duration::from_std(state.settings.export_retention).unwrap_or(chrono::Duration::days(7));
    conn.transaction::<_, DomainError, _>(async |conn| {
        let done: Option<ExportRow> = diesel::update(exports::table.find(row.id).filter(exports::state.eq("running")))
            .set((
                exports::state.eq("done"),
                exports::progress.eq(100),
                exports::file_name.eq(&file_name),
                exports::size.eq(size),
                exports::finished_at.eq(now),
                exports::expires_at.eq(now + keep),
            ))
            .returning(ExportRow::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        if let Some(done) = done {
            let payload = serde_json::json!({ "export": done.dto() });
            let actor = done.created_by.map(UserId);
            let event = NewEvent::about(ProjectId(done.project_id), None, actor, kind::EXPORT_FINISHED, payload)?;
            events::publish(conn, event).await?;
        }
        Ok(())
    })
    .await?;
    tracing::info!(export.id = %row.id, preset = preset.as_str(), bytes = size, "export finished");
    Ok(())
}
