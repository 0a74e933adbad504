//! Watermarked media for links that ask for it: the link's text and date burned into every
//! thumbnail, preview, poster and proxy its guests are served. Made by jobs (warmed for what
//! the link covers when it is made, on demand for what a living folder gains later) and kept
//! per link under `shares/{link}/`, keyed by a digest of the text so a new text is a new file.

use super::guest::covered_ids;
use super::Link;
use crate::assets::{self, Version};
use crate::error::DomainResult;
use crate::ingest::local_copy;
use crate::jobs::{queue, Job, JobContext};
use crate::schema::share_links;
use crate::storage::{hex, ObjectKey, Storage};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use media::watermark::{burn, Canvas};
use model::asset::VersionState;
use model::share::ShareState;
use model::{ApiError, AssetId, ErrorCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The derivatives a watermarked link serves marked; it serves no others but the waveform
/// (a filmstrip's tiles are too small to carry a mark, so those links show none).
pub const MARKED: [&str; 6] = [
    "thumb-256.jpg",
    "thumb-512.jpg",
    "thumb-1024.jpg",
    "preview.jpg",
    "poster.jpg",
    "proxy.mp4",
];

/// Derivatives served as they are on every link: data, not pictures.
pub const UNMARKED: [&str; 1] = ["waveform.json"];

/// A link's watermark text, trimmed: 1–120 characters, no control characters.
pub fn checked_text(raw: &str) -> DomainResult<String> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > 120 || text.chars().any(char::is_control) {
        return Err(ApiError::invalid("a watermark needs 1 to 120 characters on one line").into());
    }
    Ok(text.to_owned())
}

/// What is burned in for `link`: its text and the day it was made, or `None` without one.
pub fn burned_text(link: &Link) -> Option<String> {
    let text = link.watermark.as_deref()?;
    Some(format!("{text} · {}", link.created_at.format("%Y-%m-%d")))
}

/// The digest naming one text's copies.
fn stamp(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes())[..8])
}

/// Where the marked copy of derivative `name` of `asset`'s version `version` is kept for `link`.
fn key(link: Uuid, text: &str, asset: Uuid, version: i32, name: &str) -> ObjectKey {
    ObjectKey::Watermarked {
        share: link,
        stamp: stamp(text),
        asset,
        version,
        name: name.to_owned(),
    }
}

/// Where to serve derivative `name` of `version` from on `link`: `None` for the plain file
/// (the link has no watermark, or the file is data), the marked copy when it is made. When it
/// is not made yet, queues it and answers `not_ready`; files that cannot carry a mark are
/// `not_found`.
pub async fn route(
    conn: &mut AsyncPgConnection,
    storage: &Storage,
    link: &Link,
    version: &Version,
    name: &str,
) -> DomainResult<Option<ObjectKey>> {
    let Some(text) = burned_text(link) else {
        return Ok(None);
    };
    if UNMARKED.contains(&name) {
        return Ok(None);
    }
    if !MARKED.contains(&name) {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("watermarked links do not serve the {name}"),
        )
        .into());
    }
    if !version.has(name) {
        let code = match version.state() {
            VersionState::Uploading | VersionState::Processing => ErrorCode::NotReady,
            _ => ErrorCode::NotFound,
        };
        return Err(ApiError::new(code, format!("this asset has no {name} yet")).into());
    }
    let key = key(link.id, &text, version.asset_id, version.number, name);
    let stored = storage.size(&key).await;
    if stored
        .map_err(|e| crate::error::DomainError::Internal(e.to_string()))?
        .is_some()
    {
        return Ok(Some(key));
    }
    queue::enqueue(conn, &BurnWatermark::new(link.id, version, name)).await?;
    Err(ApiError::new(
        ErrorCode::NotReady,
        "the watermarked copy is being made; it is ready in a moment",
    )
    .into())
}

/// Queues the deletion of the copies made for `before` (the link as it was) when its burned
/// text is changing: all of them when `all` (revoked), else only the old text's.
pub async fn drop_stale(conn: &mut AsyncPgConnection, before: &Link, all: bool) -> DomainResult<()> {
    let Some(text) = burned_text(before) else {
        return Ok(());
    };
    let job = DropWatermarks {
        share_id: before.id,
        stamp: (!all).then(|| stamp(&text)),
    };
    queue::enqueue(conn, &job).await?;
    Ok(())
}

/// Queues the marked copies of everything `link` covers now (in the caller's transaction).
pub async fn warm(conn: &mut AsyncPgConnection, link: Uuid) -> DomainResult<()> {
    queue::enqueue(conn, &WarmWatermarks { share_id: link }).await?;
    Ok(())
}

