//! Video derivatives through ffmpeg: a poster frame (seeking before the input), a filmstrip
//! sprite from keyframes only, an H.264 web proxy (constant frame rate equal to the source's,
//! one-second closed GOPs, `+faststart`, starting at the source's first frame, colour tags
//! kept; HDR tone-mapped to SDR and labelled), and audio peaks.

use crate::probe::{Probe, VideoInfo};
use crate::process::{Process, ProcessError};
use crate::waveform::{PeakBuilder, Waveform, SAMPLE_RATE};
use model::asset::FilmstripIndex;
use std::path::Path;
use std::time::Duration;

/// Width of one filmstrip tile.
pub const TILE_WIDTH: u32 = 160;
/// Most tiles in a filmstrip.
pub const MAX_TILES: u32 = 100;

/// ffmpeg's filter that tone-maps PQ/HLG to BT.709 SDR (zimg + the `tonemap` filter).
const TONEMAP: &str =
    "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv";

pub(crate) fn ffmpeg_base() -> Vec<String> {
    ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// Square pixels first, then tone-mapping when the source is HDR.
fn picture_chain(v: &VideoInfo) -> String {
    let mut chain = vec!["scale=trunc(iw*sar/2)*2:ih,setsar=1".to_owned()];
    if v.is_hdr() {
        chain.push(TONEMAP.to_owned());
    }
    chain.join(",")
}

pub(crate) fn timeout_for(duration: Option<f64>, factor: f64) -> Duration {
    Duration::from_secs_f64(60.0 + duration.unwrap_or(60.0).max(0.0) * factor)
}

/// A sink for ffmpeg's `-progress pipe:1` lines that reports `out_time` as a percent of
/// `seconds` (at most `cap`) to `progress`.
pub(crate) fn progress_sink<'a>(
    seconds: f64,
    cap: u8,
    progress: &'a mut (dyn FnMut(u8) + Send),
) -> impl FnMut(&[u8]) + Send + 'a {
    let total_us = seconds * 1_000_000.0;
    let mut line = Vec::new();
    move |bytes: &[u8]| {
        for &b in bytes {
            if b == b'\n' {
                if let Some(us) = std::str::from_utf8(&line)
                    .ok()
                    .and_then(|l| l.strip_prefix("out_time_us="))
                    .and_then(|v| v.trim().parse::<f64>().ok())
                {
                    if total_us > 0.0 {
                        progress(((us / total_us) * 100.0).clamp(0.0, f64::from(cap)) as u8);
                    }
                }
                line.clear();
            } else if line.len() < 256 {
                line.push(b);
            }
        }
    }
}

/// Where to take the poster: one second in, or the middle of shorter clips.
pub fn poster_time(duration: Option<f64>) -> f64 {
    match duration {
        Some(d) if d > 2.0 => 1.0,
        Some(d) if d > 0.0 => d / 2.0,
        _ => 0.0,
    }
}

/// Writes a JPEG poster, at most 2048 px on its long edge, taken at `at` seconds.
pub async fn poster(process: &Process, input: &Path, out: &Path, probe: &Probe, at: f64) -> Result<(), ProcessError> {
    let Some(v) = &probe.video else {
        return Err(ProcessError::Io {
            program: "ffmpeg".into(),
            source: std::io::Error::other("no video stream"),
        });
    };
    let mut args = ffmpeg_base();
    args.extend([
        "-ss".into(),
        format!("{at:.3}"),
        "-i".into(),
        input.display().to_string(),
    ]);
    let vf = format!(
        "{},scale=w='min(2048,iw)':h='min(2048,ih)':force_original_aspect_ratio=decrease,format=yuvj420p",
        picture_chain(v)
    );
    args.extend(["-map", "0:v:0", "-frames:v", "1", "-vf", &vf, "-q:v", "2"].map(str::to_owned));
    args.push(out.display().to_string());
    let result = process.run("ffmpeg", &args, timeout_for(None, 0.0)).await;
    // Some files cannot be seek-decoded at `at` (a single frame, a broken index): use the first frame.
    if (result.is_err() || !out.exists()) && at > 0.0 {
        return Box::pin(poster(process, input, out, probe, 0.0)).await;
    }
    result.map(|_| ())
}

/// The shape of a filmstrip for a clip.
pub fn filmstrip_layout(probe: &Probe) -> Option<FilmstripIndex> {
    let v = probe.video.as_ref()?;
    let duration = probe.duration_seconds.filter(|d| *d > 0.0)?;
    let count = (duration.ceil() as u32).clamp(1, MAX_TILES);
    let columns = count.min(10);
    let rows = count.div_ceil(columns);
    let (w, h) = (v.width.max(1), v.height.max(1));
    let tile_height = ((f64::from(TILE_WIDTH) * f64::from(h) / f64::from(w) / 2.0).round() as u32 * 2).max(2);
    let interval = duration / f64::from(count);
    Some(FilmstripIndex {
        tile_width: TILE_WIDTH,
        tile_height,
        columns,
        rows,
        count,
        timestamps: (0..count)
            .map(|i| (f64::from(i) * interval * 1000.0).round() / 1000.0)
            .collect(),
    })
}

