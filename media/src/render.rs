//! Export renditions: one or several clips joined in order into one file, conformed to one
//! size (letterboxed) and frame rate, in a preset's codecs, with a title and date written into
//! its metadata; progress reported as it goes.

use crate::process::{Process, ProcessError};
use crate::video::{ffmpeg_base, progress_sink, timeout_for};
use model::export::Preset;
use model::rational::Rational;
use std::path::{Path, PathBuf};

/// One clip to join.
#[derive(Clone, Debug)]
pub struct Part {
    /// The file.
    pub path: PathBuf,
    /// Its length in seconds.
    pub seconds: f64,
    /// Whether it has sound (silence is made for clips without).
    pub has_audio: bool,
}

/// The frame everything is conformed to.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Width (even).
    pub width: u32,
    /// Height (even).
    pub height: u32,
    /// Frame rate.
    pub rate: Rational,
}

impl Frame {
    /// `preset`'s height at the aspect of a `width` × `height` source (never upscaled past it
    /// by more than the preset asks; sizes kept even).
    pub fn for_preset(preset: Preset, width: u32, height: u32, rate: Rational) -> Frame {
        let h = preset.height();
        let w = if height == 0 {
            h * 16 / 9
        } else {
            (u64::from(width) * u64::from(h) / u64::from(height)) as u32
        };
        Frame {
            width: (w.max(2) / 2) * 2,
            height: h,
            rate,
        }
    }
}

/// Title and date for the file's metadata.
#[derive(Clone, Debug)]
pub struct Tags {
    /// `title`.
    pub title: String,
    /// `date` (YYYY-MM-DD).
    pub date: String,
}

fn h264(rate: &'static str, max: &'static str, buffer: &'static str, audio: &'static str) -> Vec<&'static str> {
    vec![
        "-c:v",
        "libx264",
        "-preset",
        "medium",
        "-b:v",
        rate,
        "-maxrate",
        max,
        "-bufsize",
        buffer,
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        audio,
        "-movflags",
        "+faststart",
    ]
}

