//! Processing: the job that turns a completed upload into a ready (or failed) version —
//! sniff by content, read metadata, render stills, make video derivatives — and the
//! periodic sweep of expired uploads.

use crate::assets::{self, Processed, Version};
use crate::jobs::{queue, Job, JobContext, Permanent};
use crate::storage::{ObjectKey, Storage};
use crate::AppState;
use bytes::Bytes;
use futures::StreamExt;
use media::convert;
use media::photo::{self, PhotoLimits};
use media::probe::{self, Probe};
use media::sniff::{self, Format, MediaKind};
use media::video;
use model::asset::{AssetMetadata, MediaType};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use uuid::Uuid;

/// Process one uploaded version.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProcessVersion {
    /// The version.
    pub version_id: Uuid,
}

impl Job for ProcessVersion {
    const KIND: &'static str = "process_version";
    const MAX_ATTEMPTS: i32 = 3;

    fn dedupe_key(&self) -> Option<String> {
        Some(self.version_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let result = process(&ctx, &state, self.version_id).await;
        if let Err(e) = &result {
            let last = e.downcast_ref::<Permanent>().is_some() || ctx.attempt >= Self::MAX_ATTEMPTS;
            if last {
                let reason = match e.downcast_ref::<Permanent>() {
                    Some(p) => p.0.clone(),
                    None => "processing failed repeatedly; an administrator can retry it from the jobs page".into(),
                };
                let mut conn = crate::db::conn(&state.db).await?;
                assets::mark_failed(&mut conn, self.version_id, &reason, None).await?;
            }
        }
        result
    }
}

/// The hourly housekeeping: deletes expired unfinished uploads, purges the trash past its
/// time, deletes exports past their retention, writes the notification digests (it
/// enqueues its successor).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExpireUploads {
    /// The hour it is for (dedupes the schedule).
    pub hour: i64,
}

impl Job for ExpireUploads {
    const KIND: &'static str = "expire_uploads";

    fn dedupe_key(&self) -> Option<String> {
        Some(self.hour.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let mut conn = crate::db::conn(&state.db).await?;
        let removed = crate::uploads::expire(&mut conn, &state.storage).await?;
        if removed > 0 {
            tracing::info!(uploads = removed, "expired unfinished uploads removed");
        }
        let purged = crate::bulk::purge_expired(&mut conn).await?;
        if purged > 0 {
            tracing::info!(assets = purged, "assets past their time in the trash purged");
        }
        let expired = crate::exports::renditions::purge_expired(&mut conn, &state.storage).await?;
        if expired > 0 {
            tracing::info!(exports = expired, "exports past their retention deleted");
        }
        crate::notifications::digest::send(&mut conn, &state.settings).await?;
        schedule_expiry(&mut conn).await?;
        Ok(())
    }
}

/// Makes sure the next hourly expiry sweep is queued.
pub async fn schedule_expiry(conn: &mut diesel_async::AsyncPgConnection) -> crate::DomainResult<()> {
    let next = chrono::Utc::now().timestamp() / 3600 + 1;
    let wait = Duration::from_secs((next * 3600 - chrono::Utc::now().timestamp()).max(1) as u64);
    queue::enqueue_at(conn, &ExpireUploads { hour: next }, wait).await?;
    Ok(())
}

/// An uploaded XMP sidecar: applied to the photo beside it (and its own asset removed), or
/// failed with the reason.
async fn sidecar(state: &AppState, version: &Version, path: &Path, head: &[u8]) -> anyhow::Result<()> {
    let mut conn = crate::db::conn(&state.db).await?;
    match crate::selects::apply_uploaded_sidecar(&mut conn, version, head, path).await {
        Ok(_) => Ok(()),
        Err(crate::error::DomainError::Api(e)) => Err(permanent(e.message)),
        Err(e) => Err(e.into()),
    }
}

fn permanent(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Permanent(msg.into()))
}

struct Progress<'a> {
    ctx: &'a JobContext,
    state: &'a AppState,
    version: Uuid,
    /// The last percent and phase announced as an event.
    announced: std::sync::Mutex<(u8, String)>,
}

impl Progress<'_> {
    async fn set(&self, percent: u8, phase: &str) {
        let _ = self.ctx.progress(percent, phase).await;
        // Every phase change, and every 5 % within one, is worth an event; finer steps only
        // update the row (the library refetches rows while processing).
        let announce = match self.announced.lock() {
            Ok(mut last) => {
                let due = last.1 != phase || percent >= last.0.saturating_add(5);
                if due {
                    *last = (percent, phase.to_owned());
                }
                due
            }
            Err(_) => false,
        };
        if let Ok(mut conn) = crate::db::conn(&self.state.db).await {
            let _ = assets::set_progress(&mut conn, self.version, percent, phase, announce).await;
        }
    }
}

