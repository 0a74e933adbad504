//! EXIF values compared with `exiftool -n`: on committed fixtures against recorded output, and
//! on every photo of the shared corpus against the real exiftool (when both are present).

use media::exif::{read, PhotoMeta};
use serde_json::Value;
use std::path::Path;

use media::exif::EXIFTOOL_TAGS as TAGS;

fn ours(path: &Path) -> Option<PhotoMeta> {
    let file = std::fs::File::open(path).ok()?;
    read(&mut std::io::BufReader::new(file)).ok()
}

/// Differences between our metadata and exiftool's JSON object for the same file.
fn differences(meta: &PhotoMeta, want: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let s = |k: &str| {
        want.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let n = |k: &str| want.get(k).and_then(Value::as_f64);
    let mut text = |name: &str, got: &Option<String>, k: &str| {
        if got.as_deref() != s(k).as_deref() {
            out.push(format!("{name}: ours {got:?}, exiftool {:?}", s(k)));
        }
    };
    text("make", &meta.camera_make, "Make");
    text("model", &meta.camera_model, "Model");
    text("lens", &meta.lens, "LensModel");
    text("copyright", &meta.copyright, "Copyright");
    let mut close = |name: &str, got: Option<f64>, k: &str, sane: fn(f64) -> bool| {
        // Impossible values are dropped on purpose (see media::exif); exiftool prints them.
        let want = n(k).filter(|w| sane(*w));
        let same = match (got, want) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * b.abs().max(1.0),
            (None, None) => true,
            _ => false,
        };
        if !same {
            out.push(format!("{name}: ours {got:?}, exiftool {want:?}"));
        }
    };
    close("iso", meta.iso.map(f64::from), "ISO", |_| true);
    close("aperture", meta.aperture, "FNumber", |f| f > 0.0 && f <= 1000.0);
    close("shutter", meta.shutter_speed, "ExposureTime", |t| t > 0.0 && t < 1e6);
    close("focal", meta.focal_length_mm, "FocalLength", |f| f > 0.0 && f < 1e5);
    close("orientation", meta.orientation.map(f64::from), "Orientation", |o| {
        (1.0..=8.0).contains(&o)
    });
    let has_both = n("GPSLatitude").is_some() && n("GPSLongitude").is_some();
    close(
        "latitude",
        meta.gps_latitude,
        "GPSLatitude",
        if has_both { |_| true } else { |_| false },
    );
    close(
        "longitude",
        meta.gps_longitude,
        "GPSLongitude",
        if has_both { |_| true } else { |_| false },
    );
    let captured = s("DateTimeOriginal").map(|d| {
        let iso = format!("{}-{}-{}T{}", &d[0..4], &d[5..7], &d[8..10], &d[11..19]);
        match s("OffsetTimeOriginal") {
            Some(o) => format!("{iso}{o}"),
            None => iso,
        }
    });
    if meta.captured_at != captured
        && !(meta.captured_at.is_none() && captured.as_deref().is_some_and(|c| c.starts_with("0000")))
    {
        out.push(format!(
            "captured_at: ours {:?}, exiftool {captured:?}",
            meta.captured_at
        ));
    }
    let space = n("ColorSpace").and_then(|c| match c as u32 {
        1 => Some("sRGB"),
        2 => Some("Adobe RGB"),
        0xFFFF => Some("Uncalibrated"),
        _ => None,
    });
    if meta.color_space.as_deref() != space {
        out.push(format!("color space: ours {:?}, exiftool {space:?}", meta.color_space));
    }
    out
}

#[test]
fn fixtures_match_recorded_exiftool_output() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let reference: Vec<Value> = serde_json::from_slice(&std::fs::read(dir.join("exiftool/reference.json"))?)?;
    let mut checked = 0;
    for want in &reference {
        let name = want["SourceFile"].as_str().ok_or("no SourceFile")?;
        let meta = ours(&dir.join(name)).unwrap_or_default();
        let diff = differences(&meta, want);
        assert!(diff.is_empty(), "{name}: {diff:?}");
        checked += 1;
    }
    assert_eq!(checked, 8);
    Ok(())
}

