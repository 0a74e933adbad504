//! Small formatting helpers for cards and panels.

/// `m:ss` or `h:mm:ss`.
pub fn duration(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Bytes in B, KB, MB, GB (decimal, as file managers show).
pub fn size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1e3 {
        format!("{b:.0} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}

/// The metadata worth showing, as (label, value) rows, in panel order.
pub fn metadata_rows(m: &model::asset::AssetMetadata) -> Vec<(&'static str, String)> {
    let mut rows: Vec<(&str, String)> = Vec::new();
    let mut push = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((k, v));
        }
    };
    push("Dimensions", m.width.zip(m.height).map(|(w, h)| format!("{w} × {h}")));
    push("Duration", m.duration_seconds.map(duration));
    push(
        "Frame rate",
        m.frame_rate
            .map(|r| format!("{:.3} fps ({r})", f64::from(r.num()) / f64::from(r.den()))),
    );
    push("Frames", m.frame_count.map(|n| n.to_string()));
    push("Start timecode", m.start_timecode.clone());
    push("Video codec", m.video_codec.clone());
    push("Audio codec", m.audio_codec.clone());
    push("Bit rate", m.bitrate.map(|b| format!("{:.1} Mb/s", b as f64 / 1e6)));
    push(
        "Camera",
        match (&m.camera_make, &m.camera_model) {
            (Some(a), Some(b)) if b.starts_with(a.as_str()) => Some(b.clone()),
            (Some(a), Some(b)) => Some(format!("{a} {b}")),
            (a, b) => a.clone().or(b.clone()),
        },
    );
    push("Lens", m.lens.clone());
    push("ISO", m.iso.map(|v| v.to_string()));
    push("Aperture", m.aperture.map(|v| format!("f/{v}")));
    push(
        "Shutter",
        m.shutter_speed.map(|s| {
            if s > 0.0 && s < 1.0 {
                format!("1/{:.0} s", 1.0 / s)
            } else {
                format!("{s} s")
            }
        }),
    );
    push("Focal length", m.focal_length_mm.map(|f| format!("{f} mm")));
    push("Captured", m.captured_at.clone());
    push(
        "Location",
        m.gps_latitude
            .zip(m.gps_longitude)
            .map(|(a, b)| format!("{a:.5}, {b:.5}")),
    );
    push("Colour", m.color_space.clone());
    push("Copyright", m.copyright.clone());
    if m.hdr_tone_mapped == Some(true) {
        push("Proxy", Some("SDR, tone-mapped from HDR".into()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(duration(3.2), "0:03");
        assert_eq!(duration(754.0), "12:34");
        assert_eq!(duration(3725.0), "1:02:05");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1_500_000), "1.5 MB");
        assert_eq!(size(2_000_000_000), "2.00 GB");
    }
}
