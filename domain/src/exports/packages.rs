//! Exports that package files rather than render clips: the originals as uploaded, or the
//! web proxies and previews, in one ZIP; photos in a delivery size (1080 × 1080 JPEG, 2048 px
//! WebP) in one ZIP; a contact sheet PDF. Made by the same job as renditions; a ZIP is
//! streamed into the store as it is written (no copy of the whole set anywhere else, memory
//! at one buffer), and once stored it has a length, so its download takes ranges and a
//! broken download resumes. Kept and cleaned up like renditions.

use super::render::{file_name, key, set};
use super::renditions::ExportRow;
use crate::assets::{self, Asset, Version};
use crate::downloads::{safe_name, unique};
use crate::ingest::local_copy;
use crate::jobs::{JobContext, Permanent};
use crate::schema::projects;
use crate::storage::ObjectKey;
use crate::AppState;
use async_zip::base::write::ZipFileWriter;
use async_zip::{Compression, ZipEntryBuilder};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use formats::pdf::{Entry, Jpeg, Layout, Report};
use futures::io::AsyncWriteExt;
use futures::StreamExt;
use media::deliver::{deliver, Delivery};
use model::export::Preset;
use model::review::ReviewStatus;
use model::AssetId;
use std::collections::HashSet;
use std::path::Path;

/// Assets one package may hold.
pub const MAX_FILES: usize = 500;

/// Makes the package of `row` (scratch files in `work`) and stores it; returns its name and
/// size.
pub async fn make(
    ctx: &JobContext,
    state: &AppState,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
    work: &Path,
) -> anyhow::Result<(String, i64)> {
    let preset = row.preset();
    let mut members = Vec::with_capacity(row.asset_ids.len());
    for id in &row.asset_ids {
        let asset = assets::find(conn, AssetId(*id)).await?;
        let version = assets::version(conn, &asset, None).await?;
        members.push((asset, version));
    }
    let name = file_name(row, preset.extension());
    let target = key(row, &name);
    if preset == Preset::ContactSheet {
        let pdf = contact_sheet(ctx, state, conn, row, &members, work).await?;
        let size = pdf.len() as i64;
        state.storage.put_bytes(&target, pdf.into()).await?;
        return Ok((name, size));
    }
    let (reader, writer) = tokio::io::duplex(256 * 1024);
    let upload = state
        .storage
        .put_stream(&target, tokio_util::io::ReaderStream::with_capacity(reader, 256 * 1024));
    // The writer ends (closing the pipe) before the upload sees the end; a writer error must
    // not leave a short archive behind.
    match tokio::join!(zip(ctx, state, conn, row, &members, work, writer), upload) {
        (Ok(()), Ok(stored)) => Ok((name, stored.size as i64)),
        (Err(e), _) => {
            let _ = state.storage.delete(&target).await;
            Err(e)
        }
        (Ok(()), Err(e)) => Err(e.into()),
    }
}

async fn report(
    ctx: &JobContext,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
    done: usize,
    of: usize,
) -> anyhow::Result<()> {
    let p = (done * 95 / of.max(1)) as u8;
    let _ = ctx.progress(p, "packing").await;
    set(conn, row.id, i16::from(p)).await?;
    Ok(())
}

