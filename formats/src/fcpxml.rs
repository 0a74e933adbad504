//! Final Cut Pro's FCPXML 1.9: the clip as an asset in a project's spine, with the comments
//! as markers on the asset clip. Times are exact rationals in seconds (`N/Ds`); a marker's
//! `start` is in the clip's local time, which begins at the clip's start timecode.

use crate::xml::escape;
use crate::{Clip, Marker};
use model::timecode::is_drop_frame_rate;

/// `frames` frames at the clip's rate as an FCPXML time.
fn time(clip: &Clip, frames: i64) -> String {
    if frames == 0 {
        return "0s".into();
    }
    let (num, den) = (i64::from(clip.rate.num()), i64::from(clip.rate.den()));
    if num % den == 0 {
        // Whole rates: frames over fps, reduced to whole seconds when exact.
        let fps = num / den;
        return if frames % fps == 0 {
            format!("{}s", frames / fps)
        } else {
            format!("{frames}/{fps}s")
        };
    }
    format!("{}/{num}s", frames * den)
}

/// The FCPXML of `markers` on `clip`.
pub fn write(clip: &Clip, markers: &[Marker]) -> String {
    let name = escape(&clip.name);
    let stem = escape(clip.name.rsplit_once('.').map_or(clip.name.as_str(), |(s, _)| s));
    let frames = clip.frames.max(1);
    let (width, height) = clip.size.unwrap_or((1920, 1080));
    let tc_format = if clip.drop && is_drop_frame_rate(clip.rate) {
        "DF"
    } else {
        "NDF"
    };
    let (start, duration) = (time(clip, clip.start), time(clip, frames));
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n<fcpxml version=\"1.9\">\n");
    out.push_str(&format!(
        "  <resources>\n    <format id=\"r1\" frameDuration=\"{}\" width=\"{width}\" height=\"{height}\"/>\n    <asset id=\"r2\" name=\"{stem}\" start=\"{start}\" duration=\"{duration}\" hasVideo=\"1\" format=\"r1\">\n      <media-rep kind=\"original-media\" src=\"./{name}\"/>\n    </asset>\n  </resources>\n",
        time(clip, 1)
    ));
    out.push_str(&format!(
        "  <library>\n    <event name=\"Dailies\">\n      <project name=\"{stem} review\">\n        <sequence format=\"r1\" duration=\"{duration}\" tcStart=\"{start}\" tcFormat=\"{tc_format}\">\n          <spine>\n            <asset-clip ref=\"r2\" offset=\"{start}\" name=\"{stem}\" start=\"{start}\" duration=\"{duration}\" format=\"r1\" tcFormat=\"{tc_format}\">\n"
    ));
    for m in markers {
        let value = format!("{}: {}", m.author, m.one_line());
        out.push_str(&format!(
            "              <marker start=\"{}\" duration=\"{}\" value=\"{}\" note=\"{}\"/>\n",
            time(clip, clip.start + m.frame_in),
            time(clip, m.duration()),
            escape(&value),
            escape(&m.text)
        ));
    }
    out.push_str("            </asset-clip>\n          </spine>\n        </sequence>\n      </project>\n    </event>\n  </library>\n</fcpxml>\n");
    out
}