/// Burn one derivative of one version for one link.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BurnWatermark {
    /// The link.
    pub share_id: Uuid,
    /// Asset.
    pub asset_id: Uuid,
    /// Version number.
    pub version: i32,
    /// Derivative file name (one of [`MARKED`]).
    pub name: String,
}

impl BurnWatermark {
    fn new(share: Uuid, version: &Version, name: &str) -> BurnWatermark {
        BurnWatermark {
            share_id: share,
            asset_id: version.asset_id,
            version: version.number,
            name: name.to_owned(),
        }
    }
}

async fn live_link(conn: &mut AsyncPgConnection, id: Uuid) -> DomainResult<Option<Link>> {
    let link = share_links::table
        .find(id)
        .select(Link::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok(link.filter(|l| l.state() == ShareState::Active && l.watermark.is_some()))
}

impl Job for BurnWatermark {
    const KIND: &'static str = "burn_watermark";
    const MAX_ATTEMPTS: i32 = 3;

    fn dedupe_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}:{}",
            self.share_id, self.asset_id, self.version, self.name
        ))
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let (link, version) = {
            let mut conn = crate::db::conn(&state.db).await?;
            // A link revoked (or unmarked) since needs nothing.
            let Some(link) = live_link(&mut conn, self.share_id).await? else {
                return Ok(());
            };
            let asset = assets::find(&mut conn, AssetId(self.asset_id)).await?;
            let version = assets::version(&mut conn, &asset, Some(self.version)).await?;
            (link, version)
        };
        let (Some(text), true) = (burned_text(&link), MARKED.contains(&self.name.as_str())) else {
            return Ok(());
        };
        let to = key(link.id, &text, self.asset_id, self.version, &self.name);
        if state.storage.size(&to).await?.is_some() || !version.has(&self.name) {
            return Ok(());
        }
        let work = tempfile::Builder::new().prefix("dailies-watermark-").tempdir()?;
        let from = ObjectKey::Derivative {
            asset: self.asset_id,
            version: self.version,
            name: self.name.clone(),
        };
        let input = local_copy(&state.storage, &from, work.path(), &self.name).await?;
        let out = work.path().join(format!("marked-{}", self.name));
        let canvas = if self.name.ends_with(".mp4") {
            Canvas::Video {
                seconds: version.metadata().duration_seconds,
            }
        } else {
            Canvas::Still
        };
        burn(&state.tools, &input, &out, &text, canvas).await?;
        let file = tokio::fs::File::open(&out).await?;
        let stream = tokio_util::io::ReaderStream::with_capacity(file, 1024 * 1024);
        state.storage.put_stream(&to, stream).await?;
        tracing::info!(share.id = %link.id, asset.id = %self.asset_id, file = %self.name, "watermarked copy made");
        Ok(())
    }
}

/// Queue the marked copies of what a link covers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WarmWatermarks {
    /// The link.
    pub share_id: Uuid,
}

impl Job for WarmWatermarks {
    const KIND: &'static str = "warm_watermarks";

    fn dedupe_key(&self) -> Option<String> {
        Some(self.share_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let mut conn = crate::db::conn(&state.db).await?;
        let Some(link) = live_link(&mut conn, self.share_id).await? else {
            return Ok(());
        };
        for id in covered_ids(&mut conn, &link).await? {
            let asset = assets::find(&mut conn, AssetId(id)).await?;
            let version = assets::version(&mut conn, &asset, None).await?;
            for name in MARKED.iter().filter(|n| version.has(n)) {
                queue::enqueue(&mut conn, &BurnWatermark::new(link.id, &version, name)).await?;
            }
        }
        Ok(())
    }
}

/// Delete a link's marked copies: all of them (revoked), or one old text's.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DropWatermarks {
    /// The link.
    pub share_id: Uuid,
    /// One text's digest; `None` for all.
    #[serde(default)]
    pub stamp: Option<String>,
}

impl Job for DropWatermarks {
    const KIND: &'static str = "drop_watermarks";

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("{}:{}", self.share_id, self.stamp.as_deref().unwrap_or("all")))
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let folder = ObjectKey::ShareFolder {
            share: self.share_id,
            stamp: self.stamp,
        };
        let removed = state.storage.delete_all_under(&folder).await?;
        tracing::info!(share.id = %self.share_id, files = removed, "watermarked copies deleted");
        Ok(())
    }
}
