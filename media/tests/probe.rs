//! ffprobe parsing on recorded output (tests/fixtures/ffprobe), and one smoke test that runs
//! the real ffmpeg and ffprobe.

use media::probe::{parse, probe_file, ProbeError};
use media::Process;
use model::Rational;
use std::path::Path;

fn recorded(name: &str) -> Result<media::probe::Probe, Box<dyn std::error::Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ffprobe")
        .join(name);
    Ok(parse(&std::fs::read(path)?)?)
}

fn rate(s: &str) -> Option<Rational> {
    s.parse().ok()
}

#[test]
fn h264_23976_with_timecode_and_audio() -> Result<(), Box<dyn std::error::Error>> {
    let p = recorded("h264_23976_tc.json")?;
    let v = p.video.as_ref().ok_or("no video")?;
    assert_eq!((v.codec.as_str(), v.width, v.height, v.rotation), ("h264", 320, 180, 0));
    assert_eq!(v.frame_rate, rate("24000/1001"));
    assert_eq!(v.frame_count, Some(48));
    assert_eq!(p.start_timecode.as_deref(), Some("01:00:00:00"));
    let a = p.audio.as_ref().ok_or("no audio")?;
    assert_eq!(
        (a.codec.as_str(), a.channels, a.sample_rate),
        ("aac", Some(2), Some(48000))
    );
    assert!(p.duration_seconds.is_some_and(|d| (d - 2.0).abs() < 0.1));
    Ok(())
}

#[test]
fn drop_frame_timecode_keeps_its_semicolon() -> Result<(), Box<dyn std::error::Error>> {
    let p = recorded("df_2997.json")?;
    assert_eq!(p.start_timecode.as_deref(), Some("00:59:59;28"));
    assert_eq!(p.video.and_then(|v| v.frame_rate), rate("30000/1001"));
    Ok(())
}

#[test]
fn phone_portrait_video_reports_displayed_dimensions() -> Result<(), Box<dyn std::error::Error>> {
    let p = recorded("phone_portrait_meta.json")?;
    let v = p.video.ok_or("no video")?;
    assert_eq!((v.width, v.height, v.rotation), (1080, 1920, 90));
    assert_eq!(v.frame_rate, rate("30/1"));
    assert_eq!(v.color_primaries.as_deref(), Some("bt709"));
    Ok(())
}

#[test]
fn hdr_hevc_is_flagged() -> Result<(), Box<dyn std::error::Error>> {
    let v = recorded("hdr_hevc_25.json")?.video.ok_or("no video")?;
    assert_eq!(v.codec, "hevc");
    assert!(v.is_hdr());
    assert_eq!(
        (
            v.color_primaries.as_deref(),
            v.color_transfer.as_deref(),
            v.color_matrix.as_deref()
        ),
        (Some("bt2020"), Some("smpte2084"), Some("bt2020nc"))
    );
    assert_eq!(v.pixel_format.as_deref(), Some("yuv420p10le"));
    assert_eq!((v.frame_rate, v.frame_count), (rate("25/1"), Some(25)));
    Ok(())
}

#[test]
fn camera_xavc_with_pcm_audio_and_data_timecode() -> Result<(), Box<dyn std::error::Error>> {
    let p = recorded("sony_xavc.json")?;
    assert_eq!(p.video.as_ref().map(|v| (v.width, v.height)), Some((1920, 1080)));
    assert_eq!(p.video.and_then(|v| v.frame_rate), rate("50/1"));
    assert_eq!(p.audio.map(|a| a.codec), Some("pcm_s16be".into()));
    assert_eq!(p.start_timecode.as_deref(), Some("00:00:00:00"));
    Ok(())
}

#[test]
fn audio_only_files_have_no_video() -> Result<(), Box<dyn std::error::Error>> {
    let p = recorded("audio_only.json")?;
    assert!(p.video.is_none());
    let a = p.audio.ok_or("no audio")?;
    assert_eq!(
        (a.codec.as_str(), a.channels, a.sample_rate),
        ("pcm_s16le", Some(1), Some(44100))
    );
    Ok(())
}

#[test]
fn garbage_and_empty_probes_are_errors() {
    assert!(matches!(parse(b"not json"), Err(ProbeError::Malformed(_))));
    assert!(matches!(
        parse(br#"{"streams": [], "format": {}}"#),
        Err(ProbeError::NoMedia)
    ));
    assert!(matches!(
        parse(br#"{"streams": [{"codec_type": "data", "codec_name": "bin_data"}]}"#),
        Err(ProbeError::NoMedia)
    ));
}

#[tokio::test]
async fn smoke_real_ffprobe_on_a_generated_clip() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let clip = dir.path().join("clip.mp4");
    let process = Process::new(2, 1 << 20);
    process
        .run(
            "ffmpeg",
            [
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=160x90:rate=25",
                "-t",
                "1",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
            ]
            .iter()
            .map(std::ffi::OsStr::new)
            .chain([clip.as_os_str()]),
            std::time::Duration::from_secs(60),
        )
        .await?;
    let p = probe_file(&process, &clip).await?;
    let v = p.video.ok_or("no video")?;
    assert_eq!(
        (v.width, v.height, v.frame_rate, v.frame_count),
        (160, 90, rate("25/1"), Some(25))
    );
    let missing = probe_file(&process, &dir.path().join("missing.mp4")).await;
    assert!(matches!(missing, Err(ProbeError::Process(_))));
    Ok(())
}
