//! DaVinci Resolve's marker EDL (Timeline → Export → Timeline Markers to EDL, and its import):
//! one CMX-style event per marker whose record timecode is the marker's position, followed by
//! ` |C:ResolveColor… |M:name |D:duration`. The name carries `author: text` (the format has no
//! other field), on one line with `|` replaced.

use crate::{Clip, Color, Marker, ParseError};
use model::timecode::parse_smpte;

/// The EDL of `markers` on `clip`.
pub fn write(clip: &Clip, markers: &[Marker]) -> String {
    let drop = clip.drop && model::timecode::is_drop_frame_rate(clip.rate);
    let mut out = format!(
        "TITLE: {}\r\nFCM: {}\r\n\r\n",
        clip.name.replace(['\r', '\n'], " "),
        if drop { "DROP FRAME" } else { "NON-DROP FRAME" }
    );
    for (i, m) in markers.iter().enumerate() {
        let tc_in = clip.timecode(m.frame_in);
        let tc_out = clip.timecode(m.frame_in + 1);
        let name = format!("{}: {}", m.author, m.one_line()).replace('|', "/");
        out.push_str(&format!(
            "{:03}  001      V     C        {tc_in} {tc_out} {tc_in} {tc_out}  \r\n |C:{} |M:{name} |D:{}\r\n\r\n",
            i + 1,
            m.color.resolve(),
            m.duration()
        ));
    }
    out
}

/// The markers in a Resolve marker EDL for `clip` (positions relative to its start).
pub fn read(clip: &Clip, text: &str) -> Result<Vec<Marker>, ParseError> {
    let mut markers = Vec::new();
    let mut pending: Option<(usize, i64)> = None;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let bad = |reason: String| ParseError { line: line_no, reason };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("TITLE:") || trimmed.starts_with("FCM:") {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('|') {
            let Some((_, frame)) = pending.take() else {
                return Err(bad("a marker line with no event before it".into()));
            };
            let mut color = Color::Blue;
            let mut name = String::new();
            let mut duration = 1;
            for field in rest.split(" |").map(|f| f.trim_start_matches('|')) {
                if let Some(c) = field.strip_prefix("C:") {
                    color = Color::parse(c);
                } else if let Some(m) = field.strip_prefix("M:") {
                    name = m.trim().to_owned();
                } else if let Some(d) = field.strip_prefix("D:") {
                    duration = d
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| bad(format!("not a duration: {d:?}")))?
                        .max(1);
                }
            }
            let (author, text) = split_author(&name);
            markers.push(Marker {
                frame_in: frame,
                frame_out: (duration > 1).then(|| frame + duration - 1),
                author,
                text,
                color,
            });
            continue;
        }
        // An event: number, reel, track, transition, source in/out, record in/out.
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        if fields.len() < 8 || !fields[0].chars().all(|c| c.is_ascii_digit()) {
            return Err(bad(format!("not an EDL event: {trimmed:?}")));
        }
        let record_in = fields[6];
        let (absolute, _) = parse_smpte(record_in, clip.rate).map_err(|e| bad(e.to_string()))?;
        pending = Some((line_no, absolute - clip.start));
    }
    if let Some((line, _)) = pending {
        return Err(ParseError {
            line,
            reason: "an event without its |C: |M: |D: marker line".into(),
        });
    }
    Ok(markers)
}

/// `author: text` back into its parts (no author when there is no `": "`).
pub(crate) fn split_author(name: &str) -> (String, String) {
    match name.split_once(": ") {
        Some((author, text)) if !author.is_empty() && author.chars().count() <= 100 => {
            (author.to_owned(), text.to_owned())
        }
        _ => (String::new(), name.to_owned()),
    }
}
