//! Premiere Pro's import of Final Cut Pro 7 XML (`xmeml` version 4): a sequence holding the
//! clip, with the comments as sequence markers (`in`/`out` in sequence frames, `out` −1 for a
//! one-frame marker).

use crate::xml::escape;
use crate::{Clip, Marker};
use model::timecode::{is_drop_frame_rate, nominal_fps};

fn rate(clip: &Clip) -> String {
    let ntsc = clip.rate.den() == 1001;
    format!(
        "<rate><timebase>{}</timebase><ntsc>{}</ntsc></rate>",
        nominal_fps(clip.rate),
        if ntsc { "TRUE" } else { "FALSE" }
    )
}

/// The XML of `markers` on `clip`.
pub fn write(clip: &Clip, markers: &[Marker]) -> String {
    let name = escape(&clip.name);
    let rate = rate(clip);
    let drop = clip.drop && is_drop_frame_rate(clip.rate);
    let frames = clip.frames.max(1);
    let (width, height) = clip.size.unwrap_or((1920, 1080));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE xmeml>\n<xmeml version=\"4\">\n");
    out.push_str(&format!(
        "  <sequence id=\"sequence-1\">\n    <name>{name}</name>\n    <duration>{frames}</duration>\n    {rate}\n"
    ));
    out.push_str(&format!(
        "    <timecode>\n      {rate}\n      <string>{}</string>\n      <frame>{}</frame>\n      <displayformat>{}</displayformat>\n    </timecode>\n",
        clip.timecode(0),
        clip.start,
        if drop { "DF" } else { "NDF" }
    ));
    out.push_str(&format!(
        "    <media>\n      <video>\n        <format>\n          <samplecharacteristics>\n            {rate}\n            <width>{width}</width>\n            <height>{height}</height>\n          </samplecharacteristics>\n        </format>\n        <track>\n"
    ));
    out.push_str(&format!(
        "          <clipitem id=\"clipitem-1\">\n            <name>{name}</name>\n            <duration>{frames}</duration>\n            {rate}\n            <start>0</start>\n            <end>{frames}</end>\n            <in>0</in>\n            <out>{frames}</out>\n            <file id=\"file-1\">\n              <name>{name}</name>\n              <pathurl>{name}</pathurl>\n              {rate}\n              <duration>{frames}</duration>\n            </file>\n          </clipitem>\n"
    ));
    out.push_str("        </track>\n      </video>\n    </media>\n");
    for m in markers {
        let out_frame = m.frame_out.map_or(-1, |o| o + 1);
        out.push_str(&format!(
            "    <marker>\n      <name>{}</name>\n      <comment>{}</comment>\n      <in>{}</in>\n      <out>{out_frame}</out>\n    </marker>\n",
            escape(&m.author),
            escape(&m.text),
            m.frame_in
        ));
    }
    out.push_str("  </sequence>\n</xmeml>\n");
    out
}
