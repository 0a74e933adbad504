//! The export job: renders clips (or makes a package, see [`super::packages`]) into a local
//! file, stores it, marks the export done and tells the project — progress and state go to
//! open pages as `export.progress` events as it runs.

use super::renditions::ExportRow;
use crate::assets::{self, Version};
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::ingest::local_copy;
use crate::jobs::{Job, JobContext, Permanent};
use crate::schema::exports;
use crate::storage::ObjectKey;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use media::render::{render, Frame, Part, Tags};
use model::live::kind;
use model::{AssetId, ProjectId, Rational, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Render one export.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RenderExport {
    /// The export.
    pub export_id: Uuid,
}

/// Records an export's progress (while it runs) and sends it to the project's open pages.
pub(super) async fn set(conn: &mut AsyncPgConnection, id: Uuid, progress: i16) -> DomainResult<()> {
    let row: Option<ExportRow> = diesel::update(exports::table.find(id).filter(exports::state.eq("running")))
        .set(exports::progress.eq(progress))
        .returning(ExportRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    match row {
        Some(row) => tell(conn, &row).await,
        None => Ok(()),
    }
}

/// Publishes `export.progress` with the export's state and progress (team-only).
async fn tell(conn: &mut AsyncPgConnection, row: &ExportRow) -> DomainResult<()> {
    let payload = serde_json::json!({ "export": row.id, "state": row.state, "progress": row.progress });
    let actor = row.created_by.map(UserId);
    let event = NewEvent::about(ProjectId(row.project_id), None, actor, kind::EXPORT_PROGRESS, payload)?.private(true);
    events::publish(conn, event).await?;
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
        tell(&mut conn, &row).await?;
        let result = make(&ctx, &state, &mut conn, &row).await;
        if let Err(e) = &result {
            let last = e.downcast_ref::<Permanent>().is_some() || ctx.attempt >= Self::MAX_ATTEMPTS;
            if last {
                let failed: Option<ExportRow> =
                    diesel::update(exports::table.find(row.id).filter(exports::state.eq("running")))
                        .set((
                            exports::state.eq("failed"),
                            exports::error.eq(e.to_string()),
                            exports::finished_at.eq(Utc::now()),
                        ))
                        .returning(ExportRow::as_returning())
                        .get_result(&mut conn)
                        .await
                        .optional()?;
                if let Some(failed) = failed {
                    tell(&mut conn, &failed).await?;
                }
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
    let (file_name, size) = if row.preset().is_video() {
        let (out, file_name) = render_clips(ctx, state, conn, row, work.path()).await?;
        let file = tokio::fs::File::open(&out).await?;
        let stream = tokio_util::io::ReaderStream::with_capacity(file, 1024 * 1024);
        let stored = state.storage.put_stream(&key(row, &file_name), stream).await?;
        (file_name, stored.size as i64)
    } else {
        super::packages::make(ctx, state, conn, row, work.path()).await?
    };
    finish(state, conn, row, file_name, size).await
}

/// Where the finished file of `row` named `name` is stored.
pub(super) fn key(row: &ExportRow, name: &str) -> ObjectKey {
    ObjectKey::Export {
        export: row.id,
        name: name.to_owned(),
    }
}

/// The file's name for `row` with `extension`: its title, made safe, and the preset.
pub(super) fn file_name(row: &ExportRow, extension: &str) -> String {
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
    format!("{} {}.{extension}", safe.trim(), row.preset)
}

/// Joins the clips into one file in the preset; returns it and its name.
async fn render_clips(
    ctx: &JobContext,
    state: &crate::AppState,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
    work: &std::path::Path,
) -> anyhow::Result<(std::path::PathBuf, String)> {
    let mut parts = Vec::with_capacity(row.asset_ids.len());
    let mut first: Option<Version> = None;
    for (i, id) in row.asset_ids.iter().enumerate() {
        let asset = assets::find(conn, AssetId(*id)).await?;
        let version = assets::version(conn, &asset, None).await?;
        let key = ObjectKey::Original {
            asset: asset.id,
            version: version.number,
        };
        let path = local_copy(&state.storage, &key, work, &format!("part-{i}")).await?;
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
    let file_name = file_name(row, preset.extension());
    let out = work.join(format!("out.{}", preset.extension()));
    let tags = Tags {
        title: row.title.clone(),
        date: Utc::now().format("%Y-%m-%d").to_string(),
    };
    let (tx, mut rx) = tokio::sync::watch::channel(0u8);
    let target = out.clone();
    let encode = async move {
        let mut report = |p: u8| {
            let _ = tx.send(p);
        };
        render(&state.tools, &parts, frame, preset, &tags, &target, &mut report).await
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
    Ok((out, file_name))
}

/// Marks the export done with its stored file (unless cancelled meanwhile) and tells the
/// project.
async fn finish(
    state: &crate::AppState,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
    file_name: String,
    size: i64,
) -> anyhow::Result<()> {
    let preset = row.preset();
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
