//! Test media made on the spot with the real tools (ffmpeg, exiftool, heif-enc), so every
//! file's content and metadata is known and no licence question arises.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a command; its stderr becomes the error when it fails.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output()?;
    anyhow::ensure!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// A JPEG of the first frame of the lavfi `source` (e.g. `testsrc2=s=640x480`).
pub fn still(path: &Path, source: &str) -> anyhow::Result<()> {
    run(Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i", source])
        .args(["-frames:v", "1", "-q:v", "3"])
        .arg(path))
}

/// A 640×480 JPEG with the given EXIF tags written by exiftool (e.g. `-Orientation#=6`).
pub fn photo(dir: &Path, name: &str, exif: &[&str]) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    still(&path, "testsrc2=s=640x480")?;
    if !exif.is_empty() {
        run(Command::new("exiftool")
            .args(["-q", "-overwrite_original", "-n"])
            .args(exif)
            .arg(&path))?;
    }
    Ok(path)
}

/// A HEIC made from a fresh 640×480 picture by libheif's encoder.
pub fn heic(dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let jpg = photo(dir, &format!("{name}.src.jpg"), &[])?;
    let path = dir.join(name);
    run(Command::new("heif-enc")
        .args(["-q", "60"])
        .arg(&jpg)
        .arg("-o")
        .arg(&path))?;
    Ok(path)
}

/// An H.264/AAC MP4 of `seconds` at 25 fps, 320×240 (with a 440 Hz tone when `audio`).
pub fn video(dir: &Path, name: &str, seconds: u32, size: &str, audio: bool) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    let mut cmd = Command::new("ffmpeg");
    cmd.args([
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        &format!("testsrc2=s={size}:r=25:d={seconds}"),
    ]);
    if audio {
        cmd.args([
            "-f",
            "lavfi",
            "-i",
            &format!("sine=frequency=440:sample_rate=48000:duration={seconds}"),
        ]);
    }
    cmd.args([
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "50",
        "-pix_fmt",
        "yuv420p",
    ]);
    if audio {
        cmd.args(["-c:a", "aac", "-shortest"]);
    }
    run(cmd.arg(&path))?;
    Ok(path)
}

/// An H.264 MP4 of any lavfi video source (e.g. `color=c=gray:s=320x240:r=25:d=4`).
pub fn lavfi_clip(dir: &Path, name: &str, source: &str) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    run(Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i", source])
        .args(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"])
        .arg(&path))?;
    Ok(path)
}

/// A mono WAV tone.
pub fn wav(dir: &Path, name: &str, seconds: u32) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    run(Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            &format!("sine=frequency=220:sample_rate=44100:duration={seconds}"),
        ])
        .arg(&path))?;
    Ok(path)
}

/// A committed fixture of this crate.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

/// A fixture of the media crate.
pub fn media_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../media/tests/fixtures")
        .join(name)
}