#[test]
fn known_values_of_an_iphone_avif() -> Result<(), Box<dyn std::error::Error>> {
    let meta = ours(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exif.avif")).ok_or("no exif")?;
    assert_eq!(meta.camera_model.as_deref(), Some("iPhone 12 Pro"));
    assert_eq!(
        meta.lens.as_deref(),
        Some("iPhone 12 Pro back triple camera 4.2mm f/1.6")
    );
    assert_eq!(
        (meta.iso, meta.aperture, meta.focal_length_mm),
        (Some(32), Some(1.6), Some(4.2))
    );
    assert_eq!(meta.captured_at.as_deref(), Some("2022-07-22T21:26:32+08:00"));
    assert!(meta
        .gps_latitude
        .is_some_and(|l| (l - 43.290_127_777_777_8).abs() < 1e-9));
    Ok(())
}

#[test]
fn hostile_values_are_dropped_not_stored() -> Result<(), Box<dyn std::error::Error>> {
    let meta = ours(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid-gps")).ok_or("no exif")?;
    assert_eq!(meta.camera_model.as_deref(), Some("iPhone 7 Plus"));
    assert_eq!(
        (meta.aperture, meta.focal_length_mm),
        (None, None),
        "f/4259840 and an infinite focal length"
    );
    assert_eq!(
        (meta.gps_latitude, meta.gps_longitude),
        (None, None),
        "half a position is no position"
    );
    assert_eq!(meta.orientation, Some(6));
    assert!(read(&mut std::io::Cursor::new(b"<html>not a photo</html>".to_vec())).is_err());
    Ok(())
}

/// Photos where we knowingly differ from exiftool today, with the reason. The sweep fails on
/// any other difference, and on a listed file that starts to match (so this list only shrinks).
const KNOWN_GAPS: [(&str, &str); 1] = [(
    "nom-exif-testdata/exif-both.png",
    "exiftool prefers the legacy text profile, which lacks GPS",
)];

/// Every photo in ../shared/corpus, against the real `exiftool -n`: our reader, completed by
/// exiftool where ingest completes it (`media::exif::complete`).
#[tokio::test]
async fn the_shared_corpus_matches_exiftool() -> Result<(), Box<dyn std::error::Error>> {
    let process = media::Process::per_core();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !root.is_dir() {
        println!("shared corpus absent at {}: exiftool sweep not run", root.display());
        return Ok(());
    }
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(ext) = path.extension().map(|e| e.to_string_lossy().to_lowercase()) {
                let rel = path.to_string_lossy().to_lowercase();
                let hostile = ["crash", "/bad/", "invalid", "broken", "corrupt", "fail"]
                    .iter()
                    .any(|w| rel.contains(w));
                if !hostile
                    && ["jpg", "jpeg", "tif", "tiff", "heic", "heif", "avif", "png", "webp"].contains(&ext.as_str())
                {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    let out = std::process::Command::new("exiftool")
        .args(["-n", "-j", "-q", "-q"])
        .args(TAGS)
        .args(&files)
        .output()
        .map_err(|e| format!("exiftool is needed for the corpus sweep ({e}): run ./scripts/setup"))?;
    let reference: Vec<Value> = serde_json::from_slice(&out.stdout)?;
    let (mut compared, mut known_gaps, mut failures) = (0, 0, Vec::new());
    for want in &reference {
        let path = Path::new(want["SourceFile"].as_str().unwrap_or_default()).to_path_buf();
        // Files where exiftool found no EXIF tags at all carry nothing to compare.
        if want.as_object().is_some_and(|o| o.len() <= 1) {
            continue;
        }
        compared += 1;
        let mut meta = ours(&path).unwrap_or_default();
        let head = std::fs::read(&path)?
            .into_iter()
            .take(media::sniff::HEAD_LEN)
            .collect::<Vec<u8>>();
        if let Some(format) = media::sniff::sniff(&head) {
            if media::exif::worth_completing(&meta, format) {
                meta = media::exif::complete(&process, &path, meta).await;
            }
        }
        let diff = differences(&meta, want);
        let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().into_owned();
        let known = KNOWN_GAPS.iter().any(|(f, _)| *f == rel);
        match (diff.is_empty(), known) {
            (true, false) => {}
            (false, true) => known_gaps += 1,
            (false, false) => failures.push(format!("{rel}: {diff:?}")),
            (true, true) => failures.push(format!("{rel} now matches exiftool: remove it from KNOWN_GAPS")),
        }
    }
    println!(
        "compared {compared} corpus photos with exiftool: {} match, {known_gaps} known gaps, {} new differences",
        compared - known_gaps - failures.len(),
        failures.len()
    );
    assert!(compared > 50, "only {compared} photos compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}
