//! What ffprobe says about a video or audio file, parsed into exact, typed values.
//!
//! [`parse`] reads the JSON of `ffprobe -print_format json -show_format -show_streams`;
//! [`probe_file`] runs ffprobe through the [`Process`] wrapper and parses its output.

use crate::process::{Process, ProcessError};
use model::Rational;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// The facts Dailies keeps about a file's streams.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// ffprobe's container name (e.g. `mov,mp4,m4a,3gp,3g2,mj2`).
    pub container: String,
    /// Duration in seconds.
    pub duration_seconds: Option<f64>,
    /// Overall bit rate in bits per second.
    pub bitrate: Option<u64>,
    /// The first video stream (cover art excluded).
    pub video: Option<VideoInfo>,
    /// The first audio stream.
    pub audio: Option<AudioInfo>,
    /// The source's start timecode (`HH:MM:SS:FF`, `;` before frames when drop-frame).
    pub start_timecode: Option<String>,
}

/// A video stream.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoInfo {
    /// Codec (`h264`, `hevc`, `prores`, …).
    pub codec: String,
    /// Width as displayed (after rotation).
    pub width: u32,
    /// Height as displayed (after rotation).
    pub height: u32,
    /// Clockwise rotation to apply for display: 0, 90, 180 or 270.
    pub rotation: u16,
    /// Frame rate, exact.
    pub frame_rate: Option<Rational>,
    /// Number of frames.
    pub frame_count: Option<u64>,
    /// Pixel format (`yuv420p`, `yuv422p10le`, …).
    pub pixel_format: Option<String>,
    /// Colour primaries (`bt709`, `bt2020`, …).
    pub color_primaries: Option<String>,
    /// Transfer characteristics (`bt709`, `smpte2084`, `arib-std-b67`, …).
    pub color_transfer: Option<String>,
    /// Matrix coefficients (`bt709`, `bt2020nc`, …).
    pub color_matrix: Option<String>,
}

impl VideoInfo {
    /// HDR (PQ or HLG transfer): needs a tone-mapped SDR proxy.
    pub fn is_hdr(&self) -> bool {
        matches!(self.color_transfer.as_deref(), Some("smpte2084" | "arib-std-b67"))
    }
}

/// An audio stream.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioInfo {
    /// Codec (`aac`, `pcm_s16le`, …).
    pub codec: String,
    /// Channels.
    pub channels: Option<u32>,
    /// Sample rate in Hz.
    pub sample_rate: Option<u32>,
}

/// Why probing failed.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// ffprobe could not be run or rejected the file.
    #[error(transparent)]
    Process(#[from] ProcessError),
    /// The output was not ffprobe JSON.
    #[error("ffprobe output could not be read: {0}")]
    Malformed(String),
    /// The file has neither video nor audio.
    #[error("the file has no video or audio stream")]
    NoMedia,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    streams: Vec<RawStream>,
    format: Option<RawFormat>,
}

#[derive(Deserialize)]
struct RawFormat {
    format_name: Option<String>,
    duration: Option<String>,
    bit_rate: Option<String>,
    #[serde(default)]
    tags: HashMap<String, String>,
}

#[derive(Deserialize)]
struct RawStream {
    codec_type: Option<String>,
    codec_name: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    pix_fmt: Option<String>,
    r_frame_rate: Option<String>,
    avg_frame_rate: Option<String>,
    nb_frames: Option<String>,
    duration: Option<String>,
    color_primaries: Option<String>,
    color_transfer: Option<String>,
    color_space: Option<String>,
    channels: Option<u32>,
    sample_rate: Option<String>,
    #[serde(default)]
    tags: HashMap<String, String>,
    #[serde(default)]
    side_data_list: Vec<HashMap<String, serde_json::Value>>,
    #[serde(default)]
    disposition: HashMap<String, i64>,
}

fn known(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty() && s != "unknown" && s != "reserved")
}

fn number<T: std::str::FromStr>(v: Option<&String>) -> Option<T> {
    v.and_then(|s| s.trim().parse().ok())
}

