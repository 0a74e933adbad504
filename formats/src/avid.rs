//! Avid Media Composer locators (Markers → Export / Import): one tab-separated line per
//! marker — user, timecode, track, colour, comment, duration in frames.

use crate::{Clip, Color, Marker, ParseError};
use model::timecode::parse_smpte;

/// The locator file of `markers` on `clip`.
pub fn write(clip: &Clip, markers: &[Marker]) -> String {
    let mut out = String::new();
    for m in markers {
        let user = m.author.replace(['\t', '\r', '\n'], " ");
        out.push_str(&format!(
            "{user}\t{}\tV1\t{}\t{}\t{}\n",
            clip.timecode(m.frame_in),
            m.color.avid(),
            m.one_line(),
            m.duration()
        ));
    }
    out
}

/// The markers in an Avid locator file for `clip`.
pub fn read(clip: &Clip, text: &str) -> Result<Vec<Marker>, ParseError> {
    let mut markers = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| ParseError { line: n + 1, reason };
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 5 {
            return Err(bad(format!(
                "expected user, timecode, track, colour and comment separated by tabs; found {} field(s)",
                fields.len()
            )));
        }
        let (absolute, _) = parse_smpte(fields[1], clip.rate).map_err(|e| bad(e.to_string()))?;
        let duration = match fields.get(5).map(|d| d.trim()).filter(|d| !d.is_empty()) {
            Some(d) => d
                .parse::<i64>()
                .map_err(|_| bad(format!("not a duration: {d:?}")))?
                .max(1),
            None => 1,
        };
        let frame = absolute - clip.start;
        markers.push(Marker {
            frame_in: frame,
            frame_out: (duration > 1).then(|| frame + duration - 1),
            author: fields[0].trim().to_owned(),
            text: fields[4].trim().to_owned(),
            color: Color::parse(fields[3]),
        });
    }
    Ok(markers)
}
