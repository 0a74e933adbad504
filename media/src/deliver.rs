//! Photos in delivery sizes, made by ffmpeg from the upright sRGB preview every photo gets at
//! ingest (so RAW and HEIC come out the same as JPEG): a centre-cropped square JPEG, or WebP
//! at a long edge (never enlarged).

use crate::process::{Process, ProcessError};
use crate::video::ffmpeg_base;
use std::path::Path;
use std::time::Duration;

/// One photo delivery size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Centre-cropped to a square of this edge, JPEG.
    SquareJpeg(u32),
    /// This long edge at most, WebP.
    WebpLongEdge(u32),
}

impl Delivery {
    /// The file extension it writes.
    pub fn extension(self) -> &'static str {
        match self {
            Delivery::SquareJpeg(_) => "jpg",
            Delivery::WebpLongEdge(_) => "webp",
        }
    }
}

/// Writes `input` (a JPEG preview) to `out` as `what`.
pub async fn deliver(process: &Process, input: &Path, out: &Path, what: Delivery) -> Result<(), ProcessError> {
    let mut args = ffmpeg_base();
    args.extend([
        "-i".to_owned(),
        input.display().to_string(),
        "-frames:v".into(),
        "1".into(),
    ]);
    let codec: Vec<String> = match what {
        Delivery::SquareJpeg(edge) => vec![
            "-vf".into(),
            format!("crop='min(iw,ih)':'min(iw,ih)',scale={edge}:{edge}:flags=lanczos,format=yuvj444p"),
            "-q:v".into(),
            "2".into(),
        ],
        Delivery::WebpLongEdge(edge) => vec![
            "-vf".into(),
            format!("scale='if(gte(iw,ih),min({edge},iw),-2)':'if(gte(iw,ih),-2,min({edge},ih))':flags=lanczos"),
            "-c:v".into(),
            "libwebp".into(),
            "-quality".into(),
            "85".into(),
        ],
    };
    args.extend(codec);
    args.push(out.display().to_string());
    process.run("ffmpeg", &args, Duration::from_secs(120)).await.map(|_| ())
}
