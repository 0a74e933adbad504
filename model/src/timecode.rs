//! Frame positions and SMPTE timecode.
//!
//! A position is an integer frame plus the clip's exact rational rate; floating seconds appear
//! only at the edge, where the browser's `<video>` wants them ([`Timecode::seek_seconds`],
//! [`Timecode::from_media_time`]). Drop-frame labels (29.97 and 59.94) skip the first 2 (or 4)
//! frame numbers of every minute except each tenth, so the label tracks wall-clock time.

use crate::rational::Rational;
use serde::{Deserialize, Serialize};

/// A frame of a clip at its rate. Frame 0 is the clip's first frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timecode {
    /// Zero-based frame index.
    pub frame: i64,
    /// The clip's frame rate.
    pub rate: Rational,
}

/// How positions are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeDisplay {
    /// SMPTE `HH:MM:SS:FF` (`;` before the frames when drop-frame).
    #[default]
    Timecode,
    /// Frame numbers, from the start frame.
    Frames,
    /// Seconds with milliseconds.
    Seconds,
}

impl TimeDisplay {
    /// Every mode, in the order the switch cycles through them.
    pub const ALL: [TimeDisplay; 3] = [TimeDisplay::Timecode, TimeDisplay::Frames, TimeDisplay::Seconds];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeDisplay::Timecode => "timecode",
            TimeDisplay::Frames => "frames",
            TimeDisplay::Seconds => "seconds",
        }
    }

    /// The next mode of the switch.
    pub fn next(self) -> TimeDisplay {
        match self {
            TimeDisplay::Timecode => TimeDisplay::Frames,
            TimeDisplay::Frames => TimeDisplay::Seconds,
            TimeDisplay::Seconds => TimeDisplay::Timecode,
        }
    }
}

/// The whole frames per second a timecode counts (30 for 29.97, 24 for 23.976).
pub fn nominal_fps(rate: Rational) -> i64 {
    let (num, den) = (i64::from(rate.num()), i64::from(rate.den()));
    ((num + den / 2) / den).max(1)
}

/// Whether SMPTE drop-frame applies to this rate (29.97 and 59.94, i.e. 30000/1001 and 60000/1001).
pub fn is_drop_frame_rate(rate: Rational) -> bool {
    rate.den() == 1001 && (rate.num() == 30000 || rate.num() == 60000)
}

/// Frame numbers dropped per minute in drop-frame (2 at 29.97, 4 at 59.94).
fn dropped_per_minute(rate: Rational) -> i64 {
    nominal_fps(rate) / 15
}

const DAY_HOURS: i64 = 24;

impl Timecode {
    /// Frame `frame` at `rate`.
    pub fn new(frame: i64, rate: Rational) -> Timecode {
        Timecode { frame, rate }
    }

    /// The time (in seconds) of the middle of this frame: where to seek so that rounding in the
    /// decoder can never land on a neighbour.
    pub fn seek_seconds(self) -> f64 {
        (self.frame as f64 + 0.5) * f64::from(self.rate.den()) / f64::from(self.rate.num())
    }

    /// The time (in seconds) this frame starts.
    pub fn start_seconds(self) -> f64 {
        self.frame as f64 * f64::from(self.rate.den()) / f64::from(self.rate.num())
    }

    /// The frame whose presentation time is `seconds` (a frame's own timestamp maps back to it).
    pub fn from_media_time(seconds: f64, rate: Rational) -> Timecode {
        let frames = seconds * f64::from(rate.num()) / f64::from(rate.den());
        // A presented frame's time is its exact start; round absorbs container rounding either way.
        Timecode::new(frames.round().max(0.0) as i64, rate)
    }

    /// The frame playing at `seconds` (the frame that started last), for a running clock.
    pub fn at_time(seconds: f64, rate: Rational) -> Timecode {
        let frames = seconds * f64::from(rate.num()) / f64::from(rate.den());
        Timecode::new((frames + 1e-6).floor().max(0.0) as i64, rate)
    }

    /// The SMPTE label of this frame counted from `start` (the absolute frame number of the clip's
    /// first frame, from its start timecode). `drop` selects drop-frame counting, which only
    /// applies at 29.97 and 59.94.
    pub fn smpte(self, start: i64, drop: bool) -> String {
        smpte_label(start + self.frame, self.rate, drop && is_drop_frame_rate(self.rate))
    }

    /// The label in the given display mode. `start` is as for [`Timecode::smpte`]; frame numbers
    /// count from `start_frame` (0 unless the user chose, e.g., 1001).
    pub fn label(self, mode: TimeDisplay, start: i64, drop: bool, start_frame: i64) -> String {
        match mode {
            TimeDisplay::Timecode => self.smpte(start, drop),
            TimeDisplay::Frames => (start_frame + self.frame).to_string(),
            TimeDisplay::Seconds => {
                let millis = self.frame as i128 * 1000 * i128::from(self.rate.den()) / i128::from(self.rate.num());
                format!("{}.{:03}", millis / 1000, millis % 1000)
            }
        }
    }
}

