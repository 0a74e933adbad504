//! Visible watermarks: text burned into a still (JPEG) or a web proxy (H.264 MP4) with
//! ffmpeg's `drawtext` — large and faint across the middle, small and clearer in two
//! corners, so cropping one copy away leaves another. The text is read from a file
//! (`textfile`, `expansion=none`), so nothing a user typed is ever parsed as filter syntax.

use crate::process::{Process, ProcessError};
use crate::video::{ffmpeg_base, timeout_for};
use std::path::Path;

/// What is being marked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Canvas {
    /// A JPEG still: thumbnail, preview, poster.
    Still,
    /// An MP4 proxy of this many seconds (for the timeout).
    Video {
        /// Duration, if known.
        seconds: Option<f64>,
    },
}

/// The `drawtext` chain for the text in `text_file`.
fn filter(text_file: &Path) -> String {
    // The path is ours (a temporary directory); quote it for the filter parser anyway.
    let file = text_file.display().to_string().replace('\\', "/").replace('\'', "");
    let base = format!("drawtext=font='DejaVu Sans':textfile='{file}':expansion=none:fix_bounds=1");
    [
        format!(
            "{base}:fontsize=h/14:fontcolor=white@0.38:borderw=2:bordercolor=black@0.30:x=(w-text_w)/2:y=(h-text_h)/2"
        ),
        format!("{base}:fontsize=h/32:fontcolor=white@0.75:borderw=1:bordercolor=black@0.6:x=h/40:y=h/40"),
        format!(
            "{base}:fontsize=h/32:fontcolor=white@0.75:borderw=1:bordercolor=black@0.6:x=w-text_w-h/40:y=h-text_h-h/40"
        ),
    ]
    .join(",")
}

/// Burns `text` into `input`, writing `out` (same kind: JPEG in, JPEG out; MP4 in, MP4 out
/// with the audio copied and the frames kept one for one, a key frame every second).
pub async fn burn(process: &Process, input: &Path, out: &Path, text: &str, canvas: Canvas) -> Result<(), ProcessError> {
    let dir = out.parent().unwrap_or(Path::new("."));
    let text_file = dir.join("watermark.txt");
    tokio::fs::write(&text_file, text)
        .await
        .map_err(|source| ProcessError::Io {
            program: "ffmpeg".into(),
            source,
        })?;
    let mut args = ffmpeg_base();
    args.extend([
        "-i".to_owned(),
        input.display().to_string(),
        "-vf".to_owned(),
        filter(&text_file),
    ]);
    let timeout = match canvas {
        Canvas::Still => {
            args.extend(["-frames:v", "1", "-q:v", "3"].map(str::to_owned));
            timeout_for(None, 0.0)
        }
        Canvas::Video { seconds } => {
            args.extend(
                [
                    "-map",
                    "0:v:0",
                    "-map",
                    "0:a?",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryfast",
                    "-crf",
                    "23",
                    "-pix_fmt",
                    "yuv420p",
                    "-fps_mode",
                    "passthrough",
                    "-force_key_frames",
                    "expr:gte(t,n_forced*1)",
                    "-c:a",
                    "copy",
                    "-movflags",
                    "+faststart+negative_cts_offsets",
                ]
                .map(str::to_owned),
            );
            timeout_for(seconds, 3.0)
        }
    };
    args.push(out.display().to_string());
    process.run("ffmpeg", &args, timeout).await.map(|_| ())
}
