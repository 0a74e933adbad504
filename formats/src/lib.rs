//! The formats feedback leaves (and re-enters) Dailies in, as pure functions over plain data:
//! NLE marker lists — DaVinci Resolve marker EDL ([`edl`]), Premiere Pro / FCP7 XML
//! ([`xmeml`]), Final Cut Pro FCPXML 1.9 ([`fcpxml`]), Avid locators ([`avid`]) — the
//! comment CSV ([`csv`]), the PDF report ([`pdf`]), XMP sidecars ([`xmp`]) and the tus upload
//! headers ([`tus`]). Written by hand: the formats are the product, and each is pinned by
//! golden files. No database, no I/O.

pub mod avid;
pub mod csv;
pub mod edl;
pub mod fcpxml;
pub mod pdf;
pub mod tus;
pub mod xmeml;
mod xml;
pub mod xmp;

use model::rational::Rational;
use model::timecode::smpte_label;

/// The clip the markers are on.
#[derive(Clone, Debug, PartialEq)]
pub struct Clip {
    /// File name (the NLE matches clips by it).
    pub name: String,
    /// Exact frame rate.
    pub rate: Rational,
    /// Absolute frame of the clip's first frame (from its start timecode; 0 without one).
    pub start: i64,
    /// Drop-frame labels (29.97 and 59.94 only).
    pub drop: bool,
    /// Length in frames.
    pub frames: i64,
    /// Picture size, when known.
    pub size: Option<(u32, u32)>,
}

impl Clip {
    /// The SMPTE label of clip frame `frame`.
    pub fn timecode(&self, frame: i64) -> String {
        smpte_label(
            self.start + frame,
            self.rate,
            self.drop && model::timecode::is_drop_frame_rate(self.rate),
        )
    }
}

/// A marker colour, named as the NLEs name theirs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Color {
    /// Open comments.
    #[default]
    Blue,
    /// Resolved comments.
    Green,
    /// Red.
    Red,
    /// Yellow.
    Yellow,
    /// Cyan.
    Cyan,
    /// Purple (magenta in Avid).
    Purple,
}

impl Color {
    /// Resolve's name (`ResolveColorBlue`, …).
    pub fn resolve(self) -> &'static str {
        match self {
            Color::Blue => "ResolveColorBlue",
            Color::Green => "ResolveColorGreen",
            Color::Red => "ResolveColorRed",
            Color::Yellow => "ResolveColorYellow",
            Color::Cyan => "ResolveColorCyan",
            Color::Purple => "ResolveColorPurple",
        }
    }

    /// Avid's name.
    pub fn avid(self) -> &'static str {
        match self {
            Color::Blue => "blue",
            Color::Green => "green",
            Color::Red => "red",
            Color::Yellow => "yellow",
            Color::Cyan => "cyan",
            Color::Purple => "magenta",
        }
    }

    /// The colour a Resolve or Avid name stands for (blue when unknown).
    pub fn parse(name: &str) -> Color {
        let n = name.trim().trim_start_matches("ResolveColor").to_ascii_lowercase();
        match n.as_str() {
            "green" => Color::Green,
            "red" => Color::Red,
            "yellow" => Color::Yellow,
            "cyan" => Color::Cyan,
            "purple" | "magenta" => Color::Purple,
            _ => Color::Blue,
        }
    }
}

/// One marker: a comment at a frame or over a range of a clip.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// First frame (clip-relative, 0-based).
    pub frame_in: i64,
    /// Last frame of a range, inclusive (`None`: one frame).
    pub frame_out: Option<i64>,
    /// Who wrote it.
    pub author: String,
    /// The text (newlines allowed; each format flattens them as it must).
    pub text: String,
    /// Colour.
    pub color: Color,
}

impl Marker {
    /// Length in frames (at least 1).
    pub fn duration(&self) -> i64 {
        self.frame_out.map_or(1, |o| (o - self.frame_in + 1).max(1))
    }

    /// The text on one line (newlines and tabs become spaces), for line-based formats.
    pub fn one_line(&self) -> String {
        self.text
            .split(['\n', '\r', '\t'])
            .filter(|s| !s.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A file that could not be read as markers.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// What was wrong.
    pub reason: String,
}
