//! Photo metadata from EXIF (JPEG, TIFF and RAWs built on it, HEIF/AVIF, PNG, WebP), as the
//! typed fields Dailies stores. Values follow `exiftool -n` (numbers, not prose), except that
//! physically impossible values (an f/4259840 aperture, an infinite focal length) and half a
//! GPS position are dropped rather than stored.

use exif::{In, Reader, Tag, Value};
use std::io::{BufRead, Seek};

/// What Dailies keeps from a photo's EXIF.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhotoMeta {
    /// Camera maker.
    pub camera_make: Option<String>,
    /// Camera model.
    pub camera_model: Option<String>,
    /// Lens model.
    pub lens: Option<String>,
    /// ISO sensitivity.
    pub iso: Option<u32>,
    /// Aperture as an f-number.
    pub aperture: Option<f64>,
    /// Exposure time in seconds.
    pub shutter_speed: Option<f64>,
    /// Focal length in millimetres.
    pub focal_length_mm: Option<f64>,
    /// When it was taken: `YYYY-MM-DDTHH:MM:SS`, with the UTC offset when the file records one.
    pub captured_at: Option<String>,
    /// Latitude in decimal degrees (south negative).
    pub gps_latitude: Option<f64>,
    /// Longitude in decimal degrees (west negative).
    pub gps_longitude: Option<f64>,
    /// EXIF orientation, 1–8.
    pub orientation: Option<u16>,
    /// Copyright notice.
    pub copyright: Option<String>,
    /// `sRGB`, `Adobe RGB` or `Uncalibrated`.
    pub color_space: Option<String>,
}

/// The file has no readable EXIF.
#[derive(Debug, thiserror::Error)]
#[error("no readable EXIF: {0}")]
pub struct NoExif(String);

/// Reads EXIF from any supported container, streaming from `reader` (the whole file is
/// never held in memory).
pub fn read<R: BufRead + Seek>(reader: &mut R) -> Result<PhotoMeta, NoExif> {
    // Like exiftool, keep what is readable from a slightly broken IFD instead of giving up.
    let exif = match Reader::new().continue_on_error(true).read_from_container(reader) {
        Ok(exif) => exif,
        Err(e) => e
            .distill_partial_result(|errors| {
                tracing::debug!(exif.errors = ?errors, "EXIF read with errors");
            })
            .map_err(|e| NoExif(e.to_string()))?,
    };
    let field = |tag: Tag| exif.get_field(tag, In::PRIMARY).map(|f| &f.value);
    let text = |tag: Tag| field(tag).and_then(ascii);
    let number = |tag: Tag| field(tag).and_then(|v| rational(v, 0));

    let mut meta = PhotoMeta {
        camera_make: text(Tag::Make),
        camera_model: text(Tag::Model),
        lens: text(Tag::LensModel),
        iso: field(Tag::PhotographicSensitivity).and_then(|v| v.get_uint(0)),
        aperture: number(Tag::FNumber).filter(|f| *f > 0.0 && *f <= 1000.0),
        shutter_speed: number(Tag::ExposureTime).filter(|t| *t > 0.0 && *t < 1e6),
        focal_length_mm: number(Tag::FocalLength).filter(|f| *f > 0.0 && *f < 1e5),
        captured_at: None,
        gps_latitude: None,
        gps_longitude: None,
        orientation: field(Tag::Orientation)
            .and_then(|v| v.get_uint(0))
            .and_then(|o| u16::try_from(o).ok())
            .filter(|o| (1..=8).contains(o)),
        copyright: text(Tag::Copyright),
        color_space: field(Tag::ColorSpace)
            .and_then(|v| v.get_uint(0))
            .and_then(|c| match c {
                1 => Some("sRGB".to_owned()),
                2 => Some("Adobe RGB".to_owned()),
                0xFFFF => Some("Uncalibrated".to_owned()),
                _ => None,
            }),
    };
    // Only the original capture time: DateTime is when the file was last changed.
    meta.captured_at =
        text(Tag::DateTimeOriginal).and_then(|dt| timestamp(&dt, text(Tag::OffsetTimeOriginal).as_deref()));
    let lat = field(Tag::GPSLatitude).and_then(degrees).zip(text(Tag::GPSLatitudeRef));
    let lon = field(Tag::GPSLongitude)
        .and_then(degrees)
        .zip(text(Tag::GPSLongitudeRef));
    if let (Some((lat, lat_ref)), Some((lon, lon_ref))) = (lat, lon) {
        let lat = if lat_ref.eq_ignore_ascii_case("S") { -lat } else { lat };
        let lon = if lon_ref.eq_ignore_ascii_case("W") { -lon } else { lon };
        if lat.abs() <= 90.0 && lon.abs() <= 180.0 {
            meta.gps_latitude = Some(lat);
            meta.gps_longitude = Some(lon);
        }
    }
    Ok(meta)
}