fn h265(rate: &'static str) -> Vec<&'static str> {
    vec![
        "-c:v",
        "libx265",
        "-preset",
        "medium",
        "-b:v",
        rate,
        "-tag:v",
        "hvc1",
        "-pix_fmt",
        "yuv420p",
        "-x265-params",
        "log-level=error",
        "-c:a",
        "aac",
        "-b:a",
        "256k",
        "-movflags",
        "+faststart",
    ]
}

fn vp9(rate: &'static str, cpu_used: &'static str, audio: &'static str) -> Vec<&'static str> {
    vec![
        "-c:v",
        "libvpx-vp9",
        "-b:v",
        rate,
        "-deadline",
        "good",
        "-cpu-used",
        cpu_used,
        "-row-mt",
        "1",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "libopus",
        "-b:a",
        audio,
    ]
}

fn codec_args(preset: Preset) -> Vec<&'static str> {
    match preset {
        Preset::Mp4Good => h264("2500k", "3000k", "5000k", "160k"),
        Preset::Mp4Better => h264("5000k", "6000k", "10000k", "192k"),
        Preset::Mp4Best => h265("8000k"),
        Preset::Mp4Uhd => h265("20000k"),
        Preset::WebmGood => vp9("1500k", "4", "96k"),
        Preset::WebmBest => vp9("4000k", "2", "128k"),
        Preset::MovProres => vec![
            "-c:v",
            "prores_ks",
            "-profile:v",
            "2",
            "-pix_fmt",
            "yuv422p10le",
            "-vendor",
            "apl0",
            "-c:a",
            "pcm_s16le",
        ],
        Preset::Av1 => vec![
            "-c:v",
            "librav1e",
            "-speed",
            "10",
            "-b:v",
            "1500k",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-movflags",
            "+faststart",
        ],
        // Packages are not rendered (`render` refuses them before getting here).
        Preset::ZipOriginal | Preset::ZipProxy | Preset::JpegSquare | Preset::Webp2048 | Preset::ContactSheet => {
            Vec::new()
        }
    }
}

/// The `-filter_complex` graph joining `parts` into `[v][a]` at `frame`.
fn graph(parts: &[Part], frame: Frame) -> String {
    let (w, h) = (frame.width, frame.height);
    let mut chains = Vec::new();
    let mut joined = String::new();
    for (i, part) in parts.iter().enumerate() {
        chains.push(format!(
            "[{i}:v:0]scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={}/{},format=yuv420p,setpts=PTS-STARTPTS[v{i}]",
            frame.rate.num(),
            frame.rate.den()
        ));
        if part.has_audio {
            chains.push(format!(
                "[{i}:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=duration={:.6},asetpts=PTS-STARTPTS[a{i}]",
                part.seconds
            ));
        } else {
            chains.push(format!(
                "anullsrc=r=48000:cl=stereo,atrim=duration={:.6},aformat=sample_fmts=fltp[a{i}]",
                part.seconds
            ));
        }
        joined.push_str(&format!("[v{i}][a{i}]"));
    }
    chains.push(format!("{joined}concat=n={}:v=1:a=1[v][a]", parts.len()));
    chains.join(";")
}

/// Renders `parts` into `out` as `preset`, calling `progress` with 0–100.
pub async fn render(
    process: &Process,
    parts: &[Part],
    frame: Frame,
    preset: Preset,
    tags: &Tags,
    out: &Path,
    progress: &mut (dyn FnMut(u8) + Send),
) -> Result<(), ProcessError> {
    if !preset.is_video() {
        return Err(ProcessError::Failed {
            program: "ffmpeg".into(),
            status: "not run".into(),
            stderr: format!("{} is not a video preset", preset.as_str()),
        });
    }
    let total: f64 = parts.iter().map(|p| p.seconds).sum();
    let mut args = ffmpeg_base();
    for part in parts {
        args.extend(["-i".to_owned(), part.path.display().to_string()]);
    }
    args.extend([
        "-filter_complex".to_owned(),
        graph(parts, frame),
        "-map".into(),
        "[v]".into(),
        "-map".into(),
        "[a]".into(),
    ]);
    args.extend(codec_args(preset).into_iter().map(str::to_owned));
    args.extend([
        "-metadata".to_owned(),
        format!("title={}", tags.title),
        "-metadata".to_owned(),
        format!("date={}", tags.date),
        "-metadata".to_owned(),
        "comment=Exported by Dailies".to_owned(),
        "-progress".to_owned(),
        "pipe:1".to_owned(),
        "-nostats".to_owned(),
    ]);
    args.push(out.display().to_string());
    let mut sink = progress_sink(total, 99, progress);
    // Slow encoders (ProRes at 4K, rav1e) get time in proportion to the length.
    process
        .run_streaming("ffmpeg", &args, timeout_for(Some(total), 30.0), &mut sink)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_keep_the_aspect_and_even_sizes() {
        let rate = Rational::FALLBACK_RATE;
        let f = Frame::for_preset(Preset::Mp4Good, 1920, 1080, rate);
        assert_eq!((f.width, f.height), (1280, 720));
        let f = Frame::for_preset(Preset::Mp4Better, 1000, 750, rate);
        assert_eq!((f.width, f.height), (1440, 1080));
        let f = Frame::for_preset(Preset::Av1, 333, 250, rate);
        assert_eq!(f.width % 2, 0);
    }

    #[test]
    fn the_graph_joins_every_part_and_makes_silence() {
        let parts = [
            Part {
                path: "a".into(),
                seconds: 2.0,
                has_audio: true,
            },
            Part {
                path: "b".into(),
                seconds: 1.5,
                has_audio: false,
            },
        ];
        let g = graph(
            &parts,
            Frame {
                width: 1280,
                height: 720,
                rate: Rational::FALLBACK_RATE,
            },
        );
        assert!(g.contains("[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]"), "{g}");
        assert!(g.contains("anullsrc=r=48000:cl=stereo,atrim=duration=1.500000"), "{g}");
        assert!(g.contains("fps=25/1"), "{g}");
    }
}
