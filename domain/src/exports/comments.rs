//! An asset's comments as a file: CSV (every comment and reply), or markers for an editing
//! timeline — Resolve marker EDL, Premiere (FCP7 XML), Final Cut Pro (FCPXML), Avid locators —
//! for a version of a clip, filtered by resolution and author.

use super::ExportFile;
use crate::assets::{self, Version};
use crate::error::DomainResult;
use diesel_async::AsyncPgConnection;
use formats::{Clip, Color, Marker};
use model::asset::MediaType;
use model::permission::Action;
use model::rational::Rational;
use model::review::CommentDto;
use model::timecode::clip_start;
use model::{ApiError, AssetId, UserId};

/// The file formats comments export to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentFormat {
    /// Spreadsheet.
    Csv,
    /// DaVinci Resolve marker EDL.
    Edl,
    /// Premiere Pro (FCP7 XML).
    Xmeml,
    /// Final Cut Pro (FCPXML 1.9).
    Fcpxml,
    /// Avid Media Composer locators.
    Avid,
}

impl CommentFormat {
    /// The format named `s` (`csv`, `edl`, `xmeml`, `fcpxml`, `avid`).
    pub fn parse(s: &str) -> Option<CommentFormat> {
        Some(match s {
            "csv" => CommentFormat::Csv,
            "edl" => CommentFormat::Edl,
            "xmeml" | "xml" | "premiere" => CommentFormat::Xmeml,
            "fcpxml" => CommentFormat::Fcpxml,
            "avid" => CommentFormat::Avid,
            _ => return None,
        })
    }

    fn file(self) -> (&'static str, &'static str) {
        match self {
            CommentFormat::Csv => ("comments.csv", "text/csv; charset=utf-8"),
            CommentFormat::Edl => ("markers.edl", "text/plain; charset=utf-8"),
            CommentFormat::Xmeml => ("markers.xml", "application/xml"),
            CommentFormat::Fcpxml => ("markers.fcpxml", "application/xml"),
            CommentFormat::Avid => ("locators.txt", "text/plain; charset=utf-8"),
        }
    }
}

/// Which comments go out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommentFilter {
    /// This version (default: the current one).
    pub version: Option<i32>,
    /// Only resolved (`true`) or only open (`false`) threads.
    pub resolved: Option<bool>,
    /// Only threads by this author (name, case-insensitive).
    pub author: Option<String>,
}

/// The clip a version is, for the marker writers.
pub(crate) fn clip_of(name: &str, version: &Version) -> Clip {
    let meta = version.metadata();
    let rate = meta.frame_rate.unwrap_or(Rational::FALLBACK_RATE);
    let (start, drop) = clip_start(meta.start_timecode.as_deref(), rate);
    Clip {
        name: name.to_owned(),
        rate,
        start,
        drop,
        frames: meta.frame_count.map_or(0, |c| c as i64),
        size: meta.width.zip(meta.height),
    }
}

/// The threads of `version` that pass `filter`, in reading order, each followed by its replies.
pub(super) fn chosen(all: Vec<CommentDto>, version: i32, filter: &CommentFilter) -> Vec<CommentDto> {
    let on_version: Vec<CommentDto> = all.into_iter().filter(|c| c.version == version).collect();
    let keep = |c: &CommentDto| {
        filter.resolved.is_none_or(|r| c.resolved == r)
            && filter
                .author
                .as_deref()
                .is_none_or(|a| c.author.name.eq_ignore_ascii_case(a.trim()))
    };
    let threads: Vec<model::CommentId> = on_version
        .iter()
        .filter(|c| c.parent_id.is_none() && keep(c))
        .map(|c| c.id)
        .collect();
    // Each thread, then its replies.
    let mut out = Vec::with_capacity(on_version.len());
    for t in &threads {
        out.extend(on_version.iter().filter(|c| c.id == *t).cloned());
        out.extend(on_version.iter().filter(|c| c.parent_id == Some(*t)).cloned());
    }
    out
}

/// A thread as a marker: its text with the replies under it; green when resolved.
fn marker(thread: &CommentDto, replies: &[&CommentDto]) -> Option<Marker> {
    let mut text = thread.body.clone();
    for r in replies {
        text.push_str(&format!("\n↳ {}: {}", r.author.name, r.body));
    }
    Some(Marker {
        frame_in: thread.frame_in?,
        frame_out: thread.frame_out.filter(|o| *o > thread.frame_in.unwrap_or(0)),
        author: thread.author.name.clone(),
        text,
        color: if thread.resolved { Color::Green } else { Color::Blue },
    })
}

/// The comments of `asset` as `format`, for a caller who may view it.
pub async fn export(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    format: CommentFormat,
    filter: &CommentFilter,
) -> DomainResult<ExportFile> {
    let row = assets::authorized(conn, user, asset, Action::View).await?;
    let version = assets::version(conn, &row, filter.version).await?;
    let comments = chosen(crate::comments::list(conn, user, asset).await?, version.number, filter);
    let stem = row
        .name
        .rsplit_once('.')
        .map_or(row.name.as_str(), |(s, _)| s)
        .to_owned();
    let (suffix, content_type) = format.file();
    let name = format!("{stem} v{} {suffix}", version.number);
    if format == CommentFormat::Csv {
        let body = formats::csv::write(&csv_rows(&comments))
            .map_err(|e| crate::error::DomainError::Internal(e.to_string()))?;
        return Ok(ExportFile {
            name,
            content_type,
            body: body.into_bytes(),
        });
    }
    if row.media_type != MediaType::Video.as_str() {
        return Err(ApiError::invalid("markers are for video clips; export a photo's comments as CSV").into());
    }
    let clip = clip_of(&row.name, &version);
    let markers: Vec<Marker> = comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .filter_map(|t| {
            let replies: Vec<&CommentDto> = comments.iter().filter(|r| r.parent_id == Some(t.id)).collect();
            marker(t, &replies)
        })
        .collect();
    let body = match format {
        CommentFormat::Edl => formats::edl::write(&clip, &markers),
        CommentFormat::Xmeml => formats::xmeml::write(&clip, &markers),
        CommentFormat::Fcpxml => formats::fcpxml::write(&clip, &markers),
        CommentFormat::Avid => formats::avid::write(&clip, &markers),
        CommentFormat::Csv => String::new(),
    };
    Ok(ExportFile {
        name,
        content_type,
        body: body.into_bytes(),
    })
}

fn csv_rows(comments: &[CommentDto]) -> Vec<formats::csv::Row> {
    let mut thread = 0;
    let mut numbers: Vec<(model::CommentId, usize)> = Vec::new();
    comments
        .iter()
        .map(|c| {
            let n = match c.parent_id {
                None => {
                    thread += 1;
                    numbers.push((c.id, thread));
                    thread
                }
                Some(p) => numbers.iter().find(|(id, _)| *id == p).map_or(0, |(_, n)| *n),
            };
            formats::csv::Row {
                thread: n,
                reply: c.parent_id.is_some(),
                version: c.version,
                timecode_in: c.timecode_in.clone(),
                timecode_out: c.timecode_out.clone(),
                frame_in: c.frame_in,
                frame_out: c.frame_out,
                x: c.x.map(|v| v as f32),
                y: c.y.map(|v| v as f32),
                author: c.author.name.clone(),
                text: c.body.clone(),
                drawing: c.annotation.is_some(),
                status: if c.resolved { "resolved".into() } else { "open".into() },
                created_at: c.created_at.to_rfc3339(),
            }
        })
        .collect()
}
