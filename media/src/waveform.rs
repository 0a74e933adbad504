//! Audio peaks in the BBC audiowaveform JSON format (version 2, one channel, 8-bit):
//! `{"version":2,"channels":1,"sample_rate":…,"samples_per_pixel":…,"bits":8,"length":…,"data":[min,max,…]}`.

use serde::{Deserialize, Serialize};

/// The analysed sample rate (mono, 16-bit PCM from ffmpeg).
pub const SAMPLE_RATE: u32 = 16_000;

/// An audiowaveform document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waveform {
    /// Format version (2).
    pub version: u32,
    /// Channels (1: the mix).
    pub channels: u32,
    /// Sample rate of the analysed audio.
    pub sample_rate: u32,
    /// Input samples per output point.
    pub samples_per_pixel: u32,
    /// Bits per data value (8).
    pub bits: u32,
    /// Number of points.
    pub length: u32,
    /// `min, max` pairs, signed 8-bit.
    pub data: Vec<i8>,
}

/// Builds peaks from little-endian signed 16-bit mono PCM fed in any chunking.
#[derive(Debug)]
pub struct PeakBuilder {
    samples_per_pixel: u32,
    in_pixel: u32,
    min: i16,
    max: i16,
    carry: Option<u8>,
    data: Vec<i8>,
}

impl PeakBuilder {
    /// A builder emitting one point per `samples_per_pixel` samples.
    pub fn new(samples_per_pixel: u32) -> PeakBuilder {
        PeakBuilder {
            samples_per_pixel: samples_per_pixel.max(1),
            in_pixel: 0,
            min: i16::MAX,
            max: i16::MIN,
            carry: None,
            data: Vec::new(),
        }
    }

    /// Samples per point for a duration: about 4,000 points, never fewer than 32 samples each.
    pub fn samples_per_pixel_for(duration_seconds: Option<f64>) -> u32 {
        match duration_seconds {
            Some(d) if d > 0.0 => ((d * f64::from(SAMPLE_RATE) / 4000.0).ceil() as u32).max(32),
            _ => 256,
        }
    }

    /// Feeds PCM bytes.
    pub fn push(&mut self, mut bytes: &[u8]) {
        if let Some(lo) = self.carry.take() {
            if let Some((&hi, rest)) = bytes.split_first() {
                self.sample(i16::from_le_bytes([lo, hi]));
                bytes = rest;
            } else {
                self.carry = Some(lo);
                return;
            }
        }
        let mut pairs = bytes.chunks_exact(2);
        for p in &mut pairs {
            self.sample(i16::from_le_bytes([p[0], p[1]]));
        }
        if let [last] = pairs.remainder() {
            self.carry = Some(*last);
        }
    }

    fn sample(&mut self, s: i16) {
        self.min = self.min.min(s);
        self.max = self.max.max(s);
        self.in_pixel += 1;
        if self.in_pixel == self.samples_per_pixel {
            self.emit();
        }
    }

    fn emit(&mut self) {
        self.data.push((self.min >> 8) as i8);
        self.data.push((self.max >> 8) as i8);
        self.in_pixel = 0;
        self.min = i16::MAX;
        self.max = i16::MIN;
    }

    /// The finished waveform.
    pub fn finish(mut self) -> Waveform {
        if self.in_pixel > 0 {
            self.emit();
        }
        Waveform {
            version: 2,
            channels: 1,
            sample_rate: SAMPLE_RATE,
            samples_per_pixel: self.samples_per_pixel,
            bits: 8,
            length: (self.data.len() / 2) as u32,
            data: self.data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_do_not_depend_on_chunking() {
        let samples: Vec<i16> = (0..1000).map(|i| ((i as f64 / 7.0).sin() * 20000.0) as i16).collect();
        let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut whole = PeakBuilder::new(100);
        whole.push(&bytes);
        let mut odd = PeakBuilder::new(100);
        for chunk in bytes.chunks(3) {
            odd.push(chunk);
        }
        let (a, b) = (whole.finish(), odd.finish());
        assert_eq!(a, b);
        assert_eq!(a.length, 10);
        assert_eq!(a.data.len(), 20);
        // A full-scale sine reaches about ±78 in 8 bits (20000 >> 8).
        assert!(
            a.data.iter().any(|&v| v >= 77) && a.data.iter().any(|&v| v <= -79),
            "{:?}",
            a.data
        );
    }

    #[test]
    fn a_partial_last_point_is_kept() {
        let mut b = PeakBuilder::new(4);
        b.push(&[0, 1, 0, 2, 0, 3, 0, 4, 0, 5]);
        let w = b.finish();
        assert_eq!(w.length, 2);
        assert_eq!(w.data, vec![1, 4, 5, 5]);
    }
}
