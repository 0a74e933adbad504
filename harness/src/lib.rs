//! Fuzz harnesses for every parser that reads outside input.
//!
//! Each function takes arbitrary bytes and must return without panicking, looping or
//! allocating without bound; errors are fine. `fuzz/fuzz_targets/*.rs` (cargo-fuzz, run by
//! `scripts/fuzz`) and `tests/regressions.rs` (every input kept under `fuzz/regressions/`)
//! call the same functions, so a crash once found stays fixed.

use model::Rational;

/// A harness: arbitrary bytes in, no panic out.
pub type Harness = fn(&[u8]);

/// Every harness by the name of its cargo-fuzz target and regression folder.
pub const TARGETS: [(&str, Harness); 8] = [
    ("tus_headers", tus_headers),
    ("timecode", timecode),
    ("filter", filter),
    ("edl", edl),
    ("avid", avid),
    ("xmp", xmp),
    ("ffprobe", ffprobe),
    ("photo", photo),
];

/// A frame rate picked by the input's first byte, so every rate family is reached.
fn rate(byte: u8) -> Rational {
    const RATES: [(u32, u32); 8] = [
        (24, 1),
        (25, 1),
        (30000, 1001),
        (24000, 1001),
        (60000, 1001),
        (50, 1),
        (120, 1),
        (1, 1),
    ];
    let (n, d) = RATES[usize::from(byte) % RATES.len()];
    Rational::new(n, d).unwrap_or(Rational::FALLBACK_RATE)
}

/// A clip for the marker importers, shaped by the first bytes of the input.
fn clip(data: &[u8]) -> (formats::Clip, &[u8]) {
    let (head, rest) = data.split_at(data.len().min(2));
    let r = rate(head.first().copied().unwrap_or(0));
    let start = i64::from(head.get(1).copied().unwrap_or(0)) * 90_000;
    let clip = formats::Clip {
        name: "clip.mov".into(),
        rate: r,
        start,
        drop: model::timecode::is_drop_frame_rate(r),
        frames: 10_000,
        size: Some((1920, 1080)),
    };
    (clip, rest)
}

/// The tus request headers: `Upload-Metadata`, `Upload-Checksum`, and the offsets and lengths.
pub fn tus_headers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = formats::tus::parse_metadata(&text);
    let _ = formats::tus::parse_checksum(&text);
    let _ = formats::tus::parse_length(&text);
}

/// SMPTE labels at every rate family, round-tripped when they parse.
pub fn timecode(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let r = rate(first);
    let label = String::from_utf8_lossy(rest);
    if let Ok((frame, drop)) = model::timecode::parse_smpte(&label, r) {
        let again = model::timecode::smpte_label(frame, r, drop);
        assert_eq!(
            model::timecode::parse_smpte(&again, r).ok(),
            Some((frame, drop)),
            "{label:?} → {frame} → {again:?} does not read back"
        );
    }
    let _ = model::timecode::clip_start(Some(&label), r);
}

/// The collection filter language (its JSON form), with and without custom fields.
pub fn filter(data: &[u8]) {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(f) = model::filter::Filter::parse(&json) {
        let _ = f.with_custom(&[]);
        let _ = f.predicates();
    }
}

/// Resolve EDL marker import.
pub fn edl(data: &[u8]) {
    let (clip, rest) = clip(data);
    let _ = formats::edl::read(&clip, &String::from_utf8_lossy(rest));
}

/// Avid locator import.
pub fn avid(data: &[u8]) {
    let (clip, rest) = clip(data);
    let _ = formats::avid::read(&clip, &String::from_utf8_lossy(rest));
}

/// XMP sidecars and packets embedded in photos.
pub fn xmp(data: &[u8]) {
    let _ = formats::xmp::looks_like_xmp(data);
    let _ = formats::xmp::embedded(data);
    let _ = formats::xmp::read(&String::from_utf8_lossy(data));
}

/// ffprobe's JSON.
pub fn ffprobe(data: &[u8]) {
    let _ = media::probe::parse(data);
}

/// The photo decode path: sniffing, EXIF and decoding with the limits the worker uses (lowered
/// so a fuzzer's memory cap is not the first limit hit).
pub fn photo(data: &[u8]) {
    let _ = media::sniff::sniff(data);
    let _ = media::exif::read(&mut std::io::Cursor::new(data));
    let limits = media::photo::PhotoLimits {
        max_pixels: 16_000_000,
        max_alloc: 256 * 1024 * 1024,
    };
    let _ = media::photo::render_bytes(data, None, limits);
}