/// A plausible frame rate: the stream's nominal rate, else its average.
fn frame_rate(s: &RawStream) -> Option<Rational> {
    let plausible = |r: &Rational| r.as_f64() > 0.5 && r.as_f64() <= 1000.0;
    let parse = |v: &Option<String>| v.as_deref().and_then(|t| t.parse::<Rational>().ok()).filter(plausible);
    parse(&s.r_frame_rate).or_else(|| parse(&s.avg_frame_rate))
}

fn rotation(s: &RawStream) -> u16 {
    let from_matrix = s
        .side_data_list
        .iter()
        .find_map(|d| d.get("rotation").and_then(serde_json::Value::as_f64));
    let degrees = from_matrix
        // Old ffmpeg: a `rotate` tag, clockwise. Display matrix: counter-clockwise.
        .map(|r| -r)
        .or_else(|| s.tags.get("rotate").and_then(|r| r.parse::<f64>().ok()))
        .unwrap_or(0.0);
    let quarter = ((degrees / 90.0).round() as i64).rem_euclid(4);
    u16::try_from(quarter * 90).unwrap_or(0)
}

/// Parses ffprobe's JSON.
pub fn parse(json: &[u8]) -> Result<Probe, ProbeError> {
    let raw: Raw = serde_json::from_slice(json).map_err(|e| ProbeError::Malformed(e.to_string()))?;
    let format = raw.format;
    let duration_seconds = format
        .as_ref()
        .and_then(|f| number::<f64>(f.duration.as_ref()))
        .filter(|d| d.is_finite() && *d >= 0.0);
    let video_stream = raw.streams.iter().find(|s| {
        s.codec_type.as_deref() == Some("video") && s.disposition.get("attached_pic").copied().unwrap_or(0) == 0
    });
    let video = video_stream.map(|s| {
        let rotation = rotation(s);
        let (w, h) = (s.width.unwrap_or(0), s.height.unwrap_or(0));
        let (width, height) = if rotation % 180 == 90 { (h, w) } else { (w, h) };
        let rate = frame_rate(s);
        let stream_duration = number::<f64>(s.duration.as_ref()).or(duration_seconds);
        let frame_count = number::<u64>(s.nb_frames.as_ref()).filter(|n| *n > 0).or_else(|| {
            let (d, r) = (stream_duration?, rate?);
            Some((d * r.as_f64()).round() as u64)
        });
        VideoInfo {
            codec: s.codec_name.clone().unwrap_or_default(),
            width,
            height,
            rotation,
            frame_rate: rate,
            frame_count,
            pixel_format: known(s.pix_fmt.clone()),
            color_primaries: known(s.color_primaries.clone()),
            color_transfer: known(s.color_transfer.clone()),
            color_matrix: known(s.color_space.clone()),
        }
    });
    let audio = raw
        .streams
        .iter()
        .find(|s| s.codec_type.as_deref() == Some("audio"))
        .map(|s| AudioInfo {
            codec: s.codec_name.clone().unwrap_or_default(),
            channels: s.channels,
            sample_rate: number(s.sample_rate.as_ref()),
        });
    if video.is_none() && audio.is_none() {
        return Err(ProbeError::NoMedia);
    }
    let start_timecode = video_stream
        .and_then(|s| s.tags.get("timecode"))
        .or_else(|| raw.streams.iter().find_map(|s| s.tags.get("timecode")))
        .or_else(|| format.as_ref().and_then(|f| f.tags.get("timecode")))
        .cloned();
    Ok(Probe {
        container: format.as_ref().and_then(|f| f.format_name.clone()).unwrap_or_default(),
        duration_seconds,
        bitrate: format.as_ref().and_then(|f| number(f.bit_rate.as_ref())),
        video,
        audio,
        start_timecode,
    })
}

/// Runs ffprobe on a file (at most 60 s) and parses the result.
pub async fn probe_file(process: &Process, path: &Path) -> Result<Probe, ProbeError> {
    let out = process
        .run(
            "ffprobe",
            [
                "-v".as_ref(),
                "error".as_ref(),
                "-print_format".as_ref(),
                "json".as_ref(),
                "-show_format".as_ref(),
                "-show_streams".as_ref(),
                path.as_os_str(),
            ],
            Duration::from_secs(60),
        )
        .await?;
    parse(&out.stdout)
}
