//! Stills the image crate cannot read are first converted by a Debian tool run through the
//! one [`Process`] wrapper: HEIF/HEIC/AVIF by `heif-convert` (libheif applies the file's own
//! rotation), camera RAW by its largest embedded JPEG preview (`exiftool`), or, when a RAW
//! carries none, a half-size full decode by `dcraw_emu` (LibRaw).

use crate::process::{Process, ProcessError};
use crate::sniff::Format;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A file the image crate can decode, and the orientation to apply to it.
#[derive(Debug)]
pub struct Decodable {
    /// The file to decode.
    pub path: PathBuf,
    /// Orientation override (`Some(1)`: already upright; `None`: use the file's own).
    pub orientation: Option<u16>,
    /// How it was obtained, for logs.
    pub via: &'static str,
}

/// Why no decodable picture could be had.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The tool failed or timed out.
    #[error(transparent)]
    Process(#[from] ProcessError),
    /// Reading or writing the intermediate file failed.
    #[error("conversion failed: {0}")]
    Io(#[from] std::io::Error),
    /// The RAW has neither a preview nor decodable sensor data.
    #[error("the camera RAW file has no embedded preview and could not be decoded: {0}")]
    Raw(String),
}

const TIMEOUT: Duration = Duration::from_secs(120);

/// Makes `input` decodable, writing intermediates into `work`.
pub async fn decodable(
    process: &Process,
    format: Format,
    input: &Path,
    raw_orientation: Option<u16>,
    work: &Path,
) -> Result<Decodable, ConvertError> {
    if matches!(format, Format::Heif | Format::Avif) {
        let out = work.join("heif.png");
        process
            .run("heif-convert", [input.as_os_str(), out.as_os_str()], TIMEOUT)
            .await?;
        return Ok(Decodable {
            path: out,
            orientation: Some(1),
            via: "heif-convert",
        });
    }
    if format.is_raw() {
        return raw(process, input, raw_orientation, work).await;
    }
    Ok(Decodable {
        path: input.to_path_buf(),
        orientation: None,
        via: "image",
    })
}

async fn raw(
    process: &Process,
    input: &Path,
    orientation: Option<u16>,
    work: &Path,
) -> Result<Decodable, ConvertError> {
    // The largest embedded JPEG: JpgFromRaw (full size on most cameras), else PreviewImage.
    for tag in ["-JpgFromRaw", "-PreviewImage", "-OtherImage", "-ThumbnailImage"] {
        let out = process
            .run(
                "exiftool",
                [std::ffi::OsStr::new("-b"), tag.as_ref(), input.as_os_str()],
                TIMEOUT,
            )
            .await;
        if let Ok(out) = out {
            if out.stdout.len() > 1024 && out.stdout.starts_with(&[0xFF, 0xD8]) {
                let path = work.join("raw-preview.jpg");
                tokio::fs::write(&path, &out.stdout).await?;
                return Ok(Decodable {
                    path,
                    orientation: Some(orientation.unwrap_or(1)),
                    via: "embedded preview",
                });
            }
        }
    }
    let copy = work.join("raw-input");
    tokio::fs::copy(input, &copy).await?;
    match process
        .run(
            "dcraw_emu",
            [
                std::ffi::OsStr::new("-w"),
                "-h".as_ref(),
                "-T".as_ref(),
                copy.as_os_str(),
            ],
            TIMEOUT,
        )
        .await
    {
        Ok(_) => {
            let mut tiff = copy.clone().into_os_string();
            tiff.push(".tiff");
            let tiff = PathBuf::from(tiff);
            if !tiff.exists() {
                return Err(ConvertError::Raw("LibRaw found no image data".into()));
            }
            Ok(Decodable {
                path: tiff,
                orientation: Some(1),
                via: "dcraw_emu",
            })
        }
        Err(e) => Err(ConvertError::Raw(match e {
            ProcessError::Failed { stderr, .. } => stderr.lines().last().unwrap_or("unreadable").to_owned(),
            other => other.to_string(),
        })),
    }
}

/// Decodes the first picture of `input` with ffmpeg into a PNG: the fallback for stills the
/// image crate refuses (lossless or 12-bit JPEG, unusual TIFFs, …).
pub async fn with_ffmpeg(process: &Process, input: &Path, work: &Path) -> Result<PathBuf, ConvertError> {
    let out = work.join("ffmpeg-still.png");
    process
        .run(
            "ffmpeg",
            [
                "-hide_banner".as_ref(),
                "-nostdin".as_ref(),
                "-y".as_ref(),
                "-loglevel".as_ref(),
                "error".as_ref(),
                "-i".as_ref(),
                input.as_os_str(),
                "-frames:v".as_ref(),
                "1".as_ref(),
                "-pix_fmt".as_ref(),
                "rgb24".as_ref(),
                out.as_os_str(),
            ],
            TIMEOUT,
        )
        .await?;
    if !out.exists() {
        return Err(ConvertError::Io(std::io::Error::other("ffmpeg wrote no picture")));
    }
    Ok(out)
}