/// The SMPTE label of an absolute frame count (wraps at 24 hours).
pub fn smpte_label(absolute: i64, rate: Rational, drop: bool) -> String {
    let fps = nominal_fps(rate);
    let day = fps * 3600 * DAY_HOURS;
    let mut f = absolute.rem_euclid(if drop { drop_frames_per_day(rate) } else { day });
    if drop {
        let d = dropped_per_minute(rate);
        let per_ten = fps * 600 - 9 * d;
        let per_minute = fps * 60 - d;
        let (tens, rem) = (f / per_ten, f % per_ten);
        f += 9 * d * tens;
        if rem > d {
            f += d * ((rem - d) / per_minute);
        }
    }
    let sep = if drop { ';' } else { ':' };
    format!(
        "{:02}:{:02}:{:02}{sep}{:02}",
        f / (fps * 3600),
        f / (fps * 60) % 60,
        f / fps % 60,
        f % fps
    )
}

fn drop_frames_per_day(rate: Rational) -> i64 {
    let fps = nominal_fps(rate);
    (fps * 600 - 9 * dropped_per_minute(rate)) * 6 * DAY_HOURS
}

/// A label that is not a timecode at this rate.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a timecode at this frame rate: {0:?}")]
pub struct BadTimecode(pub String);

/// Parses `HH:MM:SS:FF` (or `;`/`.` before the frames for drop-frame) into an absolute frame count.
/// Returns the count and whether the label was drop-frame. Labels that drop-frame skips
/// (e.g. `00:01:00;00`) are rejected.
pub fn parse_smpte(label: &str, rate: Rational) -> Result<(i64, bool), BadTimecode> {
    let bad = || BadTimecode(label.to_owned());
    let label = label.trim();
    let drop_sep = label.rfind([';', '.', ',']);
    let drop = drop_sep.is_some() && is_drop_frame_rate(rate);
    let parts: Vec<&str> = label.split([':', ';', '.', ',']).collect();
    let [hh, mm, ss, ff] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |s: &str| s.parse::<i64>().ok().filter(|v| *v >= 0 && s.len() <= 3);
    let (Some(hh), Some(mm), Some(ss), Some(ff)) = (num(hh), num(mm), num(ss), num(ff)) else {
        return Err(bad());
    };
    let fps = nominal_fps(rate);
    // Labels wrap at 24 hours, so an hour of 24 or more names no frame.
    if hh > 23 || mm > 59 || ss > 59 || ff >= fps {
        return Err(bad());
    }
    let minutes = hh * 60 + mm;
    let mut frames = (minutes * 60 + ss) * fps + ff;
    if drop {
        let d = dropped_per_minute(rate);
        if ss == 0 && mm % 10 != 0 && ff < d {
            return Err(bad());
        }
        frames -= d * (minutes - minutes / 10);
    }
    Ok((frames, drop))
}