/// A path holding the bytes of `key`: the stored file itself on local storage, else a copy
/// streamed to `work/{name}`.
pub(crate) async fn local_copy(storage: &Storage, key: &ObjectKey, work: &Path, name: &str) -> anyhow::Result<PathBuf> {
    if let Ok(path) = storage.local_path(key) {
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(path);
        }
    }
    let path = work.join(name);
    let (_, mut stream) = storage.get_stream(key).await?;
    let mut file = tokio::fs::File::create(&path).await?;
    while let Some(chunk) = stream.next().await {
        tokio::io::AsyncWriteExt::write_all(&mut file, &chunk?).await?;
    }
    tokio::io::AsyncWriteExt::flush(&mut file).await?;
    Ok(path)
}

async fn process(ctx: &JobContext, state: &AppState, version_id: Uuid) -> anyhow::Result<()> {
    let progress = Progress {
        ctx,
        state,
        version: version_id,
        announced: std::sync::Mutex::new((0, String::new())),
    };
    let version = {
        let mut conn = crate::db::conn(&state.db).await?;
        let v = assets::version_by_id(&mut conn, version_id).await?;
        if v.state() == model::asset::VersionState::Ready {
            return Ok(());
        }
        crate::uploads::settle(&mut conn, &state.storage, version_id).await?;
        v
    };
    progress.set(2, "reading").await;
    let key = ObjectKey::Original {
        asset: version.asset_id,
        version: version.number,
    };
    let work = tempfile::Builder::new().prefix("dailies-ingest-").tempdir()?;
    let original = local_copy(&state.storage, &key, work.path(), "original").await?;
    let mut head = vec![0u8; sniff::HEAD_LEN];
    let n = {
        let mut f = tokio::fs::File::open(&original).await?;
        let mut filled = 0;
        loop {
            let r = f.read(&mut head[filled..]).await?;
            if r == 0 || filled + r == head.len() {
                filled += r;
                break;
            }
            filled += r;
        }
        filled
    };
    if formats::xmp::looks_like_xmp(&head[..n]) {
        return sidecar(state, &version, &original, &head[..n]).await;
    }
    let Some(format) = sniff::sniff(&head[..n]) else {
        return Err(permanent(if n == 0 {
            "the file is empty".to_owned()
        } else {
            "the content is not an image, video or audio format Dailies can read".to_owned()
        }));
    };
    let kind = match format.kind() {
        MediaKind::Image => MediaType::Image,
        MediaKind::Video => MediaType::Video,
        MediaKind::Audio => MediaType::Audio,
    };
    assets::set_media_type(&mut *crate::db::conn(&state.db).await?, version.asset_id, kind).await?;
    let outcome = match format.kind() {
        MediaKind::Image => still(&progress, state, &version, format, &original, work.path()).await?,
        MediaKind::Video | MediaKind::Audio => av(&progress, state, &version, format, &original, work.path()).await?,
    };
    let mut conn = crate::db::conn(&state.db).await?;
    assets::mark_ready(&mut conn, &version, outcome).await?;
    if format.kind() == MediaKind::Image {
        // Embedded stars are a nicety: a refusal (the uploader lost their role) must not fail the upload.
        if let Err(e) = crate::selects::apply_embedded(&mut conn, &version, &original).await {
            tracing::warn!(error = %e, version = %version.id, "embedded XMP not applied");
        }
    }
    Ok(())
}

async fn put(state: &AppState, v: &Version, name: &str, bytes: Vec<u8>) -> anyhow::Result<String> {
    state.storage.put_bytes(&v.derivative(name), Bytes::from(bytes)).await?;
    Ok(name.to_owned())
}

async fn put_file(state: &AppState, v: &Version, name: &str, path: &Path) -> anyhow::Result<String> {
    let key = v.derivative(name);
    let file = tokio::fs::File::open(path).await?;
    let stream = tokio_util::io::ReaderStream::with_capacity(file, 1024 * 1024);
    state.storage.put_stream(&key, stream).await?;
    Ok(name.to_owned())
}

enum RenderFailure {
    /// The decoder could not read the file (another decoder may).
    Decode(String),
    /// Too large, or crashed: no second try.
    Other(String),
}

