//! The PDF comment report: a cover, then each thread with its frame grab (from the web proxy,
//! at the comment's frame) or the photo's preview, the drawing burned in by the same piet
//! code the browser draws with, its timecode or pin, author, status, text and replies.

use super::comments::{chosen, CommentFilter};
use super::ExportFile;
use crate::assets::{self, Version};
use crate::error::{DomainError, DomainResult};
use crate::ingest::local_copy;
use crate::schema::projects;
use crate::AppState;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use formats::pdf::{Entry, Jpeg, Layout, Report};
use model::asset::MediaType;
use model::permission::Action;
use model::review::CommentDto;
use model::{AssetId, Timecode, UserId};

/// Threads with a picture at most; later ones are listed without one.
const MAX_PICTURES: usize = 200;

fn internal(e: impl std::fmt::Display) -> DomainError {
    DomainError::Internal(e.to_string())
}

/// The report of `asset`'s comments (those `filter` keeps) for a caller who may view it.
pub async fn pdf(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    user: UserId,
    asset: AssetId,
    filter: &CommentFilter,
) -> DomainResult<ExportFile> {
    let row = assets::authorized(conn, user, asset, Action::View).await?;
    let version = assets::version(conn, &row, filter.version).await?;
    let comments = chosen(crate::comments::list(conn, user, asset).await?, version.number, filter);
    let project: String = projects::table
        .find(row.project_id)
        .select(projects::name)
        .first(conn)
        .await?;
    let threads: Vec<&CommentDto> = comments.iter().filter(|c| c.parent_id.is_none()).collect();
    let video = row.media_type == MediaType::Video.as_str();
    let pictures = pictures(state, &version, &threads, video).await?;
    let resolved = threads.iter().filter(|t| t.resolved).count();
    let entries = threads
        .iter()
        .zip(pictures)
        .enumerate()
        .map(|(i, (t, image))| Entry {
            heading: heading(i + 1, t),
            author: t.author.name.clone(),
            status: if t.resolved { "Resolved".into() } else { "Open".into() },
            text: t.body.clone(),
            replies: comments
                .iter()
                .filter(|r| r.parent_id == Some(t.id))
                .map(|r| (r.author.name.clone(), r.body.clone()))
                .collect(),
            image,
        })
        .collect();
    let report = Report {
        title: row.name.clone(),
        lines: vec![
            format!("Project: {project}"),
            format!("Version {}", version.number),
            format!(
                "{} comments · {} open · {} resolved",
                threads.len(),
                threads.len() - resolved,
                resolved
            ),
            format!("Exported {}", chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")),
        ],
        entries,
        layout: if video { Layout::List } else { Layout::ContactSheet },
    };
    let body = tokio::task::spawn_blocking(move || formats::pdf::write(&report))
        .await
        .map_err(internal)?;
    let stem = row.name.rsplit_once('.').map_or(row.name.as_str(), |(s, _)| s);
    Ok(ExportFile {
        name: format!("{stem} v{} comments.pdf", version.number),
        content_type: "application/pdf",
        body,
    })
}

fn heading(n: usize, t: &CommentDto) -> String {
    match (&t.timecode_in, &t.timecode_out, t.x.zip(t.y)) {
        (Some(a), Some(b), _) => format!("#{n} · {a} – {b}"),
        (Some(a), None, _) => format!("#{n} · {a}"),
        (None, _, Some((x, y))) => format!("#{n} · pin at {:.0}% × {:.0}%", x * 100.0, y * 100.0),
        _ => format!("#{n}"),
    }
}

/// One picture per thread (or none): the frame grab of clips, the preview of photos.
async fn pictures(
    state: &AppState,
    version: &Version,
    threads: &[&CommentDto],
    video: bool,
) -> DomainResult<Vec<Option<Jpeg>>> {
    let work = tempfile::Builder::new()
        .prefix("dailies-report-")
        .tempdir()
        .map_err(internal)?;
    let source = if video { "proxy.mp4" } else { "preview.jpg" };
    let mut out = Vec::with_capacity(threads.len());
    if !version.has(source) {
        out.resize(threads.len(), None);
        return Ok(out);
    }
    let key = version.derivative(source);
    let input = local_copy(&state.storage, &key, work.path(), source)
        .await
        .map_err(internal)?;
    let rate = version.metadata().frame_rate.unwrap_or(model::Rational::FALLBACK_RATE);
    let preview = if video {
        None
    } else {
        Some(tokio::fs::read(&input).await.map_err(internal)?)
    };
    for (i, t) in threads.iter().enumerate() {
        if i >= MAX_PICTURES {
            out.push(None);
            continue;
        }
        let raw = match (&preview, t.frame_in) {
            (Some(bytes), _) => bytes.clone(),
            (None, Some(frame)) => {
                let grab = work.path().join(format!("grab-{i}.jpg"));
                let at = Timecode::new(frame, rate).seek_seconds();
                if media::video::grab(&state.tools, &input, &grab, at).await.is_err() {
                    out.push(None);
                    continue;
                }
                tokio::fs::read(&grab).await.map_err(internal)?
            }
            (None, None) => {
                out.push(None);
                continue;
            }
        };
        let annotation = t.annotation.clone();
        let max_width = if video { 1280 } else { 800 };
        let burned =
            tokio::task::spawn_blocking(move || media::drawing::burn_jpeg(&raw, annotation.as_ref(), max_width))
                .await
                .map_err(internal)?;
        out.push(burned.ok().map(|(bytes, width, height)| Jpeg { bytes, width, height }));
    }
    Ok(out)
}
