//! The media engine: no database, no HTTP. For now it holds the one wrapper every
//! external tool (ffmpeg, ffprobe) is run through; probing and derivatives build on it.

pub mod convert;
pub mod deliver;
pub mod drawing;
pub mod exif;
pub mod photo;
pub mod probe;
pub mod process;
pub mod render;
pub mod sniff;
pub mod video;
pub mod watermark;
pub mod waveform;

pub use process::{Process, ProcessError, ProcessOutput};