/// Renders a picture file into the standard sizes, off the async threads.
async fn render(path: PathBuf, orientation: Option<u16>) -> Result<photo::Rendered, RenderFailure> {
    match tokio::task::spawn_blocking(move || photo::render(&path, orientation, PhotoLimits::default())).await {
        Err(_) => Err(RenderFailure::Other("the image decoder crashed on this file".into())),
        Ok(Err(e @ photo::PhotoError::Decode(_))) => Err(RenderFailure::Decode(e.to_string())),
        Ok(Err(e)) => Err(RenderFailure::Other(e.to_string())),
        Ok(Ok(r)) => Ok(r),
    }
}

/// Stores the renditions; returns their names.
async fn store(state: &AppState, v: &Version, rendered: &photo::Rendered) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for r in &rendered.renditions {
        names.push(put(state, v, r.name, r.bytes.clone()).await?);
    }
    Ok(names)
}

async fn still(
    progress: &Progress<'_>,
    state: &AppState,
    v: &Version,
    format: Format,
    original: &Path,
    work: &Path,
) -> anyhow::Result<Processed> {
    progress.set(10, "metadata").await;
    let exif = {
        let path = original.to_path_buf();
        tokio::task::spawn_blocking(move || {
            let file = std::fs::File::open(path).ok()?;
            media::exif::read(&mut std::io::BufReader::new(file)).ok()
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
    };
    let exif = if media::exif::worth_completing(&exif, format) {
        media::exif::complete(&state.tools, original, exif).await
    } else {
        exif
    };
    progress.set(25, "decoding").await;
    let decodable = convert::decodable(&state.tools, format, original, exif.orientation, work)
        .await
        .map_err(|e| permanent(tool_message(&e.to_string(), original)))?;
    progress.set(50, "thumbnails").await;
    let rendered = match render(decodable.path.clone(), decodable.orientation).await {
        Err(RenderFailure::Decode(reason)) => {
            // The image crate refuses some valid files (lossless JPEG, 12-bit, odd TIFFs): let
            // ffmpeg decode them before giving up with the first reason.
            match convert::with_ffmpeg(&state.tools, &decodable.path, work).await {
                Ok(png) => render(png, Some(exif.orientation.unwrap_or(1)))
                    .await
                    .map_err(|_| permanent(reason.clone()))?,
                Err(_) => return Err(permanent(reason)),
            }
        }
        Err(RenderFailure::Other(reason)) => return Err(permanent(reason)),
        Ok(r) => r,
    };
    let derivatives = store(state, v, &rendered).await?;
    let metadata = AssetMetadata {
        width: Some(rendered.width),
        height: Some(rendered.height),
        camera_make: exif.camera_make,
        camera_model: exif.camera_model,
        lens: exif.lens,
        iso: exif.iso,
        aperture: exif.aperture,
        shutter_speed: exif.shutter_speed,
        focal_length_mm: exif.focal_length_mm,
        captured_at: exif.captured_at,
        gps_latitude: exif.gps_latitude,
        gps_longitude: exif.gps_longitude,
        orientation: exif.orientation,
        copyright: exif.copyright,
        color_space: exif.color_space,
        ..AssetMetadata::default()
    };
    Ok(Processed {
        media_type: Some(MediaType::Image),
        format: format!("{format:?}").to_lowercase(),
        mime: format.mime().to_owned(),
        metadata,
        derivatives,
        placeholder: Some(rendered.placeholder),
    })
}

/// The last meaningful line of a tool's complaint, without server paths.
fn tool_message(text: &str, original: &Path) -> String {
    let path = original.display().to_string();
    text.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("the decoder gave up")
        .replace(&path, "the file")
        .chars()
        .take(300)
        .collect()
}

fn probe_failed(e: probe::ProbeError, original: &Path) -> anyhow::Error {
    permanent(format!(
        "the file could not be read as audio or video: {}",
        tool_message(&e.to_string(), original)
    ))
}

fn tool_failed(what: &str, e: media::ProcessError, original: &Path) -> anyhow::Error {
    match e {
        media::ProcessError::Failed { stderr, .. } => {
            permanent(format!("{what} failed: {}", tool_message(&stderr, original)))
        }
        media::ProcessError::Timeout { seconds, .. } => permanent(format!("{what} took longer than {seconds} s")),
        other => anyhow::Error::new(other),
    }
}

async fn av(
    progress: &Progress<'_>,
    state: &AppState,
    v: &Version,
    format: Format,
    original: &Path,
    work: &Path,
) -> anyhow::Result<Processed> {
    progress.set(5, "probing").await;
    let probe: Probe = probe::probe_file(&state.tools, original)
        .await
        .map_err(|e| probe_failed(e, original))?;
    let mut derivatives = Vec::new();
    let mut placeholder = None;
    let mut tone_mapped = None;
    let media_type = if probe.video.is_some() {
        MediaType::Video
    } else {
        MediaType::Audio
    };
    if probe.video.is_none() && probe.audio.is_none() {
        return Err(permanent("the file has neither a video nor an audio stream"));
    }
    if probe.video.is_some() {
        progress.set(10, "poster").await;
        let poster = work.join("poster.jpg");
        video::poster(
            &state.tools,
            original,
            &poster,
            &probe,
            video::poster_time(probe.duration_seconds),
        )
        .await
        .map_err(|e| tool_failed("decoding a frame", e, original))?;
        let rendered = render(poster.clone(), Some(1)).await.map_err(|e| match e {
            RenderFailure::Decode(r) | RenderFailure::Other(r) => permanent(r),
        })?;
        derivatives.extend(store(state, v, &rendered).await?);
        derivatives.push(put_file(state, v, "poster.jpg", &poster).await?);
        placeholder = Some(rendered.placeholder);
        progress.set(20, "filmstrip").await;
        let sprite = work.join("filmstrip.jpg");
        match video::filmstrip(&state.tools, original, &sprite, &probe).await {
            Ok(Some(index)) if sprite.exists() => {
                derivatives.push(put_file(state, v, "filmstrip.jpg", &sprite).await?);
                let json = serde_json::to_vec(&index)?;
                derivatives.push(put(state, v, "filmstrip.json", json).await?);
            }
            Ok(_) => {}
            // A filmstrip is a nicety: the version is still usable without one.
            Err(e) => tracing::warn!(version = %v.id, error = %e, "filmstrip failed"),
        }
        progress.set(30, "proxy").await;
        let proxy = work.join("proxy.mp4");
        let (tx, mut rx) = tokio::sync::watch::channel(0u8);
        let encode = async {
            let mut report = |p: u8| {
                let _ = tx.send(p);
            };
            video::proxy(&state.tools, original, &proxy, &probe, &mut report).await
        };
        tokio::pin!(encode);
        let hdr = loop {
            tokio::select! {
                r = &mut encode => break r.map_err(|e| tool_failed("making the web proxy", e, original))?,
                changed = rx.changed() => {
                    if changed.is_ok() {
                        let p = *rx.borrow_and_update();
                        progress.set(30 + (u16::from(p) * 60 / 100) as u8, "proxy").await;
                    }
                }
            }
        };
        tone_mapped = hdr.then_some(true);
        derivatives.push(put_file(state, v, "proxy.mp4", &proxy).await?);
    }
    if probe.audio.is_some() {
        progress.set(92, "waveform").await;
        match video::waveform(&state.tools, original, &probe).await {
            Ok(Some(w)) => derivatives.push(put(state, v, "waveform.json", serde_json::to_vec(&w)?).await?),
            Ok(None) => {}
            Err(e) if media_type == MediaType::Audio => return Err(tool_failed("reading the audio", e, original)),
            Err(e) => tracing::warn!(version = %v.id, error = %e, "waveform failed"),
        }
    }
    let vi = probe.video.as_ref();
    let metadata = AssetMetadata {
        width: vi.map(|v| v.width),
        height: vi.map(|v| v.height),
        duration_seconds: probe.duration_seconds,
        frame_rate: vi.and_then(|v| v.frame_rate),
        frame_count: vi.and_then(|v| v.frame_count),
        video_codec: vi.map(|v| v.codec.clone()),
        audio_codec: probe.audio.as_ref().map(|a| a.codec.clone()),
        bitrate: probe.bitrate,
        start_timecode: probe.start_timecode.clone(),
        color_space: vi.and_then(|v| v.color_primaries.clone()),
        pixel_format: vi.and_then(|v| v.pixel_format.clone()),
        audio_channels: probe.audio.as_ref().and_then(|a| a.channels),
        audio_sample_rate: probe.audio.as_ref().and_then(|a| a.sample_rate),
        hdr_tone_mapped: tone_mapped,
        ..AssetMetadata::default()
    };
    Ok(Processed {
        media_type: Some(media_type),
        format: format!("{format:?}").to_lowercase(),
        mime: format.mime().to_owned(),
        metadata,
        derivatives,
        placeholder,
    })
}