/// A ZIP of stored entries: each original streamed from the store, or each photo made in
/// the preset's size.
async fn zip(
    ctx: &JobContext,
    state: &AppState,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
    members: &[(Asset, Version)],
    work: &Path,
    out: tokio::io::DuplexStream,
) -> anyhow::Result<()> {
    let fail = |e: async_zip::error::ZipError| anyhow::anyhow!("zip: {e}");
    let mut zip = ZipFileWriter::with_tokio(out);
    let mut taken = HashSet::new();
    let delivery = match row.preset() {
        Preset::JpegSquare => Some(Delivery::SquareJpeg(1080)),
        Preset::Webp2048 => Some(Delivery::WebpLongEdge(2048)),
        _ => None,
    };
    for (i, (asset, version)) in members.iter().enumerate() {
        let (name, source) = match delivery {
            None if row.preset() == Preset::ZipProxy => match version.web_copy() {
                Some((ext, key)) => (format!("{}.{ext}", version.stem()), key),
                None => {
                    // Nothing web-sized (audio without a proxy): left out.
                    report(ctx, conn, row, i + 1, members.len()).await?;
                    continue;
                }
            },
            None => (
                version.original_name.clone(),
                ObjectKey::Original {
                    asset: asset.id,
                    version: version.number,
                },
            ),
            Some(d) => {
                let preview = version.derivative("preview.jpg");
                let input = local_copy(&state.storage, &preview, work, &format!("in-{i}.jpg")).await?;
                let made = work.join(format!("photo-{i}.{}", d.extension()));
                deliver(&state.tools, &input, &made, d)
                    .await
                    .map_err(|e| anyhow::Error::new(Permanent(format!("{}: {e}", asset.name))))?;
                let bytes = tokio::fs::read(&made).await?;
                let _ = tokio::fs::remove_file(&made).await;
                let entry = ZipEntryBuilder::new(
                    unique(safe_name(&format!("{}.{}", version.stem(), d.extension())), &mut taken).into(),
                    Compression::Stored,
                );
                zip.write_entry_whole(entry, &bytes).await.map_err(fail)?;
                report(ctx, conn, row, i + 1, members.len()).await?;
                continue;
            }
        };
        let entry = ZipEntryBuilder::new(unique(safe_name(&name), &mut taken).into(), Compression::Stored);
        let (_, mut stream) = state.storage.get_stream(&source).await?;
        let mut writer = zip.write_entry_stream(entry).await.map_err(fail)?;
        while let Some(chunk) = stream.next().await {
            writer.write_all(&chunk?).await?;
        }
        writer.close().await.map_err(fail)?;
        report(ctx, conn, row, i + 1, members.len()).await?;
    }
    let mut pipe = zip.close().await.map_err(fail)?;
    pipe.close().await?;
    Ok(())
}

/// Two photos to a row with each one's name, stars, label and status (the comment report's
/// contact-sheet layout), after a cover naming the project and the count.
async fn contact_sheet(
    ctx: &JobContext,
    state: &AppState,
    conn: &mut AsyncPgConnection,
    row: &ExportRow,
    members: &[(Asset, Version)],
    work: &Path,
) -> anyhow::Result<Vec<u8>> {
    let project: String = projects::table
        .find(row.project_id)
        .select(projects::name)
        .first(conn)
        .await?;
    let mut entries = Vec::with_capacity(members.len());
    for (i, (asset, version)) in members.iter().enumerate() {
        let image = if version.has("thumb-1024.jpg") {
            let key = version.derivative("thumb-1024.jpg");
            let path = local_copy(&state.storage, &key, work, &format!("thumb-{i}.jpg")).await?;
            let raw = tokio::fs::read(&path).await?;
            tokio::task::spawn_blocking(move || media::drawing::burn_jpeg(&raw, None, 800))
                .await?
                .ok()
                .map(|(bytes, width, height)| Jpeg { bytes, width, height })
        } else {
            None
        };
        let stars = match asset.rating {
            -1 => "Rejected".to_owned(),
            0 => "No stars".to_owned(),
            n => format!("{n} star{}", if n == 1 { "" } else { "s" }),
        };
        let label = asset
            .label
            .as_deref()
            .map(|l| format!(" · {l} label"))
            .unwrap_or_default();
        let fields = asset.fields();
        let mut text = fields.description.clone();
        if !fields.tags.is_empty() {
            text = format!("{text}\nTags: {}", fields.tags.join(", ")).trim().to_owned();
        }
        entries.push(Entry {
            heading: asset.name.clone(),
            author: format!("{stars}{label}"),
            status: ReviewStatus::parse(&asset.review_status)
                .unwrap_or_default()
                .label()
                .to_owned(),
            text,
            replies: Vec::new(),
            image,
        });
        report(ctx, conn, row, i + 1, members.len()).await?;
    }
    let chosen = members.iter().filter(|(a, _)| a.rating >= 4).count();
    let sheet = Report {
        title: row.title.clone(),
        lines: vec![
            format!("Project: {project}"),
            format!("{} photos · {chosen} with 4 or 5 stars", members.len()),
            format!("Made {}", chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")),
        ],
        entries,
        layout: Layout::ContactSheet,
    };
    Ok(tokio::task::spawn_blocking(move || formats::pdf::write(&sheet)).await?)
}