/// Whether [`complete`] has anything to add: a camera file missing a value cameras often keep
/// in maker notes, EXIF without a capture time, or a PNG or camera RAW where the reader found
/// nothing (legacy PNG text
/// profiles, tEXt copyright, RAW containers it does not parse).
pub fn worth_completing(meta: &PhotoMeta, format: crate::sniff::Format) -> bool {
    let camera = meta.camera_make.is_some() || meta.camera_model.is_some();
    let opaque = format == crate::sniff::Format::Png || format.is_raw();
    let empty = *meta == PhotoMeta::default();
    (camera && (meta.iso.is_none() || meta.lens.is_none() || meta.orientation.is_none()))
        || (!empty && meta.captured_at.is_none())
        || (opaque && empty)
}

/// Fills the fields the EXIF reader could not get — values only in maker notes, EXIF in legacy
/// PNG text chunks, IFDs the reader rejects — from `exiftool -n`, run through the one
/// [`Process`] wrapper. Fields already read are kept; exiftool failing changes nothing.
pub async fn complete(process: &crate::Process, path: &std::path::Path, mut meta: PhotoMeta) -> PhotoMeta {
    let mut args: Vec<std::ffi::OsString> = ["-n", "-j", "-q", "-q"].iter().map(Into::into).collect();
    args.extend(EXIFTOOL_TAGS.iter().map(Into::into));
    args.push(path.as_os_str().to_owned());
    let Ok(out) = process.run("exiftool", &args, std::time::Duration::from_secs(30)).await else {
        return meta;
    };
    let Ok(json) = serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout) else {
        return meta;
    };
    let Some(v) = json.first() else { return meta };
    let text = |k: &str| {
        v.get(k)
            .and_then(|x| match x {
                serde_json::Value::String(s) => Some(s.trim().to_owned()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
    };
    let num = |k: &str| v.get(k).and_then(serde_json::Value::as_f64).filter(|x| x.is_finite());
    meta.camera_make = meta.camera_make.or_else(|| text("Make"));
    meta.camera_model = meta.camera_model.or_else(|| text("Model"));
    meta.lens = meta.lens.or_else(|| text("LensModel"));
    meta.iso = meta
        .iso
        .or_else(|| num("ISO").filter(|i| *i >= 0.0 && *i < 1e7).map(|i| i as u32));
    meta.aperture = meta
        .aperture
        .or_else(|| num("FNumber").filter(|f| *f > 0.0 && *f <= 1000.0));
    meta.shutter_speed = meta
        .shutter_speed
        .or_else(|| num("ExposureTime").filter(|t| *t > 0.0 && *t < 1e6));
    meta.focal_length_mm = meta
        .focal_length_mm
        .or_else(|| num("FocalLength").filter(|f| *f > 0.0 && *f < 1e5));
    meta.captured_at = meta
        .captured_at
        .or_else(|| text("DateTimeOriginal").and_then(|d| timestamp(&d, text("OffsetTimeOriginal").as_deref())));
    if meta.gps_latitude.is_none() || meta.gps_longitude.is_none() {
        if let (Some(lat), Some(lon)) = (num("GPSLatitude"), num("GPSLongitude")) {
            if lat.abs() <= 90.0 && lon.abs() <= 180.0 {
                meta.gps_latitude = Some(lat);
                meta.gps_longitude = Some(lon);
            }
        }
    }
    meta.orientation = meta
        .orientation
        .or_else(|| num("Orientation").filter(|o| (1.0..=8.0).contains(o)).map(|o| o as u16));
    meta.copyright = meta.copyright.or_else(|| text("Copyright"));
    meta.color_space = meta.color_space.or_else(|| {
        num("ColorSpace").and_then(|c| match c as u32 {
            1 => Some("sRGB".to_owned()),
            2 => Some("Adobe RGB".to_owned()),
            0xFFFF => Some("Uncalibrated".to_owned()),
            _ => None,
        })
    });
    meta
}

/// The exiftool tags behind the metadata contract.
pub const EXIFTOOL_TAGS: [&str; 14] = [
    "-Make",
    "-Model",
    "-LensModel",
    "-ISO",
    "-FNumber",
    "-ExposureTime",
    "-FocalLength",
    "-DateTimeOriginal",
    "-OffsetTimeOriginal",
    "-Composite:GPSLatitude",
    "-Composite:GPSLongitude",
    "-Orientation",
    "-Copyright",
    "-ColorSpace",
];

fn ascii(v: &Value) -> Option<String> {
    let Value::Ascii(parts) = v else { return None };
    let s = String::from_utf8_lossy(parts.first()?)
        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_owned();
    (!s.is_empty()).then_some(s)
}

fn rational(v: &Value, i: usize) -> Option<f64> {
    let x = match v {
        Value::Rational(r) => r.get(i).map(exif::Rational::to_f64),
        Value::SRational(r) => r.get(i).map(exif::SRational::to_f64),
        other => other.get_uint(i).map(f64::from),
    }?;
    x.is_finite().then_some(x)
}

fn degrees(v: &Value) -> Option<f64> {
    let d = rational(v, 0)?;
    let m = rational(v, 1).unwrap_or(0.0);
    let s = rational(v, 2).unwrap_or(0.0);
    Some(d + m / 60.0 + s / 3600.0)
}

/// `2022:07:22 21:26:32` (+ `+08:00`) -> `2022-07-22T21:26:32+08:00`.
fn timestamp(exif: &str, offset: Option<&str>) -> Option<String> {
    let b = exif.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 19
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
        || !digits(11..13)
        || !digits(14..16)
        || !digits(17..19)
    {
        return None;
    }
    if &exif[5..7] == "00" || &exif[8..10] == "00" {
        return None;
    }
    let mut out = format!(
        "{}-{}-{}T{}:{}:{}",
        &exif[0..4],
        &exif[5..7],
        &exif[8..10],
        &exif[11..13],
        &exif[14..16],
        &exif[17..19]
    );
    if let Some(off) =
        offset.filter(|o| o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && o.as_bytes()[3] == b':')
    {
        out.push_str(off);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::timestamp;

    #[test]
    fn timestamps_become_iso_8601() {
        assert_eq!(
            timestamp("2022:07:22 21:26:32", Some("+08:00")).as_deref(),
            Some("2022-07-22T21:26:32+08:00")
        );
        assert_eq!(
            timestamp("2023:07:09 20:36:33", None).as_deref(),
            Some("2023-07-09T20:36:33")
        );
        assert_eq!(
            timestamp("2023:07:09 20:36:33", Some("junk")).as_deref(),
            Some("2023-07-09T20:36:33")
        );
        assert_eq!(timestamp("0000:00:00 00:00:00", None), None);
        assert_eq!(timestamp("", None), None);
        assert_eq!(timestamp("    :  :     :  :  ", None), None);
    }
}