/// Writes the filmstrip sprite (JPEG) decoding keyframes only; returns its index.
pub async fn filmstrip(
    process: &Process,
    input: &Path,
    out: &Path,
    probe: &Probe,
) -> Result<Option<FilmstripIndex>, ProcessError> {
    let (Some(index), Some(v)) = (filmstrip_layout(probe), probe.video.as_ref()) else {
        return Ok(None);
    };
    let duration = probe.duration_seconds.unwrap_or(1.0);
    let interval = duration / f64::from(index.count);
    let mut args = ffmpeg_base();
    args.extend(["-skip_frame", "nokey", "-i"].map(str::to_owned));
    args.push(input.display().to_string());
    let vf = format!(
        "{},fps=1/{interval:.6}:round=down,scale={}:{},format=yuvj420p,tile={}x{}",
        picture_chain(v),
        index.tile_width,
        index.tile_height,
        index.columns,
        index.rows
    );
    args.extend(["-map", "0:v:0", "-an", "-vf", &vf, "-frames:v", "1", "-q:v", "4"].map(str::to_owned));
    args.push(out.display().to_string());
    process
        .run("ffmpeg", &args, timeout_for(probe.duration_seconds, 0.5))
        .await?;
    Ok(Some(index))
}

/// Writes the H.264 web proxy, reporting progress (0–100) as it goes. Returns whether the
/// picture was tone-mapped from HDR.
pub async fn proxy(
    process: &Process,
    input: &Path,
    out: &Path,
    probe: &Probe,
    progress: &mut (dyn FnMut(u8) + Send),
) -> Result<bool, ProcessError> {
    let Some(v) = &probe.video else {
        return Ok(false);
    };
    let rate = v.frame_rate.map_or("25/1".to_owned(), |r| r.to_string());
    let gop = v.frame_rate.map_or(25, |r| {
        ((f64::from(r.num()) / f64::from(r.den())).round() as u32).max(1)
    });
    let hdr = v.is_hdr();
    let mut args = ffmpeg_base();
    args.extend(["-i".to_owned(), input.display().to_string()]);
    let vf = format!(
        "{},scale=w='min(1920,iw)':h='min(1080,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2,setpts=PTS-STARTPTS,format=yuv420p",
        picture_chain(v)
    );
    args.extend(
        [
            "-map",
            "0:v:0",
            "-map",
            "0:a:0?",
            "-vf",
            &vf,
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "23",
            "-profile:v",
            "high",
            "-r",
            &rate,
            "-fps_mode",
            "cfr",
        ]
        .map(str::to_owned),
    );
    args.extend([
        "-g".to_owned(),
        gop.to_string(),
        "-keyint_min".to_owned(),
        gop.to_string(),
        "-sc_threshold".to_owned(),
        "0".to_owned(),
        "-flags".to_owned(),
        "+cgop".to_owned(),
    ]);
    let (primaries, transfer, matrix) = if hdr {
        (
            Some("bt709".to_owned()),
            Some("bt709".to_owned()),
            Some("bt709".to_owned()),
        )
    } else {
        (
            v.color_primaries.clone(),
            v.color_transfer.clone(),
            v.color_matrix.clone(),
        )
    };
    for (flag, value) in [
        ("-color_primaries", primaries),
        ("-color_trc", transfer),
        ("-colorspace", matrix),
    ] {
        if let Some(value) = value.filter(|s| !s.is_empty() && s != "unknown" && s != "reserved") {
            args.extend([flag.to_owned(), value]);
        }
    }
    if hdr {
        args.extend([
            "-metadata".to_owned(),
            "comment=Dailies SDR proxy tone-mapped from HDR (hable)".to_owned(),
        ]);
    }
    args.extend(
        [
            "-af",
            "aresample=async=1:first_pts=0",
            "-c:a",
            "aac",
            "-b:a",
            "160k",
            "-ac",
            "2",
            "-movflags",
            "+faststart+negative_cts_offsets",
            "-progress",
            "pipe:1",
            "-nostats",
        ]
        .map(str::to_owned),
    );
    args.push(out.display().to_string());
    let mut sink = progress_sink(probe.duration_seconds.unwrap_or(0.0), 100, progress);
    process
        .run_streaming("ffmpeg", &args, timeout_for(probe.duration_seconds, 4.0), &mut sink)
        .await?;
    Ok(hdr)
}

/// Computes the audio peaks of the first audio stream.
pub async fn waveform(process: &Process, input: &Path, probe: &Probe) -> Result<Option<Waveform>, ProcessError> {
    if probe.audio.is_none() {
        return Ok(None);
    }
    let mut builder = PeakBuilder::new(PeakBuilder::samples_per_pixel_for(probe.duration_seconds));
    let mut args = ffmpeg_base();
    args.extend(["-i".to_owned(), input.display().to_string()]);
    args.extend(
        [
            "-map",
            "0:a:0",
            "-vn",
            "-ac",
            "1",
            "-ar",
            &SAMPLE_RATE.to_string(),
            "-f",
            "s16le",
            "-acodec",
            "pcm_s16le",
            "pipe:1",
        ]
        .map(str::to_owned),
    );
    let mut sink = |bytes: &[u8]| builder.push(bytes);
    process
        .run_streaming("ffmpeg", &args, timeout_for(probe.duration_seconds, 0.5), &mut sink)
        .await?;
    Ok(Some(builder.finish()))
}

/// Writes the frame at `seconds` (aim at a frame's middle, see `Timecode::seek_seconds`) as a
/// JPEG at most 1280 px wide, for reports.
pub async fn grab(process: &Process, input: &Path, out: &Path, seconds: f64) -> Result<(), ProcessError> {
    let mut args = ffmpeg_base();
    args.extend([
        "-ss".into(),
        format!("{:.4}", seconds.max(0.0)),
        "-i".into(),
        input.display().to_string(),
    ]);
    args.extend(
        [
            "-map",
            "0:v:0",
            "-frames:v",
            "1",
            "-vf",
            "scale=w='min(1280,iw)':h=-2,format=yuvj420p",
            "-q:v",
            "3",
        ]
        .map(str::to_owned),
    );
    args.push(out.display().to_string());
    process.run("ffmpeg", &args, timeout_for(None, 0.0)).await.map(|_| ())
}