/// Where a clip's labels start: the absolute frame of its first frame and whether it counts
/// drop-frame. From the file's own start timecode when it has one; otherwise 0, and drop-frame
/// exactly at 29.97 and 59.94.
pub fn clip_start(start_timecode: Option<&str>, rate: Rational) -> (i64, bool) {
    match start_timecode.and_then(|tc| parse_smpte(tc, rate).ok()) {
        Some(start) => start,
        None => (0, is_drop_frame_rate(rate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rate(s: &str) -> Rational {
        s.parse().unwrap_or_else(|_| panic!("rate {s}"))
    }

    #[test]
    fn drop_frame_vectors_at_29_97() {
        let r = rate("30000/1001");
        let cases = [
            (0, "00:00:00;00"),
            (1799, "00:00:59;29"),
            (1800, "00:01:00;02"),
            (3597, "00:01:59;29"),
            (3598, "00:02:00;02"),
            (17981, "00:09:59;29"),
            (17982, "00:10:00;00"),
            (17983, "00:10:00;01"),
            (107892, "01:00:00;00"),
        ];
        for (frame, label) in cases {
            assert_eq!(Timecode::new(frame, r).smpte(0, true), label, "frame {frame}");
            assert_eq!(parse_smpte(label, r), Ok((frame, true)), "label {label}");
        }
    }

    #[test]
    fn drop_frame_vectors_at_59_94() {
        let r = rate("60000/1001");
        for (frame, label) in [
            (3599, "00:00:59;59"),
            (3600, "00:01:00;04"),
            (35964, "00:10:00;00"),
            (215784, "01:00:00;00"),
        ] {
            assert_eq!(Timecode::new(frame, r).smpte(0, true), label, "frame {frame}");
            assert_eq!(parse_smpte(label, r), Ok((frame, true)));
        }
    }

    #[test]
    fn non_drop_rates_count_plainly() {
        assert_eq!(Timecode::new(86400, rate("24000/1001")).smpte(0, true), "01:00:00:00");
        assert_eq!(Timecode::new(90000, rate("25")).smpte(0, true), "01:00:00:00");
        assert_eq!(Timecode::new(1800, rate("30000/1001")).smpte(0, false), "00:01:00:00");
        assert_eq!(Timecode::new(24, rate("24")).smpte(86400, false), "01:00:01:00");
        assert_eq!(Timecode::new(5, rate("50")).smpte(0, false), "00:00:00:05");
    }

    #[test]
    fn labels_in_every_mode() {
        let r = rate("30000/1001");
        let tc = Timecode::new(30, r);
        assert_eq!(tc.label(TimeDisplay::Frames, 0, true, 1001), "1031");
        assert_eq!(tc.label(TimeDisplay::Seconds, 0, true, 0), "1.001");
        assert_eq!(tc.label(TimeDisplay::Timecode, 107892, true, 0), "01:00:01;00");
    }

    #[test]
    fn skipped_drop_labels_and_junk_are_rejected() {
        let r = rate("30000/1001");
        for bad in [
            "00:01:00;00",
            "00:01:00;01",
            "00:00:00;30",
            "00:60:00;00",
            "1:2:3",
            "aa:00:00;00",
            "",
        ] {
            assert!(parse_smpte(bad, r).is_err(), "{bad}");
        }
        assert_eq!(parse_smpte("00:10:00;00", r), Ok((17982, true)));
    }

    #[test]
    fn clip_start_reads_the_files_timecode() {
        let r = rate("30000/1001");
        assert_eq!(clip_start(Some("01:00:00;00"), r), (107892, true));
        assert_eq!(clip_start(Some("01:00:00:00"), r), (108000, false));
        assert_eq!(clip_start(None, r), (0, true));
        assert_eq!(clip_start(None, rate("25")), (0, false));
        assert_eq!(clip_start(Some("garbage"), rate("25")), (0, false));
    }

    #[test]
    fn seeking_to_the_middle_maps_back_to_the_frame() {
        for r in ["24000/1001", "25", "30000/1001", "60000/1001"] {
            let r = rate(r);
            for frame in [0, 1, 2, 1799, 1800, 17982, 107892, 1_000_000] {
                let tc = Timecode::new(frame, r);
                assert_eq!(Timecode::at_time(tc.seek_seconds(), r).frame, frame);
                assert_eq!(Timecode::from_media_time(tc.start_seconds(), r).frame, frame);
            }
        }
    }

    proptest! {
        #[test]
        fn drop_frame_round_trips(frame in 0i64..2_589_408, sixty in any::<bool>()) {
            let r = rate(if sixty { "60000/1001" } else { "30000/1001" });
            let label = smpte_label(frame, r, true);
            prop_assert_eq!(parse_smpte(&label, r), Ok((frame, true)));
        }

        #[test]
        fn consecutive_drop_labels_skip_only_the_dropped_numbers(frame in 0i64..2_589_000, sixty in any::<bool>()) {
            let r = rate(if sixty { "60000/1001" } else { "30000/1001" });
            let fps = nominal_fps(r);
            let (a, b) = (smpte_label(frame, r, true), smpte_label(frame + 1, r, true));
            let count = |l: &str| -> i64 {
                let p: Vec<i64> = l.split([':', ';']).filter_map(|x| x.parse().ok()).collect();
                ((p[0] * 60 + p[1]) * 60 + p[2]) * fps + p[3]
            };
            let gap = count(&b) - count(&a);
            let next_minute = (count(&b) / fps) % 60 == 0 && (count(&b) / (fps * 60)) % 10 != 0 && gap != 1;
            prop_assert!(gap == 1 || (next_minute && gap == 1 + fps / 15), "{a} -> {b}");
        }

        #[test]
        fn non_drop_round_trips(frame in 0i64..2_000_000, r in prop::sample::select(vec!["24000/1001", "24", "25", "50", "30000/1001"])) {
            let r = rate(r);
            let label = smpte_label(frame, r, false);
            prop_assert_eq!(parse_smpte(&label, r), Ok((frame, false)));
        }

        #[test]
        fn seek_target_is_inside_its_frame(frame in 0i64..10_000_000, r in prop::sample::select(vec!["24000/1001", "25", "30000/1001", "60000/1001"])) {
            let r = rate(r);
            prop_assert_eq!(Timecode::at_time(Timecode::new(frame, r).seek_seconds(), r).frame, frame);
        }
    }
}
